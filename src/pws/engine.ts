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
  /** Denominator is a sasaran target group that nobody entered for this area and year. */
  targetMissing?: TargetGroup;
  notCaptured?: string;
}

export interface Evaluation {
  total: IndicatorResult[];
  /** Per village of residence under the area (for level=village and the ranking table). */
  byVillage: Map<string, IndicatorResult[]>;
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

/**
 * Runs each distinct population query once per evaluation (several indicators share a
 * denominator, e.g. D of SKDN), a few at a time so PostgreSQL's pool is used without flooding it.
 */
class CountCache {
  private readonly cache = new Map<string, Promise<Counts>>();
  constructor(private readonly store: PwsStore, private readonly scope: PwsScope) {}
  get(q: PopulationQuery): Promise<Counts> {
    const key = JSON.stringify(q);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.store.count(this.scope, q);
      this.cache.set(key, hit);
    }
    return hit;
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
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
  const targetValue = target ? (village ? target.byVillage.get(village) : target.total) : undefined;
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
  if (rule.notCaptured) out.notCaptured = rule.notCaptured;
  return out;
}

/**
 * Evaluates indicators for an area and period. Target denominators are the year's sasaran (the
 * PWS convention: monthly and cumulative coverage are both against the annual target); "people
 * measured" denominators are counted in the same period as the numerator.
 */
export async function evaluate(store: PwsStore, scope: PwsScope, period: Period, rules: readonly IndicatorRule[] = INDICATOR_RULES): Promise<Evaluation> {
  const counts = new CountCache(store, scope);
  const ytd = period.month !== undefined ? yearToDate(period) : undefined;
  const groups = [...new Set(rules.flatMap((r) => ('target' in r.denominator ? [r.denominator.target] : [])))];
  const targetsP = store.targets(scope, period.year, groups);
  const pieces = await mapLimited(rules, 4, async (rule): Promise<Pieces> => {
    const den = 'target' in rule.denominator ? undefined : rule.denominator;
    const [num, denC, ytdNum, ytdDen] = await Promise.all([
      counts.get(queryOf(rule.numerator, period)),
      den ? counts.get(queryOf(den, period)) : undefined,
      ytd ? counts.get(queryOf(rule.numerator, ytd)) : undefined,
      ytd && den ? counts.get(queryOf(den, ytd)) : undefined,
    ]);
    return { num, den: denC, ...(ytdNum ? { ytdNum } : {}), ...(ytdDen ? { ytdDen } : {}) };
  });
  const targets = await targetsP;
  const villages = new Set<string>();
  for (const p of pieces) for (const c of [p.num, p.den, p.ytdNum, p.ytdDen]) c?.byVillage.forEach((_n, v) => villages.add(v));
  for (const t of targets.values()) t.byVillage.forEach((_n, v) => villages.add(v));
  const byVillage = new Map<string, IndicatorResult[]>();
  for (const v of [...villages].sort()) byVillage.set(v, rules.map((r, i) => resultOf(r, period, targets, pieces[i] as Pieces, v)));
  return { total: rules.map((r, i) => resultOf(r, period, targets, pieces[i] as Pieces)), byVillage };
}
