// Queued intake (INTAKE_MODE=queued, docs/decisions/0022; issue 12's accept targets). Drives
// POST /ilp/v1/encounters with autocannon (unique, varied visits from the catalogue, a distinct
// patient each, 16 connections) against the gateway as its own process, relay off, and prints:
//   - accepted visits/s and p50/p99 of the 202s, against the direct intake of the same run (peer)
//     and the database floor of the same run (a whole visit's rows by a bare pg client, bench/lib/db-floor.mjs);
//   - the CPU of the gateway and of PostgreSQL per accepted visit;
//   - the materialiser: visits written per second during the burst and after it, the queue depth
//     each second, and how long the backlog took to be written once the burst stopped;
//   - one `$import` upload (NDJSON) in queued mode;
//   - the embedded PGlite in queued mode.
// Bounded: about 2–4 minutes at BENCH_SECONDS=10 (the drains take as long as the backlog).
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { captureVisit, countRows, dbFloor } from './lib/db-floor.mjs';
import { procCpuMicros, startGateway } from './lib/processes.mjs';
import { importFor } from './lib/import-upload.mjs';
import { visitGenerator } from './lib/visits.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const pg = require('pg');
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 16);
const PGLITE_CONNECTIONS = 4;
const ORG = '10000005';
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const QUEUED = { INTAKE_MODE: 'queued' };
const f1 = (n) => n.toFixed(1);
const fr = (n) => (n < 10 ? f1(n) : Math.round(n).toLocaleString('en-US'));

const catalogue = loadCatalogue();
const gen = visitGenerator(ROOT, catalogue, { runId: process.pid, organizationId: ORG });
let nextVisit = 0;
const nextBody = () => JSON.stringify(gen(nextVisit++));

function drive(url, seconds, connections = CONNECTIONS) {
  return autocannon({
    url, connections, duration: seconds, pipelining: 1, timeout: 60,
    requests: [{ method: 'POST', path: '/ilp/v1/encounters', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: nextBody() }) }],
  });
}

const rate = (r) => r['2xx'] / (r.duration || SECONDS);
const line = (label, r) => `${label.padEnd(46)} ${fr(rate(r)).padStart(6)} /s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(5)} ms   non-2xx ${r.non2xx}, errors ${r.errors}`;

/** Queue depth and written submissions, from the database (PostgreSQL) or the gateway's own metrics (PGlite). */
function sqlCounter(client) {
  return async () => {
    const { rows } = await client.query(`SELECT (SELECT count(*) FROM intake_queue WHERE refused IS NULL)::int AS queued,
      (SELECT count(*) FROM intake_queue WHERE refused IS NOT NULL)::int AS refused, (SELECT count(*) FROM submission)::int AS written`);
    return rows[0];
  };
}

function metricsCounter(url) {
  return async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const value = (re) => Number(text.match(re)?.[1] ?? 0);
    return {
      queued: value(/^ilp_gateway_intake_queue_depth\{state="received"\} (\d+)/m),
      refused: value(/^ilp_gateway_intake_queue_depth\{state="refused"\} (\d+)/m),
      written: value(/^ilp_gateway_materialised_total\{result="written"\} (\d+)/m),
    };
  };
}

/** A burst of `seconds`, the queue sampled every second, then the drain timed until the queue is empty. */
async function burstAndDrain(url, seconds, connections, count, drainLimitS = 600, cpuAtStop = undefined) {
  const before = await count();
  const trend = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(1000);
      if (sampling) trend.push((await count()).queued);
    }
  })();
  const started = Date.now();
  const r = await drive(url, seconds, connections);
  sampling = false;
  await sampler;
  const cpu = cpuAtStop ? await cpuAtStop() : undefined;
  const atStop = await count();
  const burstS = (Date.now() - started) / 1000;
  const stopAt = Date.now();
  let now = atStop;
  while (now.queued > 0 && Date.now() - stopAt < drainLimitS * 1000) {
    await sleep(250);
    now = await count();
  }
  const drainS = (Date.now() - stopAt) / 1000;
  return {
    r, trend, burstS, drainS, cpu, left: now.queued, refused: now.refused - before.refused,
    accepted: atStop.queued - before.queued + (atStop.written - before.written),
    writtenDuring: (atStop.written - before.written) / burstS,
    writtenAfter: drainS > 0 ? (now.written - atStop.written) / drainS : 0,
    writtenTotal: now.written - before.written,
  };
}


async function waitEmpty(count, limitS = 600) {
  const t0 = Date.now();
  while ((await count()).queued > 0 && Date.now() - t0 < limitS * 1000) await sleep(250);
  return (Date.now() - t0) / 1000;
}

function report(label, b) {
  console.log(line(`  ${label}`, b.r));
  console.log(`    materialiser: ${fr(b.writtenDuring)} written/s during the burst, ${fr(b.writtenAfter)} /s after it; queue each second: ${b.trend.join(' → ')}`);
  console.log(`    backlog of ${b.trend.at(-1) ?? 0}+ written ${f1(b.drainS)} s after the burst stopped${b.left > 0 ? `, ${b.left} STILL QUEUED` : ''}; ${b.writtenTotal} written, ${b.refused} refused`);
}

async function postgres(admin) {
  const database = `ilp_queued_${process.pid}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    const count = sqlCounter(client);
    const out = {};
    // The peer: the direct intake, same machine, same run, its own process on the same database.
    const direct = await startGateway(ROOT, { database: url.toString() });
    let capture;
    let first;
    try {
      // One visit alone: the rows it writes are the database floor's template (bench/lib/db-floor.mjs).
      const empty = await countRows(client);
      first = gen(nextVisit++);
      const res = await fetch(`${direct.url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first) });
      if (res.status !== 202) throw new Error(`the first visit was answered ${res.status}: ${await res.text()}`);
      capture = await captureVisit(client, empty);
      await drive(direct.url, 3);
      out.direct = await drive(direct.url, SECONDS);
    } finally {
      await direct.stop();
    }
    const gw = await startGateway(ROOT, { database: url.toString(), env: QUEUED });
    try {
      await drive(gw.url, 3);
      await waitEmpty(count);
      // PostgreSQL's CPU: the backends of this database (those seen before the burst and at its end) and the
      // server's own processes (WAL writer, checkpointer: datname is null), from /proc. A lower bound: a backend
      // that ended during the burst is not counted.
      const pidsNow = async () => (await client.query(`SELECT pid FROM pg_stat_activity WHERE (datname = $1 OR datname IS NULL) AND pid <> pg_backend_pid()`, [database])).rows.map((r) => r.pid);
      const pids0 = await pidsNow();
      const p0 = await gw.probe();
      const before = new Map(pids0.map((pid) => [pid, procCpuMicros([pid])]));
      out.burst = await burstAndDrain(gw.url, SECONDS, CONNECTIONS, count, 600, async () => {
        const p1 = await gw.probe();
        const pids1 = [...new Set([...pids0, ...(await pidsNow())])];
        const postgresMicros = pids1.reduce((n, pid) => n + Math.max(0, procCpuMicros([pid]) - (before.get(pid) ?? 0)), 0);
        return { gatewayMicros: p1.cpuMicros - p0.cpuMicros, postgresMicros };
      });
      const t0 = await count();
      out.import = await importFor(gw.url, SECONDS, SECONDS * 1500, nextBody);
      out.importDrainS = await waitEmpty(count);
      out.importWritten = (await count()).written - t0.written;
    } finally {
      await gw.stop();
    }
    // The database floor of the same run: a whole visit's rows, bare pg, one transaction per visit.
    const pool = new pg.Pool({ connectionString: url.toString(), max: CONNECTIONS });
    // pool.end() resolves before its clients' sockets are closed: DROP DATABASE … WITH (FORCE) right
    // after can terminate one, whose error would otherwise be an unhandled 'error' event.
    pool.on('error', () => undefined);
    try {
      out.floor = await dbFloor(pool, capture, { submissionId: first.submissionId, nik: first.patient.nik, seconds: SECONDS, connections: CONNECTIONS });
    } finally {
      await pool.end();
    }
    return out;
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

async function pglite() {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-bench-queued-'));
  const gw = await startGateway(ROOT, { database: dir, readyMs: 180_000, env: QUEUED });
  try {
    const count = metricsCounter(gw.url);
    // WebAssembly compiles in tiers as it runs (bench/ingest.bench.mjs): the same 10 s warm-up.
    await drive(gw.url, 10, PGLITE_CONNECTIONS);
    await waitEmpty(count);
    return await burstAndDrain(gw.url, SECONDS, PGLITE_CONNECTIONS, count);
  } finally {
    await gw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
let pgr;
try {
  pgr = await postgres(admin);
} finally {
  await admin.end();
}
console.log(`machine: ${cpus().length} CPUs, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
console.log(`queued intake on PostgreSQL, ${CONNECTIONS} connections, ${SECONDS} s bursts, relay off (each visit unique, own patient)`);
console.log(line('  peer: direct intake (INTAKE_MODE=direct)', pgr.direct));
report('queued intake (INTAKE_MODE=queued): 202s', pgr.burst);
const accepted = pgr.burst.r['2xx'];
if (pgr.burst.cpu) console.log(`    CPU per accepted visit during the burst (materialiser's share included): gateway ${f1(pgr.burst.cpu.gatewayMicros / 1000 / accepted)} ms, PostgreSQL ${f1(pgr.burst.cpu.postgresMicros / 1000 / accepted)} ms`);
console.log(`  ${'database floor (a visit\'s rows, bare pg, 1 tx each)'.padEnd(44)} ${fr(pgr.floor.perSecond).padStart(6)} /s   (${pgr.floor.rowsPerVisit} rows in ${pgr.floor.statementsPerVisit} statements per visit)`);
console.log(`  → accepted ${(rate(pgr.burst.r) / rate(pgr.direct)).toFixed(2)}x the direct intake of this run and ${(100 * rate(pgr.burst.r) / pgr.floor.perSecond).toFixed(0)}% of the database floor; sustained (burst + backlog): ${fr(pgr.burst.writtenTotal / (pgr.burst.burstS + pgr.burst.drainS))} written/s`);
const target = rate(pgr.burst.r) >= 400 && pgr.burst.r.latency.p99 < 250 && rate(pgr.burst.r) >= pgr.floor.perSecond / 2;
console.log(`  → ${target ? 'MET' : 'NOT MET'}: >= 400 visits/s accepted at ${CONNECTIONS} connections with p99 < 250 ms, and >= 50% of the database floor`);
console.log(`  ${'$import (NDJSON, 1 upload, queued)'.padEnd(44)} ${fr(pgr.import.perSecond).padStart(6)} /s   (${pgr.import.accepted} of ${pgr.import.lines} lines accepted, HTTP ${pgr.import.status}); backlog written ${f1(pgr.importDrainS)} s after the upload (${pgr.importWritten} written)`);
console.log(`  → ${pgr.import.perSecond >= 600 ? 'MET' : 'NOT MET'}: $import >= 600 visits/s accepted`);
const lite = await pglite();
console.log(`embedded PGlite, ${PGLITE_CONNECTIONS} connections, queued`);
report('queued intake: 202s', lite);
console.log(`  → ${rate(lite.r) >= 100 ? 'MET' : 'NOT MET'}: >= 100 visits/s accepted on the embedded default`);
