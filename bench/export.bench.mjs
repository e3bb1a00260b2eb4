// Bulk export of 100,000 Observations from PostgreSQL into NDJSON files (the real engine, dist/export),
// against the physical floor measured in the same run: the same rows read by a plain keyset SELECT
// and thrown away. Memory (RSS and heap) is sampled during the export and printed at 10k/50k/100k
// resources: it must stay flat as the export grows. Needs PostgreSQL (TEST_DATABASE_URL); the
// benchmark creates its own database and drops it at the end.
import console from 'node:console';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath, URL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { openDatabase } = require(join(ROOT, 'dist/store/open-database'));
const { runExport } = require(join(ROOT, 'dist/export/run-export'));
const { createLogger } = require(join(ROOT, 'dist/kernel'));
const pg = require('pg');

const N = Number(process.env.BENCH_EXPORT_ROWS || 100_000);
const SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;

async function admin(sql) {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

/** 100k realistic Observations (about 700 bytes of JSON each), written by SQL in one statement. */
const SEED = `
  WITH rows AS (
    SELECT md5(i::text)::uuid::text AS id, i,
      jsonb_build_object(
        'resourceType', 'Observation', 'id', md5(i::text)::uuid::text,
        'meta', jsonb_build_object('versionId', '1', 'lastUpdated', '2025-01-01T00:00:00.000+00:00'),
        'status', 'final',
        'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object(
          'system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', 'vital-signs', 'display', 'Vital Signs')))),
        'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org', 'code', '8480-6', 'display', 'Systolic blood pressure'))),
        'subject', jsonb_build_object('reference', 'Patient/' || md5((i % 5000)::text)::uuid::text),
        'encounter', jsonb_build_object('reference', 'Encounter/' || md5((i / 10)::text || 'e')::uuid::text),
        'effectiveDateTime', to_char(timestamp '2025-01-01' + i * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
        'identifier', jsonb_build_array(jsonb_build_object('system', 'http://sys-ids.kemkes.go.id/observation/10000005', 'value', 'SIMPUS-' || i)),
        'valueQuantity', jsonb_build_object('value', 100 + i % 80, 'unit', 'mm[Hg]', 'system', 'http://unitsofmeasure.org', 'code', 'mm[Hg]')
      ) AS content
    FROM generate_series(1, $1) AS i),
  r AS (INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, content)
        SELECT 'Observation', id, 1, timestamptz '2025-01-01', false, content FROM rows RETURNING id)
  INSERT INTO resource_history (resource_type, id, version_id, last_updated, deleted, content)
  SELECT 'Observation', id, 1, timestamptz '2025-01-01', false, content FROM rows`;

/** RSS and heap sampled every 20 ms; each mark reports the peak since the previous mark, so growth would show. */
function memorySampler() {
  const marks = [];
  let windowRss = 0;
  let windowHeap = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    windowRss = Math.max(windowRss, m.rss);
    windowHeap = Math.max(windowHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  return {
    mark(label) {
      sample();
      // Live heap after a full collection: what the export retains, as opposed to garbage not yet collected.
      globalThis.gc?.();
      marks.push({ label, rss: windowRss, heap: windowHeap, live: process.memoryUsage().heapUsed });
      windowRss = 0;
      windowHeap = 0;
    },
    stop() { clearInterval(timer); return { marks, peakRss, peakHeap }; },
  };
}

/** The floor: the same rows, same keyset chunks, read with node-postgres and discarded. */
async function plainSelect(url) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const started = performance.now();
  let after = '';
  let rows = 0;
  let bytes = 0;
  for (;;) {
    const r = await c.query(`SELECT id, content::text AS json FROM resource WHERE resource_type = 'Observation' AND NOT deleted AND id > $1 ORDER BY id LIMIT 1000`, [after]);
    for (const row of r.rows) bytes += row.json.length;
    rows += r.rows.length;
    if (r.rows.length < 1000) break;
    after = r.rows[r.rows.length - 1].id;
  }
  await c.end();
  return { rows, bytes, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  const name = `ilp_bench_export_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'ilp-export-bench-'));
  const db = await openDatabase({ url: url.toString() });
  try {
    const seedStart = performance.now();
    const seed = new pg.Client({ connectionString: url.toString() });
    await seed.connect();
    await seed.query(SEED, [N]);
    await seed.query('ANALYZE');
    await seed.end();
    console.log(`seeded ${fmt(N)} Observations in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

    globalThis.gc?.();
    const sampler = memorySampler();
    sampler.mark('start');
    const thresholds = [10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 200_000, 300_000, 500_000, 1_000_000].filter((t) => t <= N);
    const store = db.fhir.exports;
    const watched = Object.create(store);
    watched.progress = async (id, progress) => {
      while (thresholds.length > 0 && progress.exported >= thresholds[0]) sampler.mark(`${fmt(thresholds.shift())} exported`);
      return store.progress(id, progress);
    };
    const job = await store.create('bench', { level: 'system', types: ['Observation'], typeFilters: {} });
    const claimed = await store.claim('bench', 300);
    const started = performance.now();
    await runExport(claimed, { store: watched, dir, maxPerFile: 10_000, chunkSize: 1000, ttlHours: 1, logger: createLogger('silent') });
    const seconds = (performance.now() - started) / 1000;
    const { marks, peakRss, peakHeap } = sampler.stop();
    const done = await store.get(job.id);
    if (done.status !== 'completed' || done.progress.exported !== N) throw new Error(`export ended ${done.status} with ${done.progress.exported} rows`);
    const files = readdirSync(join(dir, job.id));
    const bytes = files.reduce((sum, f) => sum + statSync(join(dir, job.id, f)).size, 0);

    const floor = await plainSelect(url.toString());
    console.log(`export:       ${fmt(N / seconds)} resources/s (${fmt(N)} in ${seconds.toFixed(1)} s, ${files.length} files, ${mb(bytes)})`);
    console.log(`plain SELECT: ${fmt(floor.rows / floor.seconds)} rows/s (same rows, same 1,000-row keyset chunks, discarded)`);
    console.log(`ratio export / plain SELECT: ${(N / seconds / (floor.rows / floor.seconds)).toFixed(2)}`);
    console.log('memory while exporting (peak RSS and V8 heap since the previous line; live heap after a full GC):');
    for (const m of marks) console.log(`  ${m.label.padEnd(18)} peak rss ${mb(m.rss).padStart(9)}  peak heap ${mb(m.heap).padStart(9)}  live heap ${mb(m.live).padStart(9)}`);
    console.log(`peak over the run: rss ${mb(peakRss)}, heap ${mb(peakHeap)} (export size ${mb(bytes)})`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    // Let the pool's sockets finish closing, so that FORCE terminates nobody still listening.
    await delay(500);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
