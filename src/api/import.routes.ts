import { once } from 'node:events';
import type { Request, Response } from 'express';
import type { ImportConfig } from '../config/config';
import { fail, issue, OperationOutcomeError, type Logger, type Semaphore } from '../kernel';
import { importVisits, readyPlan, type ImportResult, type LineWritten, type ReadyLine } from '../pipeline/import-visits';
import type { WritePlan } from '../write-plan/plan';
import { planVisitWithHistory, prepareToQueue, type IntakeDeps } from '../pipeline/submit-visit';
import type { IntakeLoad } from './intake-load';
import type { IntakeQueue, VisitToQueue } from '../store/intake-queue-ports';
import type { SubmissionStore } from '../store/ports';
import { scanJson } from './body';
import type { Metrics } from './metrics';
import { ndjsonLines } from './ndjson-lines';
import { requestId } from './request-context';
import { principalOf } from './auth.routes';

export interface ImportRouteDeps {
  intake: IntakeDeps;
  submissions: SubmissionStore;
  /** INTAKE_MODE=queued: lines are queued (IntakeQueue.acceptMany) and the materialiser is told. */
  queued?: QueuedIntake;
  metrics: Metrics;
  logger: Logger;
  maxJsonDepth: number;
  limits: ImportConfig;
  /**
   * IMPORT_WRITERS_TOTAL: one per process, shared by every upload (src/app.ts). Each group holds a
   * slot exactly while its `writeMany` runs; a group waits for one in FIFO order, never refused.
   */
  writeSlots: Semaphore;
  /** The single intake's tenant rule (ilp.routes.ts); with a null body only the caller's right to write is checked. */
  authorize(res: Response, body: unknown): void;
  /** Told every result line once it is written (intake attempts, src/api/intake-attempts.middleware.ts); must not throw. */
  observe?(res: Response, result: ImportResult): void;
}

/** INTAKE_MODE=queued (docs/decisions/0022): where accepted visits wait, and who writes them. */
export interface QueuedIntake {
  queue: IntakeQueue;
  /** The process's materialiser: a visit was queued. */
  poke(): void;
  /** Intake arrivals (counted by src/api/http-app.ts), which the materialiser yields to. */
  load: IntakeLoad;
}

export const NDJSON = 'application/x-ndjson';

/** How a line is made ready and its group made durable: the visits written now (direct), or queued for the materialiser. */
interface LineSink<W> {
  plan(body: unknown): Promise<ReadyLine<W>>;
  write(items: W[]): Promise<(LineWritten | { error: unknown })[]>;
}

function directSink(deps: ImportRouteDeps): LineSink<WritePlan> {
  return {
    plan: async (body) => readyPlan(await planVisitWithHistory(body, deps.intake)),
    write: async (plans) => (await deps.submissions.writeMany(plans))
      .map((o) => ('error' in o ? o : { kind: o.saved.kind, id: o.saved.submission.id, submissionId: o.saved.submission.submissionId })),
  };
}

/** Validated and mapped as the direct intake does; the materialiser plans each visit again when it writes it. */
function queuedSink(deps: ImportRouteDeps, queued: QueuedIntake, clientId: string): LineSink<VisitToQueue> {
  return {
    plan: async (body) => {
      const { visit, prepared } = await prepareToQueue(body, deps.intake);
      return { write: { ...visit, clientId }, warnings: prepared.issues, locks: [] };
    },
    write: async (visits) => {
      const outcomes = await queued.queue.acceptMany(visits);
      queued.poke();
      return outcomes.map((o) => ('error' in o ? o : { kind: o.kind, id: o.id, submissionId: o.submissionId }));
    },
  };
}

/** One line's JSON, refused as the single intake's body parser and preconditions would refuse it. */
function parseLine(text: string, maxDepth: number): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    if (err instanceof RangeError) fail('HTTP-BODY-TOO-DEEP', { limit: 'the parser' });
    fail('HTTP-BODY-MALFORMED', { reason: (err instanceof Error ? err.message : String(err)).slice(0, 200) });
  }
  scanJson(body, maxDepth);
  return body;
}

/** Writes one result line; false when the client has gone (nothing more can be told). */
async function writeLine(res: Response, result: ImportResult): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(`${JSON.stringify(result)}\n`)) {
    const [event] = await Promise.race([once(res, 'drain').then(() => ['drain']), once(res, 'close').then(() => ['close'])]);
    return event === 'drain';
  }
  return true;
}

/**
 * `POST /ilp/v1/encounters/$import`: NDJSON in (one ILP submission per line), NDJSON out (one
 * result per non-blank line, in order), streamed both ways with backpressure, so neither side holds
 * the upload in memory. Results are written once their visit is committed: a client that loses the
 * connection knows that every line it got a 202 for is stored, and may re-send the whole file
 * (idempotent by submissionId).
 */
export function importHandler(deps: ImportRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    // A caller who may not write at all (a read-only district client) is refused before anything is read.
    deps.authorize(res, null);
    if (!req.is(NDJSON)) fail('IMPORT-MEDIA-TYPE', { type: req.headers['content-type'] ?? '(none)' });
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > deps.limits.maxBytes) fail('IMPORT-TOO-LARGE', { limit: deps.limits.maxBytes, line: 1 });
    // Once the answer is over (finished, or the client gone), this upload's groups still waiting for a
    // write slot leave the queue unwritten: nobody would be told their results. Groups being written finish.
    const over = new AbortController();
    res.once('close', () => over.abort(new Error('the import connection closed')));
    const importWith = <W>(sink: LineSink<W>): AsyncGenerator<ImportResult> => importVisits<W>(ndjsonLines(req, deps.limits), {
      parse: (text) => parseLine(text, deps.maxJsonDepth),
      authorize: (body) => deps.authorize(res, body),
      plan: (body) => sink.plan(body),
      write: async (items) => {
        // A group that failed as a whole (the database unreachable) fails each of its lines; the other groups go on.
        const whole = (error: unknown) => items.map(() => ({ error }));
        const outcomes = await deps.writeSlots.run(() => sink.write(items).catch(whole), over.signal);
        for (const out of outcomes) if (!('error' in out)) deps.metrics.submissions.inc({ result: out.kind });
        return outcomes;
      },
      unexpected: (err, line) => {
        deps.logger.error({ requestId: requestId(res), line, error: err }, 'import line failed');
        return issue('HTTP-INTERNAL', { requestId: requestId(res) });
      },
      limits: deps.limits,
      concurrency: deps.limits.concurrency,
      groupSize: deps.limits.groupSize,
      writers: deps.limits.writers,
    });
    const results = deps.queued ? importWith(queuedSink(deps, deps.queued, principalOf(res).clientId)) : importWith(directSink(deps));
    res.status(200).type(NDJSON);
    res.flushHeaders();
    try {
      for await (const result of results) {
        if (!(await writeLine(res, result))) break;
        deps.observe?.(res, result);
      }
    } catch (err) {
      // The upload broke off (client gone, connection reset): what was committed stays committed.
      if (!(err instanceof OperationOutcomeError)) deps.logger.info({ requestId: requestId(res), err }, 'import ended early');
    }
    res.end();
  };
}
