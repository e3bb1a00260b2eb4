import type { Encounter, OperationOutcome, Resource } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import type { Delivery, QueueStats, RelayEvent, RelayProblem, RelayStore, RelayVisit, RelayWork } from './ports';
import { inTransaction, iso, json, one, withConnection, type Sql } from './sql';
import { SUBMISSION_SELECT, toSubmissionRecord, type SubmissionRow } from './rows';
import { FHIR_ID, UUID } from '../fhir/ids';

/**
 * Group commit for the relay's per-delivery writes (issue #12): calls made while one write is in
 * flight go together in the next, as one multi-row statement. Under an intake burst every
 * statement waits for a pooled connection behind the intake's transactions, so the relay's rate is
 * bounded by its round trips per delivery, not by its CPU (docs/performance.md, "#12"). Each call
 * still resolves only after its own row is committed. A batch that fails is written again row by
 * row, so one bad row cannot fail the others.
 */
class GroupCommit<T> {
  private readonly queue: { item: T; resolve(v: boolean): void; reject(e: unknown): void }[] = [];
  private running = false;

  constructor(private readonly write: (items: readonly T[]) => Promise<Set<string>>, private readonly key: (item: T) => string, private readonly max = 64) {}

  add(item: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.max);
        try {
          const done = await this.write(batch.map((b) => b.item));
          for (const b of batch) b.resolve(done.has(this.key(b.item)));
        } catch (err) {
          if (batch.length === 1) batch[0]?.reject(err);
          else for (const b of batch) await this.write([b.item]).then((done) => b.resolve(done.has(this.key(b.item))), b.reject);
        }
      }
    } finally {
      this.running = false;
    }
  }
}

interface Fenced {
  work: RelayWork;
  worker: string;
}
interface Delivered extends Fenced {
  nationalIds: Record<string, string>;
}
const fenceKey = (f: Fenced): string => `${f.work.outboxId}:${f.work.attempts}:${f.worker}`;
const rowKey = (r: { id: string; attempts: number; worker: string }): string => `${r.id}:${r.attempts}:${r.worker}`;

/** markSent for a batch, each row guarded by its claim (worker and attempt number). */
const MARK_SENT = `
  UPDATE outbox o SET sent_at = coalesce(o.sent_at, now())
    FROM unnest($1::bigint[], $2::text[], $3::int[]) AS w(id, worker, attempts)
   WHERE o.id = w.id AND o.claimed_by = w.worker AND o.status = 'claimed' AND o.attempts = w.attempts
   RETURNING o.id::text AS id, o.attempts, w.worker`;

/**
 * complete() for a batch in ONE statement (atomic without BEGIN/COMMIT): the outbox rows this
 * worker still holds turn done, their submissions take the national ids (and `delivered` when
 * still at that version), and a `delivered` event each; the same rules as finishRow + setSubmission
 * + event, which the other results still use one row at a time.
 */
const COMPLETE = `
  WITH w AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[]) AS w(id, worker, attempts, ids)),
  f AS (
    UPDATE outbox o SET status = 'done', claimed_until = NULL, claimed_by = NULL, last_error = NULL, done_at = now()
      FROM w WHERE o.id = w.id AND o.claimed_by = w.worker AND o.status = 'claimed' AND o.attempts = w.attempts
    RETURNING o.id, o.submission_pk, o.submission_version, o.attempts, w.worker, w.ids),
  s AS (
    UPDATE submission s SET national_ids = s.national_ids || f.ids::jsonb,
           status = CASE WHEN s.version = f.submission_version THEN 'delivered' ELSE s.status END,
           national_outcome = CASE WHEN s.version = f.submission_version THEN NULL ELSE s.national_outcome END,
           updated_at = now()
      FROM f WHERE s.pk = f.submission_pk
    RETURNING s.pk),
  e AS (
    INSERT INTO relay_event (submission_pk, outbox_id, kind, detail)
    SELECT f.submission_pk, f.id, 'delivered', jsonb_build_object('attempts', f.attempts) FROM f ORDER BY f.id
    RETURNING id)
  SELECT f.id::text AS id, f.attempts, f.worker FROM f`;


/**
 * Claim: pending rows that are due, and claimed rows whose lease ran out (their claimer died),
 * skipping organisations whose relay is paused. FOR UPDATE SKIP LOCKED lets several processes
 * claim at once without waiting on, or double-claiming, each other's rows
 * (docs/decisions/0001-storage-and-outbox.md, 0005-relay.md). A version is not claimed while another
 * version of the same submission is being sent (it must first learn the national ids, or it would
 * create the resources a second time). The submission turns `relaying`.
 */
const CLAIM = `
  WITH claimed AS (
    UPDATE outbox SET status = 'claimed', claimed_at = now(), claimed_by = $1, attempts = attempts + 1,
           claimed_until = now() + make_interval(secs => $3::int)
     WHERE id IN (
       SELECT o.id FROM outbox o
        WHERE ((o.status = 'pending' AND o.available_at <= now()) OR (o.status = 'claimed' AND o.claimed_until < now()))
          AND NOT EXISTS (SELECT 1 FROM relay_pause p JOIN submission s ON s.organization_id = p.organization_id
                           WHERE s.pk = o.submission_pk)
          AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.submission_pk = o.submission_pk AND c.id <> o.id
                             AND c.status = 'claimed' AND c.claimed_until >= now())
        ORDER BY o.available_at, o.id
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
    RETURNING id, submission_pk, submission_version, attempts, sent_at,
              extract(epoch FROM now() - coalesce(requeued_at, created_at))::float8 * 1000 AS age_ms),
  marked AS (
    UPDATE submission s SET status = 'relaying', updated_at = now()
      FROM claimed c WHERE s.pk = c.submission_pk AND s.version = c.submission_version AND s.status <> 'relaying'
    RETURNING s.pk)
  SELECT c.id::text AS id, c.submission_pk, c.submission_version, c.attempts, c.age_ms, s.organization_id,
         (c.sent_at IS NOT NULL) AS sent,
         EXISTS (SELECT 1 FROM outbox x WHERE x.submission_pk = c.submission_pk AND x.sent_at IS NOT NULL) AS any_sent
    FROM claimed c JOIN submission s ON s.pk = c.submission_pk
   ORDER BY c.id`;

interface ClaimRow {
  id: string;
  submission_pk: string;
  submission_version: number;
  attempts: number;
  organization_id: string;
  sent: boolean;
  any_sent: boolean;
  age_ms: number;
}

/**
 * Ends the claim if (and only if) this worker still holds it, fenced by the claim's attempt number
 * (a stale attempt of the same worker, whose lease ran out and which claimed the row again, cannot
 * record over the newer claim); true when it did.
 */
async function finishRow(sql: Sql, work: RelayWork, worker: string, status: 'done' | 'failed' | 'pending', extra: { delayMs?: number; error?: string }): Promise<boolean> {
  const rows = await sql.rows<{ id: string }>(
    `UPDATE outbox SET status = $3, claimed_until = NULL, claimed_by = NULL, last_error = $4,
            available_at = CASE WHEN $3 = 'pending' THEN now() + make_interval(secs => $5::float8 / 1000) ELSE available_at END,
            done_at = CASE WHEN $3 = 'done' THEN now() ELSE done_at END
      WHERE id = $1::bigint AND claimed_by = $2 AND status = 'claimed' AND attempts = $6
      RETURNING id::text AS id`,
    [work.outboxId, worker, status, extra.error ?? null, extra.delayMs ?? 0, work.attempts],
  );
  return rows.length === 1;
}

async function event(sql: Sql, work: RelayWork, kind: RelayEvent['kind'], detail: Record<string, unknown>): Promise<void> {
  await sql.rows(`INSERT INTO relay_event (submission_pk, outbox_id, kind, detail) VALUES ($1, $2::bigint, $3, $4::jsonb)`, [
    work.submissionPk, work.outboxId, kind, json(detail),
  ]);
}

/** National ids are merged whatever the version: a newer version must update (PUT) what is already there. */
async function setSubmission(sql: Sql, work: RelayWork, status: string | undefined, ids: Record<string, string>, outcome: OperationOutcome | null): Promise<void> {
  await sql.rows(
    `UPDATE submission SET national_ids = national_ids || $2::jsonb,
            status = CASE WHEN $3::text IS NOT NULL AND version = $4 THEN $3::text ELSE status END,
            national_outcome = CASE WHEN $3::text IS NOT NULL AND version = $4 THEN $5::jsonb ELSE national_outcome END,
            updated_at = now()
      WHERE pk = $1`,
    [work.submissionPk, json(ids), status ?? null, work.submissionVersion, outcome === null ? null : json(outcome)],
  );
}

export class SqlRelayStore implements RelayStore {
  /**
   * `ds` carries the deliveries (on PostgreSQL the relay's own few connections, open-database.ts);
   * `adminDs` the operators' and dashboards' reads and actions (requeue, problems, stats, purge), so
   * that a polling dashboard never takes a connection from a delivery in flight.
   */
  constructor(private readonly ds: DataSource, private readonly adminDs: DataSource = ds) {}

  private readonly sent = new GroupCommit<Fenced>(async (items) => {
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<{ id: string; attempts: number; worker: string }>(MARK_SENT, [items.map((i) => i.work.outboxId), items.map((i) => i.worker), items.map((i) => i.work.attempts)]),
    );
    return new Set(rows.map(rowKey));
  }, fenceKey);

  private readonly delivered = new GroupCommit<Delivered>(async (items) => {
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<{ id: string; attempts: number; worker: string }>(COMPLETE, [
        items.map((i) => i.work.outboxId), items.map((i) => i.worker), items.map((i) => i.work.attempts), items.map((i) => json(i.nationalIds)),
      ]),
    );
    return new Set(rows.map(rowKey));
  }, fenceKey);

  /**
   * Claims and, in the same transaction, loads what the claimed rows send (RelayWork.visit): two
   * statements for the whole batch instead of two per delivery.
   */
  async claim(worker: string, limit: number, leaseSeconds: number): Promise<RelayWork[]> {
    return inTransaction(this.ds, async (sql) => {
      const rows = await sql.rows<ClaimRow>(CLAIM, [worker, limit, leaseSeconds]);
      const visits = rows.length > 0 ? await loadVisits(sql, rows.map((r) => r.submission_pk)) : new Map<string, RelayVisit>();
      return rows.map((r) => {
        const visit = visits.get(r.submission_pk);
        return {
          outboxId: r.id, submissionPk: r.submission_pk, submissionVersion: r.submission_version,
          organizationId: r.organization_id, attempts: r.attempts, sentBefore: r.sent, mayHaveSent: r.any_sent, ageMs: Number(r.age_ms),
          ...(visit ? { visit } : {}),
        };
      });
    });
  }

  async renew(worker: string, works: readonly RelayWork[], leaseSeconds: number): Promise<string[]> {
    if (works.length === 0) return [];
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<{ id: string }>(
        `UPDATE outbox o SET claimed_until = now() + make_interval(secs => $4::int)
           FROM unnest($2::bigint[], $3::int[]) AS w(id, attempts)
          WHERE o.id = w.id AND o.attempts = w.attempts AND o.claimed_by = $1 AND o.status = 'claimed'
          RETURNING o.id::text AS id`,
        [worker, works.map((w) => w.outboxId), works.map((w) => w.attempts), leaseSeconds],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** The visit of one claimed row (RelayWork.visit carries it when the claim loaded it). */
  async loadVisit(work: RelayWork): Promise<RelayVisit | undefined> {
    if (!UUID.test(work.submissionPk)) return undefined;
    return withConnection(this.ds, async (sql) => (await loadVisits(sql, [work.submissionPk])).get(work.submissionPk));
  }

  /**
   * Credentials missing or refused: pause the organisation (relay_pause, shown by the admin API;
   * `DELETE /admin/v1/organizations/{org}/pause` after fixing them) and hand the row back to the
   * queue without counting the attempt. Guarded by the claim.
   */
  pauseOrganization(work: RelayWork, worker: string, reason: string): Promise<boolean> {
    return inTransaction(this.ds, async (sql) => {
      const rows = await sql.rows<{ id: string }>(
        `UPDATE outbox SET status = 'pending', claimed_by = NULL, claimed_until = NULL, attempts = greatest(attempts - 1, 0), last_error = $3
          WHERE id = $1::bigint AND claimed_by = $2 AND status = 'claimed' AND attempts = $4 RETURNING id::text AS id`,
        [work.outboxId, worker, reason, work.attempts],
      );
      if (rows.length !== 1) return false;
      await sql.rows(`INSERT INTO relay_pause (organization_id, reason) VALUES ($1, $2) ON CONFLICT (organization_id) DO NOTHING`, [work.organizationId, reason]);
      await event(sql, work, 'retry', { attempts: work.attempts, paused: true, error: reason });
      return true;
    });
  }

  /**
   * Persisted before the relay posts this row's transaction: from then on the platform may hold
   * it, and every later claim looks before sending again (`RelayWork.sentBefore`/`mayHaveSent`).
   * Guarded by the claim, like the finishing calls; false when this worker no longer holds it.
   */
  markSent(work: RelayWork, worker: string): Promise<boolean> {
    return this.sent.add({ work, worker });
  }

  complete(work: RelayWork, worker: string, nationalIds: Record<string, string>): Promise<boolean> {
    return this.delivered.add({ work, worker, nationalIds });
  }

  supersede(work: RelayWork, worker: string): Promise<boolean> {
    return this.finish(work, worker, 'done', {}, (sql) => event(sql, work, 'superseded', {}));
  }

  retry(work: RelayWork, worker: string, delayMs: number, error: string, nationalIds: Record<string, string> = {}): Promise<boolean> {
    return this.finish(work, worker, 'pending', { delayMs, error }, async (sql) => {
      if (Object.keys(nationalIds).length > 0) await setSubmission(sql, work, undefined, nationalIds, null);
      await event(sql, work, 'retry', { attempts: work.attempts, delayMs, error });
    });
  }

  reject(work: RelayWork, worker: string, outcome: OperationOutcome): Promise<boolean> {
    return this.finish(work, worker, 'failed', { error: 'rejected by the national platform' }, async (sql) => {
      await setSubmission(sql, work, 'rejected', {}, outcome);
      await event(sql, work, 'rejected', { attempts: work.attempts });
    });
  }

  fail(work: RelayWork, worker: string, outcome: OperationOutcome): Promise<boolean> {
    const error = outcome.issue[0]?.diagnostics ?? 'failed';
    return this.finish(work, worker, 'failed', { error }, async (sql) => {
      await setSubmission(sql, work, 'failed', {}, outcome);
      await event(sql, work, 'failed', { attempts: work.attempts, error });
    });
  }

  private finish(work: RelayWork, worker: string, status: 'done' | 'failed' | 'pending', extra: { delayMs?: number; error?: string }, then: (sql: Sql) => Promise<void>): Promise<boolean> {
    return inTransaction(this.ds, async (sql) => {
      if (!(await finishRow(sql, work, worker, status, extra))) return false;
      await then(sql);
      return true;
    });
  }

  async release(worker: string): Promise<number> {
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<{ id: string }>(
        `UPDATE outbox SET status = 'pending', claimed_by = NULL, claimed_until = NULL, attempts = greatest(attempts - 1, 0)
          WHERE status = 'claimed' AND claimed_by = $1 RETURNING id::text AS id`,
        [worker],
      ),
    );
    return rows.length;
  }

  requeue(ids: readonly string[], reason: string): Promise<string[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return Promise.resolve([]);
    return inTransaction(this.adminDs, async (sql) => {
      const rows = await sql.rows<{ pk: string; outbox_id: string }>(
        `UPDATE outbox o SET status = 'pending', available_at = now(), attempts = 0, last_error = NULL, claimed_by = NULL, claimed_until = NULL, requeued_at = now()
           FROM submission s
          WHERE s.pk = ANY($1::uuid[]) AND o.submission_pk = s.pk AND o.submission_version = s.version
            AND o.status = 'failed' AND s.status IN ('failed', 'rejected')
          RETURNING s.pk, o.id::text AS outbox_id`,
        [valid],
      );
      for (const row of rows) {
        await sql.rows(`UPDATE submission SET status = 'accepted', national_outcome = NULL, updated_at = now() WHERE pk = $1`, [row.pk]);
        await sql.rows(`INSERT INTO relay_event (submission_pk, outbox_id, kind, detail) VALUES ($1, $2::bigint, 'requeued', $3::jsonb)`, [
          row.pk, row.outbox_id, json({ reason }),
        ]);
      }
      return rows.map((r) => r.pk);
    });
  }

  async listProblems(filter: { status?: 'failed' | 'rejected'; organizationId?: string; limit?: number }): Promise<RelayProblem[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
    const rows = await withConnection(this.adminDs, (sql) =>
      sql.rows<ProblemRow>(
        `SELECT s.pk, s.submission_id, s.organization_id, s.status, s.version, o.attempts, o.last_error, s.national_outcome,
                ${iso('s.updated_at')} AS updated_at
           FROM submission s JOIN outbox o ON o.submission_pk = s.pk AND o.submission_version = s.version
          WHERE s.status = ANY($1::text[]) AND ($2::text IS NULL OR s.organization_id = $2)
          ORDER BY s.updated_at, s.pk LIMIT $3`,
        [filter.status ? [filter.status] : ['failed', 'rejected'], filter.organizationId ?? null, limit],
      ),
    );
    return rows.map(toProblem);
  }

  async events(submissionId: string): Promise<RelayEvent[]> {
    if (!UUID.test(submissionId)) return [];
    return withConnection(this.adminDs, (sql) =>
      sql.rows<RelayEvent>(`SELECT kind, detail, ${iso('at')} AS at FROM relay_event WHERE submission_pk = $1 ORDER BY id`, [submissionId]),
    );
  }

  async pause(organizationId: string, reason: string): Promise<void> {
    await withConnection(this.adminDs, (sql) =>
      sql.rows(
        `INSERT INTO relay_pause (organization_id, reason) VALUES ($1, $2)
         ON CONFLICT (organization_id) DO UPDATE SET reason = EXCLUDED.reason`,
        [organizationId, reason],
      ),
    );
  }

  async resume(organizationId: string): Promise<boolean> {
    const rows = await withConnection(this.adminDs, (sql) =>
      sql.rows(`DELETE FROM relay_pause WHERE organization_id = $1 RETURNING organization_id`, [organizationId]),
    );
    return rows.length > 0;
  }

  listPaused(): Promise<{ organizationId: string; reason: string; pausedAt: string }[]> {
    return withConnection(this.adminDs, (sql) =>
      sql.rows(`SELECT organization_id AS "organizationId", reason, ${iso('paused_at')} AS "pausedAt" FROM relay_pause ORDER BY organization_id`),
    );
  }

  async stats(): Promise<QueueStats> {
    return withConnection(this.adminDs, async (sql) =>
      one(
        await sql.rows<QueueStats>(
          `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
                  count(*) FILTER (WHERE status = 'claimed')::int AS claimed,
                  count(*) FILTER (WHERE status = 'failed')::int AS failed,
                  coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN ('pending', 'claimed'))), 0)::float8 AS "oldestSeconds"
             FROM outbox`,
        ),
      ),
    );
  }

  deliveries(limit: number): Promise<Delivery[]> {
    return withConnection(this.adminDs, (sql) =>
      sql.rows<Delivery>(
        `SELECT submission_pk AS "submissionPk", ${iso('created_at')} AS "createdAt", ${iso('done_at')} AS "doneAt"
           FROM outbox WHERE status = 'done' AND done_at IS NOT NULL ORDER BY id LIMIT $1`,
        [Math.max(1, Math.trunc(limit))],
      ),
    );
  }

  purge(days: number): Promise<{ outbox: number; events: number }> {
    return inTransaction(this.adminDs, async (sql) => {
      const cutoff = `now() - make_interval(days => $1::int)`;
      const outbox = await sql.rows(`DELETE FROM outbox WHERE status = 'done' AND done_at < ${cutoff} RETURNING id`, [days]);
      const events = await sql.rows(`DELETE FROM relay_event WHERE at < ${cutoff} RETURNING id`, [days]);
      return { outbox: outbox.length, events: events.length };
    });
  }
}

/**
 * The submissions of `pks` and the current, not deleted content of the resources each one's
 * version wrote, in its order: one query for the submissions and one for every resource of the
 * batch (the relay's throughput is bounded by its round trips). When a submission wrote no Patient
 * (a FHIR transaction whose Patient entry matched through `ifNoneExist` writes nothing for it), the
 * Patient its Encounter names is added: the visit's references must still become `Patient/<IHS>`
 * (SATUSEHAT refuses a local id, RuleNumber 20007).
 */
async function loadVisits(sql: Sql, pks: readonly string[]): Promise<Map<string, RelayVisit>> {
  const subs = (await sql.rows<SubmissionRow>(`${SUBMISSION_SELECT} WHERE s.pk = ANY($1::uuid[])`, [[...new Set(pks)]])).map(toSubmissionRecord);
  const content = await current(sql, subs.flatMap((s) => s.resources));
  const visits = new Map<string, RelayVisit>();
  const missing: { pk: string; ref: { resourceType: string; id: string } }[] = [];
  for (const submission of subs) {
    const resources = pick(content, submission.resources);
    visits.set(submission.id, { submission, resources });
    if (resources.some((r) => r.resource.resourceType === 'Patient')) continue;
    const subject = (resources.find((r) => r.resource.resourceType === 'Encounter')?.resource as Encounter | undefined)?.subject?.reference;
    const id = subject?.startsWith('Patient/') ? subject.slice('Patient/'.length) : undefined;
    if (id && FHIR_ID.test(id)) missing.push({ pk: submission.id, ref: { resourceType: 'Patient', id } });
  }
  if (missing.length > 0) {
    const patients = await current(sql, missing.map((m) => m.ref));
    for (const m of missing) {
      const visit = visits.get(m.pk);
      if (visit) visit.resources = [...visit.resources, ...pick(patients, [m.ref])];
    }
  }
  return visits;
}

/** The current, not deleted content of `refs` by `Type/id`. */
async function current(sql: Sql, refs: readonly { resourceType: string; id: string }[]): Promise<Map<string, Resource>> {
  if (refs.length === 0) return new Map();
  const rows = await sql.rows<{ resource_type: string; id: string; content: Resource }>(
    `SELECT r.resource_type, r.id, r.content FROM resource r
       JOIN unnest($1::text[], $2::text[]) AS k(resource_type, id) ON r.resource_type = k.resource_type AND r.id = k.id
      WHERE NOT r.deleted AND r.content IS NOT NULL`,
    [refs.map((r) => r.resourceType), refs.map((r) => r.id)],
  );
  return new Map(rows.map((r) => [`${r.resource_type}/${r.id}`, r.content]));
}

function pick(content: Map<string, Resource>, refs: readonly { resourceType: string; id: string }[]): RelayVisit['resources'] {
  return refs.flatMap((r) => {
    const resource = content.get(`${r.resourceType}/${r.id}`);
    return resource ? [{ ref: `${r.resourceType}/${r.id}`, resource }] : [];
  });
}

interface ProblemRow {
  pk: string;
  submission_id: string;
  organization_id: string;
  status: 'failed' | 'rejected';
  version: number;
  attempts: number;
  last_error: string | null;
  national_outcome: OperationOutcome | null;
  updated_at: string;
}

function toProblem(r: ProblemRow): RelayProblem {
  return {
    id: r.pk,
    submissionId: r.submission_id,
    organizationId: r.organization_id,
    status: r.status,
    version: r.version,
    attempts: r.attempts,
    updatedAt: r.updated_at,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.national_outcome ? { nationalOutcome: r.national_outcome } : {}),
  };
}
