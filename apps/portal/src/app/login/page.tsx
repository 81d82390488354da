import type { Metadata, Route } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '../../components/sign-in-form';
import { getMe } from '../../lib/gateway';
import { safeNextPath } from '../../lib/sign-in-path';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage(props: PageProps<'/login'>) {
  const { next: rawNext } = await props.searchParams;
  const next = safeNextPath(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  // Already signed in (with a session the gateway still accepts): go straight on.
  const me = await getMe().catch(() => null);
  if (me) redirect(next as Route);

  return (
    <section className="auth-card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title" className="auth-card__title">
        Sign in to Meshgate
      </h1>
      <p className="auth-card__lede">
        Use your Meshgate account. Administrators create accounts; on a fresh install the first one is{' '}
        <code>admin@meshgate.local</code>, with the password printed when the gateway first started.
      </p>
      <SignInForm next={next} />
    </section>
  );
}
