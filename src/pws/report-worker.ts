import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { PwsReportsConfig } from '../config/pws-config';
import { runDue, type ReportJobDeps, type RunOutcome } from './report-job';
import type { ScheduleOptions } from './report-schedule';

/**
 * The MeasureReport job's timer in the worker side of a gateway process: created by app.ts,
 * started by main.ts after listen (like the relay), stopped on SIGTERM before the database closes.
 * Every replica may run one: the run table (migration 0016) lets one of them compute each month.
 */
export class ReportScheduler {
  readonly worker = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RunOutcome[]> | undefined;
  private abort = new AbortController();
  private stopped = false;

  constructor(private readonly deps: ReportJobDeps, private readonly config: PwsReportsConfig) {}

  private get schedule(): ScheduleOptions {
    const c = this.config;
    return { catchUpMonths: c.catchUpMonths, graceDays: c.graceDays, recomputeHours: c.recomputeHours, retryMinutes: c.checkMinutes };
  }

  /** First look soon after start (a replica that was down catches up), then every checkMinutes. */
  start(firstDelayMs = 5_000): void {
    if (this.stopped || this.timer) return;
    this.arm(firstDelayMs);
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      void this.tick().finally(() => { if (!this.stopped) this.arm(this.config.checkMinutes * 60_000); });
    }, ms);
    this.timer.unref();
  }

  /** One look at what is due (also what tests call); never two at once in this process. */
  tick(): Promise<RunOutcome[]> {
    this.running ??= runDue(this.deps, this.worker, this.schedule, this.abort.signal)
      .catch((err: unknown) => {
        this.deps.logger?.error({ err }, 'village MeasureReport tick failed');
        return [];
      })
      .finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Stops between provinces: the month in progress is marked interrupted, so another replica retries it at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.running;
  }
}
