import { CatalogueError, INDICATORS, SCREENINGS, buildCatalogue, getItem, validateCatalogue } from '../../../src/catalog';
import { ALL_ITEMS } from '../../../src/catalog/items';
import type { CatalogueItem, ScreeningType } from '../../../src/catalog/types';

/** A mutable copy of a real item, so each test breaks one thing. */
function copy(code: string): CatalogueItem {
  const found = getItem(code);
  if (!found) throw new Error(`no item ${code}`);
  return structuredClone(found);
}

const screening = (items: string[], extra: Partial<ScreeningType> = {}): ScreeningType =>
  ({ code: 'test', domainCode: 'SKR-TEST', name: { en: 'Test', id: 'Uji' }, clusters: [3], items, indicators: [], ...extra });

/** Problems of a catalogue made of the given items, listed in one screening. */
const problems = (items: CatalogueItem[], screenings?: ScreeningType[]): string[] =>
  validateCatalogue(items, screenings ?? [screening(items.map((i) => i.code))], INDICATORS);

describe('validateCatalogue', () => {
  test('the built-in catalogue has no problems', () => {
    expect(validateCatalogue(ALL_ITEMS, SCREENINGS, INDICATORS)).toEqual([]);
  });

  test('a small valid catalogue has no problems', () => {
    expect(problems([copy('systolic-bp'), copy('smoking-status'), copy('visual-acuity-right')])).toEqual([]);
  });

  test('an unknown indicator tag', () => {
    const item = copy('systolic-bp');
    item.indicators.push('SPM-99');
    expect(problems([item])).toContainEqual(expect.stringContaining('unknown indicator "SPM-99"'));
  });

  test('a follow-up group must be kebab-case', () => {
    const item = copy('systolic-bp');
    item.followUpGroup = 'Blood Pressure';
    expect(problems([item])).toContainEqual(expect.stringContaining('followUpGroup must be kebab-case'));
  });

  test('overlapping numeric bands', () => {
    const item = copy('systolic-bp');
    const adult = item.thresholds.find((r) => r.id === 'adult');
    if (adult?.bands[1]) adult.bands[1].low = 115;
    expect(problems([item])).toContainEqual(expect.stringMatching(/rule "adult": band 1: overlaps band 2 \(120 vs 115\)/));
  });

  test('a gap between numeric bands', () => {
    const item = copy('diastolic-bp');
    const adult = item.thresholds.find((r) => r.id === 'adult');
    if (adult?.bands[3]) adult.bands[3].low = 91;
    expect(problems([item])).toContainEqual(expect.stringMatching(/band 3: leaves a gap before band 4/));
  });

  test('bands that do not cover the plausible range', () => {
    const item = copy('hemoglobin');
    const rule = item.thresholds[0];
    if (rule?.bands[0]) rule.bands[0].low = 3;
    const last = rule?.bands[rule.bands.length - 1];
    if (last) last.high = 20;
    expect(problems([item])).toEqual(expect.arrayContaining([
      expect.stringContaining('above the plausible minimum 1'),
      expect.stringContaining('not covering the plausible maximum 25'),
    ]));
  });

  test('a band edge finer than the item precision', () => {
    const item = copy('waist-circumference');
    const male = item.thresholds.find((r) => r.id === 'male');
    if (male?.bands[0] && male.bands[1]) { male.bands[0].high = 90.05; male.bands[1].low = 90.05; }
    expect(problems([item])).toContainEqual(expect.stringContaining('finer than the item\'s 1 decimals'));
  });

  test('an invalid UCUM unit', () => {
    const item = copy('systolic-bp');
    if (item.value.type === 'quantity') item.value.unit = { code: 'mmHg', display: 'mmHg' };
    expect(problems([item])).toContainEqual(expect.stringContaining('"mmHg" is not a valid UCUM unit'));
  });

  test('a coded item without options, and coded bands that do not match the answers', () => {
    const empty = copy('kpsp-result');
    if (empty.value.type === 'coded') empty.value.options = [];
    expect(problems([empty])).toContainEqual(expect.stringContaining('a coded item needs options'));

    const smoking = copy('smoking-status');
    const rule = smoking.thresholds[0];
    if (rule?.bands[0]) rule.bands[0].equals = 'heavy-smoker';
    expect(problems([smoking])).toEqual(expect.arrayContaining([
      expect.stringContaining('equals "heavy-smoker" is not an answer'),
      expect.stringContaining('answer "smoker" has no band'),
    ]));
  });

  test('duplicate item codes and a screening listing an unknown item', () => {
    const a = copy('fever');
    const b = copy('fever');
    expect(problems([a, b], [screening(['fever', 'no-such-item'])])).toEqual(expect.arrayContaining([
      'item "fever": code is used more than once',
      'screening "test": unknown item "no-such-item"',
    ]));
  });

  test('an item no screening lists', () => {
    expect(problems([copy('fever')], [screening(['fever']), screening(['fever'], { code: 'other' })])).toEqual([]);
    expect(problems([copy('fever'), copy('night-sweats')], [screening(['fever'])])).toContainEqual('item "night-sweats": no screening lists it');
  });

  test('derived items need a registered formula and existing, non-derived inputs', () => {
    const bmi = copy('bmi');
    expect(problems([bmi])).toEqual(expect.arrayContaining([
      'item "bmi": derived: unknown input "body-weight"',
      'item "bmi": derived: unknown input "body-height"',
    ]));
    bmi.derived = { formula: 'waist-to-height', inputs: [] };
    expect(problems([bmi])).toContainEqual('item "bmi": derived: unknown formula "waist-to-height"');
  });

  test('a local item coding must repeat the catalogue code, and confidence must match the primary code', () => {
    const item = copy('adl-score');
    const [primary] = item.codings;
    if (primary) primary.code = 'adl';
    item.confidence = 'confident';
    expect(problems([item])).toEqual(expect.arrayContaining([
      expect.stringContaining('a local item coding must use the catalogue code'),
      'item "adl-score": confidence "confident" but the primary coding is local',
    ]));
  });

  test('one code, one display across the catalogue', () => {
    const sbp = copy('systolic-bp');
    const dbp = copy('diastolic-bp');
    const band = dbp.thresholds.find((r) => r.id === 'adult')?.bands[3];
    if (band) band.category = { ...band.category, display: 'Hypertension stage 1' };
    expect(problems([sbp, dbp])).toContainEqual(expect.stringContaining('827069000 is displayed "Hypertension stage 1" but "Stage 1 hypertension"'));
  });

  test('a rule after a context-free rule is unreachable; an empty rule needs a context', () => {
    const item = copy('body-temperature');
    item.thresholds.reverse();
    expect(problems([item])).toContainEqual(expect.stringContaining('rule "young-infant": unreachable after rule "general"'));
    const waist = copy('waist-circumference');
    const pregnant = waist.thresholds[0];
    if (pregnant) delete pregnant.when;
    expect(problems([waist])).toContainEqual(expect.stringContaining('a rule with no bands needs a `when` context'));
  });

  test('unknown indicators on screenings and malformed indicator codes', () => {
    const bad = [...INDICATORS, { code: 'PWS-X', kind: 'PWS' as const, name: { en: 'x', id: 'x' }, cluster: 3 as const, rule: 'x' }];
    const result = validateCatalogue([copy('fever')], [screening(['fever'], { indicators: ['PWS-NOPE'] })], bad);
    expect(result).toEqual(expect.arrayContaining([
      'screening "test": unknown indicator "PWS-NOPE"',
      expect.stringContaining('indicator "PWS-X": code must be'),
    ]));
  });
});

describe('buildCatalogue', () => {
  test('throws a CatalogueError listing every problem', () => {
    const item = copy('systolic-bp');
    item.indicators.push('SPM-99');
    if (item.value.type === 'quantity') item.value.unit = { code: 'mmHg', display: 'mmHg' };
    let error: unknown;
    try { buildCatalogue([item], [screening(['systolic-bp'])]); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).problems).toHaveLength(2);
    expect((error as CatalogueError).message).toMatch(/2 problem\(s\):\n- item "systolic-bp"/);
  });
});
