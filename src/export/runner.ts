import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runExport, type ExportEngineDeps } from './run-export';

export interface ExportRunnerOptions extends ExportEngineDeps {
  /** How often an idle runner looks for work and sweeps expired jobs. */
  pollMs: number;
  /** A job whose worker has not reported for this long is taken over (the worker died). */
  staleSeconds: number;
}

/**
 * The in-process Bulk export worker: claims one job at a time (FOR UPDATE SKIP LOCKED, so several
 * gateway processes share the queue), runs it, and between jobs deletes expired and cancelled
 * jobs with their files. `init`/`close` pair: close() waits for the current chunk to finish.
 */
export class ExportRunner {
  private readonly worker = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly opts: ExportRunnerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** A job was just recorded: look now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  async close(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.sweep();
        const job = await this.opts.store.claim(this.worker, this.opts.staleSeconds);
        if (job) {
          await runExport(job, this.opts);
          continue;
        }
      } catch (err) {
        this.opts.logger.error({ err }, 'bulk export runner: database error; retrying');
      }
      await this.idle();
    }
  }

  private idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.opts.pollMs);
      timer.unref();
      const wake = (): void => done();
      this.wakeUp = wake;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private async sweep(): Promise<void> {
    for (const id of await this.opts.store.sweep()) {
      await rm(join(this.opts.dir, id), { recursive: true, force: true });
      this.opts.logger.info({ exportJob: id }, 'bulk export files removed (expired or cancelled)');
    }
  }
}

/** Runner settings from the FHIR config: 1,000-row chunks, a 1 s idle poll, takeover after 5 minutes of silence. */
export function exportRunnerOptions(
  config: { exportDir: string; exportFileMaxResources: number; exportFileTtlHours: number },
  store: ExportRunnerOptions['store'],
  logger: ExportRunnerOptions['logger'],
): ExportRunnerOptions {
  return {
    store, logger, dir: config.exportDir, maxPerFile: config.exportFileMaxResources, ttlHours: config.exportFileTtlHours,
    chunkSize: 1000, pollMs: 1000, staleSeconds: 300,
  };
}
