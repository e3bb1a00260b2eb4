import { PROVINCE_CODES } from '../catalog/vocabulary';
import { fail, issue, OperationOutcomeError, type Issue, type Logger } from '../kernel';
import type { PwsStore } from '../store/pws-ports';
import type { ClaimRule, PwsReportStore, ReportToStore, RunStats } from '../store/pws-report-ports';
import { evaluate, type IndicatorResult } from './engine';
import { measureReportOf } from './measure';
import { isIssue, parseArea, parsePeriod, type Period } from './query';
import { INDICATOR_RULES, type IndicatorRule } from './registry';
import { dueMonths, isClosed, manualRule, parseMonth, type ScheduleOptions } from './report-schedule';

/**
 * The monthly village MeasureReports (issue #10 item 3): for a closed local month, one summary
 * MeasureReport per village with data and per indicator, with the figures `$evaluate-measure`
 * answers for that village and month (the same engine call and the same builder,
 * src/pws/measure.ts), stored as FHIR resources under a deterministic id so a re-run makes a new
 * version only when the figures changed. Pure orchestration over the store ports; the run table
 * makes sure one replica computes a month at a time. docs/decisions/0019-pws.md.
 */

export interface ReportJobDeps {
  pws: PwsStore;
  reports: PwsReportStore;
  now(): number;
  logger?: Logger;
  /** The claim's lease; renewed after every province. */
  leaseSeconds: number;
}

export interface MonthOutcome extends RunStats {
  period: string;
  area: string;
  unchanged: number;
}

export type RunOutcome =
  | { claimed: true; outcome: MonthOutcome }
  /** Another worker holds the month, or it is not due under the rule. */
  | { claimed: false; period: string; area: string };

export class ReportRunError extends Error {
  constructor(message: string, readonly interrupted = false) {
    super(message);
    this.name = 'ReportRunError';
  }
}

/** `pws-{indicator}-{village}-{YYYY-MM}`: at most 4 + 23 + 1 + 10 + 1 + 7 characters, within FHIR's 64. */
export function reportId(code: string, village: string, period: string): string {
  return `pws-${code}-${village}-${period}`;
}

/** The period of a month report (what GET /pws/v1/indicators?period=YYYY-MM and a whole-month $evaluate-measure use). */
export function monthPeriod(month: string): Period {
  const p = parsePeriod(month);
  if (isIssue(p) || p.month === undefined) throw new ReportRunError(`not a month: ${month}`);
  return p;
}

const instant = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

/**
 * Everything counted, by every organisation: the view of a client unrestricted on organisations
 * (pwsScope for the ministry or a district team inside its regions). The stored reports are owned by
 * GATEWAY_OWNER, so the access filter shows them to exactly those clients (docs/decisions/0019-pws.md).
 */
const ALL = { organizations: 'all', regions: 'all' } as const;

function reportsOf(rules: readonly IndicatorRule[], village: string, period: Period, results: readonly IndicatorResult[], date: string): ReportToStore[] {
  return rules.map((rule, i) => ({
    resource: measureReportOf(rule, village, period, results[i]!, date, reportId(rule.code, village, period.text)) as ReportToStore['resource'],
    residence: village,
  }));
}

/**
 * Computes and stores one month's reports for the villages under `area` ('' = all), province by
 * province (bounded work per engine call). Villages that had a stored report for the month but
 * no longer have data (a visit corrected to another village) get their reports recomputed too:
 * to zero, as `$evaluate-measure` would answer, never left stale.
 */
export async function computeMonth(deps: ReportJobDeps, month: string, area: string, heartbeat: () => Promise<void>, signal?: AbortSignal): Promise<MonthOutcome> {
  const period = monthPeriod(month);
  const rules = INDICATOR_RULES;
  const prefixes = area === '' ? [...PROVINCE_CODES].sort() : [area];
  const stats = { villages: 0, reports: 0, written: 0, unchanged: 0 };
  // Read once per run (it scans the stored reports), then taken per province.
  const storedBefore = await deps.reports.storedVillages(period.from, area);
  for (const prefix of prefixes) {
    if (signal?.aborted) throw new ReportRunError('stopped by shutdown', true);
    const date = instant(deps.now());
    const { byVillage } = await evaluate(deps.pws, { ...ALL, areaPrefix: prefix }, period, rules);
    const reports = [...byVillage].flatMap(([village, results]) => reportsOf(rules, village, period, results, date));
    const stale = storedBefore.filter((v) => v.startsWith(prefix) && !byVillage.has(v));
    for (const village of stale) {
      const { total } = await evaluate(deps.pws, { ...ALL, areaPrefix: village }, period, rules);
      reports.push(...reportsOf(rules, village, period, total, date));
    }
    const { written, unchanged } = await deps.reports.save(reports, date);
    stats.villages += byVillage.size + stale.length;
    stats.reports += reports.length;
    stats.written += written;
    stats.unchanged += unchanged;
    await heartbeat();
  }
  return { period: month, area, ...stats };
}

/** Claims (month, area) under `rule`, computes it, records the outcome; a failure is recorded and rethrown. */
export async function runMonth(deps: ReportJobDeps, worker: string, month: string, area: string, rule: ClaimRule, signal?: AbortSignal): Promise<RunOutcome> {
  monthPeriod(month);
  const run = await deps.reports.claim(month, area, worker, instant(deps.now()), deps.leaseSeconds, rule);
  if (!run) return { claimed: false, period: month, area };
  const started = deps.now();
  try {
    const outcome = await computeMonth(deps, month, area, async () => {
      if (!(await deps.reports.renew(month, area, worker, instant(deps.now()), deps.leaseSeconds))) {
        throw new ReportRunError(`lost the claim on ${month}${area ? ` ${area}` : ''}: its lease ran out and another worker took it`);
      }
    }, signal);
    await deps.reports.finish(month, area, worker, instant(deps.now()), outcome);
    deps.logger?.info({ ...outcome, attempt: run.attempts, ms: deps.now() - started }, 'village MeasureReports stored');
    return { claimed: true, outcome };
  } catch (err) {
    const interrupted = err instanceof ReportRunError && err.interrupted;
    await deps.reports.fail(month, area, worker, instant(deps.now()), err instanceof Error ? err.message : String(err), interrupted)
      .catch((e: unknown) => deps.logger?.error({ err: e }, 'could not record the failed MeasureReport run'));
    throw err;
  }
}

/** A manual run (CLI, admin API): a closed month, recomputed whatever earlier runs did, unless another worker is on it. */
export async function runManual(deps: ReportJobDeps, worker: string, month: string, area: string): Promise<RunOutcome> {
  if (!isClosed(month, deps.now())) throw new ReportRunError(`${month} is not over yet in every time zone`);
  return runMonth(deps, worker, month, area, manualRule(deps.now()));
}

/** The scheduler's tick: every due month, oldest first; one failing month does not stop the others. */
export async function runDue(deps: ReportJobDeps, worker: string, schedule: ScheduleOptions, signal?: AbortSignal): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for (const due of dueMonths(deps.now(), schedule)) {
    if (signal?.aborted) break;
    try {
      out.push(await runMonth(deps, worker, due.period, '', due.rule, signal));
    } catch (err) {
      if (signal?.aborted) break;
      deps.logger?.error({ err, period: due.period }, 'village MeasureReports failed; retried on a later tick');
    }
  }
  return out;
}

/**
 * The manual trigger's checks and run (CLI `ilp-gateway pws reports`, POST /admin/v1/pws/reports):
 * 400 for a period that is not a closed month or a bad area code, 409 while another worker computes it.
 */
export async function manualReportRun(deps: ReportJobDeps, worker: string, periodText: string, areaText: string | undefined): Promise<MonthOutcome> {
  const problems: Issue[] = [];
  if (!parseMonth(periodText) || !isClosed(periodText, deps.now()) || isIssue(parsePeriod(periodText))) {
    problems.push(issue('PWS-REPORT-PERIOD', { period: periodText.slice(0, 20) }, 'period'));
  }
  const area = areaText === undefined || areaText === '' ? undefined : parseArea(areaText);
  if (isIssue(area)) problems.push(area);
  if (problems.length > 0) throw new OperationOutcomeError(400, problems);
  const code = area && !isIssue(area) ? area.code : '';
  const result = await runManual(deps, worker, periodText, code);
  if (!result.claimed) {
    const holder = (await deps.reports.runs(500)).find((r) => r.period === periodText && r.area === code);
    fail('PWS-REPORT-BUSY', { period: periodText, worker: holder?.worker ?? 'unknown' });
  }
  return result.outcome;
}
