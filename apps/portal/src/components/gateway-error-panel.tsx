import { GatewayErrorCode, type GatewayError } from '../lib/gateway-error';

/** Explains a failed gateway call: what failed, which URL, and what to check. */
export function GatewayErrorPanel({ error, context }: { error: GatewayError; context: string }) {
  const unreachable = error.code === GatewayErrorCode.Unreachable;
  return (
    <section className="callout callout--error" role="alert" aria-labelledby="gateway-error-title">
      <h2 id="gateway-error-title" className="callout__title">
        {unreachable ? 'The gateway is unreachable' : 'The gateway returned an error'}
      </h2>
      <p>
        {context} {unreachable ? 'The portal could not connect to the Meshgate gateway.' : null}
      </p>
      <dl className="callout__facts">
        <div>
          <dt>Request</dt>
          <dd>
            <code>{error.url}</code>
          </dd>
        </div>
        <div>
          <dt>Error</dt>
          <dd>
            <code>{error.message}</code>
          </dd>
        </div>
        <div>
          <dt>Code</dt>
          <dd>
            <code>{error.code}</code>
          </dd>
        </div>
      </dl>
      <p className="callout__hint">
        {unreachable
          ? 'Check that the gateway is running and that MESHGATE_GATEWAY_URL points at it, then reload this page.'
          : 'Check the gateway logs for this request, then reload this page.'}
      </p>
    </section>
  );
}
