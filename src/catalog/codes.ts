import { ILP, SYSTEMS } from '../fhir/canonical';
import type { Coding, LifeCycle, UcumUnit } from './types';

/**
 * Small builders for the codings the catalogue data uses, so every data file spells systems the
 * same way. Displays are copied from the source named at each call site (ilp-domain §6, the
 * SATUSEHAT example collection, or the ID Core FSH sources of the Kemkes code systems).
 */

/** Kemkes `ObservationInterpretation` CodeSystem (ID Core FSH, `BMI-Normal`, `BMI-SevereUnder`). */
export const KEMKES_OBSERVATION_INTERPRETATION = 'http://terminology.kemkes.go.id/CodeSystem/ObservationInterpretation';

export const loinc = (code: string, display: string): Coding => ({ system: SYSTEMS.loinc, code, display });
export const snomed = (code: string, display: string): Coding => ({ system: SYSTEMS.snomed, code, display });
export const kemkes = (code: string, display: string): Coding => ({ system: SYSTEMS.kemkesClinicalTerm, code, display });

/** An item with no standard code: the catalogue code itself, in our item CodeSystem. */
export const localItem = (code: string, display: string): Coding => ({ system: ILP.itemCodeSystem, code, display });
/** A result category with no standard code (kebab-case code, Indonesian display). */
export const localCategory = (code: string, display: string): Coding => ({ system: ILP.interpretationCodeSystem, code, display });
/** A coded answer with no standard code. */
export const localAnswer = (code: string, display: string): Coding => ({ system: ILP.answerCodeSystem, code, display });

/** UCUM units as SATUSEHAT sends them (satusehat-api §3.2, satusehat-observation-codes.txt). */
export const UNITS = {
  mmHg: { code: 'mm[Hg]', display: 'mmHg' },
  beatsPerMin: { code: '/min', display: 'beats/min' },
  breathsPerMin: { code: '/min', display: 'breaths/min' },
  celsius: { code: 'Cel', display: 'Cel' },
  kg: { code: 'kg', display: 'kg' },
  cm: { code: 'cm', display: 'cm' },
  kgPerM2: { code: 'kg/m2', display: 'kg/m2' },
  gPerDl: { code: 'g/dL', display: 'g/dL' },
  mgPerDl: { code: 'mg/dL', display: 'mg/dL' },
  weeks: { code: 'wk', display: 'wk' },
  percent: { code: '%', display: '%' },
  /**
   * z-scores are dimensionless: UCUM unity with the annotation `{Z-score}` (UCUM §2.6 "curly
   * braces": an annotation has no effect on the unit's meaning). Chosen over `{SD}` because the
   * value is a standardised score, not a standard deviation; docs/decisions/0014.
   */
  zScore: { code: '{Z-score}', display: 'Z-score' },
} as const satisfies Record<string, UcumUnit>;

/** Life-cycle sets reused by many items (ilp-domain §3). */
export const LC = {
  pregnancy: ['ibu-hamil'],
  under5: ['neonatus', 'bayi', 'balita'],
  children: ['bayi', 'balita', 'anak-prasekolah', 'anak-usia-sekolah', 'remaja'],
  adults: ['usia-dewasa', 'catin', 'pus', 'wus', 'lansia'],
  all: [
    'ibu-hamil', 'ibu-bersalin', 'ibu-nifas', 'neonatus', 'bayi', 'balita', 'anak-prasekolah',
    'anak-usia-sekolah', 'remaja', 'usia-dewasa', 'catin', 'pus', 'wus', 'lansia',
  ],
} as const satisfies Record<string, readonly LifeCycle[]>;

/** Concatenates life-cycle sets without duplicates, keeping first-seen order. */
export function lifeCycles(...sets: readonly (readonly LifeCycle[])[]): LifeCycle[] {
  return [...new Set(sets.flat())];
}
