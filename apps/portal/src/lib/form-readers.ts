import { REQUESTABLE_ACTIONS, type RequestableAction } from './access-actions';
import type { AccessRequestInput, RequestableResourceKind } from './gateway-client';
import { safeNextPath } from './sign-in-path';

/** A form read into a value, or the one message that tells the person what to fix. */
export type FormResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Longest reason or note the gateway takes. */
export const MAX_REASON_LENGTH = 2000;

const RESOURCE_KINDS: readonly RequestableResourceKind[] = ['event-type', 'domain', 'subject'];

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** The sign-in form: email, password and the page to come back to. */
export function readSignInForm(form: FormData): FormResult<{ email: string; password: string; next: string }> {
  const email = text(form, 'email').trim();
  const password = text(form, 'password');
  const next = safeNextPath(text(form, 'next'));
  if (!email) return { ok: false, message: 'Enter your email address.' };
  if (!password) return { ok: false, message: 'Enter your password.' };
  return { ok: true, value: { email, password, next } };
}

/** The request-access form: which resource, which access, and why. */
export function readAccessRequestForm(form: FormData): FormResult<AccessRequestInput> {
  const resourceKind = text(form, 'resourceKind') as RequestableResourceKind;
  const resourceName = text(form, 'resourceName').trim();
  const action = text(form, 'action') as RequestableAction;
  const reason = text(form, 'reason').trim();
  if (!RESOURCE_KINDS.includes(resourceKind) || !resourceName || resourceName.length > 300) {
    return { ok: false, message: 'The form does not name a resource; reload the page and try again.' };
  }
  if (!REQUESTABLE_ACTIONS.includes(action)) return { ok: false, message: 'Choose the access you need.' };
  if (!reason) return { ok: false, message: 'Say why you need access: the people who decide will read it.' };
  if (reason.length > MAX_REASON_LENGTH) {
    return { ok: false, message: `Keep the reason under ${MAX_REASON_LENGTH} characters.` };
  }
  return { ok: true, value: { resourceKind, resourceName, action, reason } };
}

/** The decision form of an access request: approve or reject (the button pressed), with an optional note. */
export function readDecisionForm(form: FormData): FormResult<{ id: string; approve: boolean; note: string }> {
  const id = text(form, 'id').trim();
  const decision = text(form, 'decision');
  const note = text(form, 'note').trim();
  if (!id) return { ok: false, message: 'The form does not name a request; reload the page and try again.' };
  if (decision !== 'approve' && decision !== 'reject') return { ok: false, message: 'Choose Approve or Reject.' };
  if (note.length > MAX_REASON_LENGTH) {
    return { ok: false, message: `Keep the note under ${MAX_REASON_LENGTH} characters.` };
  }
  return { ok: true, value: { id, approve: decision === 'approve', note } };
}

/** Application names the gateway takes: 1–63 of a–z, 0–9, `.`, `_`, `-`, starting with a letter or digit. */
const APPLICATION_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Key lifetimes the issue form offers, in days (`never`: no expiry). */
export const KEY_LIFETIMES = ['never', '30', '90', '365'] as const;

/** Grace periods the rotate form offers, in seconds. */
export const ROTATION_GRACE_SECONDS = [0, 3600, 86_400, 604_800] as const;

/** The new-application form: name, owning team (one of the person's), optional description. */
export function readNewApplicationForm(
  form: FormData,
): FormResult<{ name: string; ownerTeam: string; description?: string }> {
  const name = text(form, 'name').trim();
  const ownerTeam = text(form, 'ownerTeam').trim();
  const description = text(form, 'description').trim();
  if (!APPLICATION_NAME.test(name)) {
    return {
      ok: false,
      message: "Name the application with 1–63 lower-case letters, digits, '.', '_' or '-' (e.g. billing-exporter).",
    };
  }
  if (!ownerTeam) return { ok: false, message: 'Choose the team that owns the application.' };
  if (description.length > MAX_REASON_LENGTH) {
    return { ok: false, message: `Keep the description under ${MAX_REASON_LENGTH} characters.` };
  }
  return { ok: true, value: { name, ownerTeam, ...(description ? { description } : {}) } };
}

/** The issue-key form: which application, the key's name, and how long it lives (from `now`). */
export function readIssueKeyForm(
  form: FormData,
  now = new Date(),
): FormResult<{ application: string; name: string; expiresAt?: string }> {
  const application = text(form, 'application').trim();
  const name = text(form, 'name').trim();
  const lifetime = text(form, 'lifetime') || 'never';
  if (!application) return { ok: false, message: 'The form does not name an application; reload the page.' };
  if (!name || name.length > 100)
    return { ok: false, message: 'Name the key (up to 100 characters), e.g. production.' };
  if (!(KEY_LIFETIMES as readonly string[]).includes(lifetime))
    return { ok: false, message: 'Choose how long the key lives.' };
  if (lifetime === 'never') return { ok: true, value: { application, name } };
  const expiresAt = new Date(now.getTime() + Number(lifetime) * 86_400_000).toISOString();
  return { ok: true, value: { application, name, expiresAt } };
}

/** The rotate and revoke forms of one key: which application and key, and (rotate) the grace period. */
export function readKeyActionForm(
  form: FormData,
): FormResult<{ application: string; keyId: string; graceSeconds: number }> {
  const application = text(form, 'application').trim();
  const keyId = text(form, 'keyId').trim();
  const graceSeconds = Number(text(form, 'graceSeconds') || '0');
  if (!application || !keyId) return { ok: false, message: 'The form does not name a key; reload the page.' };
  if (!(ROTATION_GRACE_SECONDS as readonly number[]).includes(graceSeconds)) {
    return { ok: false, message: 'Choose how long the old key keeps working.' };
  }
  return { ok: true, value: { application, keyId, graceSeconds } };
}
