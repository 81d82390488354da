import type { PrismaClient } from '@meshgate/db';
import { scopeAllows, type CatalogScope } from '../catalog-scope';
import { declaredPartiesOf } from '../declared-lineage';
import { applicationNames } from '../services';
import type { ExportCatalog, ExportSchema } from './export-asyncapi';

/** Where the export finds schemas: the registry (its `version`/`latest` lookups fit). */
export interface ExportSchemaSource {
  /** The subject's version (`latest` when none is pinned), or undefined when it has none. */
  schemaOf(subject: string, version: number | 'latest'): Promise<ExportSchema | undefined>;
}

/**
 * Reads what an AsyncAPI export of the catalog (or of one domain) shows a caller: the event
 * types its scope sees, their declared producers and consumers, the domains they belong to and
 * the services declared on them, and each event type's pinned or latest schema.
 */
export async function loadExportCatalog(
  prisma: PrismaClient,
  schemas: ExportSchemaSource,
  options: { scope: CatalogScope; domain?: string | undefined },
): Promise<ExportCatalog> {
  const rows = (
    await prisma.eventType.findMany({
      where: options.domain ? { domain: options.domain } : {},
      orderBy: { name: 'asc' },
    })
  ).filter((row) => scopeAllows(options.scope, row));
  const parties = await declaredPartiesOf(
    prisma,
    rows.map((row) => row.name),
  );
  const serviceRows = await prisma.catalogService.findMany({
    where: { name: { in: [...new Set([...parties.values()].flatMap((p) => [...p.producers, ...p.consumers]))] } },
    orderBy: { name: 'asc' },
  });
  const applications = await applicationNames(
    prisma,
    serviceRows.map((s) => s.applicationId),
  );
  const domainNames = [...new Set([...rows.map((row) => row.domain), ...(options.domain ? [options.domain] : [])])];
  const domains = await prisma.domain.findMany({ where: { name: { in: domainNames } }, orderBy: { name: 'asc' } });
  // One domain's export describes that domain even when the caller sees none of its event types
  // only if it holds something there; otherwise the domain stays out (no existence leaks).
  const shownDomains = domains.filter((d) => rows.some((row) => row.domain === d.name) || options.scope.all);
  const eventTypes = await Promise.all(
    rows.map(async (row) => ({
      ...row,
      tags: row.tags ?? [],
      ...parties.get(row.name)!,
      schema: await schemas.schemaOf(row.subject, row.schemaVersion ?? 'latest'),
    })),
  );
  return {
    eventTypes,
    domains: shownDomains,
    services: serviceRows.map((s) => ({
      name: s.name,
      displayName: s.displayName,
      summary: s.summary,
      description: s.description,
      domain: s.domain,
      ownerTeam: s.ownerTeam,
      application: s.applicationId ? (applications.get(s.applicationId) ?? null) : null,
      repository: s.repository,
    })),
  };
}
