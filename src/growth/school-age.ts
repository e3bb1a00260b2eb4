import { ageInMonths } from './age';
import { interpolateLms, lmsZ, restrictedLmsZ, round2 } from './lms';
import { BMI_FOR_AGE_2007, HEIGHT_FOR_AGE_2007, type Lms, type LmsTable, type SexCode, WEIGHT_FOR_AGE_2007 } from './tables';
import type { GrowthInput, GrowthZScores, ZScore } from './types';
import { positive, standardisedLength, withoutAbsent } from './measures';

/**
 * WHO Growth Reference 2007, 60 months to 19 years, following WHO's reference implementation
 * `anthroplus` (github.com/WorldHealthOrganization/anthroplus, R/zscores.R, v1.0.0): age in months
 * unrounded, L, M and S interpolated linearly between the whole-month rows, height- and BMI-for-age
 * for 60–228 months inclusive, weight-for-age for 60–120 months (the reference stops at 10 years,
 * when weight-for-age no longer separates height from body mass), weight-based indices restricted
 * beyond ±3 SD and left out with oedema. Flags: height |z| > 6, weight z < −6 or > 5, BMI |z| > 5.
 */

const FROM_MONTHS = 60;
const HEIGHT_BMI_TO_MONTHS = 228;
const WEIGHT_TO_MONTHS = 120;

/** anthroplus `zscore_indicator`: rows trunc(age) and trunc(age + 1), interpolated by the fraction. */
function lmsAtMonths(table: LmsTable, sex: SexCode, months: number): Lms | undefined {
  const low = Math.trunc(months);
  const fraction = months - low;
  const lowRow = table.row(sex, low);
  if (!lowRow || fraction === 0) return lowRow;
  const highRow = table.row(sex, Math.trunc(months + 1));
  return highRow ? interpolateLms(lowRow, highRow, fraction) : undefined;
}

function index(table: LmsTable, sex: SexCode, months: number, maxMonths: number, y: number | undefined, restricted: boolean, flag: (z: number) => boolean): ZScore | undefined {
  if (!positive(y)) return undefined;
  if (months < FROM_MONTHS || months > maxMonths) return undefined;
  const lms = lmsAtMonths(table, sex, months);
  if (!lms) return undefined;
  const raw = restricted ? restrictedLmsZ(y, lms) : lmsZ(y, lms);
  if (!Number.isFinite(raw)) return undefined;
  const z = round2(raw);
  return { z, flagged: flag(z) };
}

/**
 * The three 2007-reference indices. The reference is for standing height; a recumbent length is
 * standardised (−0.7 cm) as for any child from 731 days, which anthroplus (height only) leaves to its caller.
 */
export function schoolAgeZScores(input: GrowthInput, sex: SexCode): GrowthZScores {
  const months = ageInMonths(input.ageDays);
  const cm = standardisedLength(input, input.ageDays);
  const weight = input.oedema ? undefined : input.weightKg;
  const bmi = positive(weight) && positive(cm) ? weight / (cm / 100) ** 2 : undefined;
  return withoutAbsent({
    weightForAge: index(WEIGHT_FOR_AGE_2007, sex, months, WEIGHT_TO_MONTHS, weight, true, (z) => z < -6 || z > 5),
    heightForAge: index(HEIGHT_FOR_AGE_2007, sex, months, HEIGHT_BMI_TO_MONTHS, cm, false, (z) => Math.abs(z) > 6),
    bmiForAge: index(BMI_FOR_AGE_2007, sex, months, HEIGHT_BMI_TO_MONTHS, bmi, true, (z) => Math.abs(z) > 5),
  });
}
