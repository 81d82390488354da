import type { VersionedIncompatibility } from './compat';

/**
 * Incompatibilities read from the `messages` of a verbose compatibility answer, for registries
 * without Meshgate's structured `incompatibilities` (Confluent, Karapace). Confluent writes
 * `{errorType:'…', description:'…', additionalInfo:'…'}` per problem, then `{oldSchemaVersion: N}`
 * and `{compatibility: 'LEVEL'}` lines for the version they concern; other lines are kept as they are.
 */
export function incompatibilitiesFromMessages(messages: readonly string[]): {
  incompatibilities: VersionedIncompatibility[];
  level?: string;
} {
  const incompatibilities: VersionedIncompatibility[] = [];
  let pending: VersionedIncompatibility[] = [];
  let level: string | undefined;
  for (const message of messages) {
    const version = /^\{oldSchemaVersion: ?(\d+)\}$/.exec(message)?.[1];
    if (version !== undefined) {
      for (const issue of pending) issue.version = Number(version);
      pending = [];
      continue;
    }
    if (/^\{oldSchema: /.test(message)) continue;
    const compatibility = /compatibility: ?'([A-Z_]+)'/.exec(message)?.[1];
    if (compatibility !== undefined && !message.includes('errorType:')) {
      level = compatibility;
      continue;
    }
    const issue = parseMessage(message);
    incompatibilities.push(issue);
    pending.push(issue);
  }
  return { incompatibilities, level };
}

function field(message: string, name: string): string | undefined {
  return new RegExp(`${name}:'(.*?)'(?=, ?\\w+:|\\}$)`).exec(message)?.[1];
}

function parseMessage(message: string): VersionedIncompatibility {
  const description = field(message, 'description');
  const path = field(message, 'path') ?? (description && /at path '([^']+)'/.exec(description)?.[1]);
  const direction = field(message, 'direction');
  return {
    path: path ?? '',
    rule: field(message, 'errorType') ?? 'INCOMPATIBLE',
    message: description ?? message,
    fix: field(message, 'fix') ?? '',
    direction: direction === 'FORWARD' ? 'FORWARD' : 'BACKWARD',
  };
}
