// Memory soak of the intake (issue 12, "RSS flat over a 10-minute soak at half the peak rate").
// The gateway runs as its own process on a fresh PostgreSQL database, relay off. The peak is
// measured first (16 connections, 10 s, new visit per request); the soak then drives new visits at
// half that rate (autocannon's overallRate) for SOAK_MINUTES and samples the gateway's RSS and V8
// heap (through bench/lib/gateway-probe.cjs) every SOAK_SAMPLE_SECONDS. It prints the samples over
// time and compares the steady state's first and last quarters: a leak shows as a rising RSS
// while the rate stays the same.
//
//   npm run soak:rss                                    10 minutes (the issue's figure)
//   SOAK_MINUTES=2 SOAK_RATE=5 npm run soak:rss         a quick look at a fixed rate
import console from 'node:console';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startGateway } from './lib/processes.mjs';
import { visitGenerator } from './lib/visits.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const pg = require('pg');
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));

const MINUTES = Number(process.env.SOAK_MINUTES || 10);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS || 30);
const FIXED_RATE = process.env.SOAK_RATE ? Number(process.env.SOAK_RATE) : undefined;
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ORG = '10000005';
const mb = (n) => (n / 1024 / 1024).toFixed(1);
const load = () => loadavg().map((n) => n.toFixed(1)).join(' ');

const gen = visitGenerator(ROOT, loadCatalogue(), { runId: process.pid, organizationId: ORG });
let next = 0;
const body = () => JSON.stringify(gen(next++));

function drive(url, { seconds, connections, overallRate }) {
  return autocannon({
    url, connections, duration: seconds, pipelining: 1, timeout: 60, ...(overallRate ? { overallRate } : {}),
    requests: [{ method: 'POST', path: '/ilp/v1/encounters', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) }],
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function soak(url) {
  const gw = await startGateway(ROOT, { database: url });
  try {
    await drive(gw.url, { seconds: 3, connections: 16 }); // warm-up
    let rate = FIXED_RATE;
    if (rate === undefined) {
      const peak = await drive(gw.url, { seconds: 10, connections: 16 });
      rate = Math.max(1, Math.round(peak['2xx'] / peak.duration / 2));
      console.log(`peak ${(peak['2xx'] / peak.duration).toFixed(1)} visits/s (16 connections, 10 s, p99 ${peak.latency.p99} ms) → soak at ${rate} visits/s`);
    } else {
      console.log(`soak at the fixed rate SOAK_RATE=${rate} visits/s`);
    }
    console.log(`${MINUTES} min, a sample every ${SAMPLE_SECONDS} s; load average ${load()} on ${cpus().length} CPUs`);
    console.log('   t (s)   visits/s   p99 (ms)   RSS (MB)   heap used (MB)   load');
    const samples = [];
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    while (Date.now() < end) {
      const seconds = Math.min(SAMPLE_SECONDS, Math.ceil((end - Date.now()) / 1000));
      const r = await drive(gw.url, { seconds, connections: 8, overallRate: rate });
      const p = await gw.probe();
      const s = { t: Math.round((Date.now() - started) / 1000), rate: r['2xx'] / r.duration, p99: r.latency.p99, rss: p.rss, heap: p.heapUsed, errors: r.errors + r.non2xx };
      samples.push(s);
      console.log(`  ${String(s.t).padStart(6)}   ${s.rate.toFixed(1).padStart(8)}   ${String(s.p99).padStart(8)}   ${mb(s.rss).padStart(8)}   ${(s.heap === undefined ? '-' : mb(s.heap)).padStart(14)}   ${load()}${s.errors ? `   errors ${s.errors}` : ''}`);
    }
    // Steady state: after the first quarter (pools, caches and JIT filled); its first and last quarters compared.
    const steady = samples.slice(Math.floor(samples.length / 4));
    const q = Math.max(1, Math.floor(steady.length / 4));
    const early = median(steady.slice(0, q).map((s) => s.rss));
    const late = median(steady.slice(-q).map((s) => s.rss));
    const visits = samples.reduce((n, s) => n + s.rate * SAMPLE_SECONDS, 0);
    console.log(`steady state RSS: ${mb(early)} MB → ${mb(late)} MB (${(100 * (late - early) / early).toFixed(1)}%), over ~${Math.round(visits)} visits; min ${mb(Math.min(...steady.map((s) => s.rss)))} MB, max ${mb(Math.max(...steady.map((s) => s.rss)))} MB`);
    console.log(`errors or non-2xx during the soak: ${samples.reduce((n, s) => n + s.errors, 0)}`);
  } finally {
    await gw.stop();
  }
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const database = `ilp_soak_${process.pid}`;
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${database}`;
    await soak(url.toString());
  } finally {
    await sleep(200);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
