import { dataFilter } from '../auth/access-decision';
import type { Principal } from '../auth/tokens';
import { OperationOutcomeError } from '../kernel';
import { evaluate, type Evaluation, type IndicatorResult } from '../pws/engine';
import { parsePeriod, isIssue, type Period } from '../pws/query';
import { INDICATOR_BY_CODE, INDICATOR_RULES, type IndicatorRule } from '../pws/registry';
import { pwsScope } from '../pws/scope';
import type { PwsStore } from '../store/pws-ports';
import { childLength, type AreaTable } from './areas';

/**
 * What the PWS dashboard shows, from the PWS engine itself (src/pws/engine.ts `evaluate`, the
 * function behind GET /pws/v1/indicators) under the caller's access decision (`dataFilter` +
 * `pwsScope`): nothing here counts or divides, so every figure is the API's figure for the same
 * area and period. The dashboard only picks which figures to put side by side.
 */
export type TargetStatus = 'above' | 'below' | 'none';
export type Direction = 'rising' | 'falling' | 'steady' | 'none';

export interface ChildRow {
  code: string;
  name: string | undefined;
  /** The chosen indicator for this child area (undefined: no data there at all). */
  result?: IndicatorResult;
  /** The same indicator in the previous period, for rising/falling. */
  previous?: IndicatorResult;
  /** Cumulative coverage (month: Jan..month; year: the year) and the target it is compared with. */
  coverage: number | null;
  target: number | undefined;
  status: TargetStatus;
  direction: Direction;
}

export interface TrendPoint {
  month: number;
  value: number | null;
  cumulative: number | null;
}

export interface Dashboard {
  area: string;
  period: Period;
  cards: IndicatorResult[];
  rule: IndicatorRule;
  children: ChildRow[];
  /** Per indicator code, January up to the period's month (month periods only). */
  trends: Map<string, TrendPoint[]>;
}

export function previousPeriod(p: Period): Period {
  const text = p.month === undefined ? String(p.year - 1) : p.month === 1 ? `${p.year - 1}-12` : `${p.year}-${String(p.month - 1).padStart(2, '0')}`;
  return parsePeriod(text) as Period;
}

/** Cumulative coverage and its target: the classic PWS chart's bar and line. */
export function coverageOf(rule: IndicatorRule, period: Period, r: IndicatorResult | undefined): { coverage: number | null; target: number | undefined } {
  if (!r) return { coverage: null, target: undefined };
  if (period.month !== undefined) return { coverage: r.yearToDate?.value ?? null, target: r.targetLine };
  return { coverage: r.value, target: rule.programTarget };
}

function statusOf(coverage: number | null, target: number | undefined): TargetStatus {
  if (coverage === null || target === undefined) return 'none';
  return coverage >= target ? 'above' : 'below';
}

function directionOf(now: IndicatorResult | undefined, before: IndicatorResult | undefined): Direction {
  if (now?.value == null || before?.value == null) return 'none';
  return now.value > before.value ? 'rising' : now.value < before.value ? 'falling' : 'steady';
}

/** The indicator asked for, else the first with a programme target (those have the PWS chart's target line). */
export function chartRule(code: string | undefined): IndicatorRule {
  return (code && INDICATOR_BY_CODE.get(code)) || INDICATOR_RULES.find((r) => r.programTarget !== undefined) || INDICATOR_RULES[0]!;
}

function pick(e: Evaluation | undefined, code: string, village?: string): IndicatorResult | undefined {
  const list = village === undefined ? e?.total : e?.byVillage.get(village);
  return list?.find((r) => r.code === code);
}

/** The engine for a child area, or undefined when the access decision refuses it (outside a district's regions). */
async function childEvaluation(store: PwsStore, filter: ReturnType<typeof dataFilter>, code: string, period: Period, rule: IndicatorRule): Promise<Evaluation | undefined> {
  try {
    return await evaluate(store, pwsScope(filter, code), period, [rule]);
  } catch (err) {
    if (err instanceof OperationOutcomeError && err.status === 403) return undefined;
    throw err;
  }
}

type ChildPair = (code: string) => Promise<[Evaluation | undefined, Evaluation | undefined]>;

/** The chosen indicator for a child area now and in the previous period, each child asked once (memoised, so it can start early). */
function childPairs(store: PwsStore, filter: ReturnType<typeof dataFilter>, period: Period, rule: IndicatorRule): ChildPair {
  const started = new Map<string, Promise<[Evaluation | undefined, Evaluation | undefined]>>();
  return (code) => {
    let p = started.get(code);
    if (!p) {
      p = Promise.all([childEvaluation(store, filter, code, period, rule), childEvaluation(store, filter, code, previousPeriod(period), rule)]);
      started.set(code, p);
    }
    return p;
  };
}

function visibleTo(filter: ReturnType<typeof dataFilter>, codes: readonly string[]): string[] {
  return codes.filter((c) => { try { pwsScope(filter, c); return true; } catch { return false; } });
}

async function childrenOf(filter: ReturnType<typeof dataFilter>, areas: AreaTable, pair: ChildPair, d: { area: string; period: Period; rule: IndicatorRule; now: Evaluation; before: Evaluation | undefined }): Promise<ChildRow[]> {
  const len = childLength(d.area);
  if (len === undefined) return [];
  const withData = new Set([...d.now.byVillage.keys()].map((v) => v.slice(0, len)));
  const visible = visibleTo(filter, [...new Set([...areas.children(d.area), ...withData])].sort());
  const rows = await Promise.all(visible.map(async (code): Promise<ChildRow> => {
    let result: IndicatorResult | undefined;
    let previous: IndicatorResult | undefined;
    if (!withData.has(code)) result = undefined;
    else if (len === 10) {
      result = pick(d.now, d.rule.code, code);
      previous = pick(d.before, d.rule.code, code);
    } else {
      const [now, before] = await pair(code);
      result = pick(now, d.rule.code);
      previous = pick(before, d.rule.code);
    }
    const { coverage, target } = coverageOf(d.rule, d.period, result);
    return { code, name: areas.name(code), ...(result ? { result } : {}), ...(previous ? { previous } : {}), coverage, target, status: statusOf(coverage, target), direction: directionOf(result, previous) };
  }));
  // Ranked by cumulative coverage, highest first; areas without a figure last, by code.
  return rows.sort((a, b) => (b.coverage ?? -1) - (a.coverage ?? -1) || a.code.localeCompare(b.code));
}

/**
 * The first screen: cards, chart and ranking. The monthly trends (one engine call per month) are
 * not on this path: the page fetches them after the chart is shown (buildTrends).
 */
export async function buildDashboard(store: PwsStore, principal: Principal, areas: AreaTable, q: { area: string; period: Period; indicator?: string }): Promise<Dashboard> {
  const filter = dataFilter(principal);
  const scope = pwsScope(filter, q.area);
  const rule = chartRule(q.indicator);
  const pair = childPairs(store, filter, q.period, rule);
  // Above the kecamatan, the child areas' own engine calls start with the area's, not after it.
  if (childLength(q.area) !== 10) for (const c of visibleTo(filter, areas.children(q.area))) pair(c).catch(() => undefined);
  const [now, before] = await Promise.all([evaluate(store, scope, q.period), evaluate(store, scope, previousPeriod(q.period), [rule])]);
  const children = await childrenOf(filter, areas, pair, { area: q.area, period: q.period, rule, now, before });
  return { area: q.area, period: q.period, cards: now.total, rule, children, trends: new Map() };
}

/** Per indicator, January up to the period's month: the engine's monthly value and year-to-date value (month periods only). */
export async function buildTrends(store: PwsStore, principal: Principal, q: { area: string; period: Period }): Promise<Map<string, TrendPoint[]>> {
  const trends = new Map<string, TrendPoint[]>();
  if (q.period.month === undefined) return trends;
  const scope = pwsScope(dataFilter(principal), q.area);
  const months = Array.from({ length: q.period.month }, (_v, i) => parsePeriod(`${q.period.year}-${String(i + 1).padStart(2, '0')}`) as Period);
  const series = await Promise.all(months.map((m) => evaluate(store, scope, m)));
  for (const r of series[series.length - 1]?.total ?? []) {
    trends.set(r.code, series.map((e, i) => {
      const x = pick(e, r.code);
      return { month: i + 1, value: x?.value ?? null, cumulative: x?.yearToDate?.value ?? null };
    }));
  }
  return trends;
}

export function isPeriod(v: unknown): v is Period {
  return !isIssue(v);
}
