import { OperationOutcomeError } from '../../../src/kernel';
import { parseSearch } from '../../../src/fhir/search-request';

/** Query strings → search requests (FHIR R4 search.html); every refusal is a coded OperationOutcome. */
const parse = (type: string, query: string) => parseSearch(type, [...new URLSearchParams(query)]);

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err.issues[0]?.errorCode;
    throw err;
  }
  return undefined;
}

describe('parseSearch', () => {
  test('tokens: system|code, code, system|, |code, :not; comma ORs, \\, is a literal comma', () => {
    expect(parse('Observation', 'code=http://loinc.org|8480-6,8462-4&status:not=cancelled&category=a\\,b').filters).toEqual([
      { kind: 'token', code: 'code', not: false, values: [{ system: 'http://loinc.org', code: '8480-6' }, { code: '8462-4' }] },
      { kind: 'token', code: 'status', not: true, values: [{ code: 'cancelled' }] },
      { kind: 'token', code: 'category', not: false, values: [{ code: 'a,b' }] },
    ]);
    expect(parse('Patient', 'identifier=http://nik|').filters).toEqual([{ kind: 'token', code: 'identifier', not: false, values: [{ system: 'http://nik' }] }]);
    expect(parse('Patient', 'identifier=|123').filters).toEqual([{ kind: 'token', code: 'identifier', not: false, values: [{ system: '', code: '123' }] }]);
  });

  test.each([
    ['2024-07', 'eq', '2024-07-01T00:00:00.000Z', '2024-08-01T00:00:00.000Z'],
    ['ge2024-07-29', 'ge', '2024-07-29T00:00:00.000Z', '2024-07-30T00:00:00.000Z'],
    ['sa2024', 'sa', '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['ap2024-07-29T08:00:00+07:00', 'ap', '2024-07-29T01:00:00.000Z', '2024-07-29T01:00:01.000Z'],
  ])('date %s → %s [%s, %s)', (value, prefix, low, high) => {
    expect(parse('Encounter', `date=${encodeURIComponent(value)}`).filters).toEqual([{ kind: 'date', code: 'date', ranges: [{ prefix, low, high }] }]);
  });

  test('quantities carry the precision interval, system and unit', () => {
    expect(parse('Observation', 'value-quantity=gt140.5|http://unitsofmeasure.org|mm[Hg]').filters).toEqual([
      { kind: 'quantity', code: 'value-quantity', values: [{ prefix: 'gt', low: '140.45', high: '140.55', system: 'http://unitsofmeasure.org', unit: 'mm[Hg]' }] },
    ]);
  });

  test('references: Type/id, id, :Type, absolute URL', () => {
    expect(parse('Observation', 'subject=Patient/p1&encounter=e1&patient:Patient=p2&subject=https://x/fhir/Patient/p3').filters.map((f) => f.kind === 'reference' && f.values)).toEqual([
      [{ type: 'Patient', id: 'p1' }], [{ id: 'e1' }], [{ type: 'Patient', id: 'p2' }], [{ type: 'Patient', id: 'p3' }],
    ]);
  });

  test('strings are normalised unless :exact; :missing on any type', () => {
    expect(parse('Patient', 'name=Sári&name:exact=Sári&family:contains=Dé&birthdate:missing=true').filters).toEqual([
      { kind: 'string', code: 'name', mode: 'start', values: ['sari'] },
      { kind: 'string', code: 'name', mode: 'exact', values: ['Sári'] },
      { kind: 'string', code: 'family', mode: 'contains', values: ['de'] },
      { kind: 'missing', table: 'date', code: 'birthdate', missing: true },
    ]);
  });

  test('result parameters: _count (default 20, capped at 1000), _offset, _sort, _total, _summary, _include', () => {
    expect(parse('Observation', '')).toMatchObject({ count: 20, offset: 0, total: 'none', summaryCount: false, sort: [] });
    const r = parse('Observation', '_count=5000&_offset=40&_sort=-date,_id&_total=accurate&_include=Observation:encounter&_revinclude=Observation:has-member');
    expect(r).toMatchObject({ count: 1000, offset: 40, total: 'accurate', sort: [{ key: { date: 'date' }, desc: true }, { key: '_id', desc: false }] });
    expect(r.include).toEqual([{ sourceType: 'Observation', code: 'encounter' }]);
    expect(parse('Encounter', '_summary=count').summaryCount).toBe(true);
    // _count=0 is a count-only search: no page to repeat (its next link would be itself, forever).
    expect(parse('Encounter', '_count=0')).toMatchObject({ count: 0, summaryCount: true });
    // A known parameter with an empty value is ignored; 100 values and 10 includes are still fine.
    expect(parse('Observation', 'code=&_id=').filters).toEqual([]);
    expect(parse('Observation', `code=${Array.from({ length: 100 }, (_, i) => `c${i}`).join(',')}`).filters).toHaveLength(1);
    expect(parse('Observation', Array.from({ length: 10 }, () => '_include=Observation:subject').join('&')).include).toHaveLength(10);
  });

  test.each([
    ['Observation', 'colour=red', 'FHIR-SEARCH-PARAM-UNKNOWN'],
    // An empty value does not make an unknown parameter acceptable.
    ['Observation', 'colour=', 'FHIR-SEARCH-PARAM-UNKNOWN'],
    ['Observation', '_offset=100001', 'FHIR-SEARCH-VALUE'],
    ['Observation', 'colour=,', 'FHIR-SEARCH-PARAM-UNKNOWN'],
    ['Observation', `code=${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`, 'FHIR-SEARCH-VALUE'],
    ['Observation', Array.from({ length: 11 }, () => '_include=Observation:subject').join('&'), 'FHIR-SEARCH-VALUE'],
    ['Observation', 'code:exact=1', 'FHIR-SEARCH-MODIFIER'],
    ['Observation', 'date:missing=maybe', 'FHIR-SEARCH-VALUE'],
    ['Observation', 'date=2024-13', 'FHIR-SEARCH-VALUE'],
    ['Observation', 'value-quantity=abc', 'FHIR-SEARCH-VALUE'],
    ['Observation', '_sort=code', 'FHIR-SEARCH-VALUE'],
    ['Observation', '_include=Encounter:subject', 'FHIR-SEARCH-VALUE'],
    ['Observation', '_include=Observation:code', 'FHIR-SEARCH-VALUE'],
    ['Observation', '_summary=true', 'FHIR-SEARCH-VALUE'],
    ['Observation', '_count=-1', 'FHIR-SEARCH-VALUE'],
    ['Observation', 'subject=not a reference', 'FHIR-SEARCH-VALUE'],
  ])('%s?%s → %s', (type, query, code) => {
    expect(errorCode(() => parse(type, query))).toBe(code);
  });
});
