import { describe, expect, it } from 'vitest';
import {
  readAccessRequestForm,
  readDecisionForm,
  readIssueKeyForm,
  readKeyActionForm,
  readNewApplicationForm,
  readSignInForm,
} from './form-readers';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe('readSignInForm', () => {
  it('reads email, password and a safe next page', () => {
    expect(readSignInForm(form({ email: ' a@b.c ', password: ' secret ', next: '/me' }))).toEqual({
      ok: true,
      value: { email: 'a@b.c', password: ' secret ', next: '/me' },
    });
    expect(readSignInForm(form({ email: 'a@b.c', password: 'p', next: 'https://evil.example' }))).toMatchObject({
      value: { next: '/' },
    });
  });

  it('asks for what is missing', () => {
    expect(readSignInForm(form({ password: 'p' }))).toEqual({ ok: false, message: 'Enter your email address.' });
    expect(readSignInForm(form({ email: 'a@b.c' }))).toEqual({ ok: false, message: 'Enter your password.' });
  });
});

describe('readAccessRequestForm', () => {
  const valid = { resourceKind: 'event-type', resourceName: 'orders.order-created', action: 'read', reason: ' BI ' };

  it('reads a request', () => {
    expect(readAccessRequestForm(form(valid))).toEqual({
      ok: true,
      value: { resourceKind: 'event-type', resourceName: 'orders.order-created', action: 'read', reason: 'BI' },
    });
  });

  it.each([
    [{ resourceKind: 'all' }, /does not name a resource/],
    [{ resourceName: ' ' }, /does not name a resource/],
    [{ action: 'admin' }, /Choose the access/],
    [{ reason: '   ' }, /Say why/],
    [{ reason: 'x'.repeat(2001) }, /under 2000/],
  ])('refuses %o', (change, message) => {
    const result = readAccessRequestForm(form({ ...valid, ...change }));
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(message);
  });
});

describe('readDecisionForm', () => {
  it('reads the button pressed and the note', () => {
    expect(readDecisionForm(form({ id: 'r1', decision: 'approve', note: ' ok ' }))).toEqual({
      ok: true,
      value: { id: 'r1', approve: true, note: 'ok' },
    });
    expect(readDecisionForm(form({ id: 'r1', decision: 'reject' }))).toEqual({
      ok: true,
      value: { id: 'r1', approve: false, note: '' },
    });
  });

  it('refuses a form without a request or a decision', () => {
    expect(readDecisionForm(form({ decision: 'approve' })).ok).toBe(false);
    expect(readDecisionForm(form({ id: 'r1', decision: 'maybe' })).ok).toBe(false);
  });
});

describe('application and key forms', () => {
  it('reads a new application, refusing names the gateway would refuse', () => {
    expect(readNewApplicationForm(form({ name: ' billing-exporter ', ownerTeam: 'team-a', description: '' }))).toEqual({
      ok: true,
      value: { name: 'billing-exporter', ownerTeam: 'team-a' },
    });
    expect(readNewApplicationForm(form({ name: 'Billing Exporter', ownerTeam: 'team-a' }))).toMatchObject({
      ok: false,
    });
    expect(readNewApplicationForm(form({ name: 'ok', ownerTeam: '' }))).toEqual({
      ok: false,
      message: 'Choose the team that owns the application.',
    });
  });

  it('turns a key lifetime into an expiry date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(readIssueKeyForm(form({ application: 'app', name: 'prod', lifetime: '30' }), now)).toEqual({
      ok: true,
      value: { application: 'app', name: 'prod', expiresAt: '2026-01-31T00:00:00.000Z' },
    });
    expect(readIssueKeyForm(form({ application: 'app', name: 'prod' }), now)).toEqual({
      ok: true,
      value: { application: 'app', name: 'prod' },
    });
    expect(readIssueKeyForm(form({ application: 'app', name: '', lifetime: 'never' }), now)).toMatchObject({
      ok: false,
    });
    expect(readIssueKeyForm(form({ application: 'app', name: 'x', lifetime: '7' }), now)).toMatchObject({ ok: false });
  });

  it('reads a key action with one of the offered grace periods', () => {
    expect(readKeyActionForm(form({ application: 'app', keyId: 'mgk_x', graceSeconds: '3600' }))).toEqual({
      ok: true,
      value: { application: 'app', keyId: 'mgk_x', graceSeconds: 3600 },
    });
    expect(readKeyActionForm(form({ application: 'app', keyId: 'mgk_x' }))).toMatchObject({ ok: true });
    expect(readKeyActionForm(form({ application: 'app', keyId: 'mgk_x', graceSeconds: '5' }))).toMatchObject({
      ok: false,
    });
    expect(readKeyActionForm(form({ application: '', keyId: 'mgk_x' }))).toMatchObject({ ok: false });
  });
});
