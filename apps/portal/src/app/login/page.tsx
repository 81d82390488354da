import type { Metadata, Route } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SignInForm } from '../../components/sign-in-form';
import { anonymousGateway, getMe } from '../../lib/gateway';
import { OIDC_START_PATH, SIGN_IN_ERROR_COOKIE, readSignInError } from '../../lib/oidc-sign-in';
import { safeNextPath } from '../../lib/sign-in-path';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage(props: PageProps<'/login'>) {
  const { next: rawNext, error } = await props.searchParams;
  const next = safeNextPath(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  // Already signed in (with a session the gateway still accepts): go straight on.
  const me = await getMe().catch(() => null);
  if (me) redirect(next as Route);
  // Without an answer from the gateway the page still offers the password form.
  const sso = await anonymousGateway.getOidcSignIn().catch(() => null);
  const ssoError = error === 'sso' ? readSignInError((await cookies()).get(SIGN_IN_ERROR_COOKIE)?.value) : null;

  return (
    <section className="auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" className="auth-card__title">
        Sign in to Meshgate
      </h1>
      {sso?.enabled && sso.name ? (
        <>
          <form method="post" action={OIDC_START_PATH} className="form" aria-label="Single sign-on">
            <input type="hidden" name="next" value={next} />
            {ssoError ? (
              <p id="sso-error" className="form__error" role="alert">
                {ssoError}
              </p>
            ) : null}
            <div className="form__actions">
              <button type="submit" className="button" aria-describedby={ssoError ? 'sso-error' : undefined}>
                Sign in with {sso.name}
              </button>
            </div>
          </form>
          <p className="auth-card__divider">or with a Meshgate account</p>
        </>
      ) : null}
      <p className="auth-card__lede">
        Use your Meshgate account. Administrators create accounts; on a fresh install the first one is{' '}
        <code>admin@meshgate.local</code>, with the password printed when the gateway first started.
      </p>
      <SignInForm next={next} />
    </section>
  );
}
