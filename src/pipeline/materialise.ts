import { hostname } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { OperationOutcome } from 'fhir/r4';
import { OperationOutcomeError, operationOutcome, type Logger } from '../kernel';
import type { ClaimedVisit, IntakeQueue } from '../store/intake-queue-ports';
import { planLockKeys, type WritePlan } from '../write-plan/plan';
import type { PlannedVisit } from './submit-visit';

export interface MaterialiserDeps {
  queue: IntakeQueue;
  /** The single intake's steps up to its write plan (planVisitWithHistory), run again on the queued payload. */
  plan(payload: unknown): Promise<PlannedVisit>;
  logger: Logger;
  batchSize: number;
  leaseSeconds: number;
  pollMs: number;
  /** Loops in this process, each claiming its own batches (MATERIALISE_WRITERS). */
  writers?: number;
  /**
   * Intake first: while visits arrive (busySince, IntakeLoad), the materialiser takes at most
   * `share` (0–1] of its time: after a round of d ms each loop pauses d × writers × (1 − share) / share,
   * unless the oldest queued visit is older than `maxLagSeconds`. A burst is then accepted at close
   * to the speed of accepting and written after it. Absent, or share 1: rounds never pause.
   */
  yieldTo?: { busySince(instant: number): boolean; share: number; maxLagSeconds: number };
  /** Told how the claimed visits of each round ended. */
  observe?(round: RoundSummary): void;
}

/**
 * How a round's claimed visits ended. `written`: a new version stored; `unchanged`: found already
 * written; `refused`: a 4xx, kept with its outcome; `later`: handed back for another round.
 */
export interface RoundSummary {
  claimed: number;
  written: number;
  unchanged: number;
  refused: number;
  later: number;
}

/**
 * The pause after a round while intake is busy: each of `writers` loops pauses so that together
 * they take about `share` of the time (a round of d ms, then d × writers × (1 − share) / share);
 * none once the oldest queued visit is `maxLagSeconds` old, and never longer than until it is, so
 * a long burst is written behind at most about that lag.
 */
export function pauseAfterRound(p: { roundMs: number; writers: number; share: number; oldestSeconds: number | undefined; maxLagSeconds: number }): number {
  if (p.share >= 1 || (p.oldestSeconds !== undefined && p.oldestSeconds >= p.maxLagSeconds)) return 0;
  const share = Math.max(0.01, p.share);
  const pause = (Math.max(0, p.roundMs) * Math.max(1, p.writers) * (1 - share)) / share;
  // Never past the lag allowed: the pause ends when the oldest visit reaches it.
  return p.oldestSeconds === undefined ? pause : Math.min(pause, (p.maxLagSeconds - p.oldestSeconds) * 1000);
}

const ZERO: RoundSummary = { claimed: 0, written: 0, unchanged: 0, refused: 0, later: 0 };

/**
 * A 4xx the visit alone causes and a retry would meet again; anything else may pass next round,
 * 409 included: ILP-PAYLOAD-CONFLICT is a race with another writer that a retry wins.
 */
function refusal(err: unknown): OperationOutcome | undefined {
  return err instanceof OperationOutcomeError && err.status >= 400 && err.status < 500 && err.status !== 409 ? operationOutcome(err.issues) : undefined;
}

/**
 * The second half of INTAKE_MODE=queued (docs/decisions/0022): claims queued visits (oldest ticket
 * first, SKIP LOCKED, leased), plans each again exactly as the direct intake would (so the child's
 * weighing history is read now, after every earlier visit was written), and writes the batch in one
 * transaction (IntakeQueue.writeClaimed: the direct intake's group commit, each visit fenced by its
 * ticket and removed from the queue in the same transaction). Exactly once: a visit whose ticket
 * changed (a newer payload, or another process that took over a run-out lease and wrote it) is
 * `superseded` and nothing is written for it; writing a plan is also idempotent by payload hash. A
 * visit whose patient (or PWS person) is in a round in progress of any loop waits for the next one,
 * so its weighing history includes the earlier visit (a Posyandu's months uploaded at once).
 */
export class Materialiser {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly wake = new Set<() => void>();
  private readonly stopWake = new Set<() => void>();
  /** Advisory keys of the visits in the rounds in progress, all loops of this process. */
  private readonly busyKeys = new Set<string>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: MaterialiserDeps) {}

  /** Starts the loops; after stop() it does nothing (a stopped materialiser stays stopped). */
  start(): void {
    if (this.running || this.stopping) return;
    this.running = true;
    const writers = Math.max(1, this.deps.writers ?? 1);
    for (let i = 0; i < writers; i += 1) {
      this.loops.push(this.loop().catch((err: unknown) => this.deps.logger.error({ err }, 'materialiser loop stopped')));
    }
  }

  /** A visit was queued by this process: look now instead of at the next poll. */
  poke(): void {
    for (const w of this.wake) w();
  }

  /** Stops claiming, lets the rounds in progress finish, and hands back any lease left. Every caller gets the same promise. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.running = false;
    this.poke();
    for (const w of this.stopWake) w();
    await Promise.all(this.loops);
    this.loops = [];
    const released = await this.deps.queue.release(this.owner).catch(() => 0);
    if (released > 0) this.deps.logger.info({ released }, 'materialiser handed back its queued visits');
  }

  /** Runs rounds until the queue has nothing this process may claim (tests, the CLI, benchmarks). */
  async drain(): Promise<RoundSummary> {
    const total = { ...ZERO };
    for (;;) {
      const r = await this.round();
      for (const k of Object.keys(total) as (keyof RoundSummary)[]) total[k] += r[k];
      if (r.claimed === 0 || r.written + r.unchanged + r.refused === 0) return total;
    }
  }

  /** How long to pause after a round that began at `started` (see `yieldTo`, pauseAfterRound). */
  private async pauseAfter(started: number): Promise<number> {
    const y = this.deps.yieldTo;
    if (!y || y.share >= 1 || !y.busySince(started - 1000)) return 0;
    const oldest = await this.deps.queue.oldestSeconds();
    return pauseAfterRound({ roundMs: Date.now() - started, writers: this.deps.writers ?? 1, share: y.share, oldestSeconds: oldest, maxLagSeconds: y.maxLagSeconds });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      // A macrotask turn between rounds: on the embedded PGlite every query resolves without I/O, so
      // back-to-back rounds would otherwise never let the HTTP server read a request (seen: none
      // answered for 12 s while a backlog was written).
      await yieldToLoop();
      const started = Date.now();
      let r: RoundSummary = ZERO;
      try {
        r = await this.round();
        failures = 0;
        if (r.written + r.unchanged + r.refused > 0) {
          await this.pause(await this.pauseAfter(started));
          continue;
        }
      } catch (err) {
        // The database is down or refuses: back off (to 30 s), do not log every poll.
        failures += 1;
        if (failures === 1 || failures % 10 === 0) this.deps.logger.error({ err, failures }, 'materialiser round failed; retrying with backoff');
        if (this.running) await this.idle(false, Math.min(30_000, this.deps.pollMs * 2 ** Math.min(failures, 8)));
        continue;
      }
      if (this.running) await this.idle();
    }
  }

  /**
   * The pause after a round, in slices of the poll interval: it ends as soon as intake has been
   * quiet for a second (a burst that ended must not leave the backlog waiting). Not woken by
   * pokes: every accepted visit pokes, and the pause is what leaves the time to accept them.
   */
  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    const busy = (): boolean => this.deps.yieldTo?.busySince(Date.now() - 1000) ?? false;
    while (this.running && Date.now() < until && busy()) await this.idle(false, Math.min(this.deps.pollMs, until - Date.now()));
  }

  /** Waits `ms` (the poll interval), a poke (when `pokeable`) or stop(). */
  private idle(pokeable = true, ms = this.deps.pollMs): Promise<void> {
    return new Promise((resolve) => {
      const wakers = pokeable ? this.wake : this.stopWake;
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  }

  /**
   * One claimed batch: planned, written in one transaction (each visit fenced by its ticket,
   * IntakeQueue.writeClaimed), finished in the queue. A visit whose patient or PWS person is in a
   * round of any loop of this process waits for the next round, so its history includes that visit.
   */
  async round(): Promise<RoundSummary> {
    const { queue, logger } = this.deps;
    const claimed = await queue.claim(this.owner, this.deps.batchSize, this.deps.leaseSeconds);
    if (claimed.length === 0) return ZERO;
    const mine: string[] = [];
    try {
      const toWrite: { visit: ClaimedVisit; plan: WritePlan }[] = [];
      const refused: { visit: ClaimedVisit; outcome: OperationOutcome }[] = [];
      const retry: { visit: ClaimedVisit; afterSeconds: number }[] = [];
      let later = 0;
      const failed = (visit: ClaimedVisit, err: unknown, what: string): void => {
        const outcome = refusal(err);
        if (outcome) {
          refused.push({ visit, outcome });
          return;
        }
        retry.push({ visit, afterSeconds: retryAfterSeconds(visit.attempts) });
        logger.error({ err, submission: visit.id, attempts: visit.attempts }, `a queued visit could not be ${what}; it stays queued and is tried again later`);
      };
      for (const visit of claimed) {
        try {
          const { plan } = await this.deps.plan(visit.payload);
          const keys = planLockKeys(plan);
          if (keys.some((k) => this.busyKeys.has(k))) {
            later += 1;
            continue;
          }
          for (const k of keys) this.busyKeys.add(k);
          mine.push(...keys);
          toWrite.push({ visit, plan });
        } catch (err) {
          failed(visit, err, 'planned');
        }
      }
      const outcomes = toWrite.length > 0 ? await queue.writeClaimed(toWrite) : [];
      let written = 0;
      let unchanged = 0;
      toWrite.forEach((w, i) => {
        const out = outcomes[i];
        if (out === 'superseded') later += 1;
        else if (out && !('error' in out)) {
          if (out.saved.kind === 'unchanged') unchanged += 1;
          else written += 1;
        } else failed(w.visit, out?.error, 'written');
      });
      await queue.finish(this.owner, claimed, refused, retry);
      const summary = { claimed: claimed.length, written, unchanged, refused: refused.length, later: later + retry.length };
      this.deps.observe?.(summary);
      if (refused.length > 0) logger.warn({ refused: refused.map((r) => r.visit.id) }, 'queued visits refused at their write; their status says why');
      return summary;
    } finally {
      for (const k of mine) this.busyKeys.delete(k);
    }
  }
}

/** 2, 4, 8 … seconds after each failed attempt, at most 10 minutes: never given up (nothing accepted is lost). */
export function retryAfterSeconds(attempts: number): number {
  return Math.min(600, 2 ** Math.min(Math.max(1, attempts), 10));
}
