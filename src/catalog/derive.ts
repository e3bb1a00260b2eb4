/**
 * Formulas for derived catalogue items (CatalogueItem.derived). Each returns undefined when it
 * cannot compute a value (an input missing or of the wrong type), so the gateway then simply does
 * not add the derived Observation.
 */

export type DerivedInput = number | boolean | string | undefined;
export type DerivedValue = number | boolean | string;
export type Formula = (inputs: readonly DerivedInput[]) => DerivedValue | undefined;

export interface FormulaDefinition {
  /** Number of inputs, in the order CatalogueItem.derived.inputs lists them. */
  arity: number;
  description: string;
  compute: Formula;
}

const positive = (v: DerivedInput): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** BMI = weight (kg) / height (m)², rounded to 1 decimal as KMK Tabel 20 states its bands. */
const bmi: Formula = ([weightKg, heightCm]) => {
  if (!positive(weightKg) || !positive(heightCm)) return undefined;
  const heightM = heightCm / 100;
  return Math.round((weightKg / (heightM * heightM)) * 10) / 10;
};

/**
 * TB symptom screen (KMK Formulir 1; ilp-domain §4.2/§4.4) over [cough ≥ 2 weeks, cough of any
 * duration, weight loss, fever, night sweats]: any symptom present → "terduga" (presumptive TB);
 * cough, weight loss, fever and night sweats all answered and absent → "bukan-terduga". The cough
 * counts as answered when either cough question is (the child screen asks ≥ 2 weeks, the adult
 * Formulir 1 any duration). A true answer decides even if others are missing.
 */
const tbSymptomScreen: Formula = ([cough2Weeks, coughAny, ...others]) => {
  const symptoms = [cough2Weeks, coughAny, ...others];
  if (symptoms.some((s) => s === true)) return 'terduga';
  const coughAbsent = cough2Weeks === false || coughAny === false;
  return coughAbsent && others.length === 3 && others.every((s) => s === false) ? 'bukan-terduga' : undefined;
};

export const FORMULAS: Readonly<Record<string, FormulaDefinition>> = {
  bmi: { arity: 2, description: 'weight (kg) / (height (cm) / 100)², 1 decimal', compute: bmi },
  'tb-symptom-screen': {
    arity: 5,
    description: 'any of cough ≥2 weeks, cough (any duration), weight loss, fever, night sweats → terduga; cough (either question), weight loss, fever, night sweats all absent → bukan-terduga',
    compute: tbSymptomScreen,
  },
};

/** Computes a derived value. Throws on an unknown formula: the catalogue loader rules that out. */
export function derive(formula: string, inputs: readonly DerivedInput[]): DerivedValue | undefined {
  const def = FORMULAS[formula];
  if (!def) throw new Error(`Unknown catalogue formula "${formula}"`);
  if (inputs.length !== def.arity) return undefined;
  return def.compute(inputs);
}
