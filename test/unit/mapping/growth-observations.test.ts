/** WHO z-score Observations from the growth engine (issue 9): flags, categories, edge cases. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from 'fhir/r4';
import { prepareVisit } from '../../../src/pipeline/submit-visit';
import { intakeDeps } from '../../support/intake';
import type { Json } from '../../support/submissions';

function toddler(items: { code: string; value: unknown }[], birthDate = '2023-07-29', gender = 'male'): Json {
  const s = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'golden', 'newborn-kn1-no-nik.input.json'), 'utf8')) as Json;
  s.lifeCycle = ['bayi', 'balita'];
  s.visitType = 'sehat';
  delete s.visitOrdinal;
  s.patient.birthDate = birthDate;
  s.patient.gender = gender;
  s.screenings = [{ type: 'growth-development', items }];
  return s;
}

const byItem = (bundle: { entry?: { resource?: unknown }[] }, suffix: string): Observation | undefined =>
  bundle.entry?.map((e) => e.resource as Observation).find((r) => r.resourceType === 'Observation' && r.identifier?.[0]?.value?.endsWith(`.${suffix}`));
const codes = (o: Observation | undefined): string[] => (o?.interpretation ?? []).map((c) => c.coding?.[0]?.code ?? '');

test('a 12-month-old boy at 7.4 kg is flagged low: berat badan kurang (OI000008), WHO BB/U between −3 and −2 SD', () => {
  const { bundle, results } = prepareVisit(toddler([{ code: 'body-weight', value: 7.4 }]), intakeDeps());
  const wfa = byItem(bundle, 'weight-for-age-z');
  expect(wfa?.valueQuantity?.value).toBeLessThan(-2);
  expect(wfa?.valueQuantity?.value).toBeGreaterThanOrEqual(-3);
  expect(codes(wfa)).toEqual(['L', 'OI000008']);
  expect(results.find((r) => r.item === 'weight-for-age-z')?.interpretation.map((c) => c.code)).toEqual(['L', 'OI000008']);
});

test('below −3 SD weight-for-age adds a referral to the care plan', () => {
  const { bundle } = prepareVisit(toddler([{ code: 'body-weight', value: 6.2 }]), intakeDeps());
  expect(codes(byItem(bundle, 'weight-for-age-z'))).toEqual(['LL', 'OI000007']);
  const plan = bundle.entry?.map((e) => e.resource).find((r) => r?.resourceType === 'CarePlan') as { activity: { detail: { description: string } }[] } | undefined;
  expect(plan?.activity.map((a) => a.detail.description)).toEqual(expect.arrayContaining([expect.stringContaining('BB/U < −3 SD')]));
});

test('a newborn gets BMI-for-age z, never the adult BMI', () => {
  const { bundle } = prepareVisit(toddler([{ code: 'body-weight', value: 3.1 }, { code: 'body-length', value: 49.5 }], '2024-07-28'), intakeDeps());
  expect(byItem(bundle, 'bmi')).toBeUndefined();
  expect(byItem(bundle, 'bmi-for-age-z')?.valueQuantity).toMatchObject({ code: '{Z-score}', system: 'http://unitsofmeasure.org' });
});

test('with oedema no weight-based z-score is computed; length-for-age still is', () => {
  const { bundle } = prepareVisit(toddler([{ code: 'body-weight', value: 8 }, { code: 'body-length', value: 72 }, { code: 'oedema', value: true }]), intakeDeps());
  for (const item of ['weight-for-age-z', 'weight-for-height-z', 'bmi-for-age-z']) expect(byItem(bundle, item)).toBeUndefined();
  expect(byItem(bundle, 'height-for-age-z')).toBeDefined();
  expect(codes(byItem(bundle, 'oedema'))).toEqual(['A', 'OI000001']);
});

test('a z-score WHO flags as implausible is recorded without a category and with a warning', () => {
  const { bundle, issues } = prepareVisit(toddler([{ code: 'body-length', value: 55 }]), intakeDeps());
  const hfa = byItem(bundle, 'height-for-age-z');
  expect(hfa?.valueQuantity?.value).toBeLessThan(-6);
  expect(hfa?.interpretation).toBeUndefined();
  expect(issues.map((i) => i.errorCode)).toContain('WARN-Z-SCORE-FLAGGED');
});

test('an absurd measurement (a 30 cm one-year-old) gives no z-score Observation at all, only the warning', () => {
  const { bundle, issues } = prepareVisit(toddler([{ code: 'body-length', value: 30 }]), intakeDeps());
  expect(byItem(bundle, 'height-for-age-z')).toBeUndefined();
  expect(issues.map((i) => i.errorCode)).toContain('WARN-Z-SCORE-FLAGGED');
});
