// ILP intake throughput. Pure pipeline (schema → normalise → map → profile validation) against
// the floor of parsing and serialising the same payload, and the HTTP intake (with storage) against
// an express server that only echoes the same JSON, both measured now on this machine.
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));
const { compileSubmissionValidator } = require(join(ROOT, 'dist/intake/schema-validator'));
const { createIlpValidator } = require(join(ROOT, 'dist/validation/ilp/ilp-validator'));
const { prepareVisit } = require(join(ROOT, 'dist/pipeline/submit-visit'));
const { buildApp, listen } = require(join(ROOT, 'dist/app'));
const { loadConfig } = require(join(ROOT, 'dist/config/config'));
const { createLogger } = require(join(ROOT, 'dist/kernel'));
const express = require('express');
const pg = require('pg');

const example = JSON.parse(readFileSync(join(ROOT, 'docs/examples/ilp-submission.example.json'), 'utf8'));
const fmt = (n) => Math.round(n).toLocaleString('en-US');

function opsPerSecond(fn, seconds = 2) {
  for (let i = 0; i < 200; i += 1) fn(i); // warm-up
  let n = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) { fn(n); n += 1; }
  return n / seconds;
}

function pureBench() {
  const catalogue = loadCatalogue();
  const validator = createIlpValidator();
  const deps = { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (b) => validator.validate(b), now: () => Date.now() };
  const text = JSON.stringify(example);
  const pipeline = opsPerSecond(() => prepareVisit(JSON.parse(text), deps));
  const floor = opsPerSecond(() => JSON.stringify(JSON.parse(text)));
  console.log(`pure pipeline (schema → normalise → map → profile validation): ${fmt(pipeline)} visits/s on one core`);
  console.log(`peer: JSON.parse + JSON.stringify of the same payload:  ${fmt(floor)} /s  → pipeline costs ${(floor / pipeline).toFixed(1)}× the floor`);
}

async function postMany(url, total, concurrency, bodyFor) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodyFor(i) });
      if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total / ((performance.now() - started) / 1000);
}

async function withDatabase(fn) {
  const admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres' });
  try { await admin.connect(); } catch { console.log('(PostgreSQL not reachable: HTTP bench uses embedded PGlite)'); return fn(undefined); }
  const name = `ilp_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(admin.connectionParameters ? `postgres://postgres@127.0.0.1:5432/${name}` : '');
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function httpBench() {
  const total = Number(process.env.BENCH_VISITS || 2000);
  const concurrency = 8;
  await withDatabase(async (databaseUrl) => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: 'memory://' }) });
    const app = await buildApp(config, createLogger('silent'));
    const server = await listen(app.http, 0, '127.0.0.1');
    const echo = express();
    echo.use(express.json({ limit: '1mb' }));
    echo.post('/echo', (req, res) => { res.status(202).json(req.body); });
    const echoServer = await listen(echo, 0, '127.0.0.1');
    try {
      // A different patient per visit, as in real traffic (one NIK for all would serialise on its row).
      const nik = (i) => `3508${String(process.pid % 100).padStart(2, '0')}${String(i).padStart(10, '0')}`;
      const body = (i) => JSON.stringify({ ...example, submissionId: `BENCH-${process.pid}-${i}`, patient: { ...example.patient, nik: nik(i) } });
      const gw = await postMany(`http://127.0.0.1:${server.address().port}/ilp/v1/encounters`, total, concurrency, body);
      const peer = await postMany(`http://127.0.0.1:${echoServer.address().port}/echo`, total, concurrency, body);
      console.log(`HTTP intake on ${app.db.kind}, ${concurrency} in flight, ${total} visits (16 FHIR resources each, one transaction): ${fmt(gw)} visits/s`);
      console.log(`peer: express echoing the same JSON:                                                      ${fmt(peer)} req/s  → intake is ${(peer / gw).toFixed(1)}× slower than doing nothing`);
    } finally {
      server.close(); echoServer.close();
      server.closeAllConnections(); echoServer.closeAllConnections();
      await app.close();
    }
  });
}

pureBench();
await httpBench();
