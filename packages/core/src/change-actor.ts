/**
 * Who made a change to the catalog or the registry, as the change history records it: a
 * user or application (by id and display name), or Meshgate itself (`system`: seeds, imports
 * run at start-up, migrations).
 */
export interface ChangeActor {
  kind: 'user' | 'application' | 'system';
  id: string | null;
  name: string | null;
}

/** The actor of changes Meshgate makes by itself (the demo seed, tests, tools without a caller). */
export const SYSTEM_ACTOR: ChangeActor = Object.freeze({ kind: 'system', id: null, name: 'meshgate' });
