import type { CompatibilityVerdict } from '../lib/gateway-client';

/**
 * The registry's verdict on version `to` read against version `from` under the subject's
 * compatibility level, with every reason, where it is and how to fix it.
 */
export function CompatibilityVerdictPanel({
  verdict,
  from,
  to,
}: {
  verdict: CompatibilityVerdict;
  from: number;
  to: number;
}) {
  const level = verdict.level.toUpperCase();
  return (
    <section
      className={`callout ${verdict.compatible ? 'callout--success' : 'callout--error'} verdict`}
      aria-labelledby="verdict-title"
    >
      <h3 id="verdict-title" className="callout__title">
        {verdict.compatible ? 'Compatible' : 'Not compatible'}
        <span className="verdict__level">
          {' '}
          under <code>{level}</code>
        </span>
      </h3>
      <p>
        {level === 'NONE'
          ? `The subject checks no compatibility (level NONE): any version ${to} would be accepted after version ${from}.`
          : verdict.compatible
            ? `Version ${to} passes the ${level} check against version ${from}.`
            : `Version ${to} breaks the ${level} rules against version ${from}:`}
      </p>
      {level.endsWith('_TRANSITIVE') ? (
        <p className="muted">
          This compares the two versions only; registering a version checks it against every earlier one.
        </p>
      ) : null}
      {verdict.incompatibilities.length > 0 ? (
        <ul className="verdict__reasons">
          {verdict.incompatibilities.map((issue, index) => (
            <li key={index}>
              <p>
                {issue.message}
                {issue.direction ? <span className="muted"> ({issue.direction})</span> : null}
              </p>
              <p className="verdict__meta">
                {issue.path ? (
                  <>
                    at <code>{issue.path}</code>{' '}
                  </>
                ) : null}
                rule <code>{issue.rule}</code>
              </p>
              {issue.fix ? <p className="verdict__fix">Fix: {issue.fix}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
