'use client';

import { useActionState, useId } from 'react';
import { issueApiKey, type NewKeyState } from '../actions/issue-api-key';
import { useRevealKey } from './key-reveal';

const INITIAL: NewKeyState = { status: 'idle' };

const LIFETIME_LABELS: Readonly<Record<string, string>> = {
  never: 'Never expires',
  '30': '30 days',
  '90': '90 days',
  '365': '1 year',
};

/** Issues a key for an application; its token is then shown once (in the enclosing `KeyReveal`). */
export function IssueKeyForm({ application }: { application: string }) {
  const reveal = useRevealKey();
  const [state, action, pending] = useActionState(async (previous: NewKeyState, form: FormData) => {
    const next = await issueApiKey(previous, form);
    if (next.status === 'issued') reveal(next.key);
    return next;
  }, INITIAL);
  const id = useId();

  return (
    <>
      <form action={action} className="form form--row" aria-label={`Issue an API key for ${application}`}>
        <input type="hidden" name="application" value={application} />
        {state.status === 'error' ? (
          <p className="form__error" role="alert">
            {state.message}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-name`} className="field__label">
            Key name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={100}
            className="input"
            placeholder="production"
            aria-describedby={`${id}-name-hint`}
          />
          <p id={`${id}-name-hint`} className="field__hint">
            Where the key is used, so you know which one to rotate.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lifetime`} className="field__label">
            Expires
          </label>
          <select id={`${id}-lifetime`} name="lifetime" defaultValue="90" className="input">
            {Object.entries(LIFETIME_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="form__actions">
          <button type="submit" className="button" disabled={pending}>
            {pending ? 'Issuing…' : 'Issue key'}
          </button>
        </div>
      </form>
    </>
  );
}
