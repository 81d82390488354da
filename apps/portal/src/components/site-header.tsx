import Link from 'next/link';
import { NavLink } from './nav-link';

/** The product header: brand and primary navigation. */
export function SiteHeader() {
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
          <NavLink href="/" matches={['/event-types/']}>
            Catalog
          </NavLink>
        </nav>
      </div>
    </header>
  );
}
