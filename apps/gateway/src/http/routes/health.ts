import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics';
import type { Runtime } from '../../runtime';

/** `/healthz` (process alive), `/readyz` (dependencies reachable, checked live), `/metrics`. */
export function registerHealthRoutes(app: FastifyInstance, runtime: Runtime, metrics: Metrics): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness: the process answers' } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'Readiness: PostgreSQL and the event log answer (checked live)' } },
    async (_request, reply) => {
      const checks = await runtime.check();
      for (const [name, status] of Object.entries(checks))
        metrics.dependencyUp.set({ dependency: name }, status.ok ? 1 : 0);
      const ready = Object.values(checks).every((c) => c.ok);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks });
    },
  );

  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
