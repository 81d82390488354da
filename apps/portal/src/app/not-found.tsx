import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <section className="not-found" aria-labelledby="not-found-title">
      <p className="not-found__code">404</p>
      <h1 id="not-found-title" className="not-found__title">
        Page not found
      </h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link href="/" className="button">
          Browse the catalog
        </Link>
      </p>
    </section>
  );
}
