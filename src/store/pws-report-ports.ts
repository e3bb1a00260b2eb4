import type { MeasureReport } from 'fhir/r4';

/**
 * Storage of the monthly village MeasureReports (src/pws/report-job.ts): the run table that lets
 * one replica compute a month while the others wait, and the reports themselves, stored as FHIR
 * resources (history and search index, no submission and no outbox row: never relayed).
 */

export type ReportRunState = 'running' | 'done' | 'failed';

export interface ReportRun {
  /** YYYY-MM (local month). */
  period: string;
  /** Kemendagri prefix the run covered; '' = every village. */
  area: string;
  state: ReportRunState;
  worker: string;
  leaseUntil: string;
  startedAt: string;
  finishedAt?: string;
  attempts: number;
  villages?: number;
  reports?: number;
  /** Reports that got a new version (their figures changed). */
  written?: number;
  lastError?: string;
}

/** When an existing run row may be claimed again (besides a running one whose lease ran out). */
export interface ClaimRule {
  /** A done run that finished before this instant is recomputed; absent: a done run is final. */
  doneBefore?: string;
  /** A failed run that ended before this instant (or was interrupted) is retried. */
  failedBefore: string;
}

export interface RunStats {
  villages: number;
  reports: number;
  written: number;
}

/** One report to store: its deterministic id is `resource.id`; `residence` = the village code (region filter). */
export interface ReportToStore {
  resource: MeasureReport & { id: string };
  residence: string;
}

export interface PwsReportStore {
  /** Claims (period, area) for `worker` until now + lease: a new row, or one `rule` lets go; undefined when another replica holds it or it is not due. */
  claim(period: string, area: string, worker: string, now: string, leaseSeconds: number, rule: ClaimRule): Promise<ReportRun | undefined>;
  /** Extends this worker's lease; false when the claim was lost. */
  renew(period: string, area: string, worker: string, now: string, leaseSeconds: number): Promise<boolean>;
  finish(period: string, area: string, worker: string, now: string, stats: RunStats): Promise<boolean>;
  /** `interrupted`: stopped by shutdown, retried at once by whoever looks next. */
  fail(period: string, area: string, worker: string, now: string, error: string, interrupted: boolean): Promise<boolean>;
  runs(limit: number): Promise<ReportRun[]>;
  /** Villages under `areaPrefix` with a stored report for the month starting `periodStart` (YYYY-MM-DD). */
  storedVillages(periodStart: string, areaPrefix: string): Promise<string[]>;
  /**
   * Stores each report as a new version of MeasureReport/{id} unless its content, `date` aside,
   * equals the current version's (a re-run without changed figures makes no version).
   */
  save(reports: readonly ReportToStore[], now: string): Promise<{ written: number; unchanged: number }>;
}
