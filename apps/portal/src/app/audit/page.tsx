import type { Metadata } from 'next';
import Link from 'next/link';
import { AccessDeniedPanel } from '../../components/access-denied-panel';
import { AuditFilterForm } from '../../components/audit-filter-form';
import { AuditTable } from '../../components/audit-table';
import { EmptyState } from '../../components/empty-state';
import { GatewayErrorPanel } from '../../components/gateway-error-panel';
import { auditFiltersOf, auditHref, hasAuditFilters, parseAuditSearch } from '../../lib/audit-filters';
import { getGateway, redirectIfSignedOut, requireMe } from '../../lib/gateway';
import type { AuditPage } from '../../lib/gateway-client';
import { isForbidden, isGatewayError } from '../../lib/gateway-error';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditLogPage(props: PageProps<'/audit'>) {
  const search = parseAuditSearch(await props.searchParams);
  const path = auditHref(search);

  let page: AuditPage;
  try {
    const me = await requireMe(path);
    if (!me.admin) return <AdministratorsOnly />;
    page = await (await getGateway()).queryAudit(auditFiltersOf(search));
  } catch (error) {
    redirectIfSignedOut(error, path);
    if (isForbidden(error)) return <AdministratorsOnly />;
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <AuditHeading />
        <AuditFilterForm search={search} />
        <GatewayErrorPanel error={error} context="The audit log could not be read." />
      </>
    );
  }

  return (
    <>
      <AuditHeading />
      <AuditFilterForm search={search} />
      {page.entries.length === 0 ? (
        <EmptyState title={hasAuditFilters(search) ? 'No entries match these filters' : 'No entries'}>
          <p>{search.after ? 'There are no entries after this page.' : 'Nothing has been recorded yet.'}</p>
        </EmptyState>
      ) : (
        <AuditTable entries={page.entries} search={search} />
      )}
      <nav className="pager" aria-label="Audit log pages">
        {search.after ? (
          <Link href={auditHref({ ...search, after: '' })} className="button button--secondary">
            First page
          </Link>
        ) : null}
        {page.next ? (
          <Link href={auditHref({ ...search, after: page.next })} className="button button--secondary" rel="next">
            Next page
          </Link>
        ) : null}
      </nav>
    </>
  );
}

function AuditHeading() {
  return (
    <header className="page-header">
      <h1 className="page-header__title">Audit log</h1>
      <p className="page-header__lede">
        Every sign-in, access decision and policy change, oldest first. The log is append-only: nobody can edit or
        delete an entry, not even an administrator.
      </p>
    </header>
  );
}

function AdministratorsOnly() {
  return (
    <>
      <AuditHeading />
      <AccessDeniedPanel title="Administrators only">
        <p>Only administrators may read the audit log. Ask an administrator if you need an entry looked up.</p>
        <p>
          <Link href="/me">See what you may do</Link>
        </p>
      </AccessDeniedPanel>
    </>
  );
}
