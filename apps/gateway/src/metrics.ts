import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics, in a registry of its own (so tests can run several gateways). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'meshgate_' });
  return {
    registry,
    httpRequests: new Histogram({
      name: 'meshgate_http_request_duration_seconds',
      help: 'HTTP request duration by route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsProduced: new Counter({
      name: 'meshgate_events_produced_total',
      help: 'Events accepted and appended to the event log, by event type.',
      labelNames: ['event_type'] as const,
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'meshgate_events_rejected_total',
      help: 'Events rejected before append, by event type and error code.',
      labelNames: ['event_type', 'code'] as const,
      registers: [registry],
    }),
    ndjsonChecks: new Counter({
      name: 'meshgate_produce_ndjson_checks_total',
      help: 'Large NDJSON batches parsed and validated, by where: a worker thread, or the main thread when every worker was busy.',
      labelNames: ['thread'] as const,
      registers: [registry],
    }),
    eventsDelivered: new Counter({
      name: 'meshgate_events_delivered_total',
      help: 'Events delivered to subscribers, by transport.',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    activeStreams: new Gauge({
      name: 'meshgate_active_streams',
      help: 'Open subscriber streams, by transport.',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    subscriptionsEnded: new Counter({
      name: 'meshgate_subscriptions_ended_total',
      help: 'Subscriptions the fan-out hub ended, by reason (SLOW_SUBSCRIBER, SHUTDOWN, ...).',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    hubReaders: new Gauge({
      name: 'meshgate_hub_readers',
      help: 'Event-log readers the fan-out hub holds open: live (one per topic) and history (catch-up).',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    invalidRecords: new Counter({
      name: 'meshgate_invalid_records_total',
      help: 'Records the fan-out hub did not deliver because they failed validation (once per record per instance streaming the topic), by event type and reason.',
      labelNames: ['event_type', 'reason'] as const,
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'meshgate_dead_lettered_total',
      help: 'Invalid records appended to a dead-letter topic by this instance, by event type and reason.',
      labelNames: ['event_type', 'reason'] as const,
      registers: [registry],
    }),
    deadLetterRecords: new Counter({
      name: 'meshgate_dead_letter_records_total',
      help: "Records this instance's dead-letter worker handled, by topic and outcome: checked, or skipped because this instance validated them before appending them.",
      labelNames: ['topic', 'outcome'] as const,
      registers: [registry],
    }),
    dependencyUp: new Gauge({
      name: 'meshgate_dependency_up',
      help: '1 when the dependency answered its last readiness check.',
      labelNames: ['dependency'] as const,
      registers: [registry],
    }),
  };
}

/** The gateway's metrics. */
export type Metrics = ReturnType<typeof createMetrics>;
