'use client';

import Link from 'next/link';
import { useActionState, useId } from 'react';
import { requestAccess, type RequestAccessState } from '../actions/request-access';
import { REQUESTABLE_ACTIONS, describeAction, type RequestableAction } from '../lib/access-actions';
import type { RequestableResourceKind } from '../lib/gateway-client';

const INITIAL: RequestAccessState = { status: 'idle' };

/**
 * Asks for access to one resource: the access wanted and why. Once sent it turns into a
 * confirmation naming the pending request; deciders see it on their access-requests page.
 */
export function RequestAccessForm({
  resourceKind,
  resourceName,
  returnTo,
  defaultAction = 'read',
  owner,
}: {
  resourceKind: RequestableResourceKind;
  resourceName: string;
  /** The page to come back to when the session has to be renewed first. */
  returnTo: string;
  defaultAction?: RequestableAction;
  /** The owning team, to say who decides. */
  owner?: string;
}) {
  const [state, action, pending] = useActionState(requestAccess, INITIAL);
  const id = useId();

  if (state.status === 'sent') {
    return (
      <div className="callout callout--success" role="status" aria-labelledby={`${id}-sent`}>
        <h3 id={`${id}-sent`} className="callout__title">
          Access requested
        </h3>
        <p>
          Your request for <strong>{state.request.action}</strong> access to <code>{state.request.resourceName}</code>{' '}
          is pending. {owner ? <>An owner of {owner} or an administrator decides.</> : 'An administrator decides.'}
        </p>
        <p>
          <Link href="/access-requests">Follow it on your access requests</Link>
        </p>
      </div>
    );
  }

  return (
    <form action={action} className="form" aria-label={`Request access to ${resourceName}`}>
      <input type="hidden" name="resourceKind" value={resourceKind} />
      <input type="hidden" name="resourceName" value={resourceName} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {state.status === 'error' ? (
        <p className="form__error" role="alert">
          {state.message}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-action`} className="field__label">
          Access
        </label>
        <select id={`${id}-action`} name="action" defaultValue={defaultAction} className="input">
          {REQUESTABLE_ACTIONS.map((value) => (
            <option key={value} value={value}>
              {describeAction(value)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`} className="field__label">
          Why do you need it?
        </label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          required
          maxLength={2000}
          rows={3}
          aria-describedby={`${id}-reason-hint`}
          className="input"
        />
        <p id={`${id}-reason-hint`} className="field__hint">
          The people who decide read this: say what you will build and which data you need.
        </p>
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Sending…' : 'Request access'}
        </button>
      </div>
    </form>
  );
}
