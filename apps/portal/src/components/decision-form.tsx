'use client';

import { useActionState, useId } from 'react';
import { decideAccessRequest, type DecisionState } from '../actions/decide-access-request';

const INITIAL: DecisionState = { status: 'idle' };

/** Approve or reject one pending access request, with an optional note for the requester. */
export function DecisionForm({ requestId, summary }: { requestId: string; summary: string }) {
  const [state, action, pending] = useActionState(decideAccessRequest, INITIAL);
  const id = useId();

  if (state.status === 'decided') {
    return (
      <p className="form__done" role="status">
        Request {state.outcome}.
      </p>
    );
  }

  return (
    <form action={action} className="form form--compact" aria-label={`Decide on ${summary}`}>
      <input type="hidden" name="id" value={requestId} />
      {state.status === 'error' ? (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-note`} className="field__label">
          Note to the requester <span className="muted">(optional)</span>
        </label>
        <textarea id={`${id}-note`} name="note" maxLength={2000} rows={2} className="input" />
      </div>
      <div className="form__actions">
        <button type="submit" name="decision" value="approve" className="button" disabled={pending}>
          Approve
        </button>
        <button type="submit" name="decision" value="reject" className="button button--danger" disabled={pending}>
          Reject
        </button>
      </div>
    </form>
  );
}
