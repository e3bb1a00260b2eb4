import type { MeasureReport, Resource } from 'fhir/r4';
import type { DataSource } from 'typeorm';
import type { ClaimRule, PwsReportStore, ReportRun, ReportToStore, RunStats } from './pws-report-ports';
import { identifiersOf } from '../write-plan/entry-request';
import { after, sameContent, type VersionRow } from '../write-plan/decide';
import { searchRowsOf, type SearchRows } from '../write-plan/search-rows';
import { writeVersions } from './plan-store';
import { inTransaction, isRace, iso, withConnection } from './sql';

/**
 * The owner recorded on the gateway's own MeasureReports. Client organisation ids are SATUSEHAT
 * ids (digits, src/auth/clients.ts), so no organisation-restricted client can ever list this one:
 * the access filter (src/store/access-sql.ts) shows these reports, which count every
 * organisation's visits, only to clients unrestricted on organisations (docs/decisions/0019-pws.md).
 */
export const GATEWAY_OWNER = 'ilp-gateway';

/** Reports written per transaction: a batch that fails rolls back alone, and the lease is renewed between batches. */
const BATCH = 200;

/** Transactions writing at once: enough to use both cores, few enough to leave the pool to intake (as the indicator queries). */
const SAVE_CONNECTIONS = 3;

interface RunRow {
  period: string;
  area: string;
  state: ReportRun['state'];
  worker: string;
  lease_until: string;
  started_at: string;
  finished_at: string | null;
  attempts: number;
  villages: number | null;
  reports: number | null;
  written: number | null;
  last_error: string | null;
}

const RUN_COLUMNS = `period, area, state, worker, ${iso('lease_until')} AS lease_until, ${iso('started_at')} AS started_at,
  ${iso('finished_at')} AS finished_at, attempts, villages, reports, written, last_error`;

function runOf(r: RunRow): ReportRun {
  return {
    period: r.period, area: r.area, state: r.state, worker: r.worker, leaseUntil: r.lease_until, startedAt: r.started_at, attempts: r.attempts,
    ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
    ...(r.villages !== null ? { villages: r.villages } : {}),
    ...(r.reports !== null ? { reports: r.reports } : {}),
    ...(r.written !== null ? { written: r.written } : {}),
    ...(r.last_error ? { lastError: r.last_error } : {}),
  };
}

/** The content that matters: `date` (when it was computed) changes every run and is not a change of figures. */
function withoutDate(r: Resource): Resource {
  const { date: _d, ...rest } = r as MeasureReport;
  return rest;
}

export class SqlPwsReportStore implements PwsReportStore {
  constructor(private readonly ds: DataSource) {}

  async claim(period: string, area: string, worker: string, now: string, leaseSeconds: number, rule: ClaimRule): Promise<ReportRun | undefined> {
    // One statement: the row lock of ON CONFLICT makes concurrent claimers take turns, and the
    // second sees the first's claim (running, lease ahead) and gets nothing.
    const rows = await withConnection(this.ds, (sql) => sql.rows<RunRow>(
      `INSERT INTO pws_report_run AS r (period, area, state, worker, lease_until, started_at, attempts)
       VALUES ($1, $2, 'running', $3, $4::timestamptz + make_interval(secs => $5), $4::timestamptz, 1)
       ON CONFLICT (period, area) DO UPDATE
         SET state = 'running', worker = EXCLUDED.worker, lease_until = EXCLUDED.lease_until, started_at = EXCLUDED.started_at,
             attempts = r.attempts + 1, last_error = NULL
       WHERE (r.state = 'running' AND r.lease_until < $4::timestamptz)
          OR (r.state = 'failed' AND (r.finished_at IS NULL OR r.finished_at < $6::timestamptz))
          OR (r.state = 'done' AND $7::timestamptz IS NOT NULL AND r.finished_at < $7::timestamptz)
       RETURNING ${RUN_COLUMNS}`,
      [period, area, worker, now, leaseSeconds, rule.failedBefore, rule.doneBefore ?? null],
    ));
    return rows[0] ? runOf(rows[0]) : undefined;
  }

  async renew(period: string, area: string, worker: string, now: string, leaseSeconds: number): Promise<boolean> {
    const rows = await withConnection(this.ds, (sql) => sql.rows(
      `UPDATE pws_report_run SET lease_until = $4::timestamptz + make_interval(secs => $5)
        WHERE period = $1 AND area = $2 AND worker = $3 AND state = 'running' RETURNING 1`,
      [period, area, worker, now, leaseSeconds]));
    return rows.length > 0;
  }

  async finish(period: string, area: string, worker: string, now: string, stats: RunStats): Promise<boolean> {
    const rows = await withConnection(this.ds, (sql) => sql.rows(
      `UPDATE pws_report_run SET state = 'done', finished_at = $4::timestamptz, lease_until = $4::timestamptz,
              villages = $5, reports = $6, written = $7, last_error = NULL
        WHERE period = $1 AND area = $2 AND worker = $3 AND state = 'running' RETURNING 1`,
      [period, area, worker, now, stats.villages, stats.reports, stats.written]));
    return rows.length > 0;
  }

  async fail(period: string, area: string, worker: string, now: string, error: string, interrupted: boolean): Promise<boolean> {
    const rows = await withConnection(this.ds, (sql) => sql.rows(
      `UPDATE pws_report_run SET state = 'failed', finished_at = CASE WHEN $6::boolean THEN NULL ELSE $4::timestamptz END,
              lease_until = $4::timestamptz, last_error = $5
        WHERE period = $1 AND area = $2 AND worker = $3 AND state = 'running' RETURNING 1`,
      [period, area, worker, now, error.slice(0, 2000), interrupted]));
    return rows.length > 0;
  }

  async runs(limit: number): Promise<ReportRun[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM pws_report_run ORDER BY period DESC, area LIMIT $1`, [limit]));
    return rows.map(runOf);
  }

  async storedVillages(periodStart: string, areaPrefix: string): Promise<string[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<{ residence: string }>(
      `SELECT DISTINCT residence FROM resource
        WHERE resource_type = 'MeasureReport' AND NOT deleted AND organization_id = $1
          AND content -> 'period' ->> 'start' = $2 AND residence LIKE $3
        ORDER BY residence`,
      [GATEWAY_OWNER, periodStart, `${areaPrefix}%`]));
    return rows.map((r) => r.residence);
  }

  async save(reports: readonly ReportToStore[], now: string): Promise<{ written: number; unchanged: number }> {
    const batches: ReportToStore[][] = [];
    for (let i = 0; i < reports.length; i += BATCH) batches.push(reports.slice(i, i + BATCH));
    let written = 0;
    let next = 0;
    // Batches hold disjoint ids, so a few run at once without waiting on each other's locks.
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        // Not `written += await …`: that reads `written` before the await and loses the other workers' counts.
        const n = await this.saveBatch(batches[next++]!, now);
        written += n;
      }
    };
    await Promise.all(Array.from({ length: Math.min(SAVE_CONNECTIONS, batches.length) }, worker));
    return { written, unchanged: reports.length - written };
  }

  /** One transaction; a first write of an id that another run inserted at the same moment (unique violation) is retried once, then sees it. */
  private async saveBatch(batch: readonly ReportToStore[], now: string): Promise<number> {
    try {
      return await this.writeBatch(batch, now);
    } catch (err) {
      if (!isRace(err)) throw err;
      return this.writeBatch(batch, now);
    }
  }

  private writeBatch(batch: readonly ReportToStore[], now: string): Promise<number> {
    return inTransaction(this.ds, async (sql) => {
      // The current versions of the whole batch at once, locked: a concurrent manual run of the same month waits here.
      const current = await sql.rows<{ id: string; version_id: number; last_updated: string; deleted: boolean; content: Resource | null }>(
        `SELECT id, version_id, ${iso('last_updated')} AS last_updated, deleted, content FROM resource WHERE resource_type = 'MeasureReport' AND id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        [batch.map((r) => r.resource.id)]);
      const byId = new Map(current.map((r) => [r.id, r]));
      const versions: VersionRow[] = [];
      const identifiers: { resourceType: string; id: string; system: string; value: string }[] = [];
      const search: SearchRows = { token: [], string: [], reference: [], date: [], quantity: [] };
      for (const r of batch) {
        const id = r.resource.id;
        const old = byId.get(id);
        if (old && !old.deleted && old.content && sameContent(withoutDate(old.content), withoutDate(r.resource))) continue;
        // As a plan writes a version (src/write-plan/decide.ts): next version, lastUpdated never back in time.
        const versionId = (old?.version_id ?? 0) + 1;
        const lastUpdated = after(old?.last_updated, now);
        const content = { ...r.resource, meta: { ...r.resource.meta, versionId: String(versionId), lastUpdated } } as MeasureReport;
        versions.push({ resourceType: 'MeasureReport', id, versionId, lastUpdated, content, organizationId: GATEWAY_OWNER, residence: r.residence, exists: old !== undefined });
        for (const i of identifiersOf(content)) identifiers.push({ resourceType: 'MeasureReport', id, ...i });
        searchRowsOf(content, () => [], search); // no subject Patient: nothing to copy
      }
      await writeVersions(sql, { versions, identifiers, search });
      return versions.length;
    });
  }
}
