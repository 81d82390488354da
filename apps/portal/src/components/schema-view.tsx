import type { SchemaVersion } from '../lib/gateway-client';
import { outlineJsonSchema } from '../lib/json-schema-outline';
import { CodeBlock } from './code-block';

/** The latest registered schema of an event type: its identity, top-level fields and document. */
export function SchemaView({ schema }: { schema: SchemaVersion }) {
  const outline = outlineJsonSchema(schema.schema);
  return (
    <>
      <ul className="facts" aria-label="Schema identity">
        <li>
          <span className="facts__label">Version</span> <strong>{schema.version}</strong>
        </li>
        <li>
          <span className="facts__label">Schema ID</span> <strong>{schema.id}</strong>
        </li>
        <li>
          <span className="facts__label">Type</span> <strong>{schema.schemaType}</strong>
        </li>
        {outline.title ? (
          <li>
            <span className="facts__label">Title</span> <strong>{outline.title}</strong>
          </li>
        ) : null}
      </ul>

      {outline.fields.length > 0 ? (
        <>
          <h3 className="section__subtitle">Fields</h3>
          <div className="table-frame">
            <table className="data-table data-table--compact data-table--stack">
              <caption className="visually-hidden">Top-level fields of the schema</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Type</th>
                  <th scope="col">Required</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {outline.fields.map((field) => (
                  <tr key={field.name}>
                    <th scope="row">
                      <code>{field.name}</code>
                    </th>
                    <td data-label="Type">
                      <code className="type">{field.type}</code>
                    </td>
                    <td data-label="Required">{field.required ? 'Yes' : <span className="muted">No</span>}</td>
                    <td data-label="Description">{field.description ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <h3 className="section__subtitle">Document</h3>
      <CodeBlock
        title={`${schema.subject} · version ${schema.version} · id ${schema.id}`}
        code={outline.pretty}
        language="json"
        copyLabel="Copy schema"
      />
    </>
  );
}
