import type { OperationOutcome } from 'fhir/r4';
import type { AttemptEndpoint, AttemptIssue, IntakeAttemptInput } from '../store/ops-ports';
import { maskPersonalData, scrubText } from './mask';

/**
 * What a refused intake request leaves behind (issue 11 item 3): who, for which organisation, where,
 * the codes and elements of the OperationOutcome it was answered with, and the payload with
 * personal data masked and size-capped. Pure: the HTTP hook (src/api/intake-attempts.middleware.ts)
 * gathers the facts once the answer has been sent.
 */
export interface AttemptFacts {
  endpoint: AttemptEndpoint;
  status: number;
  /** The answer body (an OperationOutcome for every 4xx). */
  answer: unknown;
  /** The parsed request body; undefined when it could not be read (malformed JSON, too large). */
  body?: unknown;
  /** Declared size of the request body, to skip masking what could never be kept. */
  bodyBytes?: number;
  clientId?: string;
  organizationId?: string;
  line?: number;
  at: string;
  /** Largest masked payload kept (bytes of JSON); 0 keeps none. */
  payloadMaxBytes: number;
}

const MAX_ISSUES = 100;

/** The statuses recorded: refusals of the content or of the writer, not of the caller's identity or rate. */
export function isRecordedRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 401 && status !== 429;
}

/** NUL and surrogates (jsonb refuses NUL and lone ones; a paired one in a diagnostic is no loss). */
const UNSTORABLE = new RegExp(`[${String.fromCharCode(0)}\uD800-\uDFFF]`, 'g');

export function issuesOf(answer: unknown): AttemptIssue[] {
  const oo = answer as Partial<OperationOutcome> | null;
  if (!oo || oo.resourceType !== 'OperationOutcome' || !Array.isArray(oo.issue)) return [];
  return oo.issue.slice(0, MAX_ISSUES).map((i) => {
    const errorCode = i.details?.coding?.find((c) => typeof c.code === 'string')?.code;
    const expression = Array.isArray(i.expression) ? i.expression[0] : undefined;
    return {
      severity: String(i.severity), code: String(i.code),
      ...(errorCode ? { errorCode } : {}),
      ...(typeof expression === 'string' ? { expression: expression.slice(0, 300).replace(UNSTORABLE, '\uFFFD') } : {}),
      ...(typeof i.diagnostics === 'string' ? { diagnostics: scrubText(i.diagnostics).replace(UNSTORABLE, '\uFFFD') } : {}),
    };
  });
}

const INVALID_ESCAPE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

function keptPayload(facts: AttemptFacts): Pick<IntakeAttemptInput, 'payload' | 'payloadBytes'> {
  if (facts.body === undefined) return facts.bodyBytes ? { payloadBytes: facts.bodyBytes } : {};
  // Masking a body many times the cap only to drop it would spend CPU on the refused path for nothing.
  if (facts.payloadMaxBytes === 0 || (facts.bodyBytes ?? 0) > 4 * facts.payloadMaxBytes) return facts.bodyBytes ? { payloadBytes: facts.bodyBytes } : {};
  const masked = maskPersonalData(facts.body);
  const text = JSON.stringify(masked) ?? '';
  const bytes = Buffer.byteLength(text, 'utf8');
  // jsonb refuses NUL and lone surrogates (JSON.stringify writes them as \u0000 / \udxxx escapes):
  // such a payload, refused for exactly that, would sink the whole batch of other clients' attempts.
  // Keep its size only.
  if (INVALID_ESCAPE.test(text)) return { payloadBytes: bytes };
  return bytes <= facts.payloadMaxBytes ? { payload: masked, payloadBytes: bytes } : { payloadBytes: bytes };
}

export function attemptFrom(facts: AttemptFacts): IntakeAttemptInput {
  return {
    at: facts.at, endpoint: facts.endpoint, status: facts.status, issues: issuesOf(facts.answer),
    ...(facts.clientId ? { clientId: facts.clientId } : {}),
    ...(facts.organizationId ? { organizationId: facts.organizationId } : {}),
    ...(facts.line !== undefined ? { line: facts.line } : {}),
    ...keptPayload(facts),
  };
}

const ORG = /^\d{6,12}$/;

/** The organisation a request names (ILP organizationId, X-Organization-Id, a FHIR Encounter's serviceProvider). */
export function namedOrganization(body: unknown, header: string | undefined): string | undefined {
  const b = body as { organizationId?: unknown; entry?: unknown } | null | undefined;
  if (typeof b?.organizationId === 'string' && ORG.test(b.organizationId)) return b.organizationId;
  if (header && ORG.test(header)) return header;
  if (!Array.isArray(b?.entry)) return undefined;
  for (const e of b.entry.slice(0, 1000) as { resource?: { resourceType?: unknown; serviceProvider?: { reference?: unknown } } }[]) {
    const ref = e?.resource?.resourceType === 'Encounter' ? e.resource.serviceProvider?.reference : undefined;
    const id = typeof ref === 'string' && ref.startsWith('Organization/') ? ref.slice('Organization/'.length) : undefined;
    if (id && ORG.test(id)) return id;
  }
  return undefined;
}
