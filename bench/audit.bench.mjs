// The cost of the audit trail (issue #8): ILP intake (POST /ilp/v1/encounters) and FHIR search
// throughput of three gateways over the same database, measured in the same run, in interleaved
// rounds (A B C A B C …) so that machine noise and database growth fall on all three alike:
//   A  authentication on, audit trail on (the production configuration)
//   B  authentication on, audit trail off (AUDIT_ENABLED=0)
//   C  authentication off (AUTH_DISABLED=1), audit trail off
// The figure that matters is A/B: what auditing costs (issue #8 asks for under 15 %). Needs
// PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, else 127.0.0.1:5432); measures for about 60 s
// (plus start-up and the tail of each window); figures are printed with the machine's load average.
import console from 'node:console';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
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
const ROUNDS = Number(process.env.BENCH_AUDIT_ROUNDS || 4);
const INTAKE_SECONDS = Number(process.env.BENCH_AUDIT_INTAKE_SECONDS || 3);
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

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

/**
 * Interleaved rounds (the order rotates each round, so no gateway always follows another's
 * background flush); returns req/s per gateway over all measured time, and the median of the
 * per-round A/B and B/C ratios, which a noisy neighbour on the machine disturbs least.
 */
async function measure(label, gateways, seconds, makeRequest) {
  const totals = gateways.map(() => ({ done: 0, seconds: 0 }));
  const ab = [];
  const bc = [];
  for (const g of gateways) await run(0.5, makeRequest(g)); // warm-up
  for (let r = 0; r < ROUNDS; r += 1) {
    const rate = [];
    for (let j = 0; j < gateways.length; j += 1) {
      const k = (j + r) % gateways.length;
      const m = await run(seconds, makeRequest(gateways[k]));
      totals[k].done += m.done;
      totals[k].seconds += m.seconds;
      rate[k] = m.done / m.seconds;
      await delay(100);
    }
    ab.push(rate[0] / rate[1]);
    bc.push(rate[1] / rate[2]);
  }
  const [a, b, c] = totals.map((t) => t.done / t.seconds);
  console.log(`${label.padEnd(44)} A auth+audit ${fmt(a).padStart(5)} req/s | B auth, no audit ${fmt(b).padStart(5)} req/s | C no auth ${fmt(c).padStart(5)} req/s`);
  console.log(`${''.padEnd(44)} pooled A/B ${(a / b).toFixed(3)}, B/C ${(b / c).toFixed(3)} | median of rounds A/B ${median(ab).toFixed(3)} (audit costs ${pct(1 - median(ab))}), B/C ${median(bc).toFixed(3)} | rounds A/B ${ab.map((x) => x.toFixed(2)).join(' ')}`);
  return { cost: 1 - median(ab), requestsA: totals[0].done, rateB: b };
}

/**
 * The audit work itself, free of the machine's noise: building one search's event (the hook's CPU
 * on the request's thread, after the answer) and writing it (its share of a batch INSERT).
 */
async function auditWork(db) {
  const { classify } = require(join(ROOT, 'dist/audit/classify'));
  const { TouchedSet, addAnswer } = require(join(ROOT, 'dist/audit/entities'));
  const { buildAuditEvent } = require(join(ROOT, 'dist/audit/event'));
  const { redactQuery } = require(join(ROOT, 'dist/audit/query'));
  const { compactForStorage } = require(join(ROOT, 'dist/audit/stored'));
  const answer = { resourceType: 'Bundle', type: 'searchset', entry: Array.from({ length: 20 }, (_, i) => ({ resource: { resourceType: 'Observation', id: `o${i}`, subject: { reference: 'Patient/p1' } } })) };
  const build = () => {
    const kind = classify('GET', '/fhir/Observation');
    const t = new TouchedSet();
    addAnswer(t, answer);
    const touched = t.result();
    const e = buildAuditEvent({ id: randomUUID(), started: new Date().toISOString(), recorded: new Date().toISOString(), type: kind.type, subtypes: kind.subtypes, action: kind.action, status: 200, completed: true, clientId: 'bench-vendor', address: '127.0.0.1', touched, identifiers: [], query: redactQuery('Observation', [['patient', 'Patient/p1'], ['_count', '20']]), observer: 'ILP Gateway bench' });
    return { id: e.id, recorded: e.recorded, clientId: 'bench-vendor', subtypes: ['search-type'], outcome: 0, patients: touched.patients, entities: [...touched.resources, ...touched.patients], content: compactForStorage(e) };
  };
  const n = 5000;
  const t0 = performance.now();
  const rows = Array.from({ length: n }, build);
  const buildUs = ((performance.now() - t0) * 1000) / n;
  const t1 = performance.now();
  for (let i = 0; i < n; i += 200) await db.audit.insert(rows.slice(i, i + 200));
  const writeUs = ((performance.now() - t1) * 1000) / n;
  console.log(`audit work per search event (20 entities): build ${buildUs.toFixed(0)} µs on the event loop, write ${writeUs.toFixed(0)} µs of a 200-row batch INSERT`);
  return (buildUs + writeUs) / 1e6;
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
    const work = await auditWork(db);
    // The same work as a share of what one search costs gateway B (1 / its rate): an estimate the noise of the machine disturbs far less than the throughput ratio.
    console.log(`audit work as a share of one search's cost on gateway B: ${pct(work * search.rateB)} (of one intake: ${pct(work * intake.rateB)})`);
    const worst = Math.max(intake.cost, search.cost);
    console.log(`audit trail cost (median of rounds): intake ${pct(intake.cost)}, search ${pct(search.cost)} → ${worst < 0.15 ? 'within' : 'OVER'} the 15 % budget`);
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
