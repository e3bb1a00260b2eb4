import { ILP, SYSTEMS } from '../fhir/canonical';
import type { FormulaDefinition } from './derive';
import { isValidUcum } from './ucum';
import { LIFE_CYCLES } from './types';
import type { Band, CatalogueItem, Coding, FollowUp, RuleContext, ThresholdRule, ValueSpec } from './types';

/** Checks on one item; each problem is a readable sentence prefixed with where it is. */

export const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Decimal Snellen values a rule must cover: from 0 up to 6/3 (= 2.0), the best a chart shows. */
const SNELLEN_DOMAIN = { min: 0, max: 2 } as const;

export interface ItemCheckContext {
  itemCodes: ReadonlySet<string>;
  derivedCodes: ReadonlySet<string>;
  indicatorCodes: ReadonlySet<string>;
  formulas: Readonly<Record<string, FormulaDefinition>>;
}

type Report = (message: string) => void;

const lifeCycleSet: ReadonlySet<string> = new Set(LIFE_CYCLES);

export function checkCoding(coding: Coding | undefined, where: string, report: Report): void {
  if (!coding) return;
  if (!coding.system || !coding.code || !coding.display) report(`${where}: coding needs system, code and display`);
}

function checkIdentity(item: CatalogueItem, ctx: ItemCheckContext, report: Report): void {
  if (!KEBAB.test(item.code)) report('code must be kebab-case');
  if (!item.name.en || !item.name.id) report('name needs en and id');
  if (item.clusters.length === 0 || item.clusters.some((c) => ![1, 2, 3, 4, 5].includes(c))) report('clusters must list 1–5');
  if (new Set(item.clusters).size !== item.clusters.length) report('clusters repeat');
  if (item.lifeCycles.length === 0) report('lifeCycles is empty');
  for (const g of item.lifeCycles) if (!lifeCycleSet.has(g)) report(`unknown life cycle "${g}"`);
  for (const tag of item.indicators) if (!ctx.indicatorCodes.has(tag)) report(`unknown indicator "${tag}"`);
  if (new Set(item.indicators).size !== item.indicators.length) report('indicators repeat');
  checkCoding(item.bodySite, 'bodySite', report);
  if (item.followUpGroup !== undefined && !KEBAB.test(item.followUpGroup)) report('followUpGroup must be kebab-case');
}

function checkCodings(item: CatalogueItem, report: Report): void {
  const [primary] = item.codings;
  if (!primary) return report('codings is empty');
  item.codings.forEach((c, i) => {
    checkCoding(c, `codings[${i}]`, report);
    if (c.system === ILP.itemCodeSystem && (c.code !== item.code || c.display !== item.name.en)) {
      report(`codings[${i}]: a local item coding must use the catalogue code and name.en`);
    }
  });
  const standard = primary.system === SYSTEMS.loinc || primary.system === SYSTEMS.snomed;
  if (item.confidence === 'local' && standard) report('confidence "local" but the primary coding is LOINC/SNOMED');
  if (item.confidence !== 'local' && primary.system === ILP.itemCodeSystem) report(`confidence "${item.confidence}" but the primary coding is local`);
}

function checkValueSpec(spec: ValueSpec, report: Report): void {
  if (spec.type === 'quantity' || spec.type === 'integer') {
    if (!(Number.isFinite(spec.min) && Number.isFinite(spec.max) && spec.min < spec.max)) report('value: plausible min must be below max');
    if (spec.type === 'integer' && !(Number.isInteger(spec.min) && Number.isInteger(spec.max))) report('value: integer bounds must be integers');
    if (spec.type === 'quantity' && !(Number.isInteger(spec.decimals) && spec.decimals >= 0 && spec.decimals <= 6)) report('value: decimals must be 0–6');
    const unit = spec.unit;
    if (spec.type === 'quantity' && !unit) report('value: a quantity needs a unit');
    if (unit && (!unit.code || !unit.display)) report('value: unit needs code and display');
    if (unit?.code && !isValidUcum(unit.code)) report(`value: "${unit.code}" is not a valid UCUM unit`);
  }
  if (spec.type === 'coded') {
    if (spec.options.length === 0) report('value: a coded item needs options');
    if (new Set(spec.options.map((o) => o.value)).size !== spec.options.length) report('value: option values repeat');
    spec.options.forEach((o, i) => {
      if (!KEBAB.test(o.value) || !o.label) report(`value.options[${i}]: needs a kebab-case value and a label`);
      checkCoding(o.coding, `value.options[${i}]`, report);
    });
  }
}

function checkDerived(item: CatalogueItem, ctx: ItemCheckContext, report: Report): void {
  if (!item.derived) return;
  const { formula, inputs } = item.derived;
  const def = ctx.formulas[formula];
  if (!def) return report(`derived: unknown formula "${formula}"`);
  if (inputs.length !== def.arity) report(`derived: formula "${formula}" takes ${def.arity} inputs, got ${inputs.length}`);
  for (const input of inputs) {
    if (input === item.code) report('derived: an item cannot be its own input');
    else if (!ctx.itemCodes.has(input)) report(`derived: unknown input "${input}"`);
    else if (ctx.derivedCodes.has(input)) report(`derived: input "${input}" is itself derived`);
  }
}

function checkWhen(when: RuleContext | undefined, report: Report): void {
  if (!when) return;
  for (const g of when.lifeCycle ?? []) if (!lifeCycleSet.has(g)) report(`unknown life cycle "${g}"`);
  const pairs: [number | undefined, number | undefined, string][] = [
    [when.minAgeYears, when.maxAgeYears, 'age years'],
    [when.minAgeMonths, when.maxAgeMonths, 'age months'],
    [when.minGestationalWeeks, when.maxGestationalWeeks, 'gestational weeks'],
  ];
  for (const [min, max, what] of pairs) if (min !== undefined && max !== undefined && min >= max) report(`${what}: min must be below max`);
}

function checkFollowUp(f: FollowUp | undefined, report: Report): void {
  if (f && (!f.description || !Number.isInteger(f.dueInDays) || f.dueInDays < 0)) report('followUp needs a description and whole dueInDays ≥ 0');
}

function checkBandContent(band: Band, report: Report): void {
  if (!band.label) report('label is empty');
  checkCoding(band.category, 'category', report);
  if (band.category.system === ILP.interpretationCodeSystem && !KEBAB.test(band.category.code)) report('local category code must be kebab-case');
  checkFollowUp(band.followUp, report);
}

const atPrecision = (v: number, decimals: number): boolean => {
  const scaled = v * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-9;
};

/** Numeric bands: ascending, contiguous (`high` of one = `low` of the next), covering min..max. */
function checkNumericBands(bands: readonly Band[], domain: { min: number; max: number }, decimals: number | undefined, report: Report): void {
  bands.forEach((b, i) => {
    const at = `band ${i + 1}`;
    if (b.equals !== undefined) report(`${at}: numeric bands use low/high, not equals`);
    if (b.low !== undefined && b.high !== undefined && b.low >= b.high) report(`${at}: low must be below high`);
    if (i > 0 && b.low === undefined) report(`${at}: only the first band may be open below`);
    if (i < bands.length - 1 && b.high === undefined) report(`${at}: only the last band may be open above`);
    for (const edge of [b.low, b.high]) {
      if (edge !== undefined && decimals !== undefined && !atPrecision(edge, decimals)) report(`${at}: edge ${edge} is finer than the item's ${decimals} decimals`);
    }
    const next = bands[i + 1];
    if (next && b.high !== undefined && next.low !== undefined && b.high !== next.low) {
      report(`${at}: ${b.high > next.low ? 'overlaps' : 'leaves a gap before'} band ${i + 2} (${b.high} vs ${next.low})`);
    }
  });
  const first = bands[0];
  const last = bands[bands.length - 1];
  if (first?.low !== undefined && first.low > domain.min) report(`bands start at ${first.low}, above the plausible minimum ${domain.min}`);
  if (last?.high !== undefined && last.high <= domain.max) report(`bands end below ${last.high}, not covering the plausible maximum ${domain.max}`);
}

/** Coded/boolean bands: one per answer, each answer covered once. */
function checkEqualsBands(bands: readonly Band[], answers: readonly (string | boolean)[], report: Report): void {
  const seen = new Set<string | boolean>();
  bands.forEach((b, i) => {
    if (b.equals === undefined || b.low !== undefined || b.high !== undefined) report(`band ${i + 1}: coded/boolean bands use equals only`);
    else if (!answers.includes(b.equals)) report(`band ${i + 1}: equals ${JSON.stringify(b.equals)} is not an answer of this item`);
    else if (seen.has(b.equals)) report(`band ${i + 1}: answer ${JSON.stringify(b.equals)} has two bands`);
    if (b.equals !== undefined) seen.add(b.equals);
  });
  for (const a of answers) if (!seen.has(a)) report(`answer ${JSON.stringify(a)} has no band`);
}

function checkRule(rule: ThresholdRule, spec: ValueSpec, report: Report): void {
  if (!rule.id || !KEBAB.test(rule.id)) report('id must be kebab-case');
  if (!rule.source) report('source is empty');
  checkWhen(rule.when, report);
  if (rule.bands.length === 0) {
    // An empty rule means "not interpreted in this context"; without a context it would silence the item.
    if (!rule.when) report('a rule with no bands needs a `when` context');
    return;
  }
  rule.bands.forEach((b, i) => checkBandContent(b, (m) => report(`band ${i + 1}: ${m}`)));
  switch (spec.type) {
    case 'quantity': return checkNumericBands(rule.bands, spec, spec.decimals, report);
    case 'integer': return checkNumericBands(rule.bands, spec, 0, report);
    case 'snellen': return checkNumericBands(rule.bands, SNELLEN_DOMAIN, undefined, report);
    case 'boolean': return checkEqualsBands(rule.bands, [true, false], report);
    case 'coded': return checkEqualsBands(rule.bands, spec.options.map((o) => o.value), report);
  }
}

function checkThresholds(item: CatalogueItem, report: Report): void {
  const ids = new Set<string>();
  item.thresholds.forEach((rule, i) => {
    const where = `rule "${rule.id}"`;
    if (ids.has(rule.id)) report(`${where}: id repeats`);
    ids.add(rule.id);
    const shadowedBy = item.thresholds.slice(0, i).find((r) => !r.when);
    if (shadowedBy) report(`${where}: unreachable after rule "${shadowedBy.id}", which has no context`);
    checkRule(rule, item.value, (m) => report(`${where}: ${m}`));
  });
}

/** Every problem with one item, as "item "code": message". */
export function validateItem(item: CatalogueItem, ctx: ItemCheckContext): string[] {
  const problems: string[] = [];
  const report: Report = (m) => problems.push(`item "${item.code}": ${m}`);
  checkIdentity(item, ctx, report);
  checkCodings(item, report);
  checkValueSpec(item.value, report);
  checkDerived(item, ctx, report);
  checkThresholds(item, report);
  return problems;
}
