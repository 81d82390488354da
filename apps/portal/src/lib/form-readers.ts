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
