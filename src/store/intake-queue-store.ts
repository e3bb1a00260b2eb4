import { randomUUID } from 'node:crypto';
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import { UUID } from '../fhir/ids';
import { containsNul } from '../write-plan/decide';
import { nulCharacter } from '../write-plan/errors';
import type { AcceptOutcome, ClaimedVisit, IntakeQueue, IntakeQueueStats, QueuedVisit, VisitToQueue } from './intake-queue-ports';
import type { SubmissionStatus } from './ports';
import { CLOCK, inTransaction, iso, json, one, withConnection } from './sql';

/**
 * Accepting is one INSERT … ON CONFLICT, autocommitted, for one visit or a group (docs/decisions/0022):
 * - no queue row, and no stored submission with this payload hash → a queue row (the stored
 *   submission's id when there is one, so the visit keeps its gateway id);
 * - a queue row with another hash, or one that was refused → its payload replaced, a new ticket;
 * - otherwise (the same payload queued, or already written) → nothing: `unchanged`.
 * It takes no lock. A race with a materialiser that is writing the same visit at that moment can
 * only queue a payload that is then found already written: writing a plan is idempotent by
 * payload hash (plan-store.ts), so that costs a redundant round, never a second outbox row.
 */
const ACCEPT_SQL = `
  WITH x AS MATERIALIZED (
    -- LATERAL … LIMIT 1 (not flattened into a join): one index probe per visit. A join is planned for
    -- jsonb_to_recordset's guess of 100 rows, as a hash join over a scan of the whole queue.
    SELECT x.*, s.pk AS spk, s.payload_hash AS shash, s.received_at AS sreceived, s.version AS sversion, s.status AS sstatus,
           q.pk AS qpk, q.refused IS NOT NULL AS qrefused
      FROM jsonb_to_recordset($1::jsonb) AS x(n integer, pk uuid, org text, sid text, payload jsonb, hash text, warnings jsonb)
      LEFT JOIN LATERAL (SELECT pk, payload_hash, received_at, version, status FROM submission s
                          WHERE s.organization_id = x.org AND s.submission_id = x.sid LIMIT 1) s ON true
      LEFT JOIN LATERAL (SELECT pk, refused FROM intake_queue q WHERE q.organization_id = x.org AND q.submission_id = x.sid LIMIT 1) q ON true),
  c AS (SELECT ${CLOCK} AS t),
  ins AS (
    INSERT INTO intake_queue AS q (pk, organization_id, submission_id, payload, payload_hash, warnings, received_at, updated_at)
    SELECT coalesce(x.spk, x.pk), x.org, x.sid, x.payload, x.hash, x.warnings, coalesce(x.sreceived, c.t), c.t
      FROM x CROSS JOIN c
     WHERE x.spk IS NULL OR x.shash <> x.hash OR x.qpk IS NOT NULL
    ON CONFLICT (organization_id, submission_id) DO UPDATE
      SET payload = EXCLUDED.payload, payload_hash = EXCLUDED.payload_hash, warnings = EXCLUDED.warnings, updated_at = EXCLUDED.updated_at,
          ticket = nextval('intake_queue_ticket'), refused = NULL, attempts = 0, lease_owner = NULL, lease_until = NULL
      WHERE q.payload_hash <> EXCLUDED.payload_hash OR q.refused IS NOT NULL
    RETURNING q.pk, q.organization_id, q.submission_id, (q.xmax = 0) AS inserted)
  SELECT x.n, coalesce(ins.pk, x.qpk, x.spk)::text AS id, ins.pk IS NOT NULL AS queued, coalesce(ins.inserted, false) AS inserted,
         x.spk IS NOT NULL AS stored, coalesce(x.sversion, 0) AS version, x.sstatus AS status, x.qpk IS NOT NULL AS was_queued, coalesce(x.qrefused, false) AS was_refused
    FROM x LEFT JOIN ins ON ins.organization_id = x.org AND ins.submission_id = x.sid
   ORDER BY x.n`;

interface AcceptRow {
  n: number;
  id: string;
  queued: boolean;
  inserted: boolean;
  stored: boolean;
  version: number;
  status: SubmissionStatus | null;
  was_queued: boolean;
  was_refused: boolean;
}

function outcomeOf(row: AcceptRow, v: VisitToQueue): AcceptOutcome {
  const base = { id: row.id, organizationId: v.organizationId, submissionId: v.submissionId, version: row.version };
  if (row.queued) return { ...base, kind: row.stored ? 'updated' : row.inserted || row.was_refused ? 'created' : 'updated', status: 'received' };
  return { ...base, kind: 'unchanged', status: row.was_queued ? (row.was_refused ? 'refused' : 'received') : (row.status ?? 'accepted') };
}

interface QueueRow {
  pk: string;
  organization_id: string;
  submission_id: string;
  payload_hash: string;
  received_at: string;
  updated_at: string;
  warnings: OperationOutcomeIssue[];
  attempts: number;
  refused: OperationOutcome | null;
}

export class SqlIntakeQueue implements IntakeQueue {
  constructor(private readonly ds: DataSource) {}

  async accept(visit: VisitToQueue): Promise<AcceptOutcome> {
    const [out] = await this.acceptGroup([visit]);
    if (!out) throw new Error('the intake queue answered no row for an accepted visit');
    return out;
  }

  /**
   * One statement for the group. ON CONFLICT may touch a row once per statement, so a group
   * holding one key twice (importVisits never builds one) is accepted visit by visit, in order.
   */
  async acceptMany(visits: readonly VisitToQueue[]): Promise<(AcceptOutcome | { error: unknown })[]> {
    const keys = new Set(visits.map((v) => `${v.organizationId}\u0000${v.submissionId}`));
    if (visits.length > 1 && keys.size === visits.length && !visits.some((v) => containsNul(v.payload) || containsNul(v.warnings))) {
      try {
        return await this.acceptGroup(visits);
      } catch {
        // Below, one by one: each visit meets (and reports) its own error, if any.
      }
    }
    const out: (AcceptOutcome | { error: unknown })[] = [];
    for (const v of visits) out.push(await this.accept(v).catch((error: unknown) => ({ error })));
    return out;
  }

  private async acceptGroup(visits: readonly VisitToQueue[]): Promise<AcceptOutcome[]> {
    for (const v of visits) if (containsNul(v.payload) || containsNul(v.warnings)) nulCharacter('payload');
    const rows = visits.map((v, n) => ({ n, pk: randomUUID(), org: v.organizationId, sid: v.submissionId, payload: v.payload ?? null, hash: v.payloadHash, warnings: v.warnings }));
    const found = await withConnection(this.ds, (sql) => sql.rows<AcceptRow>(ACCEPT_SQL, [json(rows)]));
    return visits.map((v, n) => {
      const row = found[n];
      if (!row || row.n !== n) throw new Error('the intake queue answered rows out of order');
      return outcomeOf(row, v);
    });
  }

  async claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedVisit[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<{ pk: string; ticket: string; organization_id: string; submission_id: string; payload: unknown; attempts: number }>(
      `UPDATE intake_queue q SET lease_owner = $1, lease_until = ${CLOCK} + make_interval(secs => $3::double precision), attempts = q.attempts + 1
         FROM (SELECT pk FROM intake_queue WHERE refused IS NULL AND (lease_until IS NULL OR lease_until < ${CLOCK})
                ORDER BY ticket LIMIT $2 FOR UPDATE SKIP LOCKED) c
        WHERE q.pk = c.pk
        RETURNING q.pk::text AS pk, q.ticket::text AS ticket, q.organization_id, q.submission_id, q.payload, q.attempts`,
      [owner, limit, leaseSeconds],
    ));
    return rows
      .map((r) => ({ id: r.pk, ticket: r.ticket, organizationId: r.organization_id, submissionId: r.submission_id, payload: r.payload, attempts: r.attempts }))
      .sort((a, b) => (BigInt(a.ticket) < BigInt(b.ticket) ? -1 : 1));
  }

  async finish(owner: string, claimed: readonly ClaimedVisit[], written: readonly ClaimedVisit[], refused: readonly { visit: ClaimedVisit; outcome: OperationOutcome }[]): Promise<void> {
    if (claimed.length === 0) return;
    await inTransaction(this.ds, async (sql) => {
      if (written.length > 0) {
        // By primary key (= ANY): a join with jsonb_to_recordset would be planned as a scan of the queue.
        await sql.rows('DELETE FROM intake_queue WHERE pk = ANY($1::uuid[]) AND ticket = ($2::bigint[])[array_position($1::uuid[], pk)]',
          [written.map((v) => v.id), written.map((v) => v.ticket)]);
      }
      if (refused.length > 0) {
        await sql.rows(`UPDATE intake_queue q SET refused = x.outcome, lease_owner = NULL, lease_until = NULL
                          FROM (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, ticket bigint, outcome jsonb)) x
                         WHERE q.pk = x.id AND q.ticket = x.ticket AND q.pk = ANY($2::uuid[])`,
        [json(refused.map((r) => ({ id: r.visit.id, ticket: r.visit.ticket, outcome: r.outcome }))), refused.map((r) => r.visit.id)]);
      }
      // The rest (a payload changed meanwhile, a visit left for the next round, an unexpected error): handed back.
      await sql.rows('UPDATE intake_queue SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND pk = ANY($2::uuid[])',
        [owner, claimed.map((v) => v.id)]);
    });
  }

  async release(owner: string): Promise<number> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<{ pk: string }>(
      'UPDATE intake_queue SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 RETURNING pk', [owner]));
    return rows.length;
  }

  async get(id: string): Promise<QueuedVisit | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = await withConnection(this.ds, (sql) => sql.rows<QueueRow>(
      `SELECT pk::text AS pk, organization_id, submission_id, payload_hash, ${iso('received_at')} AS received_at, ${iso('updated_at')} AS updated_at,
              warnings, attempts, refused FROM intake_queue WHERE pk = $1`, [id]));
    if (!row) return undefined;
    return {
      id: row.pk, organizationId: row.organization_id, submissionId: row.submission_id, state: row.refused ? 'refused' : 'received',
      payloadHash: row.payload_hash, receivedAt: row.received_at, updatedAt: row.updated_at, warnings: row.warnings, attempts: row.attempts,
      ...(row.refused ? { refused: row.refused } : {}),
    };
  }

  async oldestSeconds(): Promise<number | undefined> {
    const [row] = await withConnection(this.ds, (sql) => sql.rows<{ age: number }>(
      `SELECT extract(epoch FROM ${CLOCK} - updated_at)::float8 AS age FROM intake_queue WHERE refused IS NULL ORDER BY ticket LIMIT 1`));
    return row ? Number(row.age) : undefined;
  }

  async stats(): Promise<IntakeQueueStats> {
    const row = await withConnection(this.ds, async (sql) => one(await sql.rows<{ received: number; leased: number; refused: number; oldest: number }>(
      `SELECT (count(*) FILTER (WHERE refused IS NULL))::int AS received,
              (count(*) FILTER (WHERE refused IS NULL AND lease_until > ${CLOCK}))::int AS leased,
              (count(*) FILTER (WHERE refused IS NOT NULL))::int AS refused,
              coalesce(extract(epoch FROM ${CLOCK} - min(updated_at) FILTER (WHERE refused IS NULL)), 0)::float8 AS oldest
         FROM intake_queue`)));
    return { received: row.received, leased: row.leased, refused: row.refused, oldestSeconds: Number(row.oldest) };
  }
}
