import { parseExportParams } from '../../../src/fhir-rest/export/kickoff';
import { OperationOutcomeError } from '../../../src/kernel';

/** $export parameters (Bulk Data Access IG 2.0, export.html#query-parameters). */
test('defaults: every served type, no filters', () => {
  expect(parseExportParams([], 'system')).toEqual({ level: 'system', types: ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan'], typeFilters: {} });
});

test('_type, _since (normalised to UTC), _typeFilter per type (alternatives kept apart)', () => {
  const p = parseExportParams([
    ['_type', 'Observation,Patient'], ['_since', '2025-01-01T07:00:00+07:00'], ['_outputFormat', 'application/fhir+ndjson'],
    ['_typeFilter', 'Observation?code=8480-6&village=3174061003'], ['_typeFilter', 'Observation?status=final'],
  ], 'patient');
  expect(p.types).toEqual(['Observation', 'Patient']);
  expect(p.since).toBe('2025-01-01T00:00:00.000Z');
  expect(p.typeFilters.Observation).toHaveLength(2);
  expect(p.typeFilters.Observation?.[0]?.map((f) => f.kind === 'token' && f.code)).toEqual(['code', 'village']);
});

test.each([
  [['_since', '2025-01-01']],
  [['_type', 'Organization']],
  [['_outputFormat', 'text/csv']],
  [['_typeFilter', 'Encounter?status=finished']],
  [['_typeFilter', 'Observation?_sort=date']],
  [['patient', 'Patient/1']],
  [['_elements', 'id']],
  [['foo', 'bar']],
] as [string, string][][])('refused with 400: %j', (...pairs) => {
  const types: [string, string][] = pairs[0]?.[0] === '_typeFilter' ? [['_type', 'Observation'], ...pairs] : pairs;
  expect(() => parseExportParams(types, 'system')).toThrow(OperationOutcomeError);
});
