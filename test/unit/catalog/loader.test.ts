import { readFileSync } from 'node:fs';
import { CATALOGUE_VERSION, INDICATORS, getItem, getScreening, loadCatalogue } from '../../../src/catalog';
import type { CatalogueItem } from '../../../src/catalog/types';
import { EXAMPLE_PATH } from '../../support/submissions';

/** The reference vendor payload (architecture.md: must be accepted as is), as copied into docs/examples. */
const EXAMPLE = EXAMPLE_PATH;

interface ExampleSubmission {
  screenings: { type: string; items: { code: string; value: number | boolean | string }[] }[];
}

function valueFits(item: CatalogueItem, value: number | boolean | string): boolean {
  const spec = item.value;
  switch (spec.type) {
    case 'quantity': return typeof value === 'number' && value >= spec.min && value <= spec.max;
    case 'integer': return Number.isInteger(value) && (value as number) >= spec.min && (value as number) <= spec.max;
    case 'boolean': return typeof value === 'boolean';
    case 'coded': return spec.options.some((o) => o.value === value);
    case 'snellen': return typeof value === 'string';
  }
}

describe('loadCatalogue', () => {
  test('loads the built-in catalogue without problems, once', () => {
    const cat = loadCatalogue();
    expect(cat.version).toBe(CATALOGUE_VERSION);
    expect(loadCatalogue()).toBe(cat);
    expect(cat.items.size).toBeGreaterThanOrEqual(30);
  });

  test('is frozen: items, bands and the maps cannot be changed', () => {
    const cat = loadCatalogue();
    const sbp = cat.items.get('systolic-bp');
    expect(Object.isFrozen(cat)).toBe(true);
    expect(Object.isFrozen(sbp)).toBe(true);
    expect(Object.isFrozen(sbp?.thresholds[0]?.bands[0])).toBe(true);
    expect(() => { (sbp as { code: string }).code = 'x'; }).toThrow(TypeError);
    expect('set' in cat.items).toBe(false);
  });

  test.each([
    'systolic-bp', 'diastolic-bp', 'body-weight', 'body-height', 'bmi', 'waist-circumference', 'muac', 'head-circumference',
    'body-temperature', 'heart-rate', 'respiratory-rate', 'blood-glucose-random', 'blood-glucose-fasting', 'hemoglobin',
    'total-cholesterol', 'fundal-height', 'fetal-heart-rate', 'gestational-age-weeks', 'cough-2-weeks', 'weight-loss', 'fever',
    'night-sweats', 'tb-screening-result', 'srq20-score', 'srq20-suicidal-thoughts', 'puma-score', 'visual-acuity-right',
    'visual-acuity-left', 'smoking-status', 'adl-score', 'kpsp-result', 'immunization-status',
  ])('has item %s', (code) => {
    expect(getItem(code)?.code).toBe(code);
  });

  test('anc-visit-ordinal is a visit attribute, not an item', () => {
    expect(getItem('anc-visit-ordinal')).toBeUndefined();
  });

  test.each<[string, string, string]>([
    ['systolic-bp', 'http://loinc.org', '8480-6'],
    ['blood-glucose-random', 'http://loinc.org', '41653-7'],
    ['blood-glucose-fasting', 'http://loinc.org', '41604-0'], // capillary glucometer (issue 9; 1558-6 is serum/plasma)
    ['gestational-age-weeks', 'http://loinc.org', '18185-9'],
    ['smoking-status', 'http://loinc.org', '72166-2'],
    ['visual-acuity-left', 'http://snomed.info/sct', '363983007'],
    ['adl-score', 'https://ilp-gateway.github.io/fhir/CodeSystem/ilp-screening-item', 'adl-score'],
  ])('%s is coded %s|%s', (code, system, value) => {
    expect(getItem(code)?.codings[0]).toMatchObject({ system, code: value });
  });

  test.each<[string, string]>([
    ['systolic-bp', 'mm[Hg]'], ['heart-rate', '/min'], ['respiratory-rate', '/min'], ['body-temperature', 'Cel'], ['body-weight', 'kg'],
    ['body-height', 'cm'], ['bmi', 'kg/m2'], ['hemoglobin', 'g/dL'], ['blood-glucose-random', 'mg/dL'], ['gestational-age-weeks', 'wk'],
    ['oxygen-saturation', '%'],
  ])('%s is sent in UCUM %s', (code, unit) => {
    const spec = getItem(code)?.value;
    expect(spec?.type === 'quantity' ? spec.unit.code : undefined).toBe(unit);
  });

  test('visual acuity carries the eye as bodySite', () => {
    expect(getItem('visual-acuity-right')?.bodySite?.code).toBe('362502000');
    expect(getItem('visual-acuity-left')?.bodySite?.code).toBe('362503005');
  });

  test('screenings carry their ilp-domain §5.3 codes', () => {
    expect(getScreening('hypertension')?.domainCode).toBe('SKR-HT');
    expect(getScreening('tb-symptoms')?.domainCode).toBe('SKR-TB-GEJALA');
    expect(getScreening('anc-10t')?.items).toEqual(expect.arrayContaining([
      'body-weight', 'body-height', 'muac', 'fundal-height', 'fetal-heart-rate', 'gestational-age-weeks', 'hemoglobin', 'systolic-bp', 'diastolic-bp',
    ]));
    expect(getScreening('no-such-screening')).toBeUndefined();
  });

  test('the twelve SPM services are registered', () => {
    const codes = INDICATORS.map((i) => i.code);
    for (let n = 1; n <= 12; n += 1) expect(codes).toContain(`SPM-${String(n).padStart(2, '0')}`);
  });
});

describe('the reference vendor payload', () => {
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as ExampleSubmission;

  test.each(example.screenings.map((s) => [s.type, s] as const))('screening %s and its items are valid', (_type, screening) => {
    const type = getScreening(screening.type);
    expect(type).toBeDefined();
    for (const sent of screening.items) {
      const item = getItem(sent.code);
      expect(item).toBeDefined();
      if (!item) continue;
      expect(type?.items).toContain(sent.code);
      expect(item.derived).toBeUndefined();
      expect(valueFits(item, sent.value)).toBe(true);
    }
  });
});
