const LABELS: Readonly<Record<string, string>> = {
  allow: 'Allowed',
  deny: 'Denied',
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** An audit decision (`allow`, `deny`) or a request status (`pending`, `approved`, `rejected`) as a coloured badge. */
export function StatusBadge({ value }: { value: string }) {
  const known = value in LABELS;
  return <span className={known ? `badge badge--${value}` : 'badge'}>{LABELS[value] ?? value}</span>;
}
