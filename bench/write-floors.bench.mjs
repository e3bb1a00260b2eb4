// Database floors of one visit under other storage layouts (issue 12, docs/decisions/0022): what the
// rows of a real visit cost PostgreSQL when written by bare `pg` (16 clients, one transaction per
// visit, bench/lib/db-floor.mjs), as the gateway writes them now and with parts of them changed or
// left out. Every variant runs on its own copy of the same database (CREATE DATABASE … TEMPLATE),
// one after the other, and is printed against the current layout of the same run.
//
//   npm run bench write-floors             8 s per variant (BENCH_SECONDS)
import console from 'node:console';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { captureVisit, countRows, dbFloor } from './lib/db-floor.mjs';
import { startGateway } from './lib/processes.mjs';
import { adminQuery } from './lib/scratch-database.mjs';
import { visitGenerator } from './lib/visits.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pg = require('pg');
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SECONDS = Number(process.env.BENCH_SECONDS || 8);
const CONNECTIONS = 16;
const gen = visitGenerator(ROOT, loadCatalogue(), { runId: process.pid, organizationId: '10000005' });
const urlOf = (name) => { const u = new URL(ADMIN_URL); u.pathname = `/${name}`; return u.toString(); };

/** The captured tables with `change` applied to a deep copy: { tables, text } as dbFloor takes it. */
function variantOf(capture, change) {
  const tables = JSON.parse(capture.text);
  change?.(tables);
  return { tables, text: JSON.stringify(tables) };
}
const table = (tables, name) => tables.find((t) => t.table === name);
const drop = (tables, name) => { const i = tables.findIndex((t) => t.table === name); if (i >= 0) tables.splice(i, 1); };

/** Token and reference rows as two text[] columns of the resource row (one element per row they replace). */
function asArrays(tables) {
  const keys = new Map();
  const add = (r, kind, v) => {
    const k = `${r.resource_type}/${r.id}`;
    if (!keys.has(k)) keys.set(k, { tokens: [], refs: [] });
    keys.get(k)[kind].push(v);
  };
  for (const r of table(tables, 'search_token')?.rows ?? []) add(r, 'tokens', `${r.code}|${r.system}|${r.value}`);
  for (const r of table(tables, 'search_reference')?.rows ?? []) add(r, 'refs', `${r.code}|${r.target_type}/${r.target_id}`);
  const resource = table(tables, 'resource');
  resource.columns += ', "tokens", "refs"';
  for (const r of resource.rows) Object.assign(r, keys.get(`${r.resource_type}/${r.id}`) ?? { tokens: [], refs: [] });
  drop(tables, 'search_token');
  drop(tables, 'search_reference');
}

const VARIANTS = [
  { name: 'as the gateway writes it now' },
  { name: 'no search_date GiST index', ddl: ['DROP INDEX search_date_range_idx'] },
  { name: 'token + reference rows as text[] columns, no index', ddl: ['ALTER TABLE resource ADD tokens text[], ADD refs text[]'], change: asArrays },
  { name: 'token + reference rows as text[] columns under GIN', ddl: ['ALTER TABLE resource ADD tokens text[], ADD refs text[]', 'CREATE INDEX ON resource USING gin (tokens)', 'CREATE INDEX ON resource USING gin (refs)'], change: asArrays },
  { name: 'accept only: submission, version, outbox', change: (tables) => { for (const t of [...tables]) if (!['submission', 'submission_version', 'outbox'].includes(t.table)) drop(tables, t.table); } },
];

async function main() {
  const base = `ilp_floors_${process.pid}`;
  await adminQuery(ADMIN_URL, `CREATE DATABASE ${base}`);
  try {
    const gw = await startGateway(ROOT, { database: urlOf(base) });
    const client = new pg.Client({ connectionString: urlOf(base) });
    await client.connect();
    let first;
    let capture;
    try {
      const empty = await countRows(client);
      first = gen(0);
      const res = await fetch(`${gw.url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(first) });
      if (res.status !== 202) throw new Error(`the first visit was answered ${res.status}: ${await res.text()}`);
      capture = await captureVisit(client, empty);
    } finally {
      await client.end();
      await gw.stop();
    }
    console.log(`one visit's rows, ${CONNECTIONS} clients, ${SECONDS} s per variant, each on its own copy of the database; load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
    let reference;
    for (const [i, v] of VARIANTS.entries()) {
      const name = `${base}_${i}`;
      await adminQuery(ADMIN_URL, `CREATE DATABASE ${name} TEMPLATE ${base}`);
      const pool = new pg.Pool({ connectionString: urlOf(name), max: CONNECTIONS });
      pool.on('error', () => undefined); // DROP … WITH (FORCE) below ends idle clients
      try {
        for (const statement of v.ddl ?? []) await pool.query(statement);
        const r = await dbFloor(pool, variantOf(capture, v.change), { submissionId: first.submissionId, nik: first.patient.nik, seconds: SECONDS, connections: CONNECTIONS });
        reference ??= r.perSecond;
        console.log(`  ${v.name.padEnd(54)} ${r.perSecond.toFixed(0).padStart(6)} visits/s  ${(r.perSecond / reference).toFixed(2)}x   (${r.rowsPerVisit} rows in ${r.statementsPerVisit} statements)`);
      } finally {
        await pool.end();
        await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    }
  } finally {
    await adminQuery(ADMIN_URL, `DROP DATABASE IF EXISTS ${base} WITH (FORCE)`);
  }
}

await main();
