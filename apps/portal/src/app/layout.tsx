import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '../components/site-header';
import { env } from '../env';
import './globals.css';

// Every page reads live catalog data from the gateway: render on each request, never at build.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Meshgate', template: '%s · Meshgate' },
  description: 'Browse the event catalog and schemas governed by Meshgate.',
  applicationName: 'Meshgate',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0f1419' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="page" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="site-footer__inner">
            <span>Meshgate developer portal</span>
            <span>
              Gateway <code>{env.MESHGATE_GATEWAY_URL}</code>
            </span>
          </div>
        </footer>
      </body>
    </html>
  );
}
