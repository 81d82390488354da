'use client';

import { useActionState, useId } from 'react';
import { createApplication, type CreateApplicationState } from '../actions/create-application';

const INITIAL: CreateApplicationState = { status: 'idle' };

/** Creates an application owned by one of the person's teams (then opens its page). */
export function CreateApplicationForm({ teams }: { teams: readonly string[] }) {
  const [state, action, pending] = useActionState(createApplication, INITIAL);
  const id = useId();
  return (
    <form action={action} className="form" aria-label="Create an application">
      {state.status === 'error' ? (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-name`} className="field__label">
          Name
        </label>
        <input
          id={`${id}-name`}
          name="name"
          required
          maxLength={63}
          className="input"
          aria-describedby={`${id}-name-hint`}
          autoComplete="off"
        />
        <p id={`${id}-name-hint`} className="field__hint">
          Lower-case letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;, e.g. <code>billing-exporter</code>
          . Unique across Meshgate.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-team`} className="field__label">
          Owning team
        </label>
        <select id={`${id}-team`} name="ownerTeam" required className="input" defaultValue={teams[0]}>
          {teams.map((team) => (
            <option key={team} value={team}>
              {team}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`} className="field__label">
          Description <span className="muted">(optional)</span>
        </label>
        <textarea id={`${id}-description`} name="description" maxLength={2000} rows={2} className="input" />
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Creating…' : 'Create application'}
        </button>
      </div>
    </form>
  );
}
