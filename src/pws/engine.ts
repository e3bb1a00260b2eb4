import type { PopulationQuery, PwsScope, PwsStore } from '../store/pws-ports';
import { monthsBefore, yearToDate, type Period } from './query';
import { INDICATOR_RULES, type IndicatorRule, type Population, type TargetGroup } from './registry';

/** Numerator, denominator and value (100 × n / d, null without a denominator) of one indicator in one place and period. */
export interface Figure {
  numerator: number;
  denominator: number | null;
  value: number | null;
}

export interface IndicatorResult extends Figure {
  code: string;
  name: string;
  nameEn: string;
  kind: 'SPM' | 'PWS';
  /** Month periods: the same indicator from January to this month (PWS "kumulatif"). */
  yearToDate?: Figure;
  /** Month periods with a programme target: the PWS chart's linear target for this month (target × month / 12), in percent. */
  targetLine?: number;
  /** Denominator is a sasaran target group not entered for this area and year (above a village: for one of its villages with people counted). */
  targetMissing?: TargetGroup;
  /** What the rule cannot count yet, in Bahasa Indonesia like `name` (English in `notCapturedEn`). */
  notCaptured?: string;
  notCapturedEn?: string;
  /**
   * Present when the figures count a longer period than the one asked: an indicator whose natural
   * period is the year (the SPM services, annual screenings) asked for a month or part of a year
   * counts from 1 January to the end of the period asked (year-to-date), never a month alone.
   * `start`/`end` are inclusive local dates.
   */
  countedPeriod?: { start: string; end: string; basis: 'year-to-date' };
}

export interface Evaluation {
  total: IndicatorResult[];
  /** Per village of residence under the area (for level=village and the ranking table). */
  byVillage: Map<string, IndicatorResult[]>;
}

const lastDay = (p: Period): string => new Date(Date.parse(`${p.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * The period an indicator actually counts when asked for `period`: itself, except that a
 * year-natural indicator (SPM "per person per year": 8 weighings, 2 vitamin A doses…) asked for a
 * month or any part of a year counts the year to date, so a month never silently mixes a monthly
 * slice of an annual rule with monthly indicators (docs/decisions/0019-pws.md §8).
 */
export function countedPeriodOf(rule: IndicatorRule, period: Period): Period {
  if (rule.period !== 'year' || period.from === `${period.year}-01-01`) return period;
  return { ...yearToDate(period), text: `${period.year}-01-01/${lastDay(period)}` };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function figure(numerator: number, denominator: number | null): Figure {
  return { numerator, denominator, value: denominator ? round2((100 * numerator) / denominator) : null };
}

function queryOf(p: Population, period: Period): PopulationQuery {
  return {
    requirements: p.requires.map((r) => ({ facts: r.anyOf, minDates: r.minDates ?? 1 })),
    ...(p.age ? { age: p.age } : {}),
    ...(p.sex ? { sex: p.sex } : {}),
    ...(p.pregnant ? { pregnant: true } : {}),
    from: period.from,
    to: period.to,
    lookbackFrom: p.lookbackMonths ? monthsBefore(period.from, p.lookbackMonths) : period.from,
  };
}

type Counts = { total: number; byVillage: Map<string, number> };

/** Each distinct population once (several indicators share a denominator, e.g. D of SKDN), all in one store call. */
async function countAll(store: PwsStore, scope: PwsScope, queries: readonly PopulationQuery[]): Promise<(q: PopulationQuery) => Counts> {
  const keys = [...new Set(queries.map((q) => JSON.stringify(q)))];
  const counts = await store.countMany(scope, keys.map((k) => JSON.parse(k) as PopulationQuery));
  const byKey = new Map(keys.map((k, i) => [k, counts[i]!]));
  return (q) => byKey.get(JSON.stringify(q))!;
}

interface Pieces {
  num: Counts;
  den: Counts | undefined;
  ytdNum?: Counts;
  ytdDen?: Counts;
}

function resultOf(rule: IndicatorRule, period: Period, targets: Map<string, Counts>, p: Pieces, village?: string): IndicatorResult {
  const pick = (c: Counts | undefined): number => (c ? (village ? (c.byVillage.get(village) ?? 0) : c.total) : 0);
  const target = 'target' in rule.denominator ? targets.get(rule.denominator.target) : undefined;
  // Above a village, the sasaran is the sum over its villages: only meaningful when every village
  // whose residents are counted has entered one (else the value is inflated, even above 100%).
  const uncovered = !village && target ? [p.num, p.ytdNum].some((c) => [...(c?.byVillage.keys() ?? [])].some((v) => !target.byVillage.has(v))) : false;
  const targetValue = target && !uncovered ? (village ? target.byVillage.get(village) : target.total) : undefined;
  const den = 'target' in rule.denominator ? (targetValue ?? null) : pick(p.den);
  const out: IndicatorResult = {
    code: rule.code, name: rule.name.id, nameEn: rule.name.en, kind: rule.kind,
    ...figure(pick(p.num), den),
  };
  if ('target' in rule.denominator && targetValue === undefined) out.targetMissing = rule.denominator.target;
  if (period.month !== undefined) {
    out.yearToDate = figure(pick(p.ytdNum), 'target' in rule.denominator ? (targetValue ?? null) : pick(p.ytdDen));
    if (rule.programTarget !== undefined) out.targetLine = round2((rule.programTarget * period.month) / 12);
  }
  if (rule.notCaptured) {
    out.notCaptured = rule.notCaptured.id;
    out.notCapturedEn = rule.notCaptured.en;
  }
  const counted = countedPeriodOf(rule, period);
  if (counted !== period) out.countedPeriod = { start: counted.from, end: lastDay(counted), basis: 'year-to-date' };
  return out;
}

/**
 * Evaluates indicators for an area and period. Target denominators are the year's sasaran (the
 * PWS convention: monthly and cumulative coverage are both against the annual target); "people
 * measured" denominators are counted in the same period as the numerator.
 */
export async function evaluate(store: PwsStore, scope: PwsScope, period: Period, rules: readonly IndicatorRule[] = INDICATOR_RULES): Promise<Evaluation> {
  const ytd = period.month !== undefined ? yearToDate(period) : undefined;
  const plans = rules.map((rule) => {
    const den = 'target' in rule.denominator ? undefined : rule.denominator;
    const counted = countedPeriodOf(rule, period);
    return {
      num: queryOf(rule.numerator, counted),
      den: den ? queryOf(den, counted) : undefined,
      ytdNum: ytd ? queryOf(rule.numerator, ytd) : undefined,
      ytdDen: ytd && den ? queryOf(den, ytd) : undefined,
    };
  });
  const groups = [...new Set(rules.flatMap((r) => ('target' in r.denominator ? [r.denominator.target] : [])))];
  const all = plans.flatMap((p) => [p.num, p.den, p.ytdNum, p.ytdDen].filter((q): q is PopulationQuery => q !== undefined));
  const [count, targets] = await Promise.all([countAll(store, scope, all), store.targets(scope, period.year, groups)]);
  const pieces: Pieces[] = plans.map((p) => ({
    num: count(p.num),
    den: p.den ? count(p.den) : undefined,
    ...(p.ytdNum ? { ytdNum: count(p.ytdNum) } : {}),
    ...(p.ytdDen ? { ytdDen: count(p.ytdDen) } : {}),
  }));
  const villages = new Set<string>();
  for (const p of pieces) for (const c of [p.num, p.den, p.ytdNum, p.ytdDen]) c?.byVillage.forEach((_n, v) => villages.add(v));
  for (const t of targets.values()) t.byVillage.forEach((_n, v) => villages.add(v));
  const byVillage = new Map<string, IndicatorResult[]>();
  for (const v of [...villages].sort()) byVillage.set(v, rules.map((r, i) => resultOf(r, period, targets, pieces[i]!, v)));
  return { total: rules.map((r, i) => resultOf(r, period, targets, pieces[i]!)), byVillage };
}
