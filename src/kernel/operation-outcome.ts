import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/** FHIR issue severities and the subset of IssueType codes the gateway uses. */
export type Severity = 'fatal' | 'error' | 'warning' | 'information';
export type IssueType =
  | 'invalid' | 'structure' | 'required' | 'value' | 'invariant' | 'security' | 'login' | 'forbidden'
  | 'processing' | 'not-supported' | 'duplicate' | 'not-found' | 'too-costly' | 'business-rule'
  | 'conflict' | 'transient' | 'exception' | 'timeout' | 'informational' | 'code-invalid' | 'too-long' | 'throttled';

/** A localised message: English is the default text; Bahasa Indonesia travels in details.text. */
export interface Message {
  en: string;
  id?: string;
}

export interface Issue {
  severity: Severity;
  code: IssueType;
  message: Message;
  /** FHIRPath-style location, e.g. `screenings[1].items[0].value` or `Observation.valueQuantity.value`. */
  expression?: string;
  /** Stable machine-readable code from the error catalogue (e.g. ILP-NIK-INVALID). */
  errorCode?: string;
}

const ERROR_CODE_SYSTEM = 'https://ilp-gateway.github.io/fhir/CodeSystem/ilp-error';

export function toFhirIssue(issue: Issue): OperationOutcomeIssue {
  const out: OperationOutcomeIssue = {
    severity: issue.severity,
    code: issue.code,
    diagnostics: issue.message.en,
  };
  if (issue.message.id || issue.errorCode) {
    out.details = {};
    if (issue.errorCode) out.details.coding = [{ system: ERROR_CODE_SYSTEM, code: issue.errorCode }];
    if (issue.message.id) out.details.text = issue.message.id;
  }
  if (issue.expression) out.expression = [issue.expression];
  return out;
}

export function operationOutcome(issues: readonly Issue[]): OperationOutcome {
  const list = issues.length > 0 ? issues : [allOk];
  return { resourceType: 'OperationOutcome', issue: list.map(toFhirIssue) };
}

const allOk: Issue = {
  severity: 'information',
  code: 'informational',
  message: { en: 'All OK', id: 'Semua baik' },
};

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
}

/**
 * The only exception type domain code throws. The HTTP edge turns it into an
 * OperationOutcome with `status`.
 */
export class OperationOutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly issues: readonly Issue[],
    /** Response headers the status needs (Allow on 405, Retry-After on 429, RFC 9110 §15.5.6, RFC 6585 §4). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(issues.map((i) => i.message.en).join('; '));
    this.name = 'OperationOutcomeError';
  }
}
