'use client';

import { useActionState, useId, useState } from 'react';
import { rotateApiKey, type NewKeyState } from '../actions/issue-api-key';
import { revokeApiKey, type RevokeKeyState } from '../actions/revoke-api-key';
import { useRevealKey } from './key-reveal';

const GRACE_LABELS: ReadonlyArray<[number, string]> = [
  [0, 'stops at once'],
  [3600, 'works 1 more hour'],
  [86_400, 'works 1 more day'],
  [604_800, 'works 7 more days'],
];

/**
 * Rotate and revoke one live key. Revoking asks for confirmation first (a second button), so a
 * stray click or key press never cuts a production client off.
 */
export function ApiKeyActions({
  application,
  keyId,
  keyName,
}: {
  application: string;
  keyId: string;
  keyName: string;
}) {
  const reveal = useRevealKey();
  // The new secret goes to the enclosing KeyReveal: this row may leave the list (old key revoked).
  const [rotated, rotate, rotating] = useActionState(
    async (previous: NewKeyState, form: FormData) => {
      const next = await rotateApiKey(previous, form);
      if (next.status === 'issued') reveal(next.key);
      return next;
    },
    { status: 'idle' } as NewKeyState,
  );
  const [revoked, revoke, revoking] = useActionState(revokeApiKey, { status: 'idle' } as RevokeKeyState);
  const [confirming, setConfirming] = useState(false);
  const id = useId();

  if (revoked.status === 'revoked') {
    return (
      <p role="status" className="form__done">
        Revoked.
      </p>
    );
  }

  return (
    <div className="key-actions">
      {rotated.status === 'error' || revoked.status === 'error' ? (
        <p className="form__error" role="alert">
          {rotated.status === 'error' ? rotated.message : revoked.status === 'error' ? revoked.message : null}
        </p>
      ) : null}
      <form action={rotate} className="inline-form" aria-label={`Rotate key ${keyName}`}>
        <input type="hidden" name="application" value={application} />
        <input type="hidden" name="keyId" value={keyId} />
        <label htmlFor={`${id}-grace`} className="visually-hidden">
          Old key {keyName} after rotation
        </label>
        <select id={`${id}-grace`} name="graceSeconds" defaultValue="3600" className="input input--inline input--small">
          {GRACE_LABELS.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>
              Old key {label}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--compact button--secondary" disabled={rotating}>
          {rotating ? 'Rotating…' : 'Rotate'}
          <span className="visually-hidden"> key {keyName}</span>
        </button>
      </form>
      <form action={revoke} className="inline-form" aria-label={`Revoke key ${keyName}`}>
        <input type="hidden" name="application" value={application} />
        <input type="hidden" name="keyId" value={keyId} />
        {confirming ? (
          <>
            <span className="muted">Clients using it stop at once.</span>
            <button type="submit" className="button button--compact button--danger" disabled={revoking}>
              {revoking ? 'Revoking…' : 'Confirm revoke'}
              <span className="visually-hidden"> key {keyName}</span>
            </button>
            <button type="button" className="button button--compact button--quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="button button--compact button--quiet" onClick={() => setConfirming(true)}>
            Revoke…<span className="visually-hidden"> key {keyName}</span>
          </button>
        )}
      </form>
    </div>
  );
}
