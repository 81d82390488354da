/** Actions a person may ask for (`admin` is never requested). */
export const REQUESTABLE_ACTIONS = ['read', 'produce', 'register-schema', 'manage-catalog'] as const;

/** One of {@link REQUESTABLE_ACTIONS}. */
export type RequestableAction = (typeof REQUESTABLE_ACTIONS)[number];

const ACTION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  read: 'Read: stream and fetch events',
  produce: 'Produce: publish events',
  'register-schema': 'Register schemas: publish new schema versions',
  'manage-catalog': 'Manage the catalog entry: change or delete the event type',
  admin: 'Administer: everything',
};

/** What an action allows, in words for the request-access form and the grants table. */
export function describeAction(action: string): string {
  return ACTION_DESCRIPTIONS[action] ?? action;
}
