import type { OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import { UUID } from '../fhir/ids';
import type {
  AttemptQuery, ConformanceCount, ConformanceQuery, ErrorCount, IntakeAttempt, IntakeAttemptInput, OpsStore,
  OrganizationScope, OutboxHistory, RelayHealthFacts, TransactionDetail, TransactionQuery, TransactionSummary,
} from './ops-ports';
import type { RelayEvent, ResourceRef, SubmissionStatus } from './ports';
import { iso, json, withConnection, type Sql } from './sql';

/** The access decision's organisation list as a parameter: NULL = every organisation. */
const orgs = (scope: OrganizationScope): string[] | null => (scope === 'all' ? null : [...scope]);

interface AttemptRow {
  id: string; at: string; client_id: string | null; organization_id: string | null; endpoint: IntakeAttempt['endpoint'];
  status: number; line: number | null; issues: IntakeAttempt['issues']; payload: unknown; payload_bytes: number | null;
}

const ATTEMPT_COLUMNS = `id::text AS id, ${iso('at')} AS at, client_id, organization_id, endpoint, status, line, issues, payload, payload_bytes`;

function toAttempt(r: AttemptRow): IntakeAttempt {
  return {
    id: r.id, at: r.at, endpoint: r.endpoint, status: r.status, issues: r.issues,
    ...(r.client_id !== null ? { clientId: r.client_id } : {}),
    ...(r.organization_id !== null ? { organizationId: r.organization_id } : {}),
    ...(r.line !== null ? { line: r.line } : {}),
    ...(r.payload !== null ? { payload: r.payload } : {}),
    ...(r.payload_bytes !== null ? { payloadBytes: r.payload_bytes } : {}),
  };
}

interface SummaryRow {
  pk: string; submission_id: string; organization_id: string; status: SubmissionStatus; version: number; source: 'ilp' | 'fhir';
  received_at: string; updated_at: string; outbox_status: string | null; attempts: number | null; last_error: string | null;
}

const SUMMARY_COLUMNS = `s.pk, s.submission_id, s.organization_id, s.status, s.version, s.source,
  ${iso('s.received_at')} AS received_at, ${iso('s.updated_at')} AS updated_at,
  o.status AS outbox_status, o.attempts, o.last_error`;

function toSummary(r: SummaryRow): TransactionSummary {
  return {
    id: r.pk, submissionId: r.submission_id, organizationId: r.organization_id, status: r.status, version: r.version,
    source: r.source, receivedAt: r.received_at, updatedAt: r.updated_at,
    ...(r.outbox_status !== null ? { relay: { status: r.outbox_status, attempts: r.attempts ?? 0, ...(r.last_error ? { lastError: r.last_error } : {}) } } : {}),
  };
}

/** The bucket start as a date: UTC day, or the ISO week's Monday. */
/** The local day or week of an instant, $6 minutes east of UTC (a fixed offset: PGlite and PostgreSQL agree on it without tzdata). */
const bucketOf = (column: string, bucket: 'day' | 'week'): string =>
  `to_char(date_trunc('${bucket === 'week' ? 'week' : 'day'}', (${column} AT TIME ZONE 'UTC') + make_interval(mins => $6::int)), 'YYYY-MM-DD')`;

export class SqlOpsStore implements OpsStore {
  constructor(private readonly ds: DataSource) {}

  /** One multi-row INSERT per batch (unnest of parallel arrays), as the audit recorder writes. */
  async recordAttempts(rows: readonly IntakeAttemptInput[]): Promise<void> {
    if (rows.length === 0) return;
    await withConnection(this.ds, (sql) =>
      sql.rows(
        `INSERT INTO intake_attempt (at, client_id, organization_id, endpoint, status, line, error_codes, expressions, issues, payload, payload_bytes)
         SELECT a.at, a.client_id, a.organization_id, a.endpoint, a.status, a.line,
                ARRAY(SELECT jsonb_array_elements(a.issues) ->> 'errorCode' EXCEPT SELECT NULL),
                ARRAY(SELECT jsonb_array_elements(a.issues) ->> 'expression' EXCEPT SELECT NULL),
                a.issues, a.payload, a.payload_bytes
           FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::jsonb[], $8::jsonb[], $9::int[])
                AS a(at, client_id, organization_id, endpoint, status, line, issues, payload, payload_bytes)`,
        [
          rows.map((r) => r.at), rows.map((r) => r.clientId ?? null), rows.map((r) => r.organizationId ?? null),
          rows.map((r) => r.endpoint), rows.map((r) => r.status), rows.map((r) => r.line ?? null),
          rows.map((r) => json(r.issues)), rows.map((r) => (r.payload === undefined ? null : json(r.payload))), rows.map((r) => r.payloadBytes ?? null),
        ],
      ),
    );
  }

  async attributeVersions(rows: readonly { submissionPk: string; version: number | null; clientId: string }[]): Promise<void> {
    const valid = rows.filter((r) => UUID.test(r.submissionPk));
    if (valid.length === 0) return;
    await withConnection(this.ds, (sql) =>
      sql.rows(
        `UPDATE submission_version v SET client_id = a.client_id
           FROM unnest($1::uuid[], $2::int[], $3::text[]) AS a(pk, version, client_id)
          WHERE v.submission_pk = a.pk AND v.client_id IS NULL
            AND v.version = coalesce(a.version, (SELECT s.version FROM submission s WHERE s.pk = a.pk))`,
        [valid.map((r) => r.submissionPk), valid.map((r) => r.version), valid.map((r) => r.clientId)],
      ),
    );
  }

  listAttempts(q: AttemptQuery): Promise<IntakeAttempt[]> {
    return withConnection(this.ds, async (sql) => {
      const rows = await sql.rows<AttemptRow>(
        `SELECT ${ATTEMPT_COLUMNS} FROM intake_attempt
          WHERE ($1::text[] IS NULL OR organization_id = ANY($1::text[]))
            AND ($2::text IS NULL OR organization_id = $2) AND ($3::text IS NULL OR client_id = $3)
            AND ($4::text IS NULL OR $4 = ANY(error_codes)) AND ($5::text IS NULL OR $5 = ANY(expressions))
            AND ($6::timestamptz IS NULL OR at >= $6) AND ($7::timestamptz IS NULL OR at < $7)
            AND ($8::timestamptz IS NULL OR (at, id) < ($8::timestamptz, $9::bigint))
          ORDER BY at DESC, id DESC LIMIT $10`,
        [orgs(q.organizations), q.organizationId ?? null, q.clientId ?? null, q.errorCode ?? null, q.expression ?? null,
          q.from ?? null, q.to ?? null, q.after?.at ?? null, q.after?.id ?? null, q.limit],
      );
      return rows.map(toAttempt);
    });
  }

  getAttempt(id: string, organizations: OrganizationScope): Promise<IntakeAttempt | undefined> {
    if (!/^\d{1,18}$/.test(id)) return Promise.resolve(undefined);
    return withConnection(this.ds, async (sql) => {
      const [row] = await sql.rows<AttemptRow>(
        `SELECT ${ATTEMPT_COLUMNS} FROM intake_attempt WHERE id = $1::bigint AND ($2::text[] IS NULL OR organization_id = ANY($2::text[]))`,
        [id, orgs(organizations)],
      );
      return row ? toAttempt(row) : undefined;
    });
  }

  purgeAttempts(days: number): Promise<number> {
    return withConnection(this.ds, async (sql) =>
      (await sql.rows(`DELETE FROM intake_attempt WHERE at < now() - make_interval(days => $1::int) RETURNING id`, [days])).length);
  }

  listTransactions(q: TransactionQuery): Promise<TransactionSummary[]> {
    return withConnection(this.ds, async (sql) => {
      const rows = await sql.rows<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS}
           FROM submission s LEFT JOIN outbox o ON o.submission_pk = s.pk AND o.submission_version = s.version
          WHERE ($1::text[] IS NULL OR s.organization_id = ANY($1::text[]))
            AND ($2::text[] IS NULL OR s.status = ANY($2::text[])) AND ($3::text IS NULL OR s.organization_id = $3)
            AND ($4::timestamptz IS NULL OR s.received_at >= $4) AND ($5::timestamptz IS NULL OR s.received_at < $5)
            AND ($6::timestamptz IS NULL OR (s.received_at, s.pk) < ($6::timestamptz, $7::uuid))
          ORDER BY s.received_at DESC, s.pk DESC LIMIT $8`,
        [orgs(q.organizations), q.statuses ? [...q.statuses] : null, q.organizationId ?? null, q.from ?? null, q.to ?? null,
          q.after?.at ?? null, q.after?.id ?? null, q.limit],
      );
      return rows.map(toSummary);
    });
  }

  transaction(id: string, organizations: OrganizationScope): Promise<TransactionDetail | undefined> {
    if (!UUID.test(id)) return Promise.resolve(undefined);
    return withConnection(this.ds, async (sql) => {
      const [row] = await sql.rows<SummaryRow & { payload: unknown; warnings: OperationOutcomeIssue[]; national_outcome: OperationOutcome | null; national_ids: Record<string, string>; resources: ResourceRef[] }>(
        `SELECT ${SUMMARY_COLUMNS}, v.payload, s.warnings, s.national_outcome, s.national_ids, v.resources
           FROM submission s JOIN submission_version v ON v.submission_pk = s.pk AND v.version = s.version
           LEFT JOIN outbox o ON o.submission_pk = s.pk AND o.submission_version = s.version
          WHERE s.pk = $1 AND ($2::text[] IS NULL OR s.organization_id = ANY($2::text[]))`,
        [id, orgs(organizations)],
      );
      if (!row) return undefined;
      return {
        ...toSummary(row), payload: row.payload, warnings: row.warnings, nationalIds: row.national_ids,
        ...(row.national_outcome ? { nationalOutcome: row.national_outcome } : {}),
        resources: await producedFhir(sql, row.resources, row.national_ids),
        outbox: await outboxOf(sql, id),
        events: await sql.rows<RelayEvent>(`SELECT kind, detail, ${iso('at')} AS at FROM relay_event WHERE submission_pk = $1 ORDER BY id`, [id]),
      };
    });
  }

  statuses(ids: readonly string[], organizations: OrganizationScope): Promise<{ id: string; organizationId: string; status: SubmissionStatus }[]> {
    const valid = ids.filter((i) => UUID.test(i));
    if (valid.length === 0) return Promise.resolve([]);
    return withConnection(this.ds, (sql) =>
      sql.rows(
        `SELECT pk AS id, organization_id AS "organizationId", status FROM submission
          WHERE pk = ANY($1::uuid[]) AND ($2::text[] IS NULL OR organization_id = ANY($2::text[]))`,
        [valid, orgs(organizations)],
      ),
    );
  }

  /** Accepted: stored submission versions (the submission table); refused: intake attempts. */
  conformance(q: ConformanceQuery): Promise<ConformanceCount[]> {
    return withConnection(this.ds, (sql) =>
      sql.rows<ConformanceCount>(
        `WITH accepted AS (
           SELECT ${bucketOf('v.received_at', q.bucket)} AS bucket, s.organization_id, v.client_id, count(*)::int AS n
             FROM submission_version v JOIN submission s ON s.pk = v.submission_pk
            WHERE v.received_at >= $1 AND v.received_at < $2
              AND ($3::text[] IS NULL OR s.organization_id = ANY($3::text[]))
              AND ($4::text IS NULL OR s.organization_id = $4) AND ($5::text IS NULL OR v.client_id = $5)
            GROUP BY 1, 2, 3),
         refused AS (
           SELECT ${bucketOf('a.at', q.bucket)} AS bucket, a.organization_id, a.client_id, count(*)::int AS n
             FROM intake_attempt a
            WHERE a.at >= $1 AND a.at < $2
              AND ($3::text[] IS NULL OR a.organization_id = ANY($3::text[]))
              AND ($4::text IS NULL OR a.organization_id = $4) AND ($5::text IS NULL OR a.client_id = $5)
            GROUP BY 1, 2, 3)
         SELECT coalesce(x.bucket, r.bucket) AS bucket, coalesce(x.organization_id, r.organization_id) AS "organizationId",
                coalesce(x.client_id, r.client_id) AS "clientId", coalesce(x.n, 0) AS accepted, coalesce(r.n, 0) AS refused
           FROM accepted x FULL JOIN refused r
             ON r.bucket = x.bucket AND r.organization_id IS NOT DISTINCT FROM x.organization_id AND r.client_id IS NOT DISTINCT FROM x.client_id
          ORDER BY 1, 2 NULLS LAST, 3 NULLS LAST`,
        [q.from, q.to, orgs(q.organizations), q.organizationId ?? null, q.clientId ?? null, q.offsetMinutes],
      ),
    );
  }

  topErrors(q: ConformanceQuery, limit: number): Promise<ErrorCount[]> {
    return withConnection(this.ds, (sql) =>
      sql.rows<ErrorCount>(
        `SELECT i ->> 'errorCode' AS "errorCode", i ->> 'expression' AS expression, count(*)::int AS count,
                max(a.id)::text AS "exampleId", ${iso('max(a.at)')} AS "lastAt"
           FROM intake_attempt a, jsonb_array_elements(a.issues) i
          WHERE a.at >= $1 AND a.at < $2 AND i ->> 'errorCode' IS NOT NULL
            AND ($3::text[] IS NULL OR a.organization_id = ANY($3::text[]))
            AND ($4::text IS NULL OR a.organization_id = $4) AND ($5::text IS NULL OR a.client_id = $5)
          GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 NULLS FIRST LIMIT $6`,
        [q.from, q.to, orgs(q.organizations), q.organizationId ?? null, q.clientId ?? null, limit],
      ),
    );
  }

  relayHealth(): Promise<RelayHealthFacts> {
    return withConnection(this.ds, async (sql) => {
      const [oldest] = await sql.rows<{ id: string; submission_id: string; organization_id: string; waiting_since: string; attempts: number; last_error: string | null }>(
        `SELECT s.pk AS id, s.submission_id, s.organization_id, ${iso('coalesce(o.requeued_at, o.created_at)')} AS waiting_since, o.attempts, o.last_error
           FROM outbox o JOIN submission s ON s.pk = o.submission_pk
          WHERE o.status IN ('pending', 'claimed') ORDER BY o.created_at, o.id LIMIT 1`,
      );
      // The cause of a failure: the catalogue code the relay put on its outcome (RELAY-…), else the
      // national platform's first issue (its RuleNumber text), else the outbox's last error.
      const failures = await sql.rows<RelayHealthFacts['failures'][number]>(
        `SELECT s.status, left(coalesce(s.national_outcome #>> '{issue,0,details,coding,0,code}', s.national_outcome #>> '{issue,0,diagnostics}',
                                    s.national_outcome #>> '{issue,0,code}', o.last_error, 'unknown'), 200) AS cause, count(*)::int AS count
           FROM submission s LEFT JOIN outbox o ON o.submission_pk = s.pk AND o.submission_version = s.version
          WHERE s.status IN ('failed', 'rejected') GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 50`,
      );
      const retrying = await sql.rows<RelayHealthFacts['retrying'][number]>(
        `SELECT left(last_error, 200) AS cause, count(*)::int AS count FROM outbox
          WHERE status IN ('pending', 'claimed') AND last_error IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50`,
      );
      const waitingByOrganization = await sql.rows<RelayHealthFacts['waitingByOrganization'][number]>(
        `SELECT s.organization_id AS "organizationId", count(*)::int AS count FROM outbox o JOIN submission s ON s.pk = o.submission_pk
          WHERE o.status IN ('pending', 'claimed') GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 100`,
      );
      return {
        ...(oldest ? { oldest: { id: oldest.id, submissionId: oldest.submission_id, organizationId: oldest.organization_id, waitingSince: oldest.waiting_since, attempts: oldest.attempts, ...(oldest.last_error ? { lastError: oldest.last_error } : {}) } } : {}),
        failures, retrying, waitingByOrganization,
      };
    });
  }
}

/** Each resource as this submission's current version wrote it (resource_history), current row as fallback. */
async function producedFhir(sql: Sql, refs: readonly ResourceRef[], nationalIds: Record<string, string>): Promise<TransactionDetail['resources']> {
  if (refs.length === 0) return [];
  const rows = await sql.rows<{ resource_type: string; id: string; version_id: number; content: Resource | null }>(
    `SELECT k.resource_type, k.id, k.version_id, coalesce(h.content, r.content) AS content
       FROM unnest($1::text[], $2::text[], $3::int[]) AS k(resource_type, id, version_id)
       LEFT JOIN resource_history h ON h.resource_type = k.resource_type AND h.id = k.id AND h.version_id = k.version_id
       LEFT JOIN resource r ON r.resource_type = k.resource_type AND r.id = k.id AND r.version_id = k.version_id`,
    [refs.map((r) => r.resourceType), refs.map((r) => r.id), refs.map((r) => r.versionId)],
  );
  const byRef = new Map(rows.map((r) => [`${r.resource_type}/${r.id}`, r.content]));
  return refs.map((r) => {
    const ref = `${r.resourceType}/${r.id}`;
    const resource = byRef.get(ref);
    const nationalId = nationalIds[ref];
    return { ref, versionId: r.versionId, ...(nationalId ? { nationalId } : {}), ...(resource ? { resource } : {}) };
  });
}

async function outboxOf(sql: Sql, pk: string): Promise<OutboxHistory[]> {
  const rows = await sql.rows<{ version: number; status: string; attempts: number; last_error: string | null; created_at: string; available_at: string; sent_at: string | null; done_at: string | null; requeued_at: string | null }>(
    `SELECT submission_version AS version, status, attempts, last_error, ${iso('created_at')} AS created_at, ${iso('available_at')} AS available_at,
            CASE WHEN sent_at IS NULL THEN NULL ELSE ${iso('sent_at')} END AS sent_at,
            CASE WHEN done_at IS NULL THEN NULL ELSE ${iso('done_at')} END AS done_at,
            CASE WHEN requeued_at IS NULL THEN NULL ELSE ${iso('requeued_at')} END AS requeued_at
       FROM outbox WHERE submission_pk = $1 ORDER BY submission_version`,
    [pk],
  );
  return rows.map((r) => ({
    version: r.version, status: r.status, attempts: r.attempts, createdAt: r.created_at, availableAt: r.available_at,
    ...(r.last_error ? { lastError: r.last_error } : {}), ...(r.sent_at ? { sentAt: r.sent_at } : {}),
    ...(r.done_at ? { doneAt: r.done_at } : {}), ...(r.requeued_at ? { requeuedAt: r.requeued_at } : {}),
  }));
}
