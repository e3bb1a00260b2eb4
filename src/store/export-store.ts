import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Filter } from '../fhir/search-request';
import type { ExportFile, ExportJob, ExportParams, ExportProgress, ExportRow, ExportStatus, ExportStore } from './fhir-ports';
import type { AccessFilter } from './ports';
import { accessCondition, binder } from './access-sql';
import { SqlBuilder, whereClause } from './search-query';
import { CLOCK, inTransaction, iso, json, one, withConnection, type Sql } from './sql';
import { UUID } from '../fhir/ids';

/**
 * Bulk Data export jobs (Bulk Data Access IG 2.0, export.html) and the reads that feed them.
 * Workers claim jobs with FOR UPDATE SKIP LOCKED, so several gateway processes share one queue.
 * Reads go by keyset (id > last) in chunks: memory stays flat however large the export, and no
 * connection (on PGlite: the only session) is held between chunks.
 */
const JOB_COLUMNS = `id, status, request, params, ${iso('transaction_time')} AS transaction_time, progress, output, error,
  ${iso('created_at')} AS created_at, CASE WHEN expires_at IS NULL THEN NULL ELSE ${iso('expires_at')} END AS expires_at`;

interface JobRow {
  id: string;
  status: ExportStatus;
  request: string;
  params: ExportParams;
  transaction_time: string;
  progress: ExportProgress;
  output: ExportFile[];
  error: ExportFile[];
  created_at: string;
  expires_at: string | null;
}

function toJob(row: JobRow): ExportJob {
  const job: ExportJob = {
    id: row.id, status: row.status, request: row.request, params: row.params, transactionTime: row.transaction_time,
    progress: row.progress, output: row.output, error: row.error, createdAt: row.created_at,
  };
  if (row.expires_at) job.expiresAt = row.expires_at;
  return job;
}


/**
 * Which rows of `resource r` a job exports: its type, the Patient compartment for patient/group
 * level, the job's _since and _typeFilter. `v` is the version current at transactionTime.
 */
function scope(q: SqlBuilder, job: ExportJob, type: string, patients: string[] | undefined): string {
  // A job without a recorded filter (queued before ownership existed) exports nothing rather than everything.
  const access = job.params.access ? accessCondition((v) => q.p(v), job.params.access) : 'false';
  const parts = [`r.resource_type = ${q.p(type)}`, access];
  if (job.params.level !== 'system') parts.push(compartment(q, type, patients));
  if (job.params.since) parts.push(`v.last_updated > ${q.p(job.params.since)}::timestamptz`);
  const alternatives = job.params.typeFilters[type];
  if (alternatives && alternatives.length > 0) parts.push(`(${alternatives.map((filters) => filterSql(q, type, filters)).join(' OR ')})`);
  return parts.join(' AND ');
}

/** Patient compartment, as far as this gateway stores it: the Patient, and resources whose subject is the Patient. */
function compartment(q: SqlBuilder, type: string, patients: string[] | undefined): string {
  if (type === 'Patient') return patients ? `r.id = ANY(${q.p(patients)}::text[])` : 'true';
  const restrict = patients ? ` AND s.target_id = ANY(${q.p(patients)}::text[])` : '';
  return `EXISTS (SELECT 1 FROM search_reference s WHERE s.resource_type = r.resource_type AND s.id = r.id
            AND s.code = 'subject' AND s.target_type = 'Patient'${restrict})`;
}

/** _typeFilter filters run on the search index (current versions) via the same SQL as search. */
function filterSql(q: SqlBuilder, type: string, filters: Filter[]): string {
  return `(${whereClause(q, type, filters)})`;
}

/** The version of each row as of transactionTime: the current one, or the newest history row up to it. */
const VERSION_AT = (tt: string): string => `CROSS JOIN LATERAL (
    SELECT r.content, r.last_updated WHERE r.last_updated <= ${tt} AND NOT r.deleted
    UNION ALL
    (SELECT h.content, h.last_updated FROM resource_history h
      WHERE r.last_updated > ${tt} AND h.resource_type = r.resource_type AND h.id = r.id AND h.last_updated <= ${tt}
      ORDER BY h.version_id DESC LIMIT 1)) v`;

export class SqlExportStore implements ExportStore {
  constructor(private readonly ds: DataSource) {}

  private run<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return withConnection(this.ds, fn);
  }

  async create(request: string, params: ExportParams): Promise<ExportJob> {
    const rows = await this.run((sql) => sql.rows<JobRow>(
      `INSERT INTO export_job (id, status, request, params, transaction_time, progress)
       VALUES ($1, 'accepted', $2, $3::jsonb, ${CLOCK}, '{"exported":0,"total":0}'::jsonb) RETURNING ${JOB_COLUMNS}`,
      [randomUUID(), request, json(params)],
    ));
    return toJob(one(rows));
  }

  async get(id: string): Promise<ExportJob | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = await this.run((sql) => sql.rows<JobRow>(`SELECT ${JOB_COLUMNS} FROM export_job WHERE id = $1`, [id]));
    return row ? toJob(row) : undefined;
  }

  async claim(worker: string, staleSeconds: number): Promise<ExportJob | undefined> {
    const [row] = await inTransaction(this.ds, (sql) => sql.rows<JobRow>(
      `UPDATE export_job SET status = 'in-progress', claimed_by = $1, claimed_at = now()
        WHERE id = (SELECT id FROM export_job
                     WHERE status = 'accepted' OR (status = 'in-progress' AND claimed_at < now() - make_interval(secs => $2))
                     ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING ${JOB_COLUMNS}`,
      [worker, staleSeconds],
    ));
    return row ? toJob(row) : undefined;
  }

  async groupMembers(groupId: string, filter?: AccessFilter): Promise<string[] | undefined> {
    const params: unknown[] = [groupId];
    const allowed = accessCondition(binder(params), filter, 'resource');
    const [row] = await this.run((sql) => sql.rows<{ members: string[] | null }>(
      `SELECT (SELECT array_agg(substring(m -> 'entity' ->> 'reference' FROM '^Patient/(.+)$'))
                 FROM jsonb_array_elements(COALESCE(content -> 'member', '[]'::jsonb)) m
                WHERE m -> 'entity' ->> 'reference' LIKE 'Patient/%') AS members
         FROM resource WHERE resource_type = 'Group' AND id = $1 AND NOT deleted AND ${allowed}`,
      params,
    ));
    return row ? (row.members ?? []) : undefined;
  }

  async count(job: ExportJob, type: string, patients: string[] | undefined): Promise<number> {
    const q = new SqlBuilder();
    const tt = `${q.p(job.transactionTime)}::timestamptz`;
    const where = scope(q, job, type, patients);
    const [row] = await this.run((sql) => sql.rows<{ n: string }>(`SELECT count(*)::text AS n FROM resource r ${VERSION_AT(tt)} WHERE ${where}`, q.params));
    return Number(row?.n ?? 0);
  }

  async chunk(job: ExportJob, type: string, patients: string[] | undefined, afterId: string, limit: number): Promise<ExportRow[]> {
    const q = new SqlBuilder();
    const tt = `${q.p(job.transactionTime)}::timestamptz`;
    const where = scope(q, job, type, patients);
    // content::text: the JSON text goes straight to the file, never parsed into objects here.
    return this.run((sql) => sql.rows<ExportRow>(
      `SELECT r.id, v.content::text AS json FROM resource r ${VERSION_AT(tt)}
        WHERE ${where} AND r.id > ${q.p(afterId)} ORDER BY r.id LIMIT ${q.p(limit)}`,
      q.params,
    ));
  }

  async progress(id: string, progress: ExportProgress): Promise<ExportStatus | undefined> {
    const [row] = await this.run((sql) => sql.rows<{ status: ExportStatus }>(
      `UPDATE export_job SET progress = $2::jsonb, claimed_at = now() WHERE id = $1 RETURNING status`,
      [id, json(progress)],
    ));
    return row?.status;
  }

  async complete(id: string, output: ExportFile[], error: ExportFile[], ttlHours: number): Promise<void> {
    await this.run((sql) => sql.rows(
      `UPDATE export_job SET status = 'completed', output = $2::jsonb, error = $3::jsonb, finished_at = now(),
              expires_at = now() + $4::double precision * interval '1 hour' WHERE id = $1 AND status = 'in-progress'`,
      [id, json(output), json(error), ttlHours],
    ));
  }

  async fail(id: string, message: string, ttlHours: number): Promise<void> {
    await this.run((sql) => sql.rows(
      `UPDATE export_job SET status = 'failed', progress = progress || jsonb_build_object('message', $2::text), finished_at = now(),
              expires_at = now() + $3::double precision * interval '1 hour'
        WHERE id = $1 AND status = 'in-progress'`,
      [id, message.slice(0, 500), ttlHours],
    ));
  }

  async cancel(id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const rows = await this.run((sql) => sql.rows<{ id: string }>(
      `UPDATE export_job SET status = 'cancelled', expires_at = now() WHERE id = $1 AND status <> 'cancelled' RETURNING id`,
      [id],
    ));
    return rows.length > 0;
  }

  /** Expired jobs, and cancelled ones that are finished, never started, or whose worker has had a minute to notice. */
  async sweep(): Promise<string[]> {
    const rows = await this.run((sql) => sql.rows<{ id: string }>(
      `DELETE FROM export_job
        WHERE expires_at < now()
          AND (status <> 'cancelled' OR finished_at IS NOT NULL OR claimed_at IS NULL OR claimed_at < now() - interval '1 minute')
       RETURNING id`,
    ));
    return rows.map((r) => r.id);
  }
}
