import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTestDatabase, testDbKind, type TestDatabase } from '../support/database';

/**
 * The gateway and the simulator as separate operating-system processes (`node dist/cli.js serve`,
 * `node dist/cli.js sim`), on 127.0.0.1 ports, over a fresh PostgreSQL database. scripts/test.mjs
 * builds dist/ first and runs these tests on the PostgreSQL pass only.
 */
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export const ORG = '10000005';
export const ENCOUNTER_SYSTEM = `http://sys-ids.kemkes.go.id/encounter/${ORG}`;

export interface Proc {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  /** SIGKILL (kill -9) or SIGTERM, then waits for the exit (bounded). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function launch(args: string[], env: Record<string, string>, port: number): Proc {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer): void => { out = (out + chunk.toString('utf8')).slice(-20_000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child, port, url: `http://127.0.0.1:${port}`, output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await Promise.race([exited, sleep(20_000)]);
    },
  };
}

/** Waits until `url` answers 2xx (bounded); throws with the process output otherwise. */
async function ready(proc: Proc, path: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`process exited early (${proc.child.exitCode}):\n${proc.output()}`);
    const ok = await fetch(`${proc.url}${path}`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  await proc.stop('SIGKILL');
  throw new Error(`not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

export async function startSim(env: Record<string, string> = {}, port?: number): Promise<Proc> {
  const p = port ?? (await freePort());
  const proc = launch(['sim', '--port', String(p), '--host', '127.0.0.1'], env, p);
  await ready(proc, '/sim/admin/faults');
  return proc;
}

export async function startGateway(db: TestDatabase, simPort: number, env: Record<string, string> = {}): Promise<Proc> {
  const port = await freePort();
  const sim = `http://127.0.0.1:${simPort}`;
  const proc = launch(['serve'], {
    PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: db.url ?? '', AUTH_DISABLED: '1',
    NATIONAL_AUTH_URL: `${sim}/oauth2/v1`, NATIONAL_FHIR_URL: `${sim}/fhir-r4/v1`,
    NATIONAL_CLIENT_ID: `sim-${ORG}`, NATIONAL_CLIENT_SECRET: `sim-secret-${ORG}`, NATIONAL_ORG_ID: ORG,
    RELAY_POLL_MS: '50', RELAY_BASE_DELAY_MS: '20', RELAY_MAX_DELAY_MS: '500', RELAY_BREAKER_COOLDOWN_MS: '300',
    RELAY_TIMEOUT_MS: '5000', RELAY_MAX_ATTEMPTS: '100', RELAY_CONCURRENCY: '8',
    ...env,
  }, port);
  await ready(proc, '/healthz');
  return proc;
}

/** A fresh PostgreSQL database: gateway processes share it, which PGlite (one process) cannot. */
export function freshDatabase(): Promise<TestDatabase> {
  if (testDbKind() !== 'postgres') throw new Error('test/e2e needs PostgreSQL (TEST_DATABASE_URL); scripts/test.mjs runs it on the PostgreSQL pass only');
  return openTestDatabase();
}

export interface SimStats {
  requests: number;
  tokensIssued: number;
  duplicateRejections: number;
  faults: Record<string, number>;
  creates: Record<string, number>;
  stored: Record<string, number>;
}

export async function simStats(sim: Proc): Promise<SimStats> {
  return (await (await fetch(`${sim.url}/sim/admin/stats`)).json()) as SimStats;
}

/** Bounded poll: until `done()` is true or `timeoutMs` passes; returns whether it became true. */
export async function until(done: () => Promise<boolean>, timeoutMs: number, stepMs = 200): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await done()) return true;
    await sleep(stepMs);
  }
  return done();
}

/**
 * Registers the hooks every process test needs: a fresh database before each test, and after it
 * the processes it started (pushed to `procs`) killed and the database dropped. Read `db` inside a test.
 */
export function e2eWorld(): { readonly db: TestDatabase; readonly procs: Proc[] } {
  let db: TestDatabase | undefined;
  const procs: Proc[] = [];
  beforeEach(async () => { db = await freshDatabase(); });
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop('SIGKILL')));
    await db?.drop();
    db = undefined;
  });
  return {
    get db(): TestDatabase {
      if (!db) throw new Error('e2eWorld().db is only there inside a test');
      return db;
    },
    procs,
  };
}

/** One query on a connection of its own to the test database (beside the gateways' pools). */
export async function queryRows<T>(db: TestDatabase, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
