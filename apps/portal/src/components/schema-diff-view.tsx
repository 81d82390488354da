import type { SchemaDiff } from '../lib/schema-diff';

const MARKERS = { added: '+', removed: '−', context: ' ' } as const;
const SPOKEN = { added: 'Added', removed: 'Removed', context: 'Unchanged' } as const;

/**
 * A unified diff of two schema versions: old and new line numbers, a +/− marker and colour per
 * line, and the change spelled out for screen readers. Hunks are separated by their `@@` header.
 */
export function SchemaDiffView({ diff, from, to }: { diff: SchemaDiff; from: number; to: number }) {
  if (diff.hunks.length === 0) {
    return (
      <p className="muted">
        Versions {from} and {to} are the same document.
      </p>
    );
  }
  return (
    <div className="diff-frame" tabIndex={0} role="group" aria-label={`Changes from version ${from} to version ${to}`}>
      <table className="diff">
        <caption className="visually-hidden">
          Unified diff from version {from} to version {to}: {lines(diff.added)} added, {lines(diff.removed)} removed
        </caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Line in version {from}</th>
            <th scope="col">Line in version {to}</th>
            <th scope="col">Change</th>
            <th scope="col">Text</th>
          </tr>
        </thead>
        {diff.hunks.map((hunk) => (
          <tbody key={hunk.header}>
            <tr className="diff__hunk">
              <td colSpan={4}>{hunk.header}</td>
            </tr>
            {hunk.lines.map((line, index) => (
              <tr key={index} className={`diff__line diff__line--${line.kind}`}>
                <td className="diff__number">{line.oldLine ?? ''}</td>
                <td className="diff__number">{line.newLine ?? ''}</td>
                <td className="diff__marker">
                  <span aria-hidden="true">{MARKERS[line.kind]}</span>
                  <span className="visually-hidden">{SPOKEN[line.kind]}</span>
                </td>
                <td className="diff__text">
                  <code>{line.text}</code>
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function lines(count: number): string {
  return count === 1 ? '1 line' : `${count} lines`;
}
