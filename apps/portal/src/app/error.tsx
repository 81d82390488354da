'use client';

// Last-resort boundary for failures the pages do not handle themselves (gateway failures
// are handled in the pages, with details). In production Next.js hides the message of
// server errors and exposes only a digest that matches the server log.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="callout callout--error" role="alert" aria-labelledby="error-title">
      <h1 id="error-title" className="callout__title">
        Something went wrong
      </h1>
      <p>The portal could not render this page.</p>
      {error.digest ? (
        <p className="callout__hint">
          Reference <code>{error.digest}</code> (search the portal log for it).
        </p>
      ) : null}
      <p>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </p>
    </section>
  );
}
