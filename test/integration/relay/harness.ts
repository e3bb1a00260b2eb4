import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp, listen, type App } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/kernel';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../src/sim/simulator';
import { openTestDatabase, type TestDatabase } from '../../support/database';
import { example, uniqueId, type Json } from '../../support/submissions';

/** Low delays so that retries happen within a test; the policy itself is unit-tested. */
export const FAST_RELAY = {
  RELAY_POLL_MS: '50', RELAY_BASE_DELAY_MS: '20', RELAY_MAX_DELAY_MS: '200',
  RELAY_BREAKER_THRESHOLD: '5', RELAY_BREAKER_COOLDOWN_MS: '200', RELAY_TIMEOUT_MS: '5000', RELAY_MAX_ATTEMPTS: '50',
};

export interface RelayHarness {
  url: string;
  simUrl: string;
  sim: Simulator;
  app: App;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The gateway (relay running) and the simulator, each on its own real HTTP socket, over a fresh test database. */
export async function startRelayHarness(env: Record<string, string> = {}, simOptions: SimulatorOptions = {}): Promise<RelayHarness> {
  const sim = createSimulator(simOptions);
  const simUrl = await sim.listen(0);
  const db = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_DISABLED: '1', ...FAST_RELAY, ...env });
  const app = await buildApp(config, createLogger('silent'), {
    db, national: { authUrl: `${simUrl}/oauth2/v1`, fhirUrl: `${simUrl}/fhir-r4/v1`, simulated: true },
  });
  const server: Server = await listen(app.http, 0, '127.0.0.1');
  app.relay?.start();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, simUrl, sim, app, db,
    close: async () => {
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      await app.close();
      await sim.close();
      await db.drop();
    },
  };
}

/** The reference visit with a fresh submissionId (so its SATUSEHAT identifiers are new) and optional changes. */
export function visitPayload(patch: Json = {}): Json {
  const s = example();
  s.submissionId = uniqueId('RELAY');
  return { ...s, ...patch };
}

export async function submit(url: string, payload: Json): Promise<string> {
  const res = await fetch(`${url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const body = (await res.json()) as Json;
  if (res.status !== 202) throw new Error(`intake answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return String(body.id);
}

export async function status(url: string, id: string): Promise<Json> {
  const res = await fetch(`${url}/ilp/v1/submissions/${id}`);
  return (await res.json()) as Json;
}

/** Polls the status endpoint until the submission reaches one of `wanted` (bounded by `timeoutMs`). */
export async function waitForStatus(url: string, id: string, wanted: string[], timeoutMs = 20_000): Promise<Json> {
  const until = Date.now() + timeoutMs;
  let last: Json = {};
  while (Date.now() < until) {
    last = await status(url, id);
    if (wanted.includes(String(last.status))) return last;
    await sleep(50);
  }
  throw new Error(`submission ${id} still ${String(last.status)} after ${timeoutMs} ms (wanted ${wanted.join('|')})`);
}

export async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}
