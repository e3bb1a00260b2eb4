import { getItem } from '../../../src/catalog';
import { FORMULAS, derive } from '../../../src/catalog/derive';

describe('bmi: kg / (cm / 100)², 1 decimal', () => {
  test.each<[number, number, number]>([
    [61.5, 156, 25.3], // the example visit: 61.5 / 1.56² = 25.27
    [70, 175, 22.9],
    [45, 160, 17.6],
    [100, 150, 44.4],
  ])('%p kg, %p cm → %p', (kg, cm, bmi) => {
    expect(derive('bmi', [kg, cm])).toBe(bmi);
  });
  test.each<[unknown[], string]>([
    [[undefined, 156], 'weight missing'],
    [[61.5, undefined], 'height missing'],
    [[61.5, 0], 'zero height'],
    [[-1, 156], 'negative weight'],
    [['61.5', 156], 'a string'],
    [[61.5], 'one input'],
  ])('undefined when %p (%s)', (inputs) => {
    expect(derive('bmi', inputs as (number | undefined)[])).toBeUndefined();
  });
});

// Inputs: [cough ≥ 2 weeks, cough of any duration, weight loss, fever, night sweats] (issue 9 added
// the any-duration cough of KMK Formulir 1; either cough question answers "cough").
describe('tb-symptom-screen (cough ≥2 weeks, cough any duration, weight loss, fever, night sweats)', () => {
  test('the four symptoms absent, cough asked either way → bukan-terduga', () => {
    expect(derive('tb-symptom-screen', [false, undefined, false, false, false])).toBe('bukan-terduga');
    expect(derive('tb-symptom-screen', [undefined, false, false, false, false])).toBe('bukan-terduga');
    expect(derive('tb-symptom-screen', [false, false, false, false, false])).toBe('bukan-terduga');
  });
  test.each([0, 1, 2, 3, 4])('symptom %p present → terduga', (i) => {
    const answers = [false, false, false, false, false];
    answers[i] = true;
    expect(derive('tb-symptom-screen', answers)).toBe('terduga');
  });
  test('a short cough (any duration yes, ≥ 2 weeks no) → terduga (Formulir 1 asks any duration)', () => {
    expect(derive('tb-symptom-screen', [false, true, false, false, false])).toBe('terduga');
  });
  test('one symptom present decides even with others unanswered', () => {
    expect(derive('tb-symptom-screen', [undefined, undefined, true, undefined, undefined])).toBe('terduga');
  });
  test('no symptom present but some unanswered → no result', () => {
    expect(derive('tb-symptom-screen', [false, undefined, false, undefined, false])).toBeUndefined();
    expect(derive('tb-symptom-screen', [undefined, undefined, false, false, false])).toBeUndefined();
  });
});

describe('formula registry', () => {
  test('an unknown formula is a programming error', () => {
    expect(() => derive('no-such-formula', [])).toThrow(/Unknown catalogue formula/);
  });
  test('derived items name registered formulas with the right arity, and the results fit their value type', () => {
    const bmi = getItem('bmi');
    const tb = getItem('tb-screening-result');
    expect(bmi?.derived).toEqual({ formula: 'bmi', inputs: ['body-weight', 'body-height'] });
    expect(tb?.derived).toEqual({ formula: 'tb-symptom-screen', inputs: ['cough-2-weeks', 'cough', 'weight-loss', 'fever', 'night-sweats'] });
    expect(FORMULAS.bmi?.arity).toBe(2);
    expect(FORMULAS['tb-symptom-screen']?.arity).toBe(5);
    const options = tb?.value.type === 'coded' ? tb.value.options.map((o) => o.value) : [];
    expect(options).toEqual(expect.arrayContaining(['terduga', 'bukan-terduga']));
  });
});
