import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, listen, type App } from '../../../src/app';
import { hashSecret } from '../../../src/auth/secrets';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/kernel';
import { openTestDatabase, type TestDatabase } from '../../support/database';

/** API clients of the audit tests: two vendors, a ministry reader, an operator, a client without FHIR scopes. */
export const CLIENTS = {
  'vendor-a': { organizations: ['10000005'], scopes: ['ilp/submission.write', 'ilp/submission.read', 'system/*.read', 'system/*.write'] },
  'vendor-b': { organizations: ['10000006'], scopes: ['ilp/submission.write', 'system/AuditEvent.read'] },
  ministry: { organizations: ['*'], scopes: ['system/*.read'] },
  operator: { organizations: ['*'], scopes: ['admin'] },
  'no-fhir': { organizations: ['10000005'], scopes: ['ilp/submission.read'] },
} as const;
export type ClientName = keyof typeof CLIENTS;
export const secretOf = (c: ClientName): string => `secret-of-${c}`;

export interface AuditGateway {
  url: string;
  app: App;
  db: TestDatabase;
  /** Stops the HTTP server and closes the app (flushing the audit queue); the database stays open. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** The real gateway with authentication on, on an ephemeral port, over a fresh test database. */
export async function startAuditGateway(env: Record<string, string> = {}, given?: TestDatabase): Promise<AuditGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-audit-'));
  const file = join(dir, 'clients.json');
  const clients = await Promise.all(Object.entries(CLIENTS).map(async ([clientId, c]) => ({ clientId, secretHash: await hashSecret(secretOf(clientId as ClientName)), ...c })));
  writeFileSync(file, JSON.stringify(clients));
  const db = given ?? (await openTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: Buffer.alloc(32, 9).toString('base64'),
    RELAY_ENABLED: '0', EXPORT_DIR: join(dir, 'exports'), AUDIT_FLUSH_INTERVAL_MS: '20', ...env,
  });
  const app = await buildApp(config, createLogger('silent'), { db });
  const server: Server = await listen(app.http, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await app.close();
  };
  return {
    url: `http://127.0.0.1:${port}`, app, db, stop,
    close: async () => {
      await stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function tokenFor(url: string, client: ClientName): Promise<string> {
  const res = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client}:${secretOf(client)}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`token for ${client}: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface Json { [key: string]: unknown }

export async function call(url: string, opts: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json; text: string }> {
  const headers: Record<string, string> = { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] ??= 'application/fhir+json';
  const res = await fetch(url, { method: opts.method ?? 'GET', headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  let body: Json = {};
  try {
    body = text ? (JSON.parse(text) as Json) : {};
  } catch {
    body = {};
  }
  return { status: res.status, body, text };
}
