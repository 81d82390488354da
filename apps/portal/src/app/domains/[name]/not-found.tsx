'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { decodeRouteParam } from '../../../lib/route-param';

// A client component only to read the requested name; not-found files receive no props.
export default function DomainNotFound() {
  const params = useParams<{ name?: string }>();
  const name = params.name ? decodeRouteParam(params.name) : null;
  return (
    <section className="not-found" aria-labelledby="not-found-title">
      <p className="not-found__code">404</p>
      <h1 id="not-found-title" className="not-found__title">
        Domain not found
      </h1>
      <p>
        {name ? (
          <>
            The catalog has no domain named <code>{name}</code>.
          </>
        ) : (
          'The catalog has no domain with this name.'
        )}
      </p>
      <p>
        <Link href="/" className="button">
          Browse the catalog
        </Link>
      </p>
    </section>
  );
}
