#!/usr/bin/env node
// `npm run soak [-- options]`: the gateway and the SATUSEHAT simulator as two processes (built dist/),
// N submissions sent while the simulator injects faults; prints accepted, delivered, duplicates,
// lost and the p50/p99 delivery latency (received → delivered, from the status endpoint).
//
//   --submissions N       default 500          --in-flight N    intake requests in flight (default 8)
//   --5xx R   --429 R     shares of FHIR requests answered 5xx / 429 (default 0.15 / 0.15)
//   --drop R              share stored then answered by a dropped connection (lost response; default 0.02)
//   --latency MS          simulator latency per FHIR request (default 20)
//   --timeout S           how long to wait for the relay to finish (default 300)
//   --concurrency N       RELAY_CONCURRENCY (default 8)
//
// Database: DATABASE_URL if set (a fresh database is best), else an embedded PGlite in a temporary
// directory. The simulator's own duplicate check is off, so a visit sent twice is counted, not refused.
import console from 'node:console';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const ORG = '10000005';

const { values: opt } = parseArgs({
  options: {
    submissions: { type: 'string', default: '500' }, 'in-flight': { type: 'string', default: '8' },
    '5xx': { type: 'string', default: '0.15' }, '429': { type: 'string', default: '0.15' }, drop: { type: 'string', default: '0.02' },
    latency: { type: 'string', default: '20' }, timeout: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '8' },
  },
});
const N = Number(opt.submissions);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function launch(args, env) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function ready(url, seconds) {
  for (let i = 0; i < seconds * 10; i += 1) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${url} not ready after ${seconds} s`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function submitAll(url, payloads, inFlight) {
  const ids = [];
  let next = 0;
  let rejected = 0;
  const lane = async () => {
    while (next < payloads.length) {
      const p = payloads[next];
      next += 1;
      const res = await fetch(`${url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(p) });
      const body = await res.json();
      if (res.status === 202) ids.push({ id: body.id, submissionId: p.submissionId });
      else rejected += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { ids, rejected };
}

async function main() {
  const simPort = await freePort();
  const gwPort = await freePort();
  const dataDir = process.env.DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'ilp-soak-'));
  const sim = launch(['sim', '--port', String(simPort)], {
    SIM_DUPLICATE_CHECK: '0', SIM_FAULT_5XX: opt['5xx'], SIM_FAULT_429: opt['429'], SIM_FAULT_DROP_AFTER_COMMIT: opt.drop,
    SIM_LATENCY_MS: opt.latency, SIM_RETRY_AFTER_SECONDS: '1',
  });
  const simUrl = `http://127.0.0.1:${simPort}`;
  const gw = launch(['serve'], {
    PORT: String(gwPort), HOST: '127.0.0.1', AUTH_DISABLED: '1', NODE_ENV: 'development',
    ...(dataDir ? { DATA_DIR: dataDir } : {}),
    NATIONAL_AUTH_URL: `${simUrl}/oauth2/v1`, NATIONAL_FHIR_URL: `${simUrl}/fhir-r4/v1`,
    NATIONAL_CLIENT_ID: `sim-${ORG}`, NATIONAL_CLIENT_SECRET: `sim-secret-${ORG}`, NATIONAL_ORG_ID: ORG,
    RELAY_CONCURRENCY: opt.concurrency, RELAY_POLL_MS: '50', RELAY_BASE_DELAY_MS: '50', RELAY_MAX_DELAY_MS: '2000',
    RELAY_MAX_ATTEMPTS: '100', RELAY_BREAKER_COOLDOWN_MS: '500',
  });
  const gwUrl = `http://127.0.0.1:${gwPort}`;
  try {
    await ready(`${simUrl}/sim/admin/faults`, 30);
    await ready(`${gwUrl}/healthz`, 60);
    const example = JSON.parse(readFileSync(join(ROOT, 'docs', 'examples', 'ilp-submission.example.json'), 'utf8'));
    const run = `SOAK-${Date.now()}`;
    const payloads = Array.from({ length: N }, (_, i) => ({ ...example, submissionId: `${run}-${i}` }));
    const started = Date.now();
    const { ids, rejected } = await submitAll(gwUrl, payloads, Number(opt['in-flight']));
    const acceptedMs = Date.now() - started;
    const views = new Map();
    const deadline = Date.now() + Number(opt.timeout) * 1000;
    while (Date.now() < deadline && views.size < ids.length) {
      for (const { id } of ids) {
        if (views.has(id)) continue;
        const v = await (await fetch(`${gwUrl}/ilp/v1/submissions/${id}`)).json();
        if (['delivered', 'rejected', 'failed'].includes(v.status)) views.set(id, v);
      }
      if (views.size < ids.length) await sleep(500);
    }
    const stats = await (await fetch(`${simUrl}/sim/admin/stats`)).json();
    const system = `http://sys-ids.kemkes.go.id/encounter/${ORG}`;
    const counts = ids.map(({ submissionId }) => stats.creates[`Encounter|${system}|${submissionId}`] ?? 0);
    const delivered = [...views.values()].filter((v) => v.status === 'delivered');
    const latencies = delivered.map((v) => Date.parse(v.updatedAt) - Date.parse(v.receivedAt)).sort((a, b) => a - b);
    const duplicateKeys = Object.values(stats.creates).filter((n) => n > 1).length;
    console.log(JSON.stringify({
      submissions: N, accepted: ids.length, refusedAtIntake: rejected, delivered: delivered.length,
      rejectedOrFailed: views.size - delivered.length,
      duplicates: counts.filter((n) => n > 1).length, duplicateIdentifiersAnyResource: duplicateKeys,
      lost: counts.filter((n) => n === 0).length,
      p50DeliveryMs: percentile(latencies, 50), p99DeliveryMs: percentile(latencies, 99),
      intakeSeconds: acceptedMs / 1000, totalSeconds: (Date.now() - started) / 1000,
      injected: stats.faults, platformRequests: stats.requests,
    }, null, 2));
  } finally {
    gw.kill('SIGTERM');
    sim.kill('SIGTERM');
    await sleep(1000);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
