import { InputError } from '@meshgate/core';
import type { ValidationIssue } from '@meshgate/registry/validator-cache';

/** One event's validation problem in a batch. */
export interface BatchValidationIssue extends ValidationIssue {
  /** Position of the event in the request (0 for a single event). */
  index: number;
}

/** Most validation issues reported in one error response; the count says how many events failed. */
export const MAX_REPORTED_ISSUES = 500;

/** Gathers the validation issues of a batch's events, up to {@link MAX_REPORTED_ISSUES}. */
export class BatchIssues {
  /** Events with at least one issue. */
  invalid = 0;
  readonly errors: BatchValidationIssue[] = [];

  /** Notes the issues of event `index` (none: the event is valid). */
  add(index: number, issues: readonly ValidationIssue[]): void {
    if (issues.length === 0) return;
    this.invalid++;
    for (const issue of issues) if (this.errors.length < MAX_REPORTED_ISSUES) this.errors.push({ index, ...issue });
  }
}

/**
 * The EVENT_VALIDATION_FAILED error for a request of `events` events, `invalid` of which do not
 * match schema `schemaId`, with the issues found (at most {@link MAX_REPORTED_ISSUES}).
 */
export function validationFailure(
  schemaId: number,
  events: number,
  invalid: number,
  errors: readonly BatchValidationIssue[],
): InputError {
  const what =
    events === 1
      ? `The event does not match schema ${schemaId}: ${errors.length} problem(s).`
      : `${invalid} of ${events} events do not match schema ${schemaId}; nothing was appended.`;
  return new InputError(what, {
    code: 'EVENT_VALIDATION_FAILED',
    details: {
      schemaId,
      invalidEvents: invalid,
      errors,
      ...(errors.length >= MAX_REPORTED_ISSUES ? { truncated: true } : {}),
    },
  });
}
