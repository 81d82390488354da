'use client';

import type { Route } from 'next';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';

/** A header navigation link that marks itself as the current page (also for nested routes). */
export function NavLink({
  href,
  matches,
  children,
}: {
  href: Route;
  /** Path prefixes (besides `href` itself) that belong to this section. */
  matches?: readonly string[];
  children: ReactNode;
}) {
  const pathname = usePathname();
  const active = pathname === href || (matches ?? []).some((prefix) => pathname.startsWith(prefix));
  return (
    <Link
      href={href}
      className="site-nav__link"
      aria-current={pathname === href ? 'page' : active ? 'true' : undefined}
    >
      {children}
    </Link>
  );
}
