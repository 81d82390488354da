const LIFECYCLE_LABELS: Readonly<Record<string, string>> = {
  draft: 'Draft',
  active: 'Active',
  deprecated: 'Deprecated',
  retired: 'Retired',
};

/** An event type's lifecycle stage as a coloured badge (with its name in words, not colour alone). */
export function LifecycleBadge({ lifecycle }: { lifecycle: string }) {
  const known = lifecycle in LIFECYCLE_LABELS;
  return (
    <span className={known ? `badge badge--${lifecycle}` : 'badge'} title={`Lifecycle: ${lifecycle}`}>
      {LIFECYCLE_LABELS[lifecycle] ?? lifecycle}
    </span>
  );
}

/** "Private" for private event types (nothing for public ones). */
export function VisibilityBadge({ visibility }: { visibility: string }) {
  if (visibility !== 'private') return null;
  return (
    <span className="badge badge--private" title="Only the owner team, grant holders and administrators see it">
      Private
    </span>
  );
}
