import { randomUUID } from 'node:crypto';
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import { UUID } from '../fhir/ids';
import { OperationOutcomeError, issue, statusOf } from '../kernel';
import { GroupCalls } from '../kernel/group-calls';
import { containsNul } from '../write-plan/decide';
import { nulCharacter } from '../write-plan/errors';
import type { AcceptOutcome, ClaimedVisit, IntakeQueue, IntakeQueueStats, QueuedVisit, VisitToQueue } from './intake-queue-ports';
import type { WritePlan } from '../write-plan/plan';
import { writePlan } from './plan-store';
import type { SubmissionStatus, WriteOutcome } from './ports';
import type { PwsYearMembers } from './pws-year';
import { CLOCK, inTransaction, isItemError, isRace, iso, json, one, withConnection } from './sql';
import { groupCommit } from './submission-store';

/**
 * Accepting is one INSERT … ON CONFLICT, autocommitted, for one visit or a group (docs/decisions/0022):
 * - no queue row, and no stored submission with this payload hash → a queue row (the stored
 *   submission's id when there is one, so the visit keeps its gateway id);
 * - a queue row with another hash, or one that was refused → its payload replaced, a new ticket;
 * - otherwise (the same payload queued, or already written) → nothing: `unchanged`.
 * A changed payload keeps the row's id and the lease of a materialiser writing it: that write is
 * fenced by the ticket it claimed (writeClaimed), so it stores nothing once the ticket changed.
 * Its snapshot is from before the statement, so a concurrent accept or write may have changed the
 * row meanwhile: a visit whose answer says nothing (the row it conflicted with was not in its
 * snapshot) is accepted again, once, in a new statement.
 *
 * A group's statement never waits for a row lock: a materialiser holds the queue row of each visit
 * it is writing until its batch commits, and a group waiting on one would hold every request in it
 * (and could wait in a cycle with that batch). So a group locks the existing queue rows it found
 * with SKIP LOCKED first; a visit whose row is locked is left out (`busy`) and accepted alone, in a
 * statement that waits for the lock as a single accept always did.
 */
function acceptSql(group: boolean): string {
  return `
  WITH x AS MATERIALIZED (
    -- LATERAL … LIMIT 1 (not flattened into a join): one index probe per visit. A join is planned for
    -- jsonb_to_recordset's guess of 100 rows, as a hash join over a scan of the whole queue.
    SELECT x.*, s.pk AS spk, s.payload_hash AS shash, s.received_at AS sreceived, s.version AS sversion, s.status AS sstatus,
           q.pk AS qpk, q.refused IS NOT NULL AS qrefused, ${group ? 'q.pk IS NOT NULL AND l.pk IS NULL' : 'false'} AS busy
      FROM jsonb_to_recordset($1::jsonb) AS x(n integer, pk uuid, org text, sid text, payload jsonb, hash text, warnings jsonb, client text)
      LEFT JOIN LATERAL (SELECT pk, payload_hash, received_at, version, status FROM submission s
                          WHERE s.organization_id = x.org AND s.submission_id = x.sid LIMIT 1) s ON true
      LEFT JOIN LATERAL (SELECT pk, refused FROM intake_queue q WHERE q.organization_id = x.org AND q.submission_id = x.sid LIMIT 1) q ON true
      ${group ? 'LEFT JOIN LATERAL (SELECT l.pk FROM intake_queue l WHERE l.pk = q.pk FOR UPDATE SKIP LOCKED) l ON true' : ''}),
  c AS (SELECT ${CLOCK} AS t),
  ins AS (
    INSERT INTO intake_queue AS q (pk, organization_id, submission_id, payload, payload_hash, warnings, received_at, updated_at, client_id)
    SELECT coalesce(x.spk, x.qpk, x.pk), x.org, x.sid, x.payload, x.hash, x.warnings, coalesce(x.sreceived, c.t), c.t, x.client
      FROM x CROSS JOIN c
     WHERE NOT x.busy AND (x.spk IS NULL OR x.shash <> x.hash OR x.qpk IS NOT NULL)
    ON CONFLICT (organization_id, submission_id) DO UPDATE
      -- The changed payload is its sender's: the version it becomes is attributed to that client.
      SET payload = EXCLUDED.payload, payload_hash = EXCLUDED.payload_hash, warnings = EXCLUDED.warnings, updated_at = EXCLUDED.updated_at, client_id = EXCLUDED.client_id,
          ticket = nextval('intake_queue_ticket'), refused = NULL, attempts = 0,
          lease_until = CASE WHEN q.lease_owner IS NULL THEN NULL ELSE q.lease_until END
      WHERE q.payload_hash <> EXCLUDED.payload_hash OR q.refused IS NOT NULL
    -- xmax is 0 on a row this statement inserted, and this transaction's id on one it updated (PostgreSQL's
    -- usual way to tell the two apart after ON CONFLICT DO UPDATE; PGlite is the same engine).
    RETURNING q.pk, q.organization_id, q.submission_id, (q.xmax = 0) AS inserted)
  SELECT x.n, coalesce(ins.pk, x.qpk, x.spk)::text AS id, ins.pk IS NOT NULL AS queued, coalesce(ins.inserted, false) AS inserted,
         x.spk IS NOT NULL AS stored, coalesce(x.sversion, 0) AS version, x.sstatus AS status, x.qpk IS NOT NULL AS was_queued,
         coalesce(x.qrefused, false) AS was_refused, x.busy
    FROM x LEFT JOIN ins ON ins.organization_id = x.org AND ins.submission_id = x.sid
   ORDER BY x.n`;
}
const ACCEPT_GROUP_SQL = acceptSql(true);
const ACCEPT_ONE_SQL = acceptSql(false);

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
  busy: boolean;
}

/** The answer for one visit; undefined when the statement's snapshot could not tell (see ACCEPT_SQL). */
function outcomeOf(row: AcceptRow, v: VisitToQueue): AcceptOutcome | undefined {
  if (row.busy) return undefined;
  const base = { id: row.id, organizationId: v.organizationId, submissionId: v.submissionId, version: row.version };
  if (row.queued) {
    const kind = row.stored ? 'updated' : row.inserted || row.was_refused ? 'created' : 'updated';
    return { ...base, kind, status: 'received' };
  }
  if (row.was_queued) return { ...base, kind: 'unchanged', status: row.was_refused ? 'refused' : 'received' };
  if (row.stored && row.status) return { ...base, kind: 'unchanged', status: row.status };
  return undefined;
}

/** A visit a group statement left for a statement of its own (acceptNow). */
const UNDECIDED = Symbol('undecided');
type Undecided = typeof UNDECIDED;

const keyOf = (v: VisitToQueue): string => `${v.organizationId}\u0000${v.submissionId}`;

/** PostgreSQL text and jsonb cannot hold U+0000 (write-plan/decide.ts). */
function storable(v: VisitToQueue): boolean {
  return !containsNul(v.payload) && !containsNul(v.warnings);
}

function nulError(): OperationOutcomeError {
  return new OperationOutcomeError(statusOf('STORE-TEXT-NUL'), [issue('STORE-TEXT-NUL', {}, 'payload')]);
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
  /** Groups accepted again visit by visit after the group statement failed on an error a row caused (tests read it). */
  groupFallbacks = 0;
  /** Claimed batches rolled back and written again visit by visit (writeClaimed). */
  writeFallbacks = 0;

  /**
   * Single accepts made at the same time share one statement (kernel/group-calls.ts): one commit
   * and one WAL flush for the requests of a moment instead of one each. Measured at 16 connections
   * (bench/queued.bench.mjs): PostgreSQL had spent about 1 ms of CPU per accepted visit on its own
   * INSERT and commit, beside the gateway's process on the same two cores. Two groups may run at
   * once, so one slow flush does not hold every request.
   */
  private readonly grouped = new GroupCalls<VisitToQueue, AcceptOutcome>(
    async (visits) => (await this.acceptNow(visits)).map((o, i) => (o === UNDECIDED ? { later: () => this.acceptOne(visits[i] as VisitToQueue) } : o)),
    { flights: 2, maxGroup: 64, keyOf },
  );

  /** `pwsYear`: the PWS year membership kept in each visit's transaction, as SqlSubmissionStore does (pws-year.ts). */
  constructor(private readonly ds: DataSource, private readonly pwsYear?: PwsYearMembers) {}

  /**
   * In a group with the accepts of the same moment; a visit the group left undecided (its queue row
   * is being written by a materialiser) is accepted alone after the group, outside its flight, so
   * waiting for that batch holds this request only, and later calls of its key wait for it.
   */
  accept(visit: VisitToQueue): Promise<AcceptOutcome> {
    return this.grouped.run(visit);
  }

  /** One visit in a statement of its own, which waits for a row lock held by a materialiser's batch. */
  private async acceptOne(visit: VisitToQueue): Promise<AcceptOutcome> {
    const [out] = await this.acceptGroup([visit], false);
    if (!out) throw new Error('the intake queue answered no row for an accepted visit');
    return out;
  }

  /** Visits with distinct keys in one statement (an `$import` group), each with its outcome or the error it alone met (acceptNow). */
  async acceptMany(visits: readonly VisitToQueue[]): Promise<(AcceptOutcome | { error: unknown })[]> {
    const now = await this.acceptNow(visits);
    const out: (AcceptOutcome | { error: unknown })[] = [];
    for (const [i, o] of now.entries()) out.push(o === UNDECIDED ? await this.acceptOne(visits[i] as VisitToQueue).catch((error: unknown) => ({ error })) : o);
    return out;
  }

  /**
   * The group's statement, which waits for no row lock:
   * - a visit that can never be stored (a NUL character) gets its error without reaching SQL;
   * - a visit whose queue row a materialiser is writing, and one the statement could not answer,
   *   are UNDECIDED: the caller accepts each alone;
   * - an error one visit can cause (sql.ts isItemError) makes the group accepted visit by visit, so
   *   that it fails alone; any other (the database unreachable, a timeout) fails the group at once,
   *   as it would have failed each visit: nothing is retried 64 times over.
   * ON CONFLICT may touch a row once per statement, so a group holding one key twice (neither
   * GroupCalls nor importVisits builds one) is accepted visit by visit, in order.
   */
  private async acceptNow(visits: readonly VisitToQueue[]): Promise<(AcceptOutcome | Undecided | { error: unknown })[]> {
    const out: (AcceptOutcome | Undecided | { error: unknown } | undefined)[] = visits.map((v) => (storable(v) ? undefined : { error: nulError() }));
    const ready = visits.flatMap((v, i) => (out[i] === undefined ? [i] : []));
    const keys = new Set(ready.map((i) => keyOf(visits[i] as VisitToQueue)));
    if (ready.length > 0 && keys.size === ready.length) {
      try {
        const found = await this.acceptGroup(ready.map((i) => visits[i] as VisitToQueue), true);
        found.forEach((o, j) => { out[ready[j] as number] = o ?? UNDECIDED; });
      } catch (err) {
        if (!isItemError(err)) throw err;
        this.groupFallbacks += 1;
      }
    }
    // Visit by visit, still without waiting for a row lock inside the flight: a held row stays UNDECIDED.
    for (let i = 0; i < visits.length; i++) {
      if (out[i] !== undefined) continue;
      out[i] = await this.acceptGroup([visits[i] as VisitToQueue], true).then(([o]) => o ?? UNDECIDED, (error: unknown) => ({ error }));
    }
    return out as (AcceptOutcome | Undecided | { error: unknown })[];
  }

  /**
   * One statement. A race with a concurrent accept of the same new visit (unique violation on the
   * id both chose) is accepted again in a new statement, once: by then the other request's row is
   * committed and seen. In a group, a visit left undecided (busy, or not answerable from the
   * statement's snapshot) is `undefined`: acceptMany accepts it alone; alone, it is tried once more.
   */
  private async acceptGroup(visits: readonly VisitToQueue[], group: boolean, again = true): Promise<(AcceptOutcome | undefined)[]> {
    for (const v of visits) if (!storable(v)) nulCharacter('payload');
    const rows = visits.map((v, n) => ({ n, pk: randomUUID(), org: v.organizationId, sid: v.submissionId, payload: v.payload ?? null, hash: v.payloadHash, warnings: v.warnings, client: v.clientId ?? null }));
    let found: AcceptRow[];
    try {
      found = await withConnection(this.ds, (sql) => sql.rows<AcceptRow>(group ? ACCEPT_GROUP_SQL : ACCEPT_ONE_SQL, [json(rows)]));
    } catch (err) {
      if (!again || !isRace(err)) throw err;
      return this.acceptGroup(visits, group, false);
    }
    const out: (AcceptOutcome | undefined)[] = [];
    for (const [n, v] of visits.entries()) {
      const row = found[n];
      if (!row || row.n !== n) throw new Error('the intake queue answered rows out of order');
      const answer = outcomeOf(row, v) ?? (group ? undefined : again ? (await this.acceptGroup([v], false, false))[0] : undefined);
      if (!answer && !group) throw new Error(`the intake queue could not tell what became of submission ${v.submissionId.slice(0, 64)}`);
      out.push(answer);
    }
    return out;
  }

  async claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedVisit[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<{ pk: string; ticket: string; organization_id: string; submission_id: string; payload: unknown; attempts: number; client_id: string | null }>(
      `UPDATE intake_queue q SET lease_owner = $1, lease_until = ${CLOCK} + make_interval(secs => $3::double precision), attempts = q.attempts + 1
         FROM (SELECT pk FROM intake_queue WHERE refused IS NULL AND (lease_until IS NULL OR lease_until < ${CLOCK})
                ORDER BY ticket LIMIT $2 FOR UPDATE SKIP LOCKED) c
        WHERE q.pk = c.pk
        RETURNING q.pk::text AS pk, q.ticket::text AS ticket, q.organization_id, q.submission_id, q.payload, q.attempts, q.client_id`,
      [owner, limit, leaseSeconds],
    ));
    return rows
      .map((r) => ({ id: r.pk, ticket: r.ticket, organizationId: r.organization_id, submissionId: r.submission_id, payload: r.payload, attempts: r.attempts, ...(r.client_id ? { clientId: r.client_id } : {}) }))
      .sort((a, b) => (BigInt(a.ticket) < BigInt(b.ticket) ? -1 : 1));
  }

  /**
   * Group commit of claimed visits (SqlSubmissionStore's groupCommit), each fenced by its ticket:
   * its queue row is deleted in the same transaction, and only if the ticket is still the one
   * claimed; otherwise (a changed payload was accepted meanwhile, or another process wrote it after
   * a lease ran out) nothing is written for it: `superseded`. The delete locks the row until the
   * commit, so an accept changing it meanwhile waits and then queues its payload anew.
   */
  writeClaimed(items: readonly { visit: ClaimedVisit; plan: WritePlan }[]): Promise<(WriteOutcome | 'superseded' | { error: unknown })[]> {
    return groupCommit<{ visit: ClaimedVisit; plan: WritePlan }, WriteOutcome | 'superseded'>(this.ds, this.pwsYear, items, {
      write: async (sql, { visit, plan }, counts) => {
        const [current] = await sql.rows<{ pk: string }>('DELETE FROM intake_queue WHERE pk = $1 AND ticket = $2 RETURNING pk', [visit.id, visit.ticket]);
        if (!current) return 'superseded';
        return writePlan(sql, { ...plan, submissionPk: visit.id, ...(visit.clientId ? { clientId: visit.clientId } : {}) }, this.pwsYear, counts);
      },
      submissionIdOf: ({ visit }) => visit.submissionId,
      fellBack: () => { this.writeFallbacks += 1; },
    });
  }

  async finish(owner: string, claimed: readonly ClaimedVisit[], refused: readonly { visit: ClaimedVisit; outcome: OperationOutcome }[], retry: readonly { visit: ClaimedVisit; afterSeconds: number }[]): Promise<void> {
    if (claimed.length === 0) return;
    await inTransaction(this.ds, async (sql) => {
      if (refused.length > 0) {
        await sql.rows(`UPDATE intake_queue q SET refused = x.outcome, lease_owner = NULL, lease_until = NULL
                          FROM (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, ticket bigint, outcome jsonb)) x
                         WHERE q.pk = x.id AND q.ticket = x.ticket AND q.pk = ANY($2::uuid[])`,
        [json(refused.map((r) => ({ id: r.visit.id, ticket: r.visit.ticket, outcome: r.outcome }))), refused.map((r) => r.visit.id)]);
      }
      // Backing off: not claimable before then, by anyone (a visit that fails for a reason of its own
      // must not be retried every poll, nor block the visits behind it).
      if (retry.length > 0) {
        await sql.rows(`UPDATE intake_queue SET lease_owner = NULL, lease_until = ${CLOCK} + make_interval(secs => ($3::double precision[])[array_position($2::uuid[], pk)])
                         WHERE lease_owner = $1 AND pk = ANY($2::uuid[])`,
        [owner, retry.map((r) => r.visit.id), retry.map((r) => r.afterSeconds)]);
      }
      // The rest still leased to this owner (written ones are gone; a visit left for the next round, a
      // payload changed meanwhile): handed back at once.
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
      `SELECT extract(epoch FROM ${CLOCK} - updated_at)::float8 AS age FROM intake_queue
        WHERE refused IS NULL AND NOT (lease_owner IS NULL AND lease_until > ${CLOCK}) ORDER BY ticket LIMIT 1`));
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
