import { growthZScores } from '../../../src/growth';

// A first check against anthro's own documented example (R/z-score.R @examples:
// anthro_zscores(sex = "f", age = 10, is_age_in_month = TRUE, weight = 10) → zwei 1.33); the full
// oracle comparison is in who-oracle.test.ts.
test('anthro example: a 10-month-old girl (304 days) weighing 10 kg has weight-for-age z 1.33', () => {
  expect(growthZScores({ sex: 'female', ageDays: 304, weightKg: 10 })).toEqual({ weightForAge: { z: 1.33, flagged: false } });
});
