import { hostname } from 'node:os';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { OperationOutcome } from 'fhir/r4';
import { OperationOutcomeError, operationOutcome, type Logger } from '../kernel';
import type { ClaimedVisit, IntakeQueue } from '../store/intake-queue-ports';
import type { SubmissionStore } from '../store/ports';
import { planLockKeys, type WritePlan } from '../write-plan/plan';
import type { PlannedVisit } from './submit-visit';

export interface MaterialiserDeps {
  queue: IntakeQueue;
  /** Group commit of the direct intake's write plans (SqlSubmissionStore.writeMany). */
  submissions: Pick<SubmissionStore, 'writeMany'>;
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
 * Whether this process's intake is busy (the materialiser's `yieldTo.busySince`): a visit arrived
 * (counted at arrival, src/api/http-app.ts) since a given instant, or an `$import` upload, a burst
 * by itself, is running. The materialiser asks about the time since its round began less a second,
 * not only the last second: on the embedded PGlite a round blocks the event loop, so the visits that
 * arrive meanwhile are counted only after it.
 */
export class IntakeLoad {
  private last = Number.NEGATIVE_INFINITY;
  private uploads = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A visit arrived. */
  arrived(): void {
    this.last = this.now();
  }

  /** An upload started; call what it returns when it ends. */
  upload(): () => void {
    this.uploads += 1;
    let ended = false;
    return () => {
      if (!ended) this.uploads -= 1;
      ended = true;
    };
  }

  busySince(instant: number): boolean {
    return this.uploads > 0 || this.last >= instant;
  }
}

/**
 * The pause after a round while intake is busy: each of `writers` loops pauses so that together
 * they take about `share` of the time (a round of d ms, then d × writers × (1 − share) / share);
 * none once the oldest queued visit is `maxLagSeconds` old, so a long burst is written behind at
 * most that lag.
 */
export function pauseAfterRound(p: { roundMs: number; writers: number; share: number; oldestSeconds: number | undefined; maxLagSeconds: number }): number {
  if (p.share >= 1 || (p.oldestSeconds !== undefined && p.oldestSeconds >= p.maxLagSeconds)) return 0;
  const share = Math.max(0.01, p.share);
  return (Math.max(0, p.roundMs) * Math.max(1, p.writers) * (1 - share)) / share;
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
 * weighing history is read now, after every earlier visit was written), writes the plans in one
 * transaction (SqlSubmissionStore.writeMany: group commit; a plan's own error falls back to one
 * transaction per plan) and removes them from the queue. Exactly once: writing a plan is
 * idempotent by payload hash, so a visit written twice (a lease that ran out mid-write, a crash
 * between the write and the queue's delete) is found `unchanged` the second time, with no second
 * outbox row. A visit whose patient (or PWS person) is already in the round waits for the next
 * one, so its weighing history includes the earlier visit (a Posyandu's months uploaded at once).
 */
export class Materialiser {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly wake = new Set<() => void>();
  private readonly stopWake = new Set<() => void>();
  private stopping: Promise<void> | undefined;

  constructor(private readonly deps: MaterialiserDeps) {}

  start(): void {
    if (this.running) return;
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
    while (this.running) {
      // A macrotask turn between rounds: on the embedded PGlite every query resolves without I/O, so
      // back-to-back rounds would otherwise never let the HTTP server read a request (seen: none
      // answered for 12 s while a backlog was written).
      await yieldToLoop();
      const started = Date.now();
      let r: RoundSummary = ZERO;
      try {
        r = await this.round();
        if (r.written + r.unchanged + r.refused > 0) {
          const pause = await this.pauseAfter(started);
          // Not woken by pokes: every accepted visit pokes, and the pause is what leaves the time to accept them.
          if (pause > 0 && this.running) await this.idle(false, pause);
          continue;
        }
      } catch (err) {
        this.deps.logger.error({ err }, 'materialiser round failed; retrying after the poll interval');
      }
      if (this.running) await this.idle();
    }
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

  /** One claimed batch: planned, written in one transaction, finished in the queue. */
  async round(): Promise<RoundSummary> {
    const { queue, logger } = this.deps;
    const claimed = await queue.claim(this.owner, this.deps.batchSize, this.deps.leaseSeconds);
    if (claimed.length === 0) return ZERO;
    const held = new Set<string>();
    const toWrite: { visit: ClaimedVisit; plan: WritePlan }[] = [];
    const refused: { visit: ClaimedVisit; outcome: OperationOutcome }[] = [];
    let later = 0;
    for (const visit of claimed) {
      try {
        const { plan } = await this.deps.plan(visit.payload);
        const keys = planLockKeys(plan);
        if (keys.some((k) => held.has(k))) {
          later += 1;
          continue;
        }
        for (const k of keys) held.add(k);
        toWrite.push({ visit, plan: { ...plan, submissionPk: visit.id } });
      } catch (err) {
        const outcome = refusal(err);
        if (outcome) refused.push({ visit, outcome });
        else {
          later += 1;
          logger.error({ err, submission: visit.id, attempts: visit.attempts }, 'a queued visit could not be planned; it stays queued');
        }
      }
    }
    const outcomes = toWrite.length > 0 ? await this.deps.submissions.writeMany(toWrite.map((w) => w.plan)) : [];
    const written: ClaimedVisit[] = [];
    let unchanged = 0;
    toWrite.forEach((w, i) => {
      const out = outcomes[i];
      if (out && !('error' in out)) {
        written.push(w.visit);
        if (out.saved.kind === 'unchanged') unchanged += 1;
        return;
      }
      const outcome = out ? refusal(out.error) : undefined;
      if (outcome) refused.push({ visit: w.visit, outcome });
      else {
        later += 1;
        logger.error({ err: out?.error, submission: w.visit.id, attempts: w.visit.attempts }, 'a queued visit could not be written; it stays queued');
      }
    });
    await queue.finish(this.owner, claimed, written, refused);
    const summary = { claimed: claimed.length, written: written.length - unchanged, unchanged, refused: refused.length, later };
    this.deps.observe?.(summary);
    if (refused.length > 0) logger.warn({ refused: refused.map((r) => r.visit.id) }, 'queued visits refused at their write; their status says why');
    return summary;
  }
}
