import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Links are checked against the app's routes at typecheck time.
  typedRoutes: true,
  // Turbopack is the default bundler for `next dev` and `next build` in Next.js 16; the
  // workspace root is found from the repository's package-lock.json.
  turbopack: {},
};

export default nextConfig;
