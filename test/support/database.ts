import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type GatewayDatabase } from '../../src/store/open-database';

export type TestDbKind = 'postgres' | 'pglite';

export interface TestDatabase extends GatewayDatabase {
  /** The fresh PostgreSQL database's URL; undefined on PGlite (memory://). */
  readonly url: string | undefined;
  /** Closes the database and, on PostgreSQL, drops it. */
  drop(): Promise<void>;
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The server integration tests create their databases on (TEST_DATABASE_URL). */
export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_URL;
}

/**
 * Which backend the integration tests use: TEST_DB (`postgres` | `pglite`; scripts/test.mjs always
 * sets it), else PostgreSQL when TEST_DATABASE_URL answers, else PGlite. Decided once per process.
 */
export function testDbKind(): TestDbKind {
  const env = process.env.TEST_DB;
  if (env === 'postgres' || env === 'pglite') return env;
  if (env) throw new Error(`TEST_DB must be "postgres" or "pglite", not "${env}"`);
  const kind: TestDbKind = postgresAnswers(testDatabaseUrl()) ? 'postgres' : 'pglite';
  process.env.TEST_DB = kind;
  return kind;
}

/** Synchronous so that describe() titles can name the backend; runs once per jest worker. */
function postgresAnswers(url: string): boolean {
  const probe = `const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 2000 });
    c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));`;
  return spawnSync(process.execPath, ['-e', probe, url], { timeout: 5000 }).status === 0;
}

/** A fresh database, migrated unless `migrate: false`: `ilp_test_<random>` on PostgreSQL, or an in-memory PGlite. */
export async function openTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = opts.migrate ?? true;
  return testDbKind() === 'postgres' ? openPostgres(migrate) : openPglite(migrate);
}

async function openPglite(migrate: boolean): Promise<TestDatabase> {
  const db = await openDatabase({ dataDir: 'memory://', migrate });
  return Object.assign(db, { url: undefined, drop: () => db.close() });
}

async function openPostgres(migrate: boolean): Promise<TestDatabase> {
  const server = testDatabaseUrl();
  const name = `ilp_test_${randomBytes(6).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const dropIt = (): Promise<void> => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  let db: GatewayDatabase;
  try {
    db = await openDatabase({ url: url.toString(), migrate });
  } catch (err) {
    await dropIt();
    throw err;
  }
  return Object.assign(db, {
    url: url.toString(),
    drop: async () => {
      await db.close();
      await recordIndexUse(url.toString());
      await dropIt();
    },
  });
}

/**
 * TEST_INDEX_USE_FILE=<path>: before a test database is dropped, append how often each index was
 * scanned (pg_stat_user_indexes; the pool is closed, so every backend has flushed its counts) as
 * one JSON line, to measure which indexes the tests use (decision 0007, migration 0013).
 */
async function recordIndexUse(url: string): Promise<void> {
  const file = process.env.TEST_INDEX_USE_FILE;
  if (!file) return;
  await new Promise((resolve) => setTimeout(resolve, 300)); // the pool's backends exit (and flush their counts) asynchronously
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ index: string; scans: string }>(
      `SELECT indexrelname AS index, idx_scan::text AS scans FROM pg_stat_user_indexes ORDER BY 1`);
    const { appendFileSync } = await import('node:fs');
    appendFileSync(file, `${JSON.stringify({ test: expect.getState().testPath ?? '', scans: Object.fromEntries(rows.map((r) => [r.index, Number(r.scans)])) })}\n`);
  } finally {
    await client.end();
  }
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
