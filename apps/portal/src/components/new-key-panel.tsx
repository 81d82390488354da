'use client';

import { useId } from 'react';
import type { IssuedApiKey } from '../lib/gateway-client';
import { formatTimestamp } from '../lib/format-timestamp';
import { CopyButton } from './copy-button';

/**
 * A newly issued key's token, shown once: the gateway keeps only a hash of the secret, and the
 * portal holds the token only in this panel's state, so leaving or reloading the page loses it.
 */
export function NewKeyPanel({ issued, onDone }: { issued: IssuedApiKey; onDone: () => void }) {
  const id = useId();
  return (
    <section className="callout callout--warning new-key" aria-labelledby={`${id}-title`} role="alert">
      <h3 id={`${id}-title`} className="callout__title">
        Copy the key now: it is shown only once
      </h3>
      <p>
        Key <code>{issued.keyId}</code> ({issued.name})
        {issued.expiresAt ? (
          <>
            {' '}
            expires <time dateTime={issued.expiresAt}>{formatTimestamp(issued.expiresAt)}</time>
          </>
        ) : (
          ' never expires'
        )}
        . Meshgate stores only a hash of its secret: nobody can show it to you again. Keep it in your secret store; if
        it is lost, rotate the key.
      </p>
      <div className="secret">
        <label htmlFor={`${id}-token`} className="field__label">
          API key (send as <code>Authorization: Bearer …</code>)
        </label>
        <div className="secret__row">
          <input id={`${id}-token`} className="input secret__value" readOnly value={issued.token} />
          <CopyButton text={issued.token} label="Copy key" />
        </div>
      </div>
      <div className="form__actions">
        <button type="button" className="button button--secondary" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </section>
  );
}
