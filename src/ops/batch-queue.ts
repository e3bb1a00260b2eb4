import type { Logger } from '../kernel';

/**
 * A bounded in-memory queue written in batches off the request path (one multi-row statement every
 * `flushIntervalMs`, or as soon as `batchSize` wait). Unlike the audit recorder, which makes
 * requests wait rather than lose an event, this one never holds a request back: intake attempts
 * are diagnostics, so when the queue is full, or a batch cannot be written, rows are dropped,
 * counted and logged. A refused answer is never delayed, and never turned into a 500.
 */
export interface BatchQueueOptions<T> {
  name: string;
  write(rows: T[]): Promise<void>;
  batchSize: number;
  flushIntervalMs: number;
  queueLimit: number;
  logger: Logger;
}

export class BatchQueue<T> {
  private queue: T[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Rows written and dropped since start (exposed for tests and the logs). */
  written = 0;
  dropped = 0;
  private lastDropLog = 0;

  constructor(private readonly opts: BatchQueueOptions<T>) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  get depth(): number {
    return this.queue.length;
  }

  push(row: T): void {
    if (this.queue.length >= this.opts.queueLimit) {
      this.drop(1, 'queue full');
      return;
    }
    this.queue.push(row);
    if (this.queue.length >= this.opts.batchSize) void this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.batchSize);
      try {
        await this.opts.write(batch);
        this.written += batch.length;
      } catch (err) {
        this.drop(batch.length, `write failed (${String((err as { code?: unknown }).code ?? (err as Error).name)})`);
        return;
      }
    }
  }

  private drop(n: number, why: string): void {
    this.dropped += n;
    // At most one log line a second: a database outage must not flood the log as well.
    if (Date.now() - this.lastDropLog < 1000) return;
    this.lastDropLog = Date.now();
    this.opts.logger.warn({ queue: this.opts.name, dropped: this.dropped, why }, 'operations rows dropped (diagnostics only; no request was affected)');
  }
}
