/** Download links for the AsyncAPI 3.0 document of the whole catalog or of one domain (YAML and JSON). */
export function AsyncApiLinks({ domain }: { domain?: string }) {
  const href = (format: 'yaml' | 'json') =>
    `/api/asyncapi?${new URLSearchParams({ ...(domain ? { domain } : {}), format })}`;
  const what = domain ? `the ${domain} domain` : 'the catalog';
  return (
    <span className="downloads">
      <span>AsyncAPI 3.0:</span>
      <a href={href('yaml')} download aria-label={`Download ${what} as AsyncAPI 3.0 YAML`}>
        YAML
      </a>
      <a href={href('json')} download aria-label={`Download ${what} as AsyncAPI 3.0 JSON`}>
        JSON
      </a>
    </span>
  );
}
