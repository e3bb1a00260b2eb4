/**
 * The operations bench: the real gateway (authentication ON, relay running) and the simulator on
 * real sockets over a fresh database, with vendors of two organisations, an admin, an organisation's
 * admin, support staff with `ops/read`, and a district team.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, listen, type App } from '../../../src/app';
import { hashSecret } from '../../../src/auth/secrets';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/kernel';
import { createSimulator, type Simulator } from '../../../src/sim/simulator';
import { openTestDatabase, type TestDatabase } from '../../support/database';
import { example, uniqueId, type Json } from '../../support/submissions';
import { FAST_RELAY } from '../relay/harness';

export const ORG_A = '10000005';
export const ORG_B = '10000006';
export const NIK = '9271060312000001';

export const CLIENTS: Record<string, { organizations: string[]; scopes: string[]; regions?: string[] }> = {
  'vendor-a': { organizations: [ORG_A], scopes: ['ilp/submission.write', 'ilp/submission.read', 'system/*.write', 'system/*.read'] },
  'vendor-b': { organizations: [ORG_B], scopes: ['ilp/submission.write', 'ilp/submission.read'] },
  // A second SIMPUS of organisation A (a Puskesmas changing vendors): attribution is per client, not per organisation.
  'vendor-a2': { organizations: [ORG_A], scopes: ['ilp/submission.write', 'ilp/submission.read'] },
  admin: { organizations: ['*'], scopes: ['admin'] },
  'admin-a': { organizations: [ORG_A], scopes: ['admin'] },
  'support-a': { organizations: [ORG_A], scopes: ['ops/read'] },
  district: { organizations: ['*'], scopes: ['admin'], regions: ['3508'] },
};

export interface OpsBench {
  url: string;
  app: App;
  db: TestDatabase;
  sim: Simulator;
  tokens: Record<string, string>;
  /** Writes what the intake-attempt and audit queues hold. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface Answer { status: number; body: Json }

export async function send(url: string, method: string, path: string, bearer: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

export function visit(org: string, patch: (s: Json) => void = () => undefined): Json {
  const s = example();
  s.organizationId = org;
  s.submissionId = uniqueId(`OPS-${org}`);
  patch(s);
  return s;
}

export async function startOpsBench(env: Record<string, string> = {}): Promise<OpsBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-ops-'));
  const file = join(dir, 'clients.json');
  const clients = await Promise.all(Object.entries(CLIENTS).map(async ([clientId, c]) => ({ clientId, secretHash: await hashSecret(`secret-${clientId}`), ...c })));
  writeFileSync(file, JSON.stringify(clients));
  const sim = createSimulator();
  const simUrl = await sim.listen(0);
  const db = await openTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DISABLED: '0', AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...FAST_RELAY, ...env,
  });
  const app = await buildApp(config, createLogger('silent'), { db, national: { authUrl: `${simUrl}/oauth2/v1`, fhirUrl: `${simUrl}/fhir-r4/v1`, simulated: true } });
  const server: Server = await listen(app.http, 0, '127.0.0.1');
  app.relay?.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens: Record<string, string> = {};
  for (const clientId of Object.keys(CLIENTS)) {
    const res = await fetch(`${url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:secret-${clientId}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    if (res.status !== 200) throw new Error(`token for ${clientId}: ${res.status}`);
    tokens[clientId] = String(((await res.json()) as Json).access_token);
  }
  return {
    url, app, db, sim, tokens,
    flush: async () => {
      await app.ops?.attempts.flush();
      await app.ops?.attribution.flush();
      await app.audit?.recorder.flush();
    },
    close: async () => {
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await app.close();
      await sim.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of raw SQL on the bench's database (the test's independent view). */
export async function sql<T>(db: TestDatabase, text: string, params: unknown[] = []): Promise<T[]> {
  const ds = (db as unknown as { ds?: { query(t: string, p: unknown[]): Promise<T[]> } }).ds;
  if (!ds) throw new Error('the test database exposes no data source');
  return ds.query(text, params);
}
