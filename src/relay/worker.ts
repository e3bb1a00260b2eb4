import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../kernel';
import { issue, operationOutcome } from '../kernel';
import type { RelayStore, RelayWork } from '../store/ports';
import type { DeliveryResult } from './outcome';
import { backoffMs, exhausted, type CircuitBreaker, type RetryPolicy } from './retry-policy';

export interface RelayMetrics {
  finished(result: 'delivered' | 'retry' | 'rejected' | 'failed' | 'superseded' | 'paused'): void;
}

export interface WorkerOptions {
  workerId: string;
  concurrency: number;
  leaseSeconds: number;
  pollMs: number;
  policy: RetryPolicy;
  /** How long stop() waits for in-flight deliveries before releasing the rows (default 8000). */
  stopBudgetMs?: number;
}

/** What the worker needs of the outbox beyond the RelayStore port (src/store/relay-store.ts). */
export type WorkerStore = RelayStore;

export interface WorkerDeps {
  store: WorkerStore;
  deliver(work: RelayWork, signal: AbortSignal): Promise<DeliveryResult>;
  breaker: CircuitBreaker;
  logger: Logger;
  metrics?: RelayMetrics;
}

/**
 * The outbox dispatcher: claims due rows (SKIP LOCKED, with a lease), delivers up to `concurrency`
 * at once, and records each result. While the circuit breaker is open it claims nothing, so an
 * outage does not use up every item's attempts. stop() stops claiming, aborts what is in flight and
 * hands this worker's claimed rows back to the queue.
 */
export class RelayWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: WorkerDeps, private readonly opts: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => this.deps.logger.error({ err }, 'relay loop stopped'));
  }

  /** Ask for an immediate poll (e.g. after a re-queue). */
  poke(): void {
    this.wake?.();
  }

  /**
   * Stops claiming, aborts in-flight deliveries, records what they concluded (a `delivered` answer
   * that arrives while stopping is recorded, never thrown away), then releases this worker's rows.
   * Waits at most `stopBudgetMs` (default 8 s, under main.ts's 15 s hard exit) for in-flight work.
   * Every caller gets the same promise (main.ts stops the relay at SIGTERM, app.close() again later).
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    this.wake?.();
    const budget = new AbortController();
    const deadline = sleep(this.opts.stopBudgetMs ?? 8000, 'timeout' as const, { signal: budget.signal }).catch(() => 'done' as const);
    const settled = (async () => { await this.loop; await Promise.allSettled([...this.inflight]); return 'done' as const; })();
    const how = await Promise.race([settled, deadline]);
    budget.abort();
    const released = await this.deps.store.release(this.opts.workerId).catch(() => 0);
    this.deps.logger.info({ released, ...(how === 'timeout' ? { inflight: this.inflight.size } : {}) }, how === 'timeout' ? 'relay stopped before in-flight deliveries ended' : 'relay stopped');
  }

  private async run(): Promise<void> {
    while (this.running) {
      const wait = this.deps.breaker.waitMs();
      const free = this.opts.concurrency - this.inflight.size;
      let claimed: RelayWork[] = [];
      if (wait === 0 && free > 0) {
        claimed = await this.deps.store.claim(this.opts.workerId, free, this.opts.leaseSeconds).catch((err: unknown) => {
          this.deps.logger.warn({ err }, 'relay could not claim work');
          return [];
        });
      }
      for (const work of claimed) this.track(this.process(work));
      if (claimed.length === 0 || this.inflight.size >= this.opts.concurrency) await this.idle(wait > 0 ? Math.min(wait, 1000) : this.opts.pollMs);
    }
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.wake?.();
    });
  }

  /** Sleeps until `ms` pass, a delivery finishes, or stop()/poke() is called. */
  private async idle(ms: number): Promise<void> {
    const woken = new Promise<void>((resolve) => { this.wake = resolve; });
    const ac = new AbortController();
    await Promise.race([sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined), woken]);
    ac.abort();
    this.wake = undefined;
  }

  private async process(work: RelayWork): Promise<void> {
    // A delivery must finish well inside its lease, or another process may claim it meanwhile.
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.leaseSeconds * 800)]);
    let result: DeliveryResult;
    try {
      result = await this.deps.deliver(work, signal);
    } catch (err) {
      this.deps.logger.error({ err, submission: work.submissionPk }, 'relay delivery threw');
      result = { kind: 'retry', error: err instanceof Error ? err.message : String(err), upstream: false };
    }
    // stop(): an interrupted attempt is released, not counted; a conclusion reached meanwhile (above
    // all `delivered`) is recorded before the release.
    if (this.abort.signal.aborted && result.kind === 'retry') return;
    try {
      await this.record(work, result);
    } catch (err) {
      this.deps.logger.error({ err, submission: work.submissionPk }, 'relay could not record a result; the lease will expire and it is retried');
    }
  }

  private async record(work: RelayWork, result: DeliveryResult): Promise<void> {
    const { store, breaker, logger } = this.deps;
    const worker = this.opts.workerId;
    if (result.kind === 'retry' && result.upstream) breaker.failure();
    else if (result.kind === 'delivered' || result.kind === 'rejected' || result.kind === 'failed') breaker.success();
    let kind: Parameters<RelayMetrics['finished']>[0] = result.kind;
    let recorded: boolean;
    if (result.kind === 'delivered') recorded = await store.complete(work, worker, result.ids);
    else if (result.kind === 'superseded') recorded = await store.supersede(work, worker);
    else if (result.kind === 'rejected') recorded = await store.reject(work, worker, result.outcome);
    else if (result.kind === 'failed') recorded = await store.fail(work, worker, result.outcome);
    else if (result.kind === 'paused') {
      recorded = await store.pauseOrganization(work, worker, result.reason);
      if (recorded) logger.warn({ organization: work.organizationId, reason: result.reason }, 'relay paused for an organisation: fix its credentials, then DELETE /admin/v1/organizations/{org}/pause');
    }
    else if (exhausted(this.opts.policy, work, result.transient === true)) {
      kind = 'failed';
      recorded = await store.fail(work, worker, operationOutcome([issue('RELAY-ATTEMPTS-EXHAUSTED', { attempts: work.attempts, error: result.error })]));
    } else {
      recorded = await store.retry(work, worker, backoffMs(this.opts.policy, work.attempts, result.retryAfterMs), result.error, result.ids);
    }
    // Not recorded: the lease ran out and another worker owns the row now; its result counts, not ours.
    if (!recorded) {
      logger.warn({ submission: work.submissionPk, result: kind }, 'relay lost its claim before recording a result');
      return;
    }
    this.deps.metrics?.finished(kind);
    if (kind !== 'delivered' && kind !== 'superseded') logger.info({ submission: work.submissionPk, attempts: work.attempts, result: kind }, 'relay attempt');
  }
}
