import { fail } from '../kernel';
import type { FhirRequest } from './types';

/**
 * Content negotiation (FHIR R4 http.html#mime-type, RFC 9110 §12.5.1): this server writes JSON
 * only, so a client that asks for XML or Turtle (by `_format` or `Accept`) gets 406 rather than a
 * JSON body it cannot parse. Absent `Accept`, wildcards and the JSON types are served; NDJSON is
 * what the Bulk Data file URLs answer.
 */
const SERVED = new Set([
  '*/*', 'application/*', 'application/json', 'application/fhir+json', 'application/json+fhir',
  'application/fhir+ndjson', 'application/ndjson',
]);
/** `_format` values that mean JSON (http.html#mime-type: json, application/json, application/fhir+json). */
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);

function mediaTypes(accept: string): { type: string; q: number }[] {
  return accept.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type, q: q ? Number(q.slice(2)) : 1 };
  }).filter((m) => m.type !== '');
}

/** Throws 406 unless the answer (always JSON) is acceptable to the client. */
export function requireJsonAcceptable(req: FhirRequest): void {
  for (const [name, value] of req.query) {
    if (name === '_format' && !JSON_FORMATS.has(value.trim().toLowerCase())) fail('FHIR-NOT-ACCEPTABLE', { format: `_format=${value.slice(0, 64)}` });
  }
  const accept = req.headers.accept;
  if (accept === undefined || accept.trim() === '') return;
  const acceptable = mediaTypes(accept).some((m) => m.q > 0 && SERVED.has(m.type));
  if (!acceptable) fail('FHIR-NOT-ACCEPTABLE', { format: `Accept: ${accept.slice(0, 100)}` });
}
