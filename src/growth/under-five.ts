import { ageInMonths } from './age';
import { interpolateLms, lmsZ, restrictedLmsZ, round2 } from './lms';
import {
  ARM_CIRCUMFERENCE_FOR_AGE,
  BMI_FOR_AGE,
  HEAD_CIRCUMFERENCE_FOR_AGE,
  LENGTH_FOR_AGE,
  type Lms,
  type LmsTable,
  type SexCode,
  WEIGHT_FOR_AGE,
  WEIGHT_FOR_HEIGHT,
  WEIGHT_FOR_LENGTH,
} from './tables';
import { HEIGHT_FROM_DAYS, positive, roundUp, standardisedLength, withoutAbsent } from './measures';
import type { GrowthInput, GrowthZScores, ZScore } from './types';

/**
 * WHO Child Growth Standards, 0 to under 60 months, following WHO's reference implementation
 * `anthro` (github.com/WorldHealthOrganization/anthro, R/z-score.R and R/z-score-*.R, v1.1.0) rule
 * by rule; each rule below names the function it mirrors.
 */

/** anthro `anthro_zscore_adjusted`: `allowed_age_range = c(0, 1856)`; ac starts at 91 days. */
const MAX_AGE_DAYS = 1856;
const MUAC_FROM_DAYS = 91;

type Flag = (z: number) => boolean;
const beyond = (limit: number): Flag => (z) => Math.abs(z) > limit;
/** Weight-for-age: `flag_threshold = c(-6, 5)`. */
const weightForAgeFlag: Flag = (z) => z < -6 || z > 5;

function scored(raw: number, flag: Flag): ZScore | undefined {
  if (!Number.isFinite(raw)) return undefined;
  const z = round2(raw);
  return { z, flagged: flag(z) };
}

function byAge(table: LmsTable, sex: SexCode, ageDays: number, y: number | undefined, restricted: boolean, flag: Flag): ZScore | undefined {
  if (!positive(y)) return undefined;
  const lms = table.row(sex, ageDays);
  if (!lms) return undefined;
  return scored(restricted ? restrictedLmsZ(y, lms) : lmsZ(y, lms), flag);
}

/**
 * anthro `anthro_zscore_weight_for_lenhei`: the weight-for-length table below 731 days (45–110 cm),
 * weight-for-height from 731 days (65–120 cm); between two 0.1 cm grid points L, M and S are
 * interpolated linearly. The grid points are computed as anthro does (trunc(x·10)/10 and
 * trunc(x·10 + 1)/10), so the floating-point edge cases fall the same way.
 */
function weightForLengthOrHeight(sex: SexCode, ageDays: number, weight: number | undefined, cm: number | undefined): ZScore | undefined {
  if (!positive(weight) || !positive(cm)) return undefined;
  const useLength = ageDays < HEIGHT_FROM_DAYS;
  const [table, min, max] = useLength ? [WEIGHT_FOR_LENGTH, 45, 110] : [WEIGHT_FOR_HEIGHT, 65, 120];
  if (cm < min || cm > max) return undefined;
  const low = Math.trunc(cm * 10) / 10;
  const high = Math.trunc(cm * 10 + 1) / 10;
  const fraction = (cm - low) / 0.1;
  const lowRow = table.row(sex, Math.round(low * 10));
  if (!lowRow) return undefined;
  let lms: Lms = lowRow;
  if (fraction > 0) {
    const highRow = table.row(sex, Math.round(high * 10));
    if (!highRow) return undefined;
    lms = interpolateLms(lowRow, highRow, fraction);
  }
  return scored(restrictedLmsZ(weight, lms), beyond(5));
}

/** True when anthro computes z-scores at this age: age in months (unrounded) below 60. */
export function isUnderFive(ageDays: number): boolean {
  return ageInMonths(ageDays) < 60;
}

/**
 * The six indices for a child under 60 months. Restricted (±3 SD rule) as anthro: weight-for-age,
 * weight-for-length/height, BMI-for-age and arm circumference; not length/height-for-age nor head
 * circumference (`zscore_fun = compute_zscore` in their files). Oedema removes the weight-based three.
 */
export function underFiveZScores(input: GrowthInput, sex: SexCode): GrowthZScores {
  const ageDays = roundUp(input.ageDays);
  if (ageDays > MAX_AGE_DAYS || !isUnderFive(input.ageDays)) return {};
  const cm = standardisedLength(input, ageDays);
  const weight = input.oedema ? undefined : input.weightKg;
  const bmi = positive(weight) && positive(cm) ? weight / (cm / 100) ** 2 : undefined;
  const result: GrowthZScores = {
    weightForAge: byAge(WEIGHT_FOR_AGE, sex, ageDays, weight, true, weightForAgeFlag),
    heightForAge: byAge(LENGTH_FOR_AGE, sex, ageDays, cm, false, beyond(6)),
    weightForHeight: weightForLengthOrHeight(sex, ageDays, weight, cm),
    bmiForAge: byAge(BMI_FOR_AGE, sex, ageDays, bmi, true, beyond(5)),
    headCircumferenceForAge: byAge(HEAD_CIRCUMFERENCE_FOR_AGE, sex, ageDays, input.headCircumferenceCm, false, beyond(5)),
    muacForAge: ageDays >= MUAC_FROM_DAYS ? byAge(ARM_CIRCUMFERENCE_FOR_AGE, sex, ageDays, input.muacCm, true, beyond(5)) : undefined,
  };
  return withoutAbsent(result);
}
