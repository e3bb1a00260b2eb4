import { growthZScores } from '../../../src/growth';
import { lmsZ, restrictedLmsZ, round2 } from '../../../src/growth/lms';

// Hand-written checks of the rules the WHO oracle (who-oracle.test.ts) cannot show on its own.

describe('the restricted z-score beyond ±3 SD (WHO 2006 chapter 7; anthro compute_zscore_adjusted)', () => {
  // weianthro.txt, boy, 365 days: L 0.0645, M 9.646, S 0.10925. Worked by hand (Python):
  // LMS z of 14.5 kg = ((14.5/9.646)^0.0645 − 1) / (0.10925·0.0645) = 3.7804;
  // SD3 = 9.646·(1 + 0.0645·0.10925·3)^(1/0.0645) = 14.2155, SD2 = 13.0323,
  // restricted z = 3 + (14.5 − SD3) / (SD3 − SD2) = 3.8530.
  const row = { l: 0.0645, m: 9.646, s: 0.10925 };

  test('differs from the plain LMS z above +3 SD, and the engine uses the restricted one for weight-for-age', () => {
    expect(lmsZ(14.5, row)).toBeCloseTo(3.7804, 4);
    expect(restrictedLmsZ(14.5, row)).toBeCloseTo(3.853, 4);
    expect(growthZScores({ sex: 'male', ageDays: 365, weightKg: 14.5 }).weightForAge).toEqual({ z: 3.85, flagged: false });
  });

  test('equals the plain LMS z within ±3 SD', () => {
    expect(restrictedLmsZ(10, row)).toBe(lmsZ(10, row));
  });

  test('height-for-age is not restricted: its z is the plain LMS z even at −4 SD', () => {
    // lenanthro.txt, boy, 365 days: L 1, M 75.7391, S 0.03137 → z of 66 cm = (66/75.7391 − 1)/0.03137 = −4.099.
    const expected = round2((66 / 75.7391 - 1) / 0.03137);
    expect(expected).toBeLessThan(-4);
    expect(growthZScores({ sex: 'male', ageDays: 365, lengthOrHeightCm: 66, measured: 'recumbent' }).heightForAge?.z).toBe(expected);
  });
});

describe('length/height standardisation', () => {
  test('from 5 years, a recumbent length counts as the standing height 0.7 cm lower (the 2007 reference is height-based)', () => {
    const standing = growthZScores({ sex: 'female', ageDays: 2200, weightKg: 20, lengthOrHeightCm: 115, measured: 'standing' });
    const recumbent = growthZScores({ sex: 'female', ageDays: 2200, weightKg: 20, lengthOrHeightCm: 115.7, measured: 'recumbent' });
    expect(recumbent).toEqual(standing);
    expect(standing.heightForAge).toBeDefined();
  });

  test('with no position given, the value is taken as WHO expects for the age (no adjustment)', () => {
    const given = growthZScores({ sex: 'male', ageDays: 400, lengthOrHeightCm: 75 });
    expect(given).toEqual(growthZScores({ sex: 'male', ageDays: 400, lengthOrHeightCm: 75, measured: 'recumbent' }));
    expect(given).not.toEqual(growthZScores({ sex: 'male', ageDays: 400, lengthOrHeightCm: 75, measured: 'standing' }));
  });
});

describe('absent indices and caller errors', () => {
  test('only computed indices are present as keys (no undefined members)', () => {
    expect(Object.keys(growthZScores({ sex: 'female', ageDays: 45, headCircumferenceCm: 36.1 }))).toEqual(['headCircumferenceForAge']);
    expect(growthZScores({ sex: 'female', ageDays: 45 })).toEqual({});
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('a measurement of %p gives no index', (bad) => {
    expect(growthZScores({ sex: 'male', ageDays: 400, weightKg: bad, lengthOrHeightCm: bad, headCircumferenceCm: bad, muacCm: bad })).toEqual({});
    expect(growthZScores({ sex: 'male', ageDays: 3000, weightKg: bad, lengthOrHeightCm: bad })).toEqual({});
  });

  test('oedema removes weight-for-age and BMI in the 2007 reference too', () => {
    expect(Object.keys(growthZScores({ sex: 'male', ageDays: 3000, weightKg: 25, lengthOrHeightCm: 128, oedema: true }))).toEqual(['heightForAge']);
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('an age of %p days is a caller bug: RangeError', (age) => {
    expect(() => growthZScores({ sex: 'male', ageDays: age, weightKg: 10 })).toThrow(RangeError);
  });

  test('an unknown sex is a caller bug: RangeError', () => {
    expect(() => growthZScores({ sex: 'x' as 'male', ageDays: 100, weightKg: 5 })).toThrow(RangeError);
  });
});

describe('round2 rounds as R 4 round(x, 2) does (values printed by R 4.2.2)', () => {
  test.each([
    [0.125, 0.12], [2.675, 2.67], [1.005, 1], [-0.125, -0.12], [0.285, 0.28], [1.115, 1.11],
    [-2.345, -2.35], [3.0049999, 3], [0.015, 0.01], [-0.015, -0.01], [2.5, 2.5], [1.455, 1.46],
  ])('round(%p, 2) = %p', (x, want) => {
    expect(round2(x)).toBe(want);
  });
});

describe("expectations copied from anthro's own test suite (tests/testthat/test-zscores.R @ b776d8a)", () => {
  test('"length for age uses adjusted lenhei": boy, 987 days, 72.86 cm recumbent → zlen −6.09, flagged', () => {
    expect(growthZScores({ sex: 'male', ageDays: 987, lengthOrHeightCm: 72.86, measured: 'recumbent' }).heightForAge).toEqual({ z: -6.09, flagged: true });
  });

  test('"young children with measured standing will be adjusted": 8 months not adjusted (−4.81), 9 months +0.7 cm (−5.02)', () => {
    // anthro takes the age as 8 and 9 months: days = months × 30.4375 (rounded half up for the table).
    const at = (months: number) => growthZScores({ sex: 'male', ageDays: months * 30.4375, lengthOrHeightCm: 60, measured: 'standing' }).heightForAge?.z;
    expect(at(8)).toBeCloseTo(-4.81, 2);
    expect(at(9)).toBeCloseTo(-5.02, 2);
  });

  test('"height measurements are used for age 24 months": girl, 24 months, 77.5 cm → zlen −2.55, with or without "standing"', () => {
    const days = 24 * 30.4375;
    expect(growthZScores({ sex: 'female', ageDays: days, lengthOrHeightCm: 77.5 }).heightForAge?.z).toBe(-2.55);
    expect(growthZScores({ sex: 'female', ageDays: days, lengthOrHeightCm: 77.5, measured: 'standing' }).heightForAge?.z).toBe(-2.55);
  });

  test('"zscores are only computed for children younger than 60 months": 59.9 months yes, 60 months no (the 2007 reference takes over)', () => {
    const at = (months: number) => growthZScores({ sex: 'male', ageDays: months * 30.4375, lengthOrHeightCm: 80, weightKg: 20, muacCm: 5, headCircumferenceCm: 5, measured: 'standing' });
    expect(at(59.9).weightForHeight).toBeDefined();
    expect(at(59.9).muacForAge).toBeDefined();
    for (const months of [60, 60.1]) {
      expect(at(months).weightForHeight).toBeUndefined();
      expect(at(months).muacForAge).toBeUndefined();
      expect(at(months).headCircumferenceForAge).toBeUndefined();
    }
  });
});

test('anthroplus\'s own test "computes correct value for age ~ 60 months" (tests/testthat/test-zscores.R @ 799a7de)', () => {
  const at = (months: number, heightCm: number, weightKg: number) =>
    growthZScores({ sex: 'female', ageDays: months * 30.4375, lengthOrHeightCm: heightCm, weightKg, measured: 'standing' });
  expect(at(60.32, 113.8, 18.7)).toEqual({ weightForAge: { z: 0.21, flagged: false }, heightForAge: { z: 0.96, flagged: false }, bmiForAge: { z: -0.58, flagged: false } });
  expect(at(60.911701, 113.6, 20.5)).toEqual({ weightForAge: { z: 0.79, flagged: false }, heightForAge: { z: 0.85, flagged: false }, bmiForAge: { z: 0.42, flagged: false } });
});
