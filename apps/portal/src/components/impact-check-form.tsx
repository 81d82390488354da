'use client';

import { useActionState, useId } from 'react';
import { checkSchemaImpact, type SchemaImpactState } from '../actions/check-schema-impact';

const INITIAL: SchemaImpactState = { status: 'idle' };

/**
 * "What if I registered this schema?": a proposed schema in, the registry's verdict under the
 * subject's compatibility level and the consumers it would reach out. Nothing is registered.
 */
export function ImpactCheckForm({
  eventType,
  returnTo,
  initialSchema,
}: {
  eventType: string;
  /** The page to come back to when the session has to be renewed first. */
  returnTo: string;
  /** The latest schema, as a starting point to edit. */
  initialSchema: string;
}) {
  const [state, action, pending] = useActionState(checkSchemaImpact, INITIAL);
  const id = useId();
  return (
    <form action={action} className="form impact-check" aria-label="Check a proposed schema">
      <input type="hidden" name="eventType" value={eventType} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <div className="field">
        <label htmlFor={`${id}-schema`} className="field__label">
          Proposed schema
        </label>
        <p id={`${id}-hint`} className="field__hint">
          Edit the latest version (or paste another); the check uses the subject&apos;s compatibility level and
          registers nothing.
        </p>
        <textarea
          id={`${id}-schema`}
          name="schema"
          className="input input--code"
          rows={10}
          defaultValue={initialSchema}
          spellCheck={false}
          aria-describedby={`${id}-hint`}
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Checking…' : 'Check impact'}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {state.status === 'error' ? <p className="form__error">{state.message}</p> : null}
        {state.status === 'checked' ? <ImpactVerdict state={state} /> : null}
      </div>
    </form>
  );
}

function ImpactVerdict({ state }: { state: Extract<SchemaImpactState, { status: 'checked' }> }) {
  const { compatibility, consumers } = state.impact;
  const level = compatibility.level.toUpperCase();
  const who =
    consumers.length === 0
      ? 'No consumer is declared or has been seen.'
      : `It would reach ${consumers.length === 1 ? '1 consumer' : `${consumers.length} consumers`}: ${consumers
          .map((consumer) => consumer.service?.displayName ?? consumer.principal?.name ?? 'unknown')
          .join(', ')}.`;
  return (
    <div className={`callout ${compatibility.compatible ? 'callout--success' : 'callout--error'} verdict`}>
      <p className="callout__title">
        {compatibility.compatible ? 'Compatible' : 'Not compatible'}{' '}
        <span className="verdict__level">
          under <code>{level}</code>
        </span>
      </p>
      <p>{who}</p>
      {compatibility.incompatibilities.length > 0 ? (
        <ul className="verdict__reasons">
          {compatibility.incompatibilities.map((reason, index) => (
            <li key={index}>
              <p>{reason.message}</p>
              <p className="verdict__meta">
                {reason.path ? <code>{reason.path}</code> : null} {reason.rule}
              </p>
              {reason.fix ? <p className="verdict__fix">Fix: {reason.fix}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
