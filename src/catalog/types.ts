/**
 * The ILP screening catalogue's shape. The catalogue is data (one file per cluster); the intake
 * JSON Schema, the FHIR mapping, the interpretation, the Observation profiles and the SPM/PWS
 * indicator tags are all derived from it. Adding an item is one entry in one file.
 */

export type ClusterNo = 1 | 2 | 3 | 4 | 5;

/** Life-cycle groups (ilp-domain §3). */
export const LIFE_CYCLES = [
  'ibu-hamil', 'ibu-bersalin', 'ibu-nifas', 'neonatus', 'bayi', 'balita', 'anak-prasekolah',
  'anak-usia-sekolah', 'remaja', 'usia-dewasa', 'catin', 'pus', 'wus', 'lansia',
] as const;
export type LifeCycle = (typeof LIFE_CYCLES)[number];

export interface Coding {
  system: string;
  code: string;
  display: string;
}

/** How sure we are of a standard code (ilp-domain "How to read confidence marks"). */
export type CodeConfidence = 'confident' | 'verify' | 'local';

export type ObservationCategory = 'vital-signs' | 'exam' | 'laboratory' | 'survey' | 'social-history' | 'imaging' | 'procedure';

export interface UcumUnit {
  /** UCUM code, e.g. `mm[Hg]`. */
  code: string;
  /** Human unit shown in Quantity.unit, e.g. `mmHg`. */
  display: string;
}

/** A coded answer a vendor may send, keyed by a short vendor-facing value. */
export interface AnswerOption {
  value: string;
  coding: Coding;
  /** Indonesian label for docs. */
  label: string;
}

export type ValueSpec =
  | { type: 'quantity'; unit: UcumUnit; min: number; max: number; decimals: number }
  | { type: 'integer'; min: number; max: number; unit?: UcumUnit }
  | { type: 'boolean' }
  | { type: 'coded'; options: AnswerOption[] }
  /** Snellen fraction such as "6/12"; compared as its decimal value. */
  | { type: 'snellen' };

/** v3 ObservationInterpretation flags (http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation). */
export type Flag = 'N' | 'A' | 'AA' | 'H' | 'HH' | 'L' | 'LL' | 'POS' | 'NEG' | 'IND';

/** Context a rule may depend on; all present conditions must hold. */
export interface RuleContext {
  lifeCycle?: LifeCycle[];
  sex?: 'male' | 'female';
  /** Inclusive lower bound, age in whole years at the visit. */
  minAgeYears?: number;
  /** Exclusive upper bound. */
  maxAgeYears?: number;
  /** Same units for months (for infants and balita). */
  minAgeMonths?: number;
  maxAgeMonths?: number;
  /** Gestational age in weeks from the same visit (item `gestational-age-weeks`); inclusive/exclusive. */
  minGestationalWeeks?: number;
  maxGestationalWeeks?: number;
}

/**
 * One result band. Numeric bands match `low <= v < high` (either bound may be absent);
 * coded/boolean bands match `equals`.
 */
export interface Band {
  low?: number;
  high?: number;
  equals?: string | boolean;
  flag: Flag;
  /** The clinical category as a coding (SNOMED, Kemkes, or our ILP interpretation CodeSystem). */
  category: Coding;
  /** Indonesian label as used in the guideline, e.g. "Hipertensi derajat 1". */
  label: string;
  /** Follow-up the gateway adds to the CarePlan when this band is reached. */
  followUp?: FollowUp;
}

export interface FollowUp {
  kind: 'referral' | 'follow-up' | 'education' | 'treatment' | 'retest';
  /** Activity description in Bahasa Indonesia (what the Puskesmas staff read). */
  description: string;
  /** Days after the visit that the activity is due. */
  dueInDays: number;
}

export interface ThresholdRule {
  /** Short id, unique within the item, e.g. `adult`, `pregnant-tm2`. */
  id: string;
  when?: RuleContext;
  /** Ordered; the first matching band wins. Bands should cover the whole plausible range. */
  bands: Band[];
  /** Guideline the thresholds come from, e.g. "KMK HK.01.07/MENKES/2015/2023 Tabel 22". */
  source: string;
  /** How a known gap or typo in the guideline (ilp-domain §4.8) was resolved, when it applies. */
  resolution?: string;
}

export interface DerivedFrom {
  /** Name of a formula registered in derive.ts, e.g. `bmi`. */
  formula: string;
  /** Catalogue codes of the inputs, in formula order. */
  inputs: string[];
}

export interface CatalogueItem {
  /** Stable vendor-facing code, kebab-case, e.g. `systolic-bp`. */
  code: string;
  name: { en: string; id: string };
  clusters: ClusterNo[];
  lifeCycles: LifeCycle[];
  category: ObservationCategory;
  /** Observation.code codings; the first is primary. */
  codings: Coding[];
  confidence: CodeConfidence;
  value: ValueSpec;
  /** Observation.bodySite when the item is side-specific (e.g. right eye). */
  bodySite?: Coding;
  /** Interpretation rules; the first rule whose context matches applies. Empty → no interpretation. */
  thresholds: ThresholdRule[];
  /** Computed by the gateway (vendors must not send it). */
  derived?: DerivedFrom;
  /**
   * Items that are parts of one reading (systolic and diastolic pressure) name the same group: the
   * visit's CarePlan then gets one follow-up for the reading, the most urgent of its parts, instead
   * of one per part (issue 9: 168/96 gave two referrals with different due dates).
   */
  followUpGroup?: string;
  /** SPM / PWS indicators the item counts toward (see indicators.ts). */
  indicators: string[];
  /** Free-text remarks for clinicians reviewing docs/catalogue.md. */
  notes?: string;
}

/** A screening (a group of items vendors send together), e.g. `hypertension`, `anc-10t`. */
export interface ScreeningType {
  code: string;
  name: { en: string; id: string };
  clusters: ClusterNo[];
  /** Kemkes/ilp-domain §5.3 code, e.g. SKR-HT. */
  domainCode: string;
  items: string[];
  indicators: string[];
}

export interface Catalogue {
  readonly version: string;
  readonly items: ReadonlyMap<string, CatalogueItem>;
  readonly screenings: ReadonlyMap<string, ScreeningType>;
}
