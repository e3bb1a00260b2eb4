/** Inputs and results of the WHO growth z-scores (see index.ts and docs/decisions/0013-growth-z-scores.md). */

export type Sex = 'male' | 'female';

export interface GrowthInput {
  sex: Sex;
  /** Whole days since birth (ageInDays); a fraction is rounded half up, as anthro does. */
  ageDays: number;
  weightKg?: number;
  /** Recumbent length or standing height as measured; `measured` says which (see the ±0.7 cm rule). */
  lengthOrHeightCm?: number;
  /** How the length/height was taken; absent = as WHO expects for the age (no adjustment). */
  measured?: 'recumbent' | 'standing';
  headCircumferenceCm?: number;
  /** Mid-upper arm circumference. */
  muacCm?: number;
  /** Bilateral pitting oedema: weight-based indices are not computed (the weight is not the child's). */
  oedema?: boolean;
}

export interface ZScore {
  /** Rounded to 2 decimals (R `round(x, 2)`), as WHO's packages report and flag it. */
  z: number;
  /** WHO implausible-value flag (the packages' f* columns): the z-score is probably a measurement error. */
  flagged: boolean;
}

/** Only the indices that apply (age range, inputs present, no oedema for weight-based ones) are present. */
export interface GrowthZScores {
  weightForAge?: ZScore;
  /** Length-for-age below 731 days, height-for-age from 731 days. */
  heightForAge?: ZScore;
  /** Weight-for-length below 731 days, weight-for-height from 731 days; under-fives only. */
  weightForHeight?: ZScore;
  bmiForAge?: ZScore;
  headCircumferenceForAge?: ZScore;
  muacForAge?: ZScore;
}
