import Link from 'next/link';
import { signOut } from '../actions/sign-out';
import { getMe } from '../lib/gateway';
import { NavLink } from './nav-link';

/** The product header: brand, primary navigation, and who is signed in (with sign-out). */
export async function SiteHeader() {
  // The header never fails the page: when the gateway cannot say who is signed in, the page
  // itself shows why.
  const me = await getMe().catch(() => null);
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand">
          <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path
              d="M8 22V10l8 7 8-7v12"
              fill="none"
              stroke="var(--color-surface)"
              strokeWidth="2.6"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <span className="brand__name">Meshgate</span>
        </Link>
        <nav aria-label="Primary" className="site-nav">
          <NavLink href="/" matches={['/event-types', '/domains/', '/services/']}>
            Catalog
          </NavLink>
          <NavLink href="/lineage">Lineage</NavLink>
          {me ? (
            <>
              <NavLink href="/access-requests">Access requests</NavLink>
              <NavLink href="/me">Your access</NavLink>
              <NavLink href="/applications" matches={['/applications/']}>
                Applications
              </NavLink>
              <NavLink href="/graphql">GraphQL</NavLink>
              {me.admin ? <NavLink href="/audit">Audit log</NavLink> : null}
            </>
          ) : null}
        </nav>
        <div className="site-user">
          {me ? (
            <>
              <span className="site-user__name">
                <span className="visually-hidden">Signed in as </span>
                {me.name}
              </span>
              {me.admin ? (
                <span className="badge badge--admin" title="Administrators may do everything">
                  Admin
                </span>
              ) : null}
              <form action={signOut}>
                <button type="submit" className="button button--quiet">
                  Sign out
                </button>
              </form>
            </>
          ) : (
            <Link href="/login" className="button button--quiet">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
