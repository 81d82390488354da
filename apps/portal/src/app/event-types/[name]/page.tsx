import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { Route } from 'next';
import { AccessDeniedPanel } from '../../../components/access-denied-panel';
import { AsyncApiLinks } from '../../../components/asyncapi-links';
import { ChangeHistory } from '../../../components/change-history';
import { CodeBlock } from '../../../components/code-block';
import { CompatibilityVerdictPanel } from '../../../components/compatibility-verdict';
import { EmptyState } from '../../../components/empty-state';
import { GatewayErrorPanel } from '../../../components/gateway-error-panel';
import { ImpactCheckForm } from '../../../components/impact-check-form';
import { ImpactTable } from '../../../components/impact-table';
import { LifecycleBadge, VisibilityBadge } from '../../../components/lifecycle-badge';
import { LineagePartyTable } from '../../../components/lineage-party-table';
import { MarkdownText } from '../../../components/markdown-text';
import { LiveTail } from '../../../components/live-tail';
import { RequestAccessForm } from '../../../components/request-access-form';
import { SchemaDiffView } from '../../../components/schema-diff-view';
import { SchemaView } from '../../../components/schema-view';
import { TagList } from '../../../components/tag-list';
import { domainOf, mayReadEventType, pendingRequestFor } from '../../../lib/access';
import { formatTimestamp } from '../../../lib/format-timestamp';
import {
  gatewayFailure,
  getEventTypeOnce,
  getGateway,
  getMe,
  getPublicGatewayUrl,
  redirectIfSignedOut,
} from '../../../lib/gateway';
import type {
  AccessRequest,
  CompatibilityVerdict,
  EventType,
  GatewayClient,
  Me,
  SchemaVersion,
} from '../../../lib/gateway-client';
import type { ChangeEntry, EventTypeLineage, ImpactedConsumer } from '../../../lib/gateway-catalog';
import { isForbidden, isGatewayError, type GatewayError } from '../../../lib/gateway-error';
import { joinLineageParties } from '../../../lib/lineage-parties';
import { decodeRouteParam } from '../../../lib/route-param';
import { sampleEvent } from '../../../lib/sample-event';
import { diffSchemas, type SchemaDiff } from '../../../lib/schema-diff';
import { eventTypeSnippets, wsUrl, type Snippet } from '../../../lib/snippets';
import { findTypedSubscription } from '../../../lib/typed-subscription';
import { pickVersions, type PickedVersions } from '../../../lib/version-params';

/** Events the live tail keeps on the page. */
const LIVE_TAIL_LIMIT = 50;

/** Change history entries shown per page. */
const HISTORY_PAGE = 20;

export async function generateMetadata(props: PageProps<'/event-types/[name]'>): Promise<Metadata> {
  const name = decodeRouteParam((await props.params).name);
  const eventType = await getEventTypeOnce(name).catch(() => undefined);
  return { title: eventType === null ? 'Event type not found' : name };
}

export default async function EventTypePage(props: PageProps<'/event-types/[name]'>) {
  const name = decodeRouteParam((await props.params).name);
  const path = `/event-types/${encodeURIComponent(name)}`;

  let eventType: EventType | null;
  try {
    eventType = await getEventTypeOnce(name);
  } catch (error) {
    redirectIfSignedOut(error, path);
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <Breadcrumb name={name} />
        <header className="page-header">
          <h1 className="page-header__title page-header__title--code">{name}</h1>
        </header>
        {isForbidden(error) ? (
          <AccessDeniedPanel title="You may not see this event type" message={error.gatewayMessage}>
            <p>Ask for access and an owner of the event type or an administrator will decide.</p>
            <RequestAccessForm resourceKind="event-type" resourceName={name} returnTo={path} />
          </AccessDeniedPanel>
        ) : (
          <GatewayErrorPanel error={error} context="This event type could not be loaded." />
        )}
      </>
    );
  }
  // Runs before anything is streamed (no loading.tsx here), so the response is a real 404.
  if (!eventType) notFound();

  const gateway = await getGateway();
  const query = await props.searchParams;
  const historyBefore =
    typeof query.historyBefore === 'string' && /^[1-9][0-9]{0,18}$/.test(query.historyBefore)
      ? query.historyBefore
      : undefined;
  const [versions, access, publicUrl, lineage, impact, history, typedSubscription] = await Promise.all([
    gateway.listSchemaVersions(eventType.subject).catch(gatewayFailure(path)),
    readAccess(eventType, path),
    getPublicGatewayUrl(),
    gateway.getEventTypeLineage(eventType.name).catch(gatewayFailure(path)),
    gateway.getImpact(eventType.name).catch(gatewayFailure(path)),
    gateway
      .getEventTypeHistory(eventType.name, { limit: HISTORY_PAGE, ...(historyBefore ? { before: historyBefore } : {}) })
      .catch(gatewayFailure(path)),
    // Needs only the name: its introspection round trips run beside the other calls.
    findTypedSubscription((document) => gateway.graphql(document), eventType.name).catch(() => null),
  ]);
  const picked = isGatewayError(versions) ? null : pickVersions(versions, query);
  const schemas =
    picked && !isGatewayError(versions)
      ? await loadSchemas(gateway, eventType.subject, picked, versions.at(-1) ?? picked.shown, path)
      : null;
  const latestSchema = schemas?.latest;
  const snippets = eventTypeSnippets({
    eventType: eventType.name,
    topic: eventType.topic,
    subject: eventType.subject,
    valueFormat: eventType.valueFormat,
    gatewayUrl: publicUrl,
    sample:
      eventType.examples[0]?.payload ??
      (latestSchema && !isGatewayError(latestSchema) ? sampleEvent(latestSchema.schema) : {}),
    typedSubscription,
  });
  const mayRead = access.mayRead;

  return (
    <>
      <Breadcrumb name={eventType.name} />
      <header className="page-header">
        <h1 className="page-header__title page-header__title--code">{eventType.name}</h1>
        <p className="page-header__lede">{eventType.summary}</p>
        <div className="badges">
          <LifecycleBadge lifecycle={eventType.lifecycle} />
          <VisibilityBadge visibility={eventType.visibility} />
          {eventType.version ? <span className="badge">v{eventType.version}</span> : null}
          <TagList tags={eventType.tags} />
        </div>
        <LifecycleNotice eventType={eventType} />
        {eventType.description ? (
          <div className="page-header__description">
            <MarkdownText source={eventType.description} />
          </div>
        ) : null}
      </header>

      <nav aria-label="On this page" className="page-toc">
        <ul>
          <li>
            <a href="#details-heading">Details</a>
          </li>
          {access.me ? (
            <li>
              <a href="#access-heading">Your access</a>
            </li>
          ) : null}
          <li>
            <a href="#parties-heading">Producers and consumers</a>
          </li>
          <li>
            <a href="#impact-heading">Impact of a change</a>
          </li>
          <li>
            <a href="#schema-heading">Schema</a>
          </li>
          {picked?.compare ? (
            <li>
              <a href="#compare-heading">Compare versions</a>
            </li>
          ) : null}
          {eventType.examples.length > 0 ? (
            <li>
              <a href="#examples-heading">Examples</a>
            </li>
          ) : null}
          <li>
            <a href="#use-heading">Use it</a>
          </li>
          <li>
            <a href="#live-heading">Live tail</a>
          </li>
          <li>
            <a href="#history-heading">Change history</a>
          </li>
        </ul>
      </nav>

      <section className="section" aria-labelledby="details-heading">
        <h2 id="details-heading" className="section__title">
          Details
        </h2>
        <dl className="details">
          <div>
            <dt>Owner team</dt>
            <dd>
              <span className="pill">{eventType.owner}</span>
            </dd>
          </div>
          <div>
            <dt>Domain</dt>
            <dd>
              <Link href={`/domains/${encodeURIComponent(eventType.domain)}` as Route}>{eventType.domain}</Link>
            </dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>{eventType.version || <span className="muted">none</span>}</dd>
          </div>
          <div>
            <dt>Lifecycle</dt>
            <dd>
              <LifecycleBadge lifecycle={eventType.lifecycle} />
            </dd>
          </div>
          <div>
            <dt>Visibility</dt>
            <dd>{eventType.visibility === 'private' ? 'Private' : 'Public'}</dd>
          </div>
          <div>
            <dt>Topic</dt>
            <dd>
              <code>{eventType.topic}</code>
            </dd>
          </div>
          <div>
            <dt>Schema subject</dt>
            <dd>
              <code>{eventType.subject}</code>
            </dd>
          </div>
          {eventType.partitions === null ? null : (
            <div>
              <dt>Partitions</dt>
              <dd>{eventType.partitions}</dd>
            </div>
          )}
          {eventType.keyPath ? (
            <div>
              <dt>Key path</dt>
              <dd>
                <code>{eventType.keyPath}</code>
              </dd>
            </div>
          ) : null}
          {eventType.schemaVersion === null ? null : (
            <div>
              <dt>Produce validates against</dt>
              <dd>schema version {eventType.schemaVersion}</dd>
            </div>
          )}
          <div>
            <dt>Created</dt>
            <dd>
              <time dateTime={eventType.createdAt}>{formatTimestamp(eventType.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>
              <time dateTime={eventType.updatedAt}>{formatTimestamp(eventType.updatedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Download its domain</dt>
            <dd>
              <AsyncApiLinks domain={eventType.domain} />
            </dd>
          </div>
        </dl>
      </section>

      <AccessSection eventType={eventType} access={access} path={path} />

      <PartiesSection lineage={lineage} />

      <ImpactSection
        impact={impact}
        eventType={eventType}
        path={path}
        latestSchema={latestSchema && !isGatewayError(latestSchema) ? prettySchema(latestSchema.schema) : ''}
      />

      <section className="section" aria-labelledby="schema-heading" id="schema">
        <h2 id="schema-heading" className="section__title">
          Schema
        </h2>
        {isGatewayError(versions) ? (
          <SchemaFailure error={versions} context="The schema versions could not be loaded." />
        ) : !picked || !schemas ? (
          <NoSchema subject={eventType.subject} gatewayUrl={publicUrl} />
        ) : (
          <>
            <VersionPicker path={path} versions={versions} picked={picked} />
            {schemas.shown === null ? (
              <p className="muted">Version {picked.shown} is no longer registered.</p>
            ) : isGatewayError(schemas.shown) ? (
              <SchemaFailure error={schemas.shown} context={`Version ${picked.shown} could not be loaded.`} />
            ) : (
              <>
                <SchemaView schema={schemas.shown} />
                <h3 className="section__subtitle">Fetch it</h3>
                <CodeBlock
                  title={`Version ${picked.shown} from the registry`}
                  language="shell"
                  code={`curl -s ${AUTH_HEADER} ${registrySubjectUrl(publicUrl, eventType.subject)}/versions/${picked.shown}`}
                />
              </>
            )}
          </>
        )}
      </section>

      {picked?.compare && schemas ? (
        <section className="section" aria-labelledby="compare-heading" id="compare">
          <h2 id="compare-heading" className="section__title">
            Compare versions
          </h2>
          <p className="section__lede">
            What changed between two versions, and whether the later one may follow the earlier one under the
            subject&apos;s compatibility level.
          </p>
          <CompareForm path={path} versions={isGatewayError(versions) ? [] : versions} picked={picked} />
          <Comparison comparison={schemas.comparison} from={picked.compare.from} to={picked.compare.to} />
        </section>
      ) : null}

      {eventType.examples.length > 0 ? (
        <section className="section" aria-labelledby="examples-heading">
          <h2 id="examples-heading" className="section__title">
            Examples
          </h2>
          <div className="stack">
            {eventType.examples.map((example, index) => (
              <div key={index}>
                {example.summary ? <p className="section__lede">{example.summary}</p> : null}
                <CodeBlock
                  title={example.name}
                  language="json"
                  code={JSON.stringify(example.payload, null, 2)}
                  copyLabel="Copy example"
                />
              </div>
            ))}
          </div>
        </section>
      ) : null}

      <section className="section" aria-labelledby="use-heading">
        <h2 id="use-heading" className="section__title">
          Use it
        </h2>
        <p className="section__lede">
          Snippets filled in for <code>{eventType.name}</code> and the gateway at <code>{publicUrl}</code>. Set{' '}
          <code>MESHGATE_TOKEN</code> to an API key of one of <Link href="/applications">your applications</Link>.
        </p>
        <SnippetList snippets={snippets} />
      </section>

      <section className="section" aria-labelledby="live-heading" id="live">
        <h2 id="live-heading" className="section__title">
          Live tail
        </h2>
        {mayRead ? (
          <>
            <p className="section__lede">
              New events as they are produced, as you may see them: the gateway leaves out fields your grants do not
              unmask and applies your row filters. The last {LIVE_TAIL_LIMIT} are kept.
            </p>
            <LiveTail eventType={eventType.name} wsUrl={wsUrl(publicUrl)} limit={LIVE_TAIL_LIMIT} />
          </>
        ) : (
          <p className="section__lede">
            Watching live events needs read access to <code>{eventType.name}</code>.{' '}
            {access.me ? <a href="#access-heading">Request it above</a> : null}
          </p>
        )}
      </section>

      <HistorySection history={history} path={path} newest={historyBefore === undefined} />
    </>
  );
}

/** A schema version, absent (`null`), or why it could not be read. */
type LoadedSchema = SchemaVersion | null | GatewayError;

/** The two versions compared, their diff and the registry's verdict (or why they are missing). */
type Comparison =
  { diff: SchemaDiff; verdict: CompatibilityVerdict | GatewayError } | { missing: number } | { error: GatewayError };

/** The shown version, the latest (for snippets) and the comparison, each version read once. */
async function loadSchemas(
  gateway: GatewayClient,
  subject: string,
  picked: PickedVersions,
  latestVersion: number,
  path: string,
): Promise<{ shown: LoadedSchema; latest: LoadedSchema; comparison: Comparison | null }> {
  const loaded = new Map<number, Promise<LoadedSchema>>();
  const load = (version: number): Promise<LoadedSchema> => {
    let schema = loaded.get(version);
    if (!schema) {
      schema = gateway.getSchemaVersion(subject, version).catch(gatewayFailure(path));
      loaded.set(version, schema);
    }
    return schema;
  };
  const compare = async (): Promise<Comparison | null> => {
    if (!picked.compare) return null;
    const { from, to } = picked.compare;
    const [before, after] = await Promise.all([load(from), load(to)]);
    for (const [version, schema] of [
      [from, before],
      [to, after],
    ] as const) {
      if (schema === null) return { missing: version };
      if (isGatewayError(schema)) return { error: schema };
    }
    const older = before as SchemaVersion;
    const newer = after as SchemaVersion;
    const verdict = await gateway.checkCompatibility(subject, from, newer).catch(gatewayFailure(path));
    return { diff: diffSchemas(older.schema, newer.schema), verdict };
  };
  const [shown, latest, comparison] = await Promise.all([load(picked.shown), load(latestVersion), compare()]);
  return { shown, latest, comparison };
}

function SchemaFailure({ error, context }: { error: GatewayError; context: string }) {
  if (isForbidden(error)) {
    return (
      <AccessDeniedPanel title="You may not read this schema" message={error.gatewayMessage} headingLevel={3}>
        <p>
          Reading the schema needs a grant on the event type, its domain or its schema subject. Request access above.
        </p>
      </AccessDeniedPanel>
    );
  }
  return <GatewayErrorPanel error={error} context={context} />;
}

function VersionPicker({ path, versions, picked }: { path: string; versions: number[]; picked: PickedVersions }) {
  const latest = versions.at(-1);
  return (
    <form method="get" action={`${path}#schema`} className="inline-form" aria-label="Schema version">
      <label htmlFor="schema-version" className="field__label">
        Version
      </label>
      <select id="schema-version" name="version" defaultValue={picked.shown} className="input input--inline">
        {versions.toReversed().map((version) => (
          <option key={version} value={version}>
            {version === latest ? `${version} (latest)` : version}
          </option>
        ))}
      </select>
      {picked.compare ? (
        <>
          <input type="hidden" name="from" value={picked.compare.from} />
          <input type="hidden" name="to" value={picked.compare.to} />
        </>
      ) : null}
      <button type="submit" className="button button--compact">
        Show
      </button>
      <span className="muted">
        {versions.length === 1 ? '1 version registered' : `${versions.length} versions registered`}
      </span>
    </form>
  );
}

function CompareForm({ path, versions, picked }: { path: string; versions: number[]; picked: PickedVersions }) {
  const options = versions.toReversed();
  return (
    <form method="get" action={`${path}#compare`} className="inline-form" aria-label="Versions to compare">
      <input type="hidden" name="version" value={picked.shown} />
      <label htmlFor="compare-from" className="field__label">
        From version
      </label>
      <select id="compare-from" name="from" defaultValue={picked.compare?.from} className="input input--inline">
        {options.map((version) => (
          <option key={version} value={version}>
            {version}
          </option>
        ))}
      </select>
      <label htmlFor="compare-to" className="field__label">
        to version
      </label>
      <select id="compare-to" name="to" defaultValue={picked.compare?.to} className="input input--inline">
        {options.map((version) => (
          <option key={version} value={version}>
            {version}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--compact">
        Compare
      </button>
    </form>
  );
}

function Comparison({ comparison, from, to }: { comparison: Comparison | null; from: number; to: number }) {
  if (!comparison) return null;
  if ('missing' in comparison) return <p className="muted">Version {comparison.missing} is no longer registered.</p>;
  if ('error' in comparison) {
    return <SchemaFailure error={comparison.error} context={`Versions ${from} and ${to} could not be loaded.`} />;
  }
  return (
    <>
      {isGatewayError(comparison.verdict) ? (
        <GatewayErrorPanel error={comparison.verdict} context="The registry could not check compatibility." />
      ) : (
        <CompatibilityVerdictPanel verdict={comparison.verdict} from={from} to={to} />
      )}
      <h3 className="section__subtitle">
        Changes{' '}
        <span className="diff-stats">
          <span className="diff-stats__added">+{comparison.diff.added}</span>{' '}
          <span className="diff-stats__removed">−{comparison.diff.removed}</span>
        </span>
      </h3>
      <SchemaDiffView diff={comparison.diff} from={from} to={to} />
    </>
  );
}

function SnippetList({ snippets }: { snippets: Snippet[] }) {
  return (
    <div className="stack">
      {snippets.map((snippet) => (
        <div key={snippet.id} id={`snippet-${snippet.id}`}>
          <h3 className="snippet__title">{snippet.title}</h3>
          <p className="snippet__note">{snippet.note}</p>
          <CodeBlock title={snippet.title} language={snippet.language} code={snippet.code} copyLabel="Copy" />
        </div>
      ))}
    </div>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href="/">Catalog</Link>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}

function NoSchema({ subject, gatewayUrl }: { subject: string; gatewayUrl: string }) {
  const example = JSON.stringify({
    schemaType: 'JSON',
    schema: JSON.stringify({ type: 'object', properties: {} }),
  });
  return (
    <EmptyState title="No schema registered yet" headingLevel={3}>
      <p>
        Nothing is registered under the subject <code>{subject}</code>. Events of this type cannot be validated until a
        schema is registered there.
      </p>
      <CodeBlock
        title="Register a first version"
        language="shell"
        code={[
          `curl -s -X POST ${registrySubjectUrl(gatewayUrl, subject)}/versions \\`,
          `  ${AUTH_HEADER} \\`,
          `  -H 'Content-Type: application/vnd.schemaregistry.v1+json' \\`,
          `  -d '${example}'`,
        ].join('\n')}
      />
    </EmptyState>
  );
}

/** Every gateway call needs credentials: the examples take an API key from the environment. */
const AUTH_HEADER = `-H "Authorization: Bearer $MESHGATE_TOKEN"`;

function registrySubjectUrl(gatewayUrl: string, subject: string): string {
  return `${gatewayUrl}/registry/subjects/${encodeURIComponent(subject)}`;
}

/** What the page knows about the visitor's access to the event type. */
interface EventTypeAccess {
  me: Me | null;
  mayRead: boolean;
  /** The visitor's own pending request covering the event type. */
  pending: AccessRequest | undefined;
}

async function readAccess(eventType: EventType, path: string): Promise<EventTypeAccess> {
  const me = await getMe().catch((error: unknown) => {
    redirectIfSignedOut(error, path);
    return null;
  });
  if (!me) return { me, mayRead: false, pending: undefined };
  const mayRead = mayReadEventType(me, eventType);
  if (mayRead) return { me, mayRead, pending: undefined };
  // Only to say "already requested" instead of offering the form again; a failure just shows the form.
  const requests = await (await getGateway()).listAccessRequests('pending').catch((error: unknown) => {
    redirectIfSignedOut(error, path);
    return [];
  });
  return { me, mayRead, pending: pendingRequestFor(requests, me.id, eventType) };
}

function AccessSection({ eventType, access, path }: { eventType: EventType; access: EventTypeAccess; path: string }) {
  if (!access.me) return null;
  return (
    <section className="section" aria-labelledby="access-heading" id="access">
      <h2 id="access-heading" className="section__title">
        Your access
      </h2>
      {access.mayRead ? (
        <>
          <p className="section__lede">
            {access.me.admin
              ? 'As an administrator you may read this event type (and do everything else).'
              : 'You may read this event type: stream and fetch its events.'}{' '}
            <Link href="/me">See all your grants</Link>.
          </p>
          {access.me.admin ? null : (
            <details className="disclosure">
              <summary>Request more access (produce, register schemas…)</summary>
              <RequestAccessForm
                resourceKind="event-type"
                resourceName={eventType.name}
                returnTo={path}
                defaultAction="produce"
                owner={eventType.owner}
              />
            </details>
          )}
        </>
      ) : access.pending ? (
        <div className="callout" role="status">
          <h3 className="callout__title callout__title--plain">Access requested</h3>
          <p>
            You asked for <strong>{access.pending.action}</strong> access to <code>{access.pending.resourceName}</code>{' '}
            on <time dateTime={access.pending.createdAt}>{formatTimestamp(access.pending.createdAt)}</time>. An owner of{' '}
            {eventType.owner} or an administrator decides.
          </p>
          <p>
            <Link href="/access-requests">Follow it on your access requests</Link>
          </p>
        </div>
      ) : (
        <>
          <p className="section__lede">
            You cannot read this stream yet: none of your grants covers <code>{eventType.name}</code>, its domain{' '}
            <code>{domainOf(eventType.name)}</code> or its subject. Ask for access and an owner of {eventType.owner} or
            an administrator will decide.
          </p>
          <RequestAccessForm
            resourceKind="event-type"
            resourceName={eventType.name}
            returnTo={path}
            owner={eventType.owner}
          />
        </>
      )}
    </section>
  );
}

/** What deprecated and retired mean for the reader, with the owners' note on what to use instead. */
function LifecycleNotice({ eventType }: { eventType: EventType }) {
  if (eventType.lifecycle !== 'deprecated' && eventType.lifecycle !== 'retired') return null;
  const retired = eventType.lifecycle === 'retired';
  return (
    <div className={`callout callout--lifecycle ${retired ? 'callout--error' : 'callout--warning'}`} role="note">
      <h2 className="callout__title">{retired ? 'Retired' : 'Deprecated'}</h2>
      <p>
        {retired
          ? 'This event type is retired: the gateway refuses new events and new subscriptions (410 EVENT_TYPE_RETIRED).'
          : 'This event type is deprecated: it still works, but plan to move off it. Its API answers carry a Deprecation header.'}
      </p>
      {eventType.lifecycleNote ? (
        <p>
          <strong>Note from its owners:</strong> {eventType.lifecycleNote}
        </p>
      ) : null}
    </div>
  );
}

/** Declared and observed producers and consumers, joined. */
function PartiesSection({ lineage }: { lineage: EventTypeLineage | GatewayError }) {
  return (
    <section className="section" aria-labelledby="parties-heading" id="parties">
      <h2 id="parties-heading" className="section__title">
        Producers and consumers
      </h2>
      <p className="section__lede">
        Services declared in the catalog, and who the gateway has actually seen producing and subscribing (counts since
        first seen). <span className="badge badge--observed-only">Observed only</span> means nobody declared it;{' '}
        <span className="badge badge--never-seen">Declared, never seen</span> means the gateway has not seen it yet.
      </p>
      {isGatewayError(lineage) ? (
        <GatewayErrorPanel error={lineage} context="The producers and consumers could not be loaded." />
      ) : (
        <div className="lineage-columns">
          {(['producer', 'consumer'] as const).map((role) => {
            const parties = joinLineageParties(
              role === 'producer' ? lineage.declared.producers : lineage.declared.consumers,
              role === 'producer' ? lineage.observed.producers : lineage.observed.consumers,
            );
            const title = role === 'producer' ? 'Producers' : 'Consumers';
            return (
              <div key={role} role="group" aria-labelledby={`${role}s-heading`}>
                <h3 id={`${role}s-heading`} className="section__subtitle">
                  {title} ({parties.length})
                </h3>
                {parties.length === 0 ? (
                  <p className="muted">No {role}s declared, and none seen by the gateway yet.</p>
                ) : (
                  <LineagePartyTable parties={parties} role={role} />
                )}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}

/** Who a change would affect. */
/** A schema document pretty-printed when it is JSON (JSON Schema, Avro), else as it is (Protobuf). */
function prettySchema(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}

function ImpactSection({
  impact,
  eventType,
  path,
  latestSchema,
}: {
  impact: ImpactedConsumer[] | GatewayError;
  eventType: EventType;
  path: string;
  /** The latest schema's text, as the starting point of a proposal. */
  latestSchema: string;
}) {
  return (
    <section className="section" aria-labelledby="impact-heading" id="impact">
      <h2 id="impact-heading" className="section__title">
        Impact of a change
      </h2>
      {isGatewayError(impact) ? (
        <GatewayErrorPanel error={impact} context="The consumers a change would affect could not be loaded." />
      ) : impact.length === 0 ? (
        <p className="section__lede">
          Nobody would be affected today: no consumer is declared and the gateway has seen none.
        </p>
      ) : (
        <>
          <p className="section__lede">
            A change to <code>{eventType.name}</code> or its schema would reach{' '}
            {impact.length === 1 ? 'this consumer' : `these ${impact.length} consumers`}, most recently active first.
          </p>
          <ImpactTable consumers={impact} />
        </>
      )}
      <details className="disclosure section__body">
        <summary>Check a proposed schema</summary>
        <ImpactCheckForm eventType={eventType.name} returnTo={`${path}#impact`} initialSchema={latestSchema} />
        <p className="muted">
          In CI, <code>meshgate schema check</code> runs the same check and fails the build on a breaking change.
        </p>
      </details>
    </section>
  );
}

/** The change history, newest first, a page at a time. */
function HistorySection({
  history,
  path,
  newest,
}: {
  history: ChangeEntry[] | GatewayError;
  path: string;
  /** Whether this is the first (newest) page. */
  newest: boolean;
}) {
  const last = isGatewayError(history) ? undefined : history.at(-1);
  return (
    <section className="section" aria-labelledby="history-heading" id="history">
      <h2 id="history-heading" className="section__title">
        Change history
      </h2>
      {isGatewayError(history) ? (
        <GatewayErrorPanel error={history} context="The change history could not be loaded." />
      ) : history.length === 0 ? (
        <p className="muted">{newest ? 'No changes recorded yet.' : 'No older changes.'}</p>
      ) : (
        <>
          <p className="section__lede">Catalog edits and schema registrations, newest first.</p>
          <ChangeHistory entries={history} />
          <nav className="pager" aria-label="Change history pages">
            {newest ? null : (
              <Link href={`${path}#history` as Route} className="button button--secondary button--compact">
                Newest changes
              </Link>
            )}
            {last && history.length >= HISTORY_PAGE ? (
              <Link
                href={`${path}?historyBefore=${encodeURIComponent(last.id)}#history` as Route}
                className="button button--secondary button--compact"
              >
                Older changes
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </section>
  );
}
