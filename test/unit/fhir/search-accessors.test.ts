import type { Resource } from 'fhir/r4';
import { compileAccessor } from '../../../src/fhir/search-accessors';
import { SEARCHABLE_TYPES, searchParamsOf, type SearchParam } from '../../../src/fhir/search-parameters';
import { indexRows, indexRowsFhirPath, type IndexRows } from '../../../src/fhir/search-values';
import { edgeCases, exampleVisit, goldenVisits, searchCorpus } from '../../support/search-corpus';

/**
 * The compiled accessors (search-accessors.ts) against fhirpath.js, for every search parameter of every
 * stored type over the golden visits, the documented example and hand-made edge cases: where an accessor
 * answers, its values are fhirpath.js's, and indexRows is unchanged row for row.
 */
const corpus = searchCorpus();
const ofType = (type: string): Resource[] => corpus.filter((r) => r.resourceType === type);

/** What areaRows evaluates the region parameters on: a Patient's addresses one by one. */
function inputsOf(type: string): unknown[] {
  const own = ofType(type);
  if (type !== 'Patient') return own;
  const units = own.flatMap((r) => { const address = (r as { address?: unknown }).address; return Array.isArray(address) ? address.map((a: unknown) => ({ resourceType: 'Patient', address: [a] })) : []; });
  return [...own, ...units];
}

const params = SEARCHABLE_TYPES.flatMap((type) => searchParamsOf(type).filter((p) => p.source === 'fhirpath').map((p): [string, string, SearchParam] => [type, p.code, p]));

test('the corpus has every stored type, golden visits and the example', () => {
  expect(goldenVisits().length).toBeGreaterThanOrEqual(7);
  expect(exampleVisit().length).toBeGreaterThan(3);
  for (const type of SEARCHABLE_TYPES) expect(ofType(type).length).toBeGreaterThanOrEqual(3);
});

describe.each(params)('%s.%s', (_type, _code, param) => {
  test('accessor values = fhirpath.js values', () => {
    const accessor = compileAccessor(param.expression);
    expect(accessor !== undefined).toBe(param.compiled);
    let answered = 0;
    for (const input of inputsOf(param.resourceType)) {
      let reference: unknown[];
      try {
        reference = param.evaluateFhirPath(input);
      } catch (e) {
        // fhirpath.js throws (length() of a number, substring() of two values): the accessor declines, so evaluate throws alike.
        expect(accessor?.(input)).toBeUndefined();
        expect(() => param.evaluate(input)).toThrow((e as Error).message);
        continue;
      }
      expect(param.evaluate(input)).toEqual(reference);
      const fast = accessor?.(input);
      if (fast !== undefined) {
        answered++;
        expect({ input, values: fast }).toEqual({ input, values: reference });
      }
    }
    if (accessor) expect(answered).toBeGreaterThan(0);
    // A resource of another type is never answered by the accessor.
    expect(accessor?.({ resourceType: 'Organization', id: 'o' })).toBeUndefined();
  });
});

const sorted = (rows: IndexRows): Record<string, string[]> =>
  Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, (list as unknown[]).map((r) => JSON.stringify(r)).sort()]));

/** The sorted rows, or the error (fhirpath.js throws on length()/substring() of a non-singleton: so must the new path). */
function outcome(f: () => IndexRows): Record<string, string[]> | { error: string } {
  try {
    return sorted(f());
  } catch (e) {
    return { error: (e as Error).message };
  }
}

test.each(corpus.map((r) => [`${r.resourceType}/${r.id ?? '?'}`, r] as const))('indexRows(%s) = the rows with fhirpath.js alone', (_name, resource) => {
  expect(outcome(() => indexRows(resource))).toEqual(outcome(() => indexRowsFhirPath(resource)));
  // The same rows in the same order, too (nothing the database sees differs).
  if (!('error' in outcome(() => indexRows(resource)))) expect(indexRows(resource)).toEqual(indexRowsFhirPath(resource));
});

test('edge cases are answered by fhirpath.js where the accessor declines', () => {
  const birthdate = searchParamsOf('Patient').find((p) => p.code === 'birthdate');
  const accessor = compileAccessor(birthdate?.expression ?? '');
  const [shadowOnly] = edgeCases();
  expect(accessor?.(shadowOnly)).toBeUndefined();
  expect(accessor?.({ resourceType: 'Patient', birthDate: '1990-02' })).toEqual(['1990-02']);
});

test('the parameters left to fhirpath.js', () => {
  const fallback = params.filter(([, , p]) => !p.compiled).map(([type, code]) => `${type}.${code}`);
  // Outside the subset: boolean logic (deceased). Changing this list is a decision (docs/decisions/0007-search.md).
  expect(fallback).toEqual(['Patient.deceased']);
});
