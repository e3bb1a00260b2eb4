import { schoolAgeZScores } from './school-age';
import type { SexCode } from './tables';
import type { GrowthInput, GrowthZScores } from './types';
import { isUnderFive, underFiveZScores } from './under-five';

/**
 * WHO growth z-scores (weight-for-age, length/height-for-age, weight-for-length/height, BMI-for-age,
 * head circumference-for-age, MUAC-for-age) for one measurement of one child, as WHO's own reference
 * implementations compute them: the WHO Child Growth Standards below 60 months (R package anthro),
 * the WHO Growth Reference 2007 from 60 months to 19 years (R package anthroplus). Pure: the LMS
 * tables are loaded when the module is imported. Method, sources and edge rules:
 * docs/decisions/0013-growth-z-scores.md.
 */

export type { GrowthInput, GrowthZScores, Sex, ZScore } from './types';
export { ageInDays, ageInMonths, DAYS_PER_MONTH } from './age';

const SEX_CODE: Record<GrowthInput['sex'], SexCode> = { male: 1, female: 2 };

/**
 * The indices that apply to this child at this age; an index is absent when its inputs are missing
 * or not positive, the age is outside its table, or (weight-based ones) the child has oedema.
 * Throws RangeError for an age that is negative or not a number, or an unknown sex (a caller bug:
 * intake validation refuses those first).
 */
export function growthZScores(input: GrowthInput): GrowthZScores {
  if (!Number.isFinite(input.ageDays) || input.ageDays < 0) {
    throw new RangeError(`growthZScores: ageDays must be a non-negative number, got ${input.ageDays}`);
  }
  const sex = SEX_CODE[input.sex];
  if (sex === undefined) throw new RangeError(`growthZScores: unknown sex ${String(input.sex)}`);
  return isUnderFive(input.ageDays) ? underFiveZScores(input, sex) : schoolAgeZScores(input, sex);
}
