import type { ReactNode } from 'react';

/**
 * Says plainly that the signed-in person may not see something (the gateway's 403), and what
 * they can do about it (`children`: usually a way to request access).
 */
export function AccessDeniedPanel({
  title,
  message,
  headingLevel = 2,
  children,
}: {
  title: string;
  /** The gateway's own explanation, when there is one. */
  message?: string | undefined;
  headingLevel?: 2 | 3;
  children?: ReactNode;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="callout callout--warning" aria-label={title}>
      <Heading className="callout__title">{title}</Heading>
      {message ? <p>{message}</p> : null}
      {children}
    </section>
  );
}
