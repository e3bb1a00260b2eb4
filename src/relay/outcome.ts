import type { OperationOutcome } from 'fhir/r4';
import { issue, operationOutcome, type ErrorCode, type Params } from '../kernel';
import type { ApiResult } from './national-platform';

/** What became of one delivery attempt. */
export type DeliveryResult =
  | { kind: 'delivered'; ids: Record<string, string> }
  /** A newer version of the submission is queued; it carries the current state. */
  | { kind: 'superseded' }
  /**
   * Try again later. `upstream`: the platform misbehaved (counts for the circuit breaker).
   * `transient`: an outage, rate limit or lock-out, bounded by age (RELAY_MAX_RETRY_HOURS), not by
   * RELAY_MAX_ATTEMPTS.
   */
  | { kind: 'retry'; error: string; upstream: boolean; transient?: boolean; retryAfterMs?: number; ids?: Record<string, string> }
  /**
   * The organisation's credentials are missing or refused: a configuration problem, not a verdict
   * on this visit. The organisation's relay is paused (relay_pause, admin API) and the item stays
   * pending without using an attempt.
   */
  | { kind: 'paused'; reason: string }
  /** The platform refused the content: its OperationOutcome, kept for the vendor. */
  | { kind: 'rejected'; outcome: OperationOutcome }
  /** Cannot proceed without a person acting (credentials, patient unknown): our own OperationOutcome. */
  | { kind: 'failed'; outcome: OperationOutcome };

export function failed(code: ErrorCode, params: Params = {}): DeliveryResult {
  return { kind: 'failed', outcome: operationOutcome([issue(code, params)]) };
}

export function isOutcome(body: unknown): body is OperationOutcome {
  return typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}

/** The national answer as an OperationOutcome (Apigee faults and plain text are wrapped). */
export function nationalOutcome(status: number, body: unknown): OperationOutcome {
  if (isOutcome(body)) return body;
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: `HTTP ${status}: ${text.slice(0, 1000)}` }] };
}

/** True when the platform's 400 says "Found duplicate resource" (RuleNumber 20002, satusehat-api.md §5.3). */
export function isDuplicate(result: ApiResult): boolean {
  return result.kind === 'response' && result.status === 400 && isOutcome(result.body) && result.body.issue.some((i) => i.code === 'duplicate');
}

/**
 * Any answer that is not the hoped-for success. `rejected` only when the platform answered 4xx with
 * an OperationOutcome: the FHIR processor's verdict on the data. A refused token pauses the
 * organisation (its credentials need a person); the token lock-out (§1.3), no answer, 408, 429,
 * 5xx, a 401 left after a fresh token, and a 4xx without an OperationOutcome (a proxy, a wrong URL,
 * an Apigee policy) are transient.
 */
export function problem(result: ApiResult, organizationId: string): DeliveryResult {
  if (result.kind === 'network') return { kind: 'retry', error: result.error, upstream: true, transient: true };
  if (result.kind === 'auth') {
    if (result.permanent) return { kind: 'paused', reason: `national platform refused the credentials of organization ${organizationId}: ${result.error}` };
    // Not for the breaker: one organisation's lock-out must not stop the others.
    return { kind: 'retry', error: result.error, upstream: false, transient: true, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
  }
  const { status } = result;
  if (status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429 && isOutcome(result.body)) {
    return { kind: 'rejected', outcome: result.body };
  }
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body ?? '').slice(0, 300);
  return { kind: 'retry', error: `HTTP ${status} ${text}`.trim(), upstream: true, transient: true, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
}
