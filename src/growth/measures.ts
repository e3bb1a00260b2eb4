import { ageInMonths } from './age';
import type { GrowthInput, GrowthZScores } from './types';

/** Input clean-up shared by the 0–5 standards and the 5–19 reference. */

/** Age at which length (recumbent, below) gives way to height (standing) in the standards. */
export const HEIGHT_FROM_DAYS = 731;

/** anthro `round_up`: halves go up (ages are non-negative). */
export function roundUp(x: number): number {
  const floor = Math.floor(x);
  return x - floor >= 0.5 ? floor + 1 : floor;
}

/** WHO: a measure ≤ 0 gives no z-score (anthro `anthro_zscore_adjusted`). */
export const positive = (x: number | undefined): x is number => x !== undefined && Number.isFinite(x) && x > 0;

/**
 * anthro `adjust_lenhei`: the standards are length-based below 731 days and height-based from 731
 * days; a standing height below 731 days gets +0.7 cm, a recumbent length from 731 days −0.7 cm.
 * anthro z-score.R also ignores the position of a child under 9 months measured standing (c9mo_flag:
 * implausible, so no adjustment).
 */
export function standardisedLength(input: GrowthInput, ageDays: number): number | undefined {
  const cm = input.lengthOrHeightCm;
  if (cm === undefined) return undefined;
  const standingUnderNineMonths = input.measured === 'standing' && ageInMonths(input.ageDays) < 9;
  const measured = standingUnderNineMonths ? undefined : input.measured;
  if (ageDays < HEIGHT_FROM_DAYS && measured === 'standing') return cm + 0.7;
  if (ageDays >= HEIGHT_FROM_DAYS && measured === 'recumbent') return cm - 0.7;
  return cm;
}

/** Drops the absent indices, so `'bmiForAge' in result` means it was computed. */
export function withoutAbsent(result: GrowthZScores): GrowthZScores {
  return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined)) as GrowthZScores;
}
