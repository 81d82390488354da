import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AccessDeniedPanel } from '../../../components/access-denied-panel';
import { CodeBlock } from '../../../components/code-block';
import { EmptyState } from '../../../components/empty-state';
import { GatewayErrorPanel } from '../../../components/gateway-error-panel';
import { RequestAccessForm } from '../../../components/request-access-form';
import { SchemaView } from '../../../components/schema-view';
import { domainOf, mayReadEventType, pendingRequestFor } from '../../../lib/access';
import { formatTimestamp } from '../../../lib/format-timestamp';
import { anonymousGateway, getEventTypeOnce, getGateway, getMe, redirectIfSignedOut } from '../../../lib/gateway';
import type { AccessRequest, EventType, Me } from '../../../lib/gateway-client';
import { isForbidden, isGatewayError, type GatewayError } from '../../../lib/gateway-error';
import { decodeRouteParam } from '../../../lib/route-param';

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
  const [schema, access] = await Promise.all([
    gateway.getLatestSchema(eventType.subject).catch((error: unknown): GatewayError => {
      redirectIfSignedOut(error, path);
      if (!isGatewayError(error)) throw error;
      return error;
    }),
    readAccess(eventType, path),
  ]);

  return (
    <>
      <Breadcrumb name={eventType.name} />
      <header className="page-header">
        <h1 className="page-header__title page-header__title--code">{eventType.name}</h1>
        <p className="page-header__lede">{eventType.summary}</p>
        {eventType.description ? <p className="page-header__description">{eventType.description}</p> : null}
      </header>

      <section className="section" aria-labelledby="details-heading">
        <h2 id="details-heading" className="section__title">
          Details
        </h2>
        <dl className="details">
          <div>
            <dt>Owner</dt>
            <dd>
              <span className="pill">{eventType.owner}</span>
            </dd>
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
        </dl>
      </section>

      <AccessSection eventType={eventType} access={access} path={path} />

      <section className="section" aria-labelledby="schema-heading">
        <h2 id="schema-heading" className="section__title">
          Schema
        </h2>
        {schema === null ? (
          <NoSchema subject={eventType.subject} />
        ) : isForbidden(schema) ? (
          <AccessDeniedPanel title="You may not read this schema" message={schema.gatewayMessage} headingLevel={3}>
            <p>
              Reading the schema needs a grant on the event type, its domain or its schema subject. Request access
              above.
            </p>
          </AccessDeniedPanel>
        ) : isGatewayError(schema) ? (
          <GatewayErrorPanel error={schema} context="The latest schema could not be loaded." />
        ) : (
          <>
            <SchemaView schema={schema} />
            <h3 className="section__subtitle">Fetch it</h3>
            <CodeBlock
              title="Latest schema from the registry"
              language="shell"
              code={`curl -s ${AUTH_HEADER} ${registrySubjectUrl(eventType.subject)}/versions/latest`}
            />
          </>
        )}
      </section>
    </>
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

function NoSchema({ subject }: { subject: string }) {
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
          `curl -s -X POST ${registrySubjectUrl(subject)}/versions \\`,
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

function registrySubjectUrl(subject: string): string {
  return `${anonymousGateway.baseUrl}/registry/subjects/${encodeURIComponent(subject)}`;
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
