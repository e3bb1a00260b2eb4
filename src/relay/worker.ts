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
  /** A claim's lease; renewed by a heartbeat every third of it while the delivery runs. */
  leaseSeconds: number;
  pollMs: number;
  /** Upper bound of one delivery, renewals notwithstanding (default 4/5 of the lease). */
  deliveryBudgetMs?: number;
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
 * outage does not use up every item's attempts. While a delivery runs, a heartbeat renews its lease
 * (every third of the lease), so the lease can be short: a crashed process's rows are claimed by
 * another within about one lease (docs/decisions/0018-write-path-and-relay-lease.md). A claim the
 * heartbeat finds lost is aborted. stop() stops claiming, aborts what is in flight and hands this
 * worker's claimed rows back to the queue.
 */
export class RelayWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  /** In-flight claims by outbox id, each with its own abort (lost lease). */
  private readonly claims = new Map<string, { work: RelayWork; abort: AbortController }>();
  private heartbeat: NodeJS.Timeout | undefined;
  private renewing = false;

  constructor(private readonly deps: WorkerDeps, private readonly opts: WorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.heartbeat = setInterval(() => void this.renew(), Math.max(200, (this.opts.leaseSeconds * 1000) / 3));
    this.heartbeat.unref();
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
    clearInterval(this.heartbeat);
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

  /** Heartbeat: extends the lease of every in-flight claim; aborts those another worker took over. */
  private async renew(): Promise<void> {
    if (this.renewing || this.claims.size === 0) return;
    this.renewing = true;
    const works = [...this.claims.values()].map((c) => c.work);
    try {
      const held = new Set(await this.deps.store.renew(this.opts.workerId, works, this.opts.leaseSeconds));
      for (const work of works) {
        const claim = this.claims.get(work.outboxId);
        if (held.has(work.outboxId) || claim?.work !== work) continue;
        this.deps.logger.warn({ submission: work.submissionPk }, 'relay lost a claim while delivering it; aborting that delivery');
        claim.abort.abort();
      }
    } catch (err) {
      // The next beat tries again; a lease that runs out meanwhile is fenced by the attempt number.
      this.deps.logger.warn({ err }, 'relay could not renew its leases');
    } finally {
      this.renewing = false;
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
    const lost = new AbortController();
    this.claims.set(work.outboxId, { work, abort: lost });
    const signal = AbortSignal.any([this.abort.signal, lost.signal, AbortSignal.timeout(this.opts.deliveryBudgetMs ?? this.opts.leaseSeconds * 800)]);
    let result: DeliveryResult;
    try {
      result = await this.deps.deliver(work, signal);
    } catch (err) {
      this.deps.logger.error({ err, submission: work.submissionPk }, 'relay delivery threw');
      result = { kind: 'retry', error: err instanceof Error ? err.message : String(err), upstream: false };
    }
    try {
      await this.conclude(work, result);
    } finally {
      this.claims.delete(work.outboxId);
    }
  }

  private async conclude(work: RelayWork, result: DeliveryResult): Promise<void> {
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
