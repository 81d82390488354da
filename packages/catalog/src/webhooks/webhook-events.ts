import { InputError } from '@meshgate/core';

/** Kinds of catalog entries whose changes webhooks deliver (`catalog_changes.entity_kind`). */
export const webhookEntityKinds = ['domain', 'service', 'event-type', 'schema'] as const;

/** Actions recorded in the change history (`catalog_changes.action`). */
export const webhookActions = ['created', 'updated', 'deleted', 'lifecycle', 'registered'] as const;

/** The event of a test delivery (`POST /webhooks/{id}/ping`). */
export const PING_EVENT = 'ping';

/** The default selection of a new webhook: every change. */
export const ALL_EVENTS = ['*'] as const;

const PATTERN = /^(\*|[a-z-]+\.\*|\*\.[a-z]+|[a-z-]+\.[a-z]+)$/;

/**
 * Checks a webhook's event patterns — `*`, `entityKind.*`, `*.action` or `entityKind.action`
 * (e.g. `event-type.*`, `schema.registered`) — naming the first bad one; returns them
 * de-duplicated, in order. The trigger in the `catalog_webhook_delivery` migration applies
 * the same rules in SQL.
 */
export function parseWebhookEvents(patterns: readonly string[]): string[] {
  if (patterns.length === 0)
    throw new InputError('events must name at least one pattern (use ["*"] for every change).');
  patterns.forEach((pattern, index) => {
    const problem = patternProblem(pattern);
    if (problem) {
      throw new InputError(`events[${index}] '${pattern}': ${problem}`, {
        details: { errors: [{ path: `/events/${index}`, message: problem }] },
      });
    }
  });
  return [...new Set(patterns)];
}

function patternProblem(pattern: string): string | undefined {
  if (!PATTERN.test(pattern)) {
    return 'use *, entityKind.*, *.action or entityKind.action (e.g. event-type.*, schema.registered).';
  }
  if (pattern === '*') return undefined;
  const [kind, action] = pattern.split('.') as [string, string];
  if (kind !== '*' && !(webhookEntityKinds as readonly string[]).includes(kind)) {
    return `unknown entity kind '${kind}' (one of ${webhookEntityKinds.join(', ')}).`;
  }
  if (action !== '*' && !(webhookActions as readonly string[]).includes(action)) {
    return `unknown action '${action}' (one of ${webhookActions.join(', ')}).`;
  }
  return undefined;
}

/** Whether patterns select an event `entityKind.action` (the SQL trigger's rule, for callers in TypeScript). */
export function webhookMatches(patterns: readonly string[], event: string): boolean {
  const [kind, action] = event.split('.');
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === event ||
      (pattern.endsWith('.*') && pattern.slice(0, -2) === kind) ||
      (pattern.startsWith('*.') && pattern.slice(2) === action),
  );
}
