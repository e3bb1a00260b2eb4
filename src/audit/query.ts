import { searchParam } from '../fhir/search-parameters';

/**
 * The query of a search or export as AuditEvent.entity.query may hold it (auditevent.html: the
 * query parameters, base64). Values that could identify a person (identifier = NIK, names, phone
 * and e-mail, addresses, free text, `:identifier` references) are replaced by `[redacted]`; what
 * is kept is an allow-list: result parameters, and search parameters whose values are codes, dates,
 * numbers or references (`Patient/id`: opaque ids, the same ones the entities name). A NIK typed
 * into any other parameter is never stored. Decision: docs/decisions/0012-audit-trail.md.
 */
export const REDACTED = '[redacted]';

const RESULT_PARAMS = new Set(['_count', '_offset', '_sort', '_total', '_summary', '_include', '_revinclude', '_format', '_pretty', '_id', '_lastUpdated', '_type', '_since', '_outputFormat']);
/** AuditEvent's own parameters (GET /fhir/AuditEvent): client ids, references, codes, dates. */
const AUDIT_PARAMS = new Set(['date', 'altid', 'entity', 'patient', 'subtype', 'outcome']);
/** Token parameters whose values are a person's identifiers or contact points. */
const PERSONAL_TOKENS = new Set(['identifier', 'telecom', 'phone', 'email']);
const SAFE_KINDS = new Set(['date', 'number', 'quantity', 'reference', 'token', 'uri']);

type Verdict = 'keep' | 'redact-value' | 'redact-all';

/** Unknown parameter names are redacted too: a name is caller-typed text like any value. */
function verdict(resourceType: string | undefined, name: string): Verdict {
  const [base = '', modifier] = name.split(':');
  const known = RESULT_PARAMS.has(base) || (resourceType === 'AuditEvent' ? AUDIT_PARAMS.has(base) : !!(resourceType && searchParam(resourceType, base)));
  if (!known || name.split(':').length > 2 || (modifier !== undefined && !/^[A-Za-z]{1,32}$/.test(modifier))) return 'redact-all';
  if (modifier === 'identifier' || modifier === 'text' || modifier === 'contains' || modifier === 'exact') return 'redact-value';
  if (RESULT_PARAMS.has(base) || resourceType === 'AuditEvent') return 'keep';
  const param = searchParam(resourceType ?? '', base);
  return param && SAFE_KINDS.has(param.type) && !PERSONAL_TOKENS.has(base) ? 'keep' : 'redact-value';
}

/** `_typeFilter=Observation?code=…&subject:identifier=…`: the inner query is redacted by the same rule. */
function typeFilter(value: string): string {
  const q = value.indexOf('?');
  if (q < 0) return value;
  const type = value.slice(0, q);
  return `${type}?${redactQuery(type, [...new URLSearchParams(value.slice(q + 1))])}`;
}

/** The query string to record (form-encoded), with every value outside the allow-list redacted. */
export function redactQuery(resourceType: string | undefined, pairs: readonly (readonly [string, string])[]): string {
  const out = new URLSearchParams();
  for (const [name, value] of pairs) {
    if (name === '_typeFilter') out.append(name, typeFilter(value));
    else {
      const v = verdict(resourceType, name);
      out.append(v === 'redact-all' ? REDACTED : name, v === 'keep' ? value : REDACTED);
    }
  }
  return out.toString();
}
