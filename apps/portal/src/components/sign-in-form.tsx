'use client';

import { useActionState } from 'react';
import { signIn, type SignInState } from '../actions/sign-in';

const INITIAL: SignInState = { error: null, email: '' };

/** Email and password; on success the server action sets the session cookie and moves on to `next`. */
export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signIn, INITIAL);
  return (
    <form action={action} className="form" aria-label="Sign in">
      <input type="hidden" name="next" value={next} />
      {state.error ? (
        <p id="sign-in-error" className="form__error" role="alert">
          {state.error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="sign-in-email" className="field__label">
          Email
        </label>
        <input
          id="sign-in-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.email}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? 'sign-in-error' : undefined}
          className="input"
        />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password" className="field__label">
          Password
        </label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? 'sign-in-error' : undefined}
          className="input"
        />
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
