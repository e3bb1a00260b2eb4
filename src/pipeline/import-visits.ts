import type { OperationOutcome } from 'fhir/r4';
import { issue, OperationOutcomeError, operationOutcome, type Issue } from '../kernel';
import type { SaveOutcome } from '../store/ports';

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

export interface ImportDeps {
  /** JSON text → value; throws an OperationOutcomeError (400) for malformed or hostile JSON. */
  parse(text: string): unknown;
  /** The tenant rule of the single intake; throws an OperationOutcomeError (403). */
  authorize(body: unknown): void;
  /** The single intake's pipeline (src/pipeline/submit-visit.ts): durable when it resolves. */
  submit(body: unknown): Promise<{ saved: SaveOutcome; warnings: Issue[] }>;
  /** An error that is not an OperationOutcomeError: logged by the caller, answered 500 for that line. */
  unexpected(err: unknown, line: number): Issue;
  limits: { maxBytes: number; maxLineBytes: number };
  /** Lines stored at once (results still leave in input order). */
  concurrency: number;
}

/** The vendor's key of a visit: two lines with the same key are stored one after the other, never raced. */
function keyOf(body: unknown): string | undefined {
  const b = body as { organizationId?: unknown; submissionId?: unknown } | null;
  return b && typeof b.organizationId === 'string' && typeof b.submissionId === 'string' ? `${b.organizationId}\u0000${b.submissionId}` : undefined;
}

function submissionIdOf(body: unknown): string | undefined {
  const id = (body as { submissionId?: unknown } | null)?.submissionId;
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}

function refused(line: number, err: unknown, deps: ImportDeps, submissionId?: string): ImportResult {
  const oo = err instanceof OperationOutcomeError ? err : new OperationOutcomeError(500, [deps.unexpected(err, line)]);
  return { line, status: oo.status, ...(submissionId ? { submissionId } : {}), outcome: operationOutcome(oo.issues) };
}

/**
 * Bulk import: every line goes through exactly the single intake's steps (parse, tenant rule,
 * submitVisit), so a line is accepted or refused as `POST /ilp/v1/encounters` would; a refused line
 * never stops the others. Up to `concurrency` lines are stored at once and results are yielded in
 * input order, each only after its visit is committed. Blank lines are skipped (no result).
 */
export async function* importVisits(lines: AsyncIterable<ImportLine>, deps: ImportDeps): AsyncGenerator<ImportResult> {
  const window: Promise<ImportResult>[] = [];
  const byKey = new Map<string, Promise<unknown>>();

  const store = (line: number, body: unknown): Promise<ImportResult> => {
    const key = keyOf(body);
    const before = key ? byKey.get(key) : undefined;
    const run = async (): Promise<ImportResult> => {
      try {
        const { saved, warnings } = await deps.submit(body);
        const s = saved.submission;
        const issues = saved.kind === 'unchanged' ? [] : warnings;
        return { line, status: 202, id: s.id, submissionId: s.submissionId, result: saved.kind, ...(issues.length > 0 ? { outcome: operationOutcome(issues) } : {}) };
      } catch (err) {
        return refused(line, err, deps, submissionIdOf(body));
      }
    };
    const p = before ? before.then(run) : run();
    if (key) {
      byKey.set(key, p);
      void p.finally(() => { if (byKey.get(key) === p) byKey.delete(key); });
    }
    return p;
  };

  const start = (l: ImportLine): Promise<ImportResult> => {
    if (l.kind === 'too-long') return Promise.resolve({ line: l.line, status: 413, outcome: operationOutcome([issue('IMPORT-LINE-TOO-LONG', { line: l.line, limit: deps.limits.maxLineBytes })]) });
    if (l.kind === 'over-limit') return Promise.resolve({ line: l.line, status: 413, outcome: operationOutcome([issue('IMPORT-TOO-LARGE', { line: l.line, limit: deps.limits.maxBytes })]) });
    let body: unknown;
    try {
      body = deps.parse(l.text);
      deps.authorize(body);
    } catch (err) {
      return Promise.resolve(refused(l.line, err, deps, submissionIdOf(body)));
    }
    return store(l.line, body);
  };

  for await (const l of lines) {
    if (l.kind === 'text' && l.text.trim() === '') continue;
    window.push(start(l));
    if (window.length >= deps.concurrency) yield await (window.shift() as Promise<ImportResult>);
  }
  while (window.length > 0) yield await (window.shift() as Promise<ImportResult>);
}
