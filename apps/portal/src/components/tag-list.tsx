import type { Route } from 'next';
import Link from 'next/link';

/** An event type's tags; each links to the catalog search filtered by it (unless `linked` is false). */
export function TagList({ tags, linked = true }: { tags: readonly string[]; linked?: boolean }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag}>
          {linked ? (
            <Link
              href={`/?tag=${encodeURIComponent(tag)}` as Route}
              className="tag"
              aria-label={`Tag ${tag}: find event types with it`}
            >
              {tag}
            </Link>
          ) : (
            <span className="tag">{tag}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
