// The cost of the audit trail (issue #8): ILP intake (POST /ilp/v1/encounters) and FHIR search
// throughput of three gateways over the same database, measured in the same run, in interleaved
// rounds (A B C A B C …) so that machine noise and database growth fall on all three alike:
//   A  authentication on, audit trail on (the production configuration)
//   B  authentication on, audit trail off (AUDIT_ENABLED=0)
//   C  authentication off (AUTH_DISABLED=1), audit trail off
// The figure that matters is A/B: what auditing costs (issue #8 asks for under 15 %). Needs
// PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, else 127.0.0.1:5432); measures for about 55 s.
import console from 'node:console';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { buildApp, listen } = require(join(ROOT, 'dist/app'));
const { loadConfig } = require(join(ROOT, 'dist/config/config'));
const { createLogger } = require(join(ROOT, 'dist/kernel'));
const { hashSecret } = require(join(ROOT, 'dist/auth/secrets'));
const { openDatabase } = require(join(ROOT, 'dist/store/open-database'));
const pg = require('pg');

const SERVER = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ROUNDS = Number(process.env.BENCH_AUDIT_ROUNDS || 5);
const INTAKE_SECONDS = Number(process.env.BENCH_AUDIT_INTAKE_SECONDS || 2);
const SEARCH_SECONDS = Number(process.env.BENCH_AUDIT_SEARCH_SECONDS || 1.5);
const CONCURRENCY = 8;
const example = JSON.parse(readFileSync(join(ROOT, 'docs/examples/ilp-submission.example.json'), 'utf8'));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (x) => `${(x * 100).toFixed(1)} %`;

async function admin(sql) {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

/** Runs `request(i)` from CONCURRENCY workers for `seconds`; every answer must be 2xx. */
async function run(seconds, request) {
  let done = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const res = await request(next++);
      if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
      done += 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { done, seconds: (performance.now() - t0) / 1000 };
}

async function gateway(db, env, clientsFile) {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RELAY_ENABLED: '0', AUTH_CLIENTS_FILE: clientsFile, AUTH_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'), ...env });
  const app = await buildApp(config, createLogger('silent'), { db });
  const server = await listen(app.http, 0, '127.0.0.1');
  return { app, server, url: `http://127.0.0.1:${server.address().port}` };
}

async function tokenOf(url) {
  const res = await fetch(`${url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=bench-vendor&client_secret=bench-secret' });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
  return (await res.json()).access_token;
}

let visit = 0;
const nik = (i) => `3508${String(process.pid % 100).padStart(2, '0')}${String(i).padStart(10, '0')}`;
function intakeRequest(g) {
  return () => {
    visit += 1;
    const body = JSON.stringify({ ...example, submissionId: `BENCH-AUDIT-${process.pid}-${visit}`, patient: { ...example.patient, nik: nik(visit) } });
    return fetch(`${g.url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json', ...g.auth }, body });
  };
}
function searchRequest(g, patients) {
  return (i) => fetch(`${g.url}/fhir/Observation?patient=Patient/${patients[i % patients.length]}&_count=20`, { headers: g.auth });
}

/** Interleaved rounds; returns req/s per gateway (all completions over all measured time). */
async function measure(label, gateways, seconds, makeRequest) {
  const totals = gateways.map(() => ({ done: 0, seconds: 0 }));
  for (const g of gateways) await run(0.5, makeRequest(g)); // warm-up
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const [k, g] of gateways.entries()) {
      const m = await run(seconds, makeRequest(g));
      totals[k].done += m.done;
      totals[k].seconds += m.seconds;
      await delay(100);
    }
  }
  const rates = totals.map((t) => t.done / t.seconds);
  const [a, b, c] = rates;
  console.log(`${label.padEnd(44)} A auth+audit ${fmt(a).padStart(5)} req/s | B auth, no audit ${fmt(b).padStart(5)} req/s | C no auth ${fmt(c).padStart(5)} req/s`);
  console.log(`${''.padEnd(44)} A/B ${(a / b).toFixed(3)} (audit costs ${pct(1 - a / b)}) | B/C ${(b / c).toFixed(3)} | A/C ${(a / c).toFixed(3)}`);
  return { a, b, c, requestsA: totals[0].done };
}

async function main() {
  const name = `ilp_bench_audit_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'ilp-bench-audit-'));
  const clientsFile = join(dir, 'clients.json');
  writeFileSync(clientsFile, JSON.stringify([{ clientId: 'bench-vendor', secretHash: await hashSecret('bench-secret'), organizations: ['10000005'], scopes: ['ilp/submission.write', 'ilp/submission.read', 'system/*.read'] }]));
  const t0 = performance.now();
  const db = await openDatabase({ url: url.toString() });
  const gws = [];
  try {
    gws.push(await gateway(db, {}, clientsFile));
    gws.push(await gateway(db, { AUDIT_ENABLED: '0' }, clientsFile));
    gws.push(await gateway(db, { AUDIT_ENABLED: '0', AUTH_DISABLED: '1' }, clientsFile));
    for (const g of gws.slice(0, 2)) g.auth = { authorization: `Bearer ${await tokenOf(g.url)}` };
    gws[2].auth = {};
    console.log(`three gateways started in ${((performance.now() - t0) / 1000).toFixed(1)} s (machine load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
    console.log(`PostgreSQL, ${CONCURRENCY} requests in flight, ${ROUNDS} interleaved rounds of ${INTAKE_SECONDS} s (intake) and ${SEARCH_SECONDS} s (search) per gateway`);
    const intake = await measure('ILP intake POST /ilp/v1/encounters', gws, INTAKE_SECONDS, intakeRequest);
    const rows = await new pg.Client({ connectionString: url.toString() });
    await rows.connect();
    const patients = (await rows.query(`SELECT id FROM resource WHERE resource_type = 'Patient' ORDER BY id LIMIT 500`)).rows.map((r) => r.id);
    const search = await measure('FHIR search Observation?patient=…&_count=20', gws, SEARCH_SECONDS, (g) => searchRequest(g, patients));
    // No loss: every request gateway A answered (and its token request) is in the audit table.
    await gws[0].app.audit.recorder.flush();
    const stored = Number((await rows.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
    await rows.end();
    console.log(`audit events stored ${fmt(stored)} for ≥ ${fmt(intake.requestsA + search.requestsA)} measured requests of gateway A (warm-up and token requests included in the stored count)`);
    const worst = Math.max(1 - intake.a / intake.b, 1 - search.a / search.b);
    console.log(`audit trail cost: intake ${pct(1 - intake.a / intake.b)}, search ${pct(1 - search.a / search.b)} → ${worst < 0.15 ? 'within' : 'OVER'} the 15 % budget`);
  } finally {
    for (const g of gws) {
      g.server.close();
      g.server.closeAllConnections();
      await g.app.close();
    }
    await db.close();
    await delay(300);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
