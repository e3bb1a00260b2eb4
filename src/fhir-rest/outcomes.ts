import type { OperationOutcome } from 'fhir/r4';

/**
 * Success outcomes carry their HTTP status in `id`, as Medplum's do (allok, created, accepted), so a
 * handler's result says everything the HTTP edge needs without the handler knowing HTTP.
 */
function outcome(id: string, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', id, issue: [{ severity: 'information', code: 'informational', diagnostics: text }] };
}

export const allOk = outcome('allok', 'All OK');
export const created = outcome('created', 'Created');
export const accepted = outcome('accepted', 'Accepted');
/** The handler answers 400 with an OperationOutcome body of its own ($validate parameters it cannot read). */
export const badRequest = outcome('bad-request', 'Bad Request');

const STATUS: Record<string, number> = { allok: 200, created: 201, accepted: 202, 'bad-request': 400 };

export function statusOf(o: OperationOutcome): number {
  return STATUS[o.id ?? ''] ?? 200;
}

/** The status line of a Bundle entry response (http.html#transaction-response). */
export function statusLine(status: number): string {
  const text: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 403: 'Forbidden', 405: 'Method Not Allowed', 410: 'Gone', 412: 'Precondition Failed', 422: 'Unprocessable Entity', 500: 'Internal Server Error' };
  return `${status} ${text[status] ?? ''}`.trim();
}
