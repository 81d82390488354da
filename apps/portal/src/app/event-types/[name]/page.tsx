import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CodeBlock } from '../../../components/code-block';
import { EmptyState } from '../../../components/empty-state';
import { GatewayErrorPanel } from '../../../components/gateway-error-panel';
import { SchemaView } from '../../../components/schema-view';
import { formatTimestamp } from '../../../lib/format-timestamp';
import { gateway, getEventTypeOnce } from '../../../lib/gateway';
import type { EventType, SchemaVersion } from '../../../lib/gateway-client';
import { isGatewayError, type GatewayError } from '../../../lib/gateway-error';
import { decodeRouteParam } from '../../../lib/route-param';

export async function generateMetadata(props: PageProps<'/event-types/[name]'>): Promise<Metadata> {
  const name = decodeRouteParam((await props.params).name);
  const eventType = await getEventTypeOnce(name).catch(() => undefined);
  return { title: eventType === null ? 'Event type not found' : name };
}

export default async function EventTypePage(props: PageProps<'/event-types/[name]'>) {
  const name = decodeRouteParam((await props.params).name);

  let eventType: EventType | null;
  try {
    eventType = await getEventTypeOnce(name);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    return (
      <>
        <Breadcrumb name={name} />
        <header className="page-header">
          <h1 className="page-header__title page-header__title--code">{name}</h1>
        </header>
        <GatewayErrorPanel error={error} context="This event type could not be loaded." />
      </>
    );
  }
  // Runs before anything is streamed (no loading.tsx here), so the response is a real 404.
  if (!eventType) notFound();

  let schema: SchemaVersion | null | GatewayError;
  try {
    schema = await gateway.getLatestSchema(eventType.subject);
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    schema = error;
  }

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

      <section className="section" aria-labelledby="schema-heading">
        <h2 id="schema-heading" className="section__title">
          Schema
        </h2>
        {schema === null ? (
          <NoSchema subject={eventType.subject} />
        ) : isGatewayError(schema) ? (
          <GatewayErrorPanel error={schema} context="The latest schema could not be loaded." />
        ) : (
          <>
            <SchemaView schema={schema} />
            <h3 className="section__subtitle">Fetch it</h3>
            <CodeBlock
              title="Latest schema from the registry"
              language="shell"
              code={`curl -s ${registrySubjectUrl(eventType.subject)}/versions/latest`}
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
          `  -H 'Content-Type: application/vnd.schemaregistry.v1+json' \\`,
          `  -d '${example}'`,
        ].join('\n')}
      />
    </EmptyState>
  );
}

function registrySubjectUrl(subject: string): string {
  return `${gateway.baseUrl}/registry/subjects/${encodeURIComponent(subject)}`;
}
