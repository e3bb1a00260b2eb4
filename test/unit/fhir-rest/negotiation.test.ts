import { requireJsonAcceptable } from '../../../src/fhir-rest/negotiation';
import type { FhirRequest } from '../../../src/fhir-rest/types';

/** FHIR R4 http.html#mime-type: JSON is served, XML and Turtle are 406. */
const req = (accept: string | undefined, query: [string, string][] = []): FhirRequest => ({ method: 'GET', path: '/metadata', query, headers: { accept }, body: undefined, baseUrl: 'http://x/fhir' });

test.each([undefined, '', '*/*', 'application/json', 'application/fhir+json', 'application/json+fhir', 'application/fhir+ndjson',
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/fhir+xml;q=0.9, application/fhir+json'])('Accept %p is served', (accept) => {
  expect(() => requireJsonAcceptable(req(accept))).not.toThrow();
});

test.each(['application/fhir+xml', 'application/xml', 'text/turtle', 'application/json;q=0, application/fhir+xml'])('Accept %p is 406', (accept) => {
  expect(() => requireJsonAcceptable(req(accept))).toThrow(expect.objectContaining({ status: 406 }));
});

test('_format: json forms are served, xml and ttl are 406 whatever Accept says', () => {
  for (const f of ['json', 'application/json', 'application/fhir+json']) expect(() => requireJsonAcceptable(req(undefined, [['_format', f]]))).not.toThrow();
  for (const f of ['xml', 'application/fhir+xml', 'ttl']) expect(() => requireJsonAcceptable(req('*/*', [['_format', f]]))).toThrow(expect.objectContaining({ status: 406 }));
});
