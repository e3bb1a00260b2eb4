import type { Band, CatalogueItem, Flag, LifeCycle, RuleContext, ThresholdRule, ValueSpec } from './types';

/** What the patient and visit contribute to rule selection. */
export interface InterpretContext {
  sex: 'male' | 'female';
  /** Completed years at the visit. */
  ageYears: number;
  /** Completed months at the visit, in total (a 2-year-old is 24), not the remainder after years. */
  ageMonths: number;
  lifeCycles: LifeCycle[];
  /** Gestational age in weeks from the same visit (item `gestational-age-weeks`), when known. */
  gestationalWeeks?: number;
}

export interface Interpretation {
  flag: Flag;
  band: Band;
  rule: ThresholdRule;
}

const SNELLEN = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/;

/** "6/12" → 0.5, "20/40" → 0.5; undefined when not a fraction with positive parts. */
export function snellenToDecimal(text: string): number | undefined {
  const m = SNELLEN.exec(text);
  if (!m) return undefined;
  const distance = Number(m[1]);
  const letterSize = Number(m[2]);
  if (!(distance > 0) || !(letterSize > 0)) return undefined;
  return distance / letterSize;
}

const inRange = (v: number, min: number | undefined, max: number | undefined): boolean =>
  (min === undefined || v >= min) && (max === undefined || v < max);

/** All conditions present in `when` must hold; a gestational condition needs a known gestational age. */
export function ruleApplies(when: RuleContext | undefined, ctx: InterpretContext): boolean {
  if (!when) return true;
  if (when.lifeCycle && !when.lifeCycle.some((g) => ctx.lifeCycles.includes(g))) return false;
  if (when.sex && when.sex !== ctx.sex) return false;
  if (!inRange(ctx.ageYears, when.minAgeYears, when.maxAgeYears)) return false;
  if (!inRange(ctx.ageMonths, when.minAgeMonths, when.maxAgeMonths)) return false;
  if (when.minGestationalWeeks === undefined && when.maxGestationalWeeks === undefined) return true;
  return ctx.gestationalWeeks !== undefined && inRange(ctx.gestationalWeeks, when.minGestationalWeeks, when.maxGestationalWeeks);
}

/**
 * The number a numeric band is compared with. Quantities are rounded to the item's declared
 * decimals first, so a band edge written at that precision is exact: waist "> 90 cm" at 1 decimal
 * is the band starting at 90.1, and 90.04 reads as 90.0 (docs/decisions/0002).
 */
function numericValue(spec: ValueSpec, value: number | boolean | string): number | undefined {
  switch (spec.type) {
    case 'quantity': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      const f = 10 ** spec.decimals;
      return Math.round(value * f) / f;
    }
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'snellen':
      return typeof value === 'string' ? snellenToDecimal(value) : undefined;
    default:
      return undefined;
  }
}

function matchBand(spec: ValueSpec, bands: readonly Band[], value: number | boolean | string): Band | undefined {
  if (spec.type === 'boolean' || spec.type === 'coded') {
    return bands.find((b) => b.equals !== undefined && b.equals === value);
  }
  const v = numericValue(spec, value);
  if (v === undefined) return undefined;
  return bands.find((b) => b.equals === undefined && inRange(v, b.low, b.high));
}

/**
 * Interprets one value: the first rule whose context matches decides (a rule with no bands means
 * "not interpreted in this context", e.g. BMI in the 2nd trimester); within it the first band that
 * matches. Undefined when no rule applies or the value does not fit the item's value type.
 */
export function interpret(item: CatalogueItem, value: number | boolean | string, ctx: InterpretContext): Interpretation | undefined {
  const rule = item.thresholds.find((r) => ruleApplies(r.when, ctx));
  if (!rule) return undefined;
  const band = matchBand(item.value, rule.bands, value);
  return band ? { flag: band.flag, band, rule } : undefined;
}
