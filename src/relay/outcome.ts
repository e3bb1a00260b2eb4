import type { OperationOutcome } from 'fhir/r4';
import { issue, operationOutcome, type ErrorCode, type Params } from '../kernel';
import type { ApiResult } from './national-platform';

/** What became of one delivery attempt. */
export type DeliveryResult =
  | { kind: 'delivered'; ids: Record<string, string> }
  /** A newer version of the submission is queued; it carries the current state. */
  | { kind: 'superseded' }
  /** Try again later. `upstream`: the platform misbehaved (counts for the circuit breaker). */
  | { kind: 'retry'; error: string; upstream: boolean; retryAfterMs?: number; ids?: Record<string, string> }
  /** The platform refused the content: its OperationOutcome, kept for the vendor. */
  | { kind: 'rejected'; outcome: OperationOutcome }
  /** Cannot proceed without a person acting (credentials, patient unknown): our own OperationOutcome. */
  | { kind: 'failed'; outcome: OperationOutcome };

export function failed(code: ErrorCode, params: Params = {}): DeliveryResult {
  return { kind: 'failed', outcome: operationOutcome([issue(code, params)]) };
}

function isOutcome(body: unknown): body is OperationOutcome {
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
 * Any answer that is not the hoped-for success: network errors, 408, 429 and 5xx are transient;
 * a refused token is permanent for these credentials unless it is the lock-out (429); other 4xx
 * mean the platform refused the content.
 */
export function problem(result: ApiResult, organizationId: string): DeliveryResult {
  if (result.kind === 'network') return { kind: 'retry', error: result.error, upstream: true };
  if (result.kind === 'auth') {
    if (result.permanent) return failed('RELAY-AUTH-REJECTED', { organizationId, detail: result.error });
    return { kind: 'retry', error: result.error, upstream: true, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
  }
  const { status } = result;
  if (status === 408 || status === 429 || status >= 500 || status === 401) {
    const text = typeof result.body === 'string' ? result.body : '';
    return { kind: 'retry', error: `HTTP ${status} ${text}`.trim(), upstream: true, ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) };
  }
  return { kind: 'rejected', outcome: nationalOutcome(status, result.body) };
}
