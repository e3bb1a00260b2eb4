import type { Logger } from '../kernel';
import type { AuditRow, AuditStore } from '../store/audit-ports';

/**
 * Writes audit events without putting the database on the request path: events are queued in
 * memory and written in batches (one multi-row INSERT every `flushIntervalMs`, or as soon as
 * `batchSize` wait). Losing events is not acceptable (an audit trail with holes proves nothing), so
 * the queue is bounded by making callers wait: above `queueLimit`, `admit()` returns a promise
 * that new requests await until a flush brings the queue back under it (or answer 503 after
 * `admitTimeoutMs`: the gateway refuses to serve personal data it cannot audit). The requests
 * already running still record, into a headroom of another `queueLimit`; only beyond that (the
 * database has been unwritable for a long time) are events dropped, each drop logged and counted.
 * docs/decisions/0012-audit-trail.md.
 */
export interface RecorderOptions {
  batchSize: number;
  flushIntervalMs: number;
  queueLimit: number;
  /** How long a new request waits for room before it is refused. */
  admitTimeoutMs: number;
  logger: Logger;
  counters?: {
    written(n: number): void;
    dropped(n: number): void;
    flushFailed(): void;
    waited(): void;
  };
}

type Sink = Pick<AuditStore, 'insert'>;

/** PostgreSQL data exceptions (class 22) and integrity violations (23): retrying the same row cannot succeed. */
const isBadRow = (err: unknown): boolean => /^2[23]/.test(String((err as { code?: unknown } | null)?.code ?? ''));

export class AuditRecorder {
  private queue: AuditRow[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiters: { resolve: () => void; timer: NodeJS.Timeout }[] = [];
  private closed = false;
  /** After a failed write, batches wait for the timer instead of retrying on every new event. */
  private backoffUntil = 0;

  constructor(private readonly sink: Sink, private readonly opts: RecorderOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.opts.flushIntervalMs);
    this.timer.unref();
  }

  get depth(): number {
    return this.queue.length;
  }

  record(row: AuditRow): void {
    if (this.queue.length >= 2 * this.opts.queueLimit) {
      this.opts.counters?.dropped(1);
      this.opts.logger.error({ auditEventId: row.id, depth: this.queue.length }, 'AUDIT EVENT DROPPED: the audit queue is full (the database has not accepted audit events for a long time)');
      return;
    }
    this.queue.push(row);
    if ((this.queue.length >= this.opts.batchSize && Date.now() >= this.backoffUntil) || this.closed) void this.flush();
  }

  /** Undefined when there is room (the common case costs nothing); else a promise to await before serving. */
  admit(): Promise<void> | undefined {
    if (this.queue.length < this.opts.queueLimit) return undefined;
    this.opts.counters?.waited();
    this.opts.logger.warn({ depth: this.queue.length, limit: this.opts.queueLimit }, 'audit queue over its limit: requests wait for it to drain');
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error('audit queue did not drain'));
        }, this.opts.admitTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Writes everything queued now; concurrent callers share the running flush. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops the timer and writes what is queued (app.close(), after the HTTP server stopped accepting). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (let attempt = 0; attempt < 3 && this.queue.length > 0; attempt += 1) await this.flush();
    if (this.flushing) await this.flushing;
    if (this.queue.length > 0) {
      this.opts.counters?.dropped(this.queue.length);
      this.opts.logger.error({ lost: this.queue.length }, 'AUDIT EVENTS LOST at shutdown: the database did not accept them');
      this.queue = [];
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.batchSize);
      try {
        await this.sink.insert(batch);
        this.opts.counters?.written(batch.length);
      } catch (err) {
        if (isBadRow(err)) {
          await this.oneByOne(batch);
          continue;
        }
        // Transient (connection, database restarting): keep the events, first in line, for the next tick.
        this.queue.unshift(...batch);
        this.backoffUntil = Date.now() + this.opts.flushIntervalMs;
        this.opts.counters?.flushFailed();
        this.opts.logger.error({ err, depth: this.queue.length }, 'audit events could not be written; retrying');
        break;
      }
    }
    this.release();
  }

  /** A batch refused for its content: the good rows are written, the bad one is reported and dropped. */
  private async oneByOne(batch: AuditRow[]): Promise<void> {
    for (const row of batch) {
      try {
        await this.sink.insert([row]);
        this.opts.counters?.written(1);
      } catch (err) {
        this.opts.counters?.dropped(1);
        this.opts.logger.error({ auditEventId: row.id, code: (err as { code?: unknown }).code }, 'AUDIT EVENT DROPPED: the database refused its content');
      }
    }
  }

  private release(): void {
    if (this.queue.length >= this.opts.queueLimit) return;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters = [];
  }
}
