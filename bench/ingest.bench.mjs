// Ingest at the speed of the database (issue 12, item 5). Drives POST /ilp/v1/encounters with
// autocannon (unique, varied visits from the catalogue, a distinct patient each) against the gateway
// as its own process on real PostgreSQL with the relay off, and prints visits/s, p50/p99, CPU per
// visit (gateway process + its PostgreSQL backends, from /proc), rows and statements per visit. In
// the same run: the HTTP floor (express parsing the same bodies, answering 202), the database floor
// (the rows a real visit wrote, written again by bare `pg`, one transaction per visit), 2 gateway
// processes on one database, relay throughput against the simulator, and the embedded PGlite.
// Bounded: about 2.5 minutes. BENCH_SECONDS (default 15) sets each measured phase's length.
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { captureVisit, countRows, dbFloor } from './lib/db-floor.mjs';
import { procCpuMicros, startGateway, startHttpFloor, startSim } from './lib/processes.mjs';
import { importFor } from './lib/import-upload.mjs';
import { visitGenerator } from './lib/visits.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const pg = require('pg');
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));
const { compileSubmissionValidator } = require(join(ROOT, 'dist/intake/schema-validator'));
const { createIlpValidator } = require(join(ROOT, 'dist/validation/ilp/ilp-validator'));
const { prepareVisit } = require(join(ROOT, 'dist/pipeline/submit-visit'));

const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const PGLITE_CONNECTIONS = 4;
const ORG = '10000005';
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const f0 = (n) => Math.round(n).toLocaleString('en-US');
const f1 = (n) => n.toFixed(1);
const fr = (n) => (n < 10 ? f1(n) : f0(n)); // rates: one decimal below 10/s

const catalogue = loadCatalogue();
const gen = visitGenerator(ROOT, catalogue, { runId: process.pid, organizationId: ORG });
let nextVisit = 0;
const nextBody = () => JSON.stringify(gen(nextVisit++));

/** The generator must only make valid visits: the first 100 go through the real pipeline here. */
function checkGenerator() {
  const validator = createIlpValidator();
  const deps = { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (b) => validator.validate(b), now: () => Date.now() };
  const probe = visitGenerator(ROOT, catalogue, { runId: process.pid, organizationId: ORG, seed: 99 });
  for (let i = 0; i < 100; i += 1) prepareVisit(probe(i), deps);
}

/** autocannon against `url` for `seconds`; every request carries a new visit. */
function drive(url, seconds, connections = CONNECTIONS, path = '/ilp/v1/encounters') {
  return autocannon({
    url, connections, duration: seconds, pipelining: 1, timeout: 60, // a loaded machine must slow the figures, not drop requests
    requests: [{ method: 'POST', path, headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
}

const rate = (r) => r['2xx'] / (r.duration || SECONDS);
const line = (label, r) => `${label.padEnd(44)} ${fr(rate(r)).padStart(6)} /s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(5)} ms   non-2xx ${r.non2xx}, errors ${r.errors}`;


async function backendPids(admin, database) {
  const { rows } = await admin.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  return rows.map((r) => r.pid);
}

async function postgresPhases(admin, database, url) {
  const dbClient = new pg.Client({ connectionString: url });
  await dbClient.connect();
  const results = {};
  let gw = await startGateway(ROOT, { database: url });
  try {
    // One visit alone: the rows it writes are the database floor's template.
    const empty = await countRows(dbClient);
    const first = gen(nextVisit++);
    const res = await fetch(`${gw.url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first) });
    if (res.status !== 202) throw new Error(`the first visit was answered ${res.status}: ${await res.text()}`);
    const capture = await captureVisit(dbClient, empty);

    await drive(gw.url, 3); // warm-up: JIT, pool connections, caches
    const pids = await backendPids(dbClient, database);
    const size = async () => Number((await dbClient.query('SELECT pg_database_size(current_database()) AS n')).rows[0].n);
    const [p0, rows0, pgCpu0, bytes0] = [await gw.probe(), await countRows(dbClient), procCpuMicros(pids), await size()];
    const r = await drive(gw.url, SECONDS);
    const [p1, pgCpu1] = [await gw.probe(), procCpuMicros(pids)];
    const rows1 = await countRows(dbClient);
    const bytes1 = await size();
    // Visits committed (the submission table), not autocannon's 2xx count: requests still in
    // flight when autocannon stops are committed too, and their rows are counted.
    const visits = rows1.submission - rows0.submission;
    const rows = Object.keys(rows1).reduce((n, t) => n + rows1[t] - (rows0[t] ?? 0), 0);
    results.pg = {
      r, visits, rowsPerVisit: rows / visits, statementsPerVisit: (p1.statements - p0.statements) / visits,
      bytesPerVisit: (bytes1 - bytes0) / visits,
      gatewayCpuMs: (p1.cpuMicros - p0.cpuMicros) / 1000 / visits, pgCpuMs: (pgCpu1 - pgCpu0) / 1000 / visits, pgBackends: pids.length,
      perTable: Object.fromEntries(Object.keys(rows1).map((t) => [t, (rows1[t] - (rows0[t] ?? 0)) / visits]).filter(([, n]) => n > 0)),
    };

    // Two gateway processes on the same database, the connections split between them.
    const gw2 = await startGateway(ROOT, { database: url });
    try {
      await drive(gw2.url, 2);
      const both = await Promise.all([drive(gw.url, SECONDS, CONNECTIONS / 2), drive(gw2.url, SECONDS, CONNECTIONS / 2)]);
      results.two = { rate: rate(both[0]) + rate(both[1]), p50: Math.max(both[0].latency.p50, both[1].latency.p50), p99: Math.max(both[0].latency.p99, both[1].latency.p99), non2xx: both[0].non2xx + both[1].non2xx };
    } finally {
      await gw2.stop();
    }
    results.import = await importFor(gw.url, Math.min(SECONDS, 10), Math.ceil(Math.min(SECONDS, 10) * Math.max(40, 2 * rate(results.pg.r))), nextBody);
    await gw.stop();

    // Floors, with the gateway stopped so that they do not share the CPU with it.
    const floor = await startHttpFloor(ROOT);
    try {
      await drive(floor.url, 2);
      results.http = await drive(floor.url, Math.min(SECONDS, 10));
    } finally {
      await floor.stop();
    }
    const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
    try {
      results.db = await dbFloor(pool, capture, { submissionId: first.submissionId, nik: first.patient.nik, seconds: Math.min(SECONDS, 10), connections: CONNECTIONS });
    } finally {
      await pool.end();
    }

    // Relay on against the simulator while visits keep arriving: does the queue drain as fast as it fills?
    const sim = await startSim(ROOT);
    gw = await startGateway(ROOT, { database: url, relay: { simUrl: sim.url, org: ORG } });
    try {
      const queue = async () => (await dbClient.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status IN ('pending', 'claimed'))::int AS waiting, count(*) FILTER (WHERE status = 'pending')::int AS pending FROM outbox`)).rows[0];
      // The queue sampled every second while visits arrive; the second half of the phase is judged
      // (the first is the ramp to the steady number in flight, Little's law: rate × delivery time).
      const samples = [{ at: Date.now(), ...(await queue()) }];
      const sampler = setInterval(() => { void queue().then((q) => samples.push({ at: Date.now(), ...q })); }, 1000);
      const r = await drive(gw.url, SECONDS);
      clearInterval(sampler);
      const q1 = { at: Date.now(), ...(await queue()) };
      samples.push(q1);
      const q0 = samples[0];
      const mid = samples.reduce((best, q) => (Math.abs(q.at - (q0.at + q1.at) / 2) < Math.abs(best.at - (q0.at + q1.at) / 2) ? q : best), q0);
      const per = (a, b, key) => (b[key] - a[key]) / ((b.at - a.at) / 1000);
      // After the intake stops: how long the backlog takes to be delivered (bounded at 60 s).
      const tailStart = Date.now();
      let tail = q1;
      while (tail.waiting > 0 && Date.now() - tailStart < 60_000) {
        await new Promise((resolve) => { setTimeout(resolve, 200); });
        tail = { at: Date.now(), ...(await queue()) };
      }
      results.relay = {
        intake: r, filled: per(q0, q1, 'total'), delivered: per(q0, q1, 'done'), failed: q1.failed - q0.failed,
        filled2: per(mid, q1, 'total'), delivered2: per(mid, q1, 'done'),
        trend: samples.map((q) => q.waiting), pendingMid: mid.pending, pending1: q1.pending,
        tailLeft: tail.waiting, tailSeconds: (Date.now() - tailStart) / 1000, tailCount: q1.waiting - tail.waiting,
      };
    } finally {
      await gw.stop();
      await sim.stop();
    }
  } finally {
    await gw.stop('SIGKILL');
    await dbClient.end();
  }
  return results;
}

async function pglitePhase() {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-bench-pglite-'));
  // The first start initialises the data directory (about 10 s on an idle machine).
  const gw = await startGateway(ROOT, { database: dir, readyMs: 180_000 });
  try {
    // One embedded session: more connections only queue in front of it. A longer warm-up than
    // PostgreSQL's: the engine is WebAssembly that V8 compiles in tiers as it runs; after 3 s a
    // fresh process wrote 19 visits/s, the same process warmed for a minute 45-47 /s (2026-12-02).
    await drive(gw.url, 10, PGLITE_CONNECTIONS);
    const p0 = await gw.probe();
    const r = await drive(gw.url, Math.min(SECONDS, 10), PGLITE_CONNECTIONS);
    const p1 = await gw.probe();
    return { r, cpuMs: r['2xx'] > 0 ? (p1.cpuMicros - p0.cpuMicros) / 1000 / r['2xx'] : NaN };
  } finally {
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  checkGenerator();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const database = `ilp_ingest_${process.pid}`;
  await admin.query(`CREATE DATABASE ${database}`);
  let pgr;
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    pgr = await postgresPhases(admin, database, url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  const { pg: g, two, http, db, relay, import: imp } = pgr;
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} (other work shares the CPUs; compare the ratios and the CPU per visit)`);
  console.log(`ingest on PostgreSQL, ${CONNECTIONS} connections, ${SECONDS} s, relay off (${g.visits} visits, each unique, own patient)`);
  console.log(line('  gateway (1 process)', g.r));
  console.log(`  ${'gateway (2 processes, one database)'.padEnd(42)} ${fr(two.rate).padStart(6)} /s   p50 ${String(two.p50).padStart(4)} ms   p99 ${String(two.p99).padStart(5)} ms   non-2xx ${two.non2xx}`);
  console.log(line('  HTTP floor (express parses, answers 202)', http));
  console.log(`  ${'database floor (bare pg, 1 tx per visit)'.padEnd(42)} ${fr(db.perSecond).padStart(6)} /s   (${db.rowsPerVisit} rows in ${db.statementsPerVisit} statements per visit)`);
  console.log(`  → gateway is ${(100 * rate(g.r) / rate(http)).toFixed(1)}% of the HTTP floor and ${(100 * rate(g.r) / db.perSecond).toFixed(1)}% of the database floor`);
  console.log(`  per visit: ${f1(g.rowsPerVisit)} rows, ${f1(g.statementsPerVisit)} statements, CPU ${f1(g.gatewayCpuMs)} ms gateway + ${f1(g.pgCpuMs)} ms PostgreSQL (${g.pgBackends} backends)`);
  console.log(`  database growth: ${f0(g.bytesPerVisit / 1024)} KiB per visit (pg_database_size, tables and indexes)`);
  console.log(`  rows per visit by table: ${Object.entries(g.perTable).map(([t, n]) => `${t} ${f1(n)}`).join(', ')}`);
  console.log(`  ${'$import (NDJSON, 1 upload, IMPORT_WRITERS 3)'.padEnd(42)} ${fr(imp.perSecond).padStart(6)} /s   (${imp.accepted} of ${imp.lines} lines accepted, HTTP ${imp.status}; ${(imp.perSecond / rate(g.r)).toFixed(2)}x the single intake above)`);
  console.log(line('relay on (simulator, RELAY_CONCURRENCY default): intake', relay.intake));
  console.log(`  filled ${f1(relay.filled)} /s, delivered ${f1(relay.delivered)} /s over the ${SECONDS} s (${relay.failed} failed); second half: filled ${f1(relay.filled2)} /s, delivered ${f1(relay.delivered2)} /s (${(100 * relay.delivered2 / relay.filled2).toFixed(0)}%)`);
  console.log(`  queue (pending + claimed) each second: ${relay.trend.join(' → ')}; not yet claimed ${relay.pendingMid} at mid-phase, ${relay.pending1} at the end`);
  console.log(`  after the intake stopped: ${relay.tailCount} delivered in ${f1(relay.tailSeconds)} s${relay.tailLeft > 0 ? `, ${relay.tailLeft} still waiting` : ''}`);
  // Met: over the second half the relay delivers at least 95% of what arrives (the queue stays level).
  const met = relay.failed === 0 && relay.delivered2 >= 0.95 * relay.filled2;
  console.log(`  → ${met ? 'MET' : 'NOT MET'}: with relay on against the simulator the queue ${met ? 'drains as fast as it fills' : 'grows: delivery is slower than intake'} (target: second-half delivered >= 95% of filled, none failed)`);
  const lite = await pglitePhase();
  console.log(line(`embedded PGlite, ${PGLITE_CONNECTIONS} connections`, lite.r));
  console.log(`  per visit: CPU ${f1(lite.cpuMs)} ms (gateway process, PGlite inside it)`);
}

await main();
