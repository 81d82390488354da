import type { ReactNode } from 'react';

/** A calm "nothing here yet" panel with a title, an explanation and optional next steps. */
export function EmptyState({
  title,
  headingLevel = 2,
  children,
}: {
  title: string;
  headingLevel?: 2 | 3;
  children: ReactNode;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="empty-state" aria-label={title}>
      <Heading className="empty-state__title">{title}</Heading>
      <div className="empty-state__body">{children}</div>
    </section>
  );
}
