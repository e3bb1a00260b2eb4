import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { OperationOutcome } from 'fhir/r4';
import { OperationOutcomeError, operationOutcome, type Logger } from '../kernel';
import type { ClaimedVisit, IntakeQueue } from '../store/intake-queue-ports';
import type { SubmissionStore } from '../store/ports';
import { pwsPeopleOf, pwsPersonLock, type WritePlan } from '../write-plan/plan';
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

const ZERO: RoundSummary = { claimed: 0, written: 0, unchanged: 0, refused: 0, later: 0 };

/** A 4xx the visit alone causes and a retry would meet again; anything else may pass next round. */
function refusal(err: unknown): OperationOutcome | undefined {
  return err instanceof OperationOutcomeError && err.status >= 400 && err.status < 500 ? operationOutcome(err.issues) : undefined;
}

/** Every advisory key a plan takes: two plans sharing one are never in the same round (see round()). */
function keysOf(plan: WritePlan): string[] {
  return [...plan.lockKeys, ...pwsPeopleOf(plan).map(pwsPersonLock)];
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
  private wake = new Set<() => void>();
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

  private async loop(): Promise<void> {
    while (this.running) {
      let r: RoundSummary = ZERO;
      try {
        r = await this.round();
      } catch (err) {
        this.deps.logger.error({ err }, 'materialiser round failed; retrying after the poll interval');
      }
      const progressed = r.written + r.unchanged + r.refused > 0;
      if (this.running && !progressed) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.deps.pollMs);
      this.wake.add(done);
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
        const keys = keysOf(plan);
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
