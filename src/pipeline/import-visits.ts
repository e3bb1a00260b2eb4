import type { OperationOutcome } from 'fhir/r4';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { issue, OperationOutcomeError, operationOutcome, type Issue } from '../kernel';
import type { SaveOutcome } from '../store/ports';
import { planLockKeys, type WritePlan } from '../write-plan/plan';
import type { PlannedVisit } from './submit-visit';

/** One input line as the transport delivers it (src/api/ndjson-lines.ts). */
export type ImportLine =
  | { kind: 'text'; line: number; text: string }
  | { kind: 'too-long'; line: number }
  | { kind: 'over-limit'; line: number };

/** One result line of `POST /ilp/v1/encounters/$import`, in input order. */
export interface ImportResult {
  line: number;
  /** 202 as the single intake answers an accepted visit, else the 4xx (or 500) it would answer. */
  status: number;
  /** Gateway submission id (GET /ilp/v1/submissions/{id}). */
  id?: string;
  submissionId?: string;
  /** created | updated | unchanged, as in the single intake's answer. */
  result?: SaveOutcome['kind'];
  outcome?: OperationOutcome;
}

/** What a line's answer needs of its written (or, INTAKE_MODE=queued, queued) visit. */
export interface LineWritten {
  kind: SaveOutcome['kind'];
  /** Gateway submission id. */
  id: string;
  submissionId: string;
}

/**
 * A line ready for its write: what the write takes (a write plan, or INTAKE_MODE=queued the visit
 * to queue), the warnings to answer with, and the advisory keys its write will take.
 */
export interface ReadyLine<W> {
  write: W;
  warnings: Issue[];
  locks: string[];
}

/** A planned visit as a line ready for the direct write (SubmissionStore.writeMany). */
export function readyPlan(planned: PlannedVisit): ReadyLine<WritePlan> {
  return { write: planned.plan, warnings: planned.warnings, locks: planLockKeys(planned.plan) };
}

export interface ImportDeps<W = WritePlan> {
  /** JSON text → value; throws an OperationOutcomeError (400) for malformed or hostile JSON. */
  parse(text: string): unknown;
  /** The tenant rule of the single intake; throws an OperationOutcomeError (403). */
  authorize(body: unknown): void;
  /** The single intake's steps up to its write (src/pipeline/submit-visit.ts, planVisitWithHistory); throws a 4xx OperationOutcomeError. */
  plan(body: unknown): Promise<ReadyLine<W>>;
  /**
   * Group commit: the plans in one transaction, each with its outcome or its own error
   * (SubmissionStore.writeMany, or IntakeQueue.acceptMany when queued); durable when it resolves.
   */
  write(items: W[]): Promise<(LineWritten | { error: unknown })[]>;
  /** An error that is not an OperationOutcomeError: logged by the caller, answered 500 for that line. */
  unexpected(err: unknown, line: number): Issue;
  limits: { maxBytes: number; maxLineBytes: number };
  /** Lines prepared (validated, mapped, planned) ahead of the write. */
  concurrency: number;
  /** Accepted lines written in one transaction at most (IMPORT_GROUP_SIZE). */
  groupSize: number;
  /** Group transactions written at once, each on its own connection (IMPORT_WRITERS, default 1). */
  writers?: number;
}

/** The vendor's key of a visit: two lines with the same key never share a transaction, the later one is written after. */
function keyOf(body: unknown): string | undefined {
  const b = body as { organizationId?: unknown; submissionId?: unknown } | null;
  return b && typeof b.organizationId === 'string' && typeof b.submissionId === 'string' ? `${b.organizationId}\u0000${b.submissionId}` : undefined;
}

function submissionIdOf(body: unknown): string | undefined {
  const id = (body as { submissionId?: unknown } | null)?.submissionId;
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}

function refused<W>(line: number, err: unknown, deps: ImportDeps<W>, submissionId?: string): ImportResult {
  const oo = err instanceof OperationOutcomeError ? err : new OperationOutcomeError(500, [deps.unexpected(err, line)]);
  return { line, status: oo.status, ...(submissionId ? { submissionId } : {}), outcome: operationOutcome(oo.issues) };
}

/** A line after everything but the write: answered already, or a plan to write. */
type Prepared<W> =
  | { kind: 'answered'; result: ImportResult }
  | { kind: 'planned'; line: number; key: string | undefined; submissionId: string | undefined; planned: ReadyLine<W> };

function prepare<W>(l: ImportLine, deps: ImportDeps<W>): Promise<Prepared<W>> {
  const answered = (result: ImportResult): Promise<Prepared<W>> => Promise.resolve({ kind: 'answered', result });
  if (l.kind === 'too-long') return answered({ line: l.line, status: 413, outcome: operationOutcome([issue('IMPORT-LINE-TOO-LONG', { line: l.line, limit: deps.limits.maxLineBytes })]) });
  if (l.kind === 'over-limit') return answered({ line: l.line, status: 413, outcome: operationOutcome([issue('IMPORT-TOO-LARGE', { line: l.line, limit: deps.limits.maxBytes })]) });
  let body: unknown;
  try {
    body = deps.parse(l.text);
    deps.authorize(body);
  } catch (err) {
    return answered(refused(l.line, err, deps, submissionIdOf(body)));
  }
  return deps.plan(body).then(
    (planned): Prepared<W> => ({ kind: 'planned', line: l.line, key: keyOf(body), submissionId: submissionIdOf(body), planned }),
    (err: unknown): Prepared<W> => ({ kind: 'answered', result: refused(l.line, err, deps, submissionIdOf(body)) }),
  );
}

function accepted<W>(line: number, out: LineWritten, planned: ReadyLine<W>): ImportResult {
  const issues = out.kind === 'unchanged' ? [] : planned.warnings;
  return { line, status: 202, id: out.id, submissionId: out.submissionId, result: out.kind, ...(issues.length > 0 ? { outcome: operationOutcome(issues) } : {}) };
}

/** Writes one group's plans in one transaction; results in the group's (input) order. */
async function commit<W>(group: Prepared<W>[], deps: ImportDeps<W>): Promise<ImportResult[]> {
  const planned = group.filter((p): p is Extract<Prepared<W>, { kind: 'planned' }> => p.kind === 'planned');
  const outcomes = planned.length > 0 ? await deps.write(planned.map((p) => p.planned.write)) : [];
  const byLine = new Map(planned.map((p, i) => {
    const out = outcomes[i];
    const result = !out ? refused(p.line, new Error('no outcome for a written plan'), deps, p.submissionId)
      : 'error' in out ? refused(p.line, out.error, deps, p.submissionId) : accepted(p.line, out, p.planned);
    return [p.line, result] as const;
  }));
  return group.map((p) => (p.kind === 'answered' ? p.result : (byLine.get(p.line) as ImportResult)));
}

/**
 * What a planned line must not share with a group being written: its submission key and every
 * advisory lock its plan takes (conditional matches, and the PWS people, who are locked across
 * organisations), so that two groups never wait for each other in a cycle.
 */
function conflictKeys<W>(p: Extract<Prepared<W>, { kind: 'planned' }>): string[] {
  return [...(p.key !== undefined ? [p.key] : []), ...p.planned.locks];
}

/**
 * Bulk import: every line goes through exactly the single intake's steps (parse, tenant rule,
 * validation, mapping, the write plan), so a line is accepted or refused as `POST /ilp/v1/encounters`
 * would; a refused line never stops the others. Lines are prepared ahead (`concurrency`) while
 * earlier groups are written, and accepted lines are written in groups of up to `groupSize` in ONE
 * transaction (group commit: one WAL flush for the group), up to `writers` groups at once on their
 * own connections (issue #12: one group at a time left PostgreSQL writing on one backend while the
 * single intake uses the pool). Results leave in input order, each only after the transaction
 * holding its visit committed. A line whose submission or advisory-lock keys (the same patient's
 * NIK, docs/decisions/0018) are in a group still being written waits for that group: two
 * transactions never write the same submission or race for the same conditional match, and never
 * take each other's locks in a cycle. Blank lines are skipped (no result).
 */
export async function* importVisits<W>(lines: AsyncIterable<ImportLine>, deps: ImportDeps<W>): AsyncGenerator<ImportResult> {
  const input = lines[Symbol.asyncIterator]();
  const writers = Math.max(1, deps.writers ?? 1);
  const window: Promise<Prepared<W>>[] = [];
  const ahead = Math.max(deps.concurrency, deps.groupSize) * (writers + 1);
  let ended = false;
  const refill = async (): Promise<void> => {
    while (!ended && window.length < ahead) {
      const next = await input.next();
      if (next.done) ended = true;
      else if (next.value.kind !== 'text' || next.value.text.trim() !== '') {
        window.push(prepare(next.value, deps));
        // Validation and mapping are synchronous CPU (~10 ms a line) and the lines of one socket chunk
        // arrive without a pause: yield to the event loop after each, so the writers' database answers
        // (and other requests) are served between lines, not after a whole window of them.
        await yieldToLoop();
      }
    }
  };
  /** Groups being written, oldest first, with every key their plans hold. */
  const writing: { keys: Set<string>; results: Promise<ImportResult[]> }[] = [];
  await refill();
  while (window.length > 0 || writing.length > 0) {
    let blocked = false;
    if (window.length > 0 && writing.length < writers) {
      const group: Prepared<W>[] = [];
      const keys = new Set<string>();
      const held = new Set<string>();
      let plans = 0;
      while (window.length > 0 && plans < deps.groupSize) {
        const item = await (window[0] as Promise<Prepared<W>>);
        if (item.kind === 'planned') {
          if (item.key !== undefined && keys.has(item.key)) break;
          if (conflictKeys(item).some((k) => writing.some((w) => w.keys.has(k)))) {
            blocked = group.length === 0;
            break;
          }
        }
        window.shift();
        group.push(item);
        if (item.kind === 'planned') {
          plans += 1;
          if (item.key !== undefined) keys.add(item.key);
          for (const k of conflictKeys(item)) held.add(k);
        }
      }
      if (group.length > 0) {
        const results = commit(group, deps);
        results.catch(() => undefined); // awaited below, in order; not an unhandled rejection meanwhile
        writing.push({ keys: held, results });
      }
      // The next lines are read and prepared while PostgreSQL writes.
      await refill();
    }
    if (writing.length > 0 && (blocked || writing.length >= writers || window.length === 0)) {
      const oldest = writing.shift() as (typeof writing)[number];
      for (const result of await oldest.results) yield result;
    }
  }
}
