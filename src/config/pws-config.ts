import { numberVar, type Env } from './env';

/** The monthly village MeasureReport job (issue #10 item 3, src/pws/report-job.ts). */
export interface PwsReportsConfig {
  /** Run the scheduler in this process (PWS_REPORTS_ENABLED, default 1). Every replica may run it: the run table lets one compute a month. */
  readonly enabled: boolean;
  /** Minutes between looks at what is due (PWS_REPORTS_CHECK_MINUTES). */
  readonly checkMinutes: number;
  /** Closed months looked at, the last one included: months missed by a longer downtime need the CLI (PWS_REPORTS_CATCH_UP_MONTHS). */
  readonly catchUpMonths: number;
  /** Days after a month closed during which it is recomputed for late visits (PWS_REPORTS_GRACE_DAYS). */
  readonly graceDays: number;
  /** Within the grace window, hours between recomputations of a month (PWS_REPORTS_RECOMPUTE_HOURS). */
  readonly recomputeHours: number;
  /** Seconds a claimed month stays with its worker without a heartbeat (PWS_REPORTS_LEASE_SECONDS). */
  readonly leaseSeconds: number;
}

export function loadPwsReportsConfig(env: Env, problems: string[]): PwsReportsConfig {
  const raw = env.PWS_REPORTS_ENABLED;
  if (raw !== undefined && !['0', '1', ''].includes(raw)) problems.push(`PWS_REPORTS_ENABLED must be 1 or 0, got "${raw}"`);
  return {
    enabled: raw !== '0',
    checkMinutes: numberVar(env, 'PWS_REPORTS_CHECK_MINUTES', 60, 1, 1440, problems),
    catchUpMonths: numberVar(env, 'PWS_REPORTS_CATCH_UP_MONTHS', 3, 1, 24, problems),
    graceDays: numberVar(env, 'PWS_REPORTS_GRACE_DAYS', 10, 0, 60, problems),
    recomputeHours: numberVar(env, 'PWS_REPORTS_RECOMPUTE_HOURS', 24, 1, 720, problems),
    leaseSeconds: numberVar(env, 'PWS_REPORTS_LEASE_SECONDS', 900, 30, 86_400, problems),
  };
}
