// FHIR search latency at 1,000,000 stored Observations (the real parser and SQL builder from dist/,
// over the index tables of migration 0003), against the physical floor measured in the same run: a
// plain SELECT of exactly the rows each search returned, by primary key. Needs PostgreSQL
// (TEST_DATABASE_URL); the benchmark creates its own database, fills it with INSERT … SELECT
// generate_series (resources and index rows as the indexer writes them), and drops it at the end.
import console from 'node:console';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { scratchDatabase } from './lib/scratch-database.mjs';
import { fileURLToPath, URLSearchParams } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { parseSearch } = require(join(ROOT, 'dist/fhir/search-request'));
const { indexRows } = require(join(ROOT, 'dist/fhir/search-values'));

const N = Number(process.env.BENCH_SEARCH_ROWS || 1_000_000);
const PATIENTS = Math.max(1, Math.floor(N / 20));
const ITERATIONS = Number(process.env.BENCH_SEARCH_ITERATIONS || 300);
const SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CODES = ['8480-6', '8462-4', '29463-7', '8302-2', '718-7'];
const fmt = (n, d = 2) => n.toFixed(d);

/**
 * The seed writes the rows in the shape the built indexer writes them (asked of dist/ with one sample
 * Observation and Patient): one `subject` row and one `area` row (the village code standing for its
 * four area levels) since the slim index (decision 0007), `subject` + `patient` and four level tokens before.
 */
const SAMPLE_PATIENT = { resourceType: 'Patient', id: 'x', address: [{ extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode',
  extension: [{ url: 'province', valueCode: '35' }, { url: 'city', valueCode: '3508' }, { url: 'district', valueCode: '350801' }, { url: 'village', valueCode: '3508012001' }] }] }] };
const SAMPLE_OBSERVATION = { resourceType: 'Observation', id: 'x', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/p1' } };
const SLIM = !indexRows(SAMPLE_OBSERVATION).reference.some((r) => r.code === 'patient');
const AREA_CODES = indexRows(SAMPLE_PATIENT).token.map((t) => t.code).sort().join(',');

/**
 * Observation i: patient i % PATIENTS, code CODES[i % 5], effective 2025-01-01 + i minutes; the
 * patient's village v = p % 5000: 20 cities, 25 districts per city, 10 villages per district.
 */
const AREA = `LATERAL (SELECT v, (3501 + v % 20) AS city, (3501 + v % 20) * 100 + 1 + (v / 20) % 25 AS district FROM (SELECT (i % $2) % 5000 AS v) v0) a,
  LATERAL (SELECT (district::bigint * 10000 + 2001 + v / 500)::text AS village) b`;
const SEED = [
  `INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, content)
   SELECT 'Observation', 'o' || i, 1, timestamptz '2025-01-01', false, jsonb_build_object(
     'resourceType', 'Observation', 'id', 'o' || i, 'status', 'final',
     'code', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org', 'code', (ARRAY['8480-6','8462-4','29463-7','8302-2','718-7'])[i % 5 + 1]))),
     'subject', jsonb_build_object('reference', 'Patient/p' || (i % $2)),
     'effectiveDateTime', to_char(timestamp '2025-01-01' + i * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'),
     'valueQuantity', jsonb_build_object('value', 100 + i % 80, 'system', 'http://unitsofmeasure.org', 'code', 'mm[Hg]'))
   FROM generate_series(1, $1) AS i`,
  `INSERT INTO search_token (resource_type, id, code, system, value)
   SELECT 'Observation', 'o' || i, c, 'http://loinc.org', (ARRAY['8480-6','8462-4','29463-7','8302-2','718-7'])[i % 5 + 1] FROM generate_series(1, $1) AS i,
     unnest(${SLIM ? "ARRAY['code']" : "ARRAY['code', 'combo-code']"}) AS c
   UNION ALL SELECT 'Observation', 'o' || i, 'status', '', 'final' FROM generate_series(1, $1) AS i`,
  SLIM
    ? `INSERT INTO search_token (resource_type, id, code, system, value)
       SELECT 'Observation', 'o' || i, 'area', '', village FROM generate_series(1, $1) AS i, ${AREA}`
    : `INSERT INTO search_token (resource_type, id, code, system, value)
       SELECT 'Observation', 'o' || i, l.code, '', l.value FROM generate_series(1, $1) AS i, ${AREA},
         LATERAL (VALUES ('province', '35'), ('city', city::text), ('district', district::text), ('village', village)) AS l(code, value)`,
  `INSERT INTO search_reference (resource_type, id, code, target_type, target_id)
   SELECT 'Observation', 'o' || i, c, 'Patient', 'p' || (i % $2) FROM generate_series(1, $1) AS i, unnest(${SLIM ? "ARRAY['subject']" : "ARRAY['subject', 'patient']"}) AS c`,
  `INSERT INTO search_date (resource_type, id, code, low, high)
   SELECT 'Observation', 'o' || i, 'date', t, t + interval '1 second'
     FROM generate_series(1, $1) AS i, LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00' + i * interval '1 minute' AS t) x`,
  'ANALYZE',
];

const village = (v) => String(((3501 + (v % 20)) * 100 + 1 + (Math.floor(v / 20) % 25)) * 10000 + 2001 + Math.floor(v / 500));

const QUERIES = {
  'patient + code': (k) => `patient=Patient/p${(k * 7919) % PATIENTS}&code=http://loinc.org|${CODES[k % 5]}`,
  'code + date (1 hour)': (k) => {
    const start = new Date(Date.UTC(2025, 0, 1) + ((k * 104_729) % (N - 120)) * 60_000);
    const end = new Date(start.getTime() + 3_600_000);
    return `code=${CODES[k % 5]}&date=ge${start.toISOString()}&date=lt${end.toISOString()}`;
  },
  'patient, sorted by date, _count=10': (k) => `patient=Patient/p${(k * 104_729) % PATIENTS}&_sort=-date&_count=10`,
  'subject + combo-code': (k) => `subject=Patient/p${(k * 7919) % PATIENTS}&combo-code=http://loinc.org|${CODES[k % 5]}`,
  'village, _count=20': (k) => `village=${village((k * 7919) % 5000)}`,
  'district + code, _count=20': (k) => `district=${village((k * 7919) % 5000).slice(0, 6)}&code=${CODES[k % 5]}`,
  'city, _count=20': (k) => `city=${village((k * 7919) % 5000).slice(0, 4)}`,
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(db, floorClient, makeQuery) {
  const search = [];
  const floor = [];
  let rows = 0;
  for (let k = 0; k < ITERATIONS + 20; k++) {
    const request = parseSearch('Observation', [...new URLSearchParams(makeQuery(k))]);
    const t0 = performance.now();
    const result = await db.fhir.search.search(request);
    const t1 = performance.now();
    const ids = result.matches.map((m) => m.id);
    await floorClient.query(`SELECT content FROM resource WHERE resource_type = 'Observation' AND id = ANY($1::text[])`, [ids]);
    const t2 = performance.now();
    if (k < 20) continue; // warm-up
    search.push(t1 - t0);
    floor.push(t2 - t1);
    rows += ids.length;
  }
  search.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  return { search, floor, rows: rows / ITERATIONS };
}

async function main() {
  const scratch = await scratchDatabase(ROOT, SERVER, 'ilp_bench_search');
  const { db, client } = scratch;
  try {
    const seedStart = performance.now();
    for (const sql of SEED) await client.query(sql, sql.includes('$2') ? [N, PATIENTS] : sql.includes('$1') ? [N] : []);
    console.log(`seeded ${N.toLocaleString('en-US')} Observations (${PATIENTS.toLocaleString('en-US')} patients) and their index rows in ${((performance.now() - seedStart) / 1000).toFixed(0)} s`);
    console.log(`index shape: ${SLIM ? 'slim (subject, area)' : 'before (subject + patient, four area levels)'}; Patient area codes ${AREA_CODES}; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
    console.log(`${ITERATIONS} searches each; latency in ms; floor = plain SELECT by primary key of the same rows`);
    for (const [label, make] of Object.entries(QUERIES)) {
      const { search, floor, rows } = await measure(db, client, make);
      const p50 = percentile(search, 50);
      const f50 = percentile(floor, 50);
      console.log(`${label.padEnd(34)} search p50 ${fmt(p50).padStart(6)}  p99 ${fmt(percentile(search, 99)).padStart(6)} | plain SELECT p50 ${fmt(f50).padStart(5)}  p99 ${fmt(percentile(floor, 99)).padStart(5)} | ratio p50 ${fmt(p50 / f50, 1)} | ${fmt(rows, 1)} rows/search | load ${loadavg()[0].toFixed(1)}`);
    }
    // Which indexes these searches used (pg_stat_user_indexes; decision 0007 and migration 0013).
    await delay(1000);
    const used = await client.query(`SELECT indexrelname AS name, idx_scan AS scans FROM pg_stat_user_indexes
      WHERE relname LIKE 'search_%' OR relname = 'resource' ORDER BY idx_scan DESC, indexrelname`);
    console.log(`index scans: ${used.rows.map((r) => `${r.name} ${r.scans}`).join(', ')}`);
  } finally {
    await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
