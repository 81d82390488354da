import { describe, expect, it } from 'vitest';
import type { ChangeEntry } from './gateway-catalog';
import { summarizeChange } from './change-summary';

const entry = (change: Partial<ChangeEntry>): ChangeEntry => ({
  id: '1',
  at: '2026-11-24T01:00:00.000Z',
  entityKind: 'event-type',
  entityName: 'orders.order-created',
  action: 'updated',
  actor: { kind: 'user', id: 'u1', name: 'ada@example.com' },
  before: null,
  after: null,
  ...change,
});

describe('summarizeChange', () => {
  it('names a registered schema version and its id', () => {
    const summary = summarizeChange(
      entry({ entityKind: 'schema', action: 'registered', after: { version: 2, id: 4, subject: 's' } }),
    );
    expect(summary).toEqual({ headline: 'Schema version 2 (id 4) registered', fields: [] });
  });

  it('lists changed fields, with old and new values for short ones, and ignores timestamps', () => {
    const summary = summarizeChange(
      entry({
        before: { version: '1.0.0', tags: [], summary: 'a', updatedAt: 'x', owner: 't' },
        after: { version: '2.0.0', tags: ['orders'], summary: 'a', updatedAt: 'y', owner: 't' },
      }),
    );
    expect(summary).toEqual({
      headline: 'Updated',
      fields: [
        { field: 'tags', detail: null },
        { field: 'version', detail: '1.0.0 → 2.0.0' },
      ],
    });
  });

  it('reads lifecycle moves and says when nothing visible changed', () => {
    expect(
      summarizeChange(
        entry({
          action: 'lifecycle',
          before: { lifecycle: 'active', lifecycleNote: null },
          after: { lifecycle: 'deprecated', lifecycleNote: 'Use v2' },
        }),
      ),
    ).toEqual({ headline: 'Lifecycle active → deprecated', fields: [{ field: 'lifecycleNote', detail: null }] });
    expect(summarizeChange(entry({ before: { a: 1 }, after: { a: 1 } })).headline).toBe('Updated (no visible change)');
    expect(summarizeChange(entry({ action: 'created' })).headline).toBe('Created');
  });
});
