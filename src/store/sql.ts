import type { DataSource, QueryRunner } from 'typeorm';
import { OperationOutcomeError, fail } from '../kernel';

/**
 * The store speaks SQL through TypeORM's QueryRunner: one runner is one connection (on PGlite,
 * the exclusive use of the single session), so everything a transaction does goes through the
 * same `Sql` value, which is passed down explicitly.
 */
export interface Sql {
  rows<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

function sqlOf(runner: QueryRunner): Sql {
  return {
    async rows<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await runner.query(text, [...params], true);
      return result.records as T[];
    },
  };
}

/** Runs `fn` on one connection, outside any explicit transaction. */
export async function withConnection<T>(ds: DataSource, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    return await fn(sqlOf(runner));
  } finally {
    await runner.release();
  }
}

/** Runs `fn` in one READ COMMITTED transaction; rolls back on any error. */
export async function inTransaction<T>(ds: DataSource, fn: (sql: Sql) => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  try {
    await runner.startTransaction();
    try {
      const result = await fn(sqlOf(runner));
      await runner.commitTransaction();
      return result;
    } catch (err) {
      // The original error is the one worth reporting; a failed rollback (broken connection) is not.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await runner.release();
  }
}

/**
 * SQLSTATEs that mean "another transaction got there first": a retry sees its committed work.
 * 23505 unique_violation, 40001 serialization_failure, 40P01 deadlock_detected.
 */
const RACE_CODES = new Set(['23505', '40001', '40P01']);

export function isRace(err: unknown): boolean {
  return typeof err === 'object' && err !== null && RACE_CODES.has(String((err as { code?: unknown }).code));
}

/**
 * An error one item of a group can cause, so the group is worth trying again item by item: a
 * decision refused (OperationOutcomeError: a foreign owner, a NUL, a conflict), a data exception
 * (SQLSTATE class 22) or an integrity violation (23), or a race still there after a retry. Anything
 * else (the database unreachable, a timeout) would fail every item alike: the group fails at once.
 */
export function isItemError(err: unknown): boolean {
  if (err instanceof OperationOutcomeError || isRace(err)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** The first row, or an error: for statements that always return exactly one row. */
export function one<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error('expected one row, got none');
  return row;
}

/** A timestamptz column as an ISO instant with an explicit +00:00 offset (FHIR instant, SATUSEHAT). */
export function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`;
}

/** Millisecond precision, so that meta.lastUpdated inside the content equals the column. */
export const CLOCK = "date_trunc('milliseconds', clock_timestamp())";

/** jsonb parameters are sent as JSON text: node-postgres would turn a JS array into a PostgreSQL array. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * One transaction per attempt. A race with another request (unique violation, deadlock,
 * serialization failure) is retried once: the retry sees the other request's committed rows.
 * A second race becomes a 409 the client may retry.
 */
export async function inTransactionRetryingRace<T>(ds: DataSource, fn: (sql: Sql) => Promise<T>, submissionId: string): Promise<T> {
  try {
    return await inTransaction(ds, fn);
  } catch (err) {
    if (!isRace(err)) throw err;
  }
  try {
    return await inTransaction(ds, fn);
  } catch (err) {
    if (isRace(err)) fail('ILP-PAYLOAD-CONFLICT', { submissionId });
    throw err;
  }
}
