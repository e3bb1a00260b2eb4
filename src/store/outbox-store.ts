import type { DataSource } from 'typeorm';
import type { OutboxRow, OutboxStore } from './ports';
import { OUTBOX_COLUMNS, toOutboxRow, type OutboxDbRow } from './rows';
import { one, withConnection, type Sql } from './sql';

/**
 * The transactional outbox: a row per submission version to relay, written by saveSubmission in
 * the same transaction as the resources. The relay will claim rows with FOR UPDATE SKIP LOCKED
 * (docs/decisions/0001-storage-and-outbox.md).
 */
export async function enqueue(sql: Sql, submissionPk: string, submissionVersion: number, now: string): Promise<void> {
  await sql.rows(
    `INSERT INTO outbox (submission_pk, submission_version, available_at, created_at)
     VALUES ($1, $2, $3::timestamptz, $3::timestamptz)`,
    [submissionPk, submissionVersion, now],
  );
}

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly ds: DataSource) {}

  async list(limit = 100): Promise<OutboxRow[]> {
    const capped = Number.isFinite(limit) ? Math.max(1, Math.trunc(limit)) : 100;
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows<OutboxDbRow>(`SELECT ${OUTBOX_COLUMNS} FROM outbox ORDER BY id LIMIT $1`, [capped]),
    );
    return rows.map(toOutboxRow);
  }

  async countPending(): Promise<number> {
    const row = await withConnection(this.ds, async (sql) =>
      one(await sql.rows<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)),
    );
    return row.n;
  }
}
