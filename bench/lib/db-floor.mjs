// The database floor of bench/ingest: the rows one real visit wrote, captured from the database,
// written again by a bare `pg` client in one transaction per visit with one multi-row INSERT per
// table (jsonb_populate_recordset), keys made unique per copy. Whatever the gateway spends beyond
// this is its own cost (statements, round trips, locks, JSON work).
import { randomUUID } from 'node:crypto';

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** User tables in foreign-key order (a referenced table before the tables referring to it). */
async function tablesInOrder(client) {
  const { rows: tables } = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const { rows: fks } = await client.query(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const names = tables.map((t) => t.tablename);
  const out = [];
  const visit = (t, seen = new Set()) => {
    if (out.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const fk of fks) if (fk.child === t && fk.parent !== t) visit(fk.parent, seen);
    out.push(t);
  };
  names.forEach((t) => visit(t));
  return out;
}

/** Row count of every user table (exact). */
export async function countRows(client) {
  const out = {};
  for (const t of await tablesInOrder(client)) {
    out[t] = Number((await client.query(`SELECT count(*)::bigint AS n FROM "${t}"`)).rows[0].n);
  }
  return out;
}

/**
 * Captures every row of every table whose rows are not already in `before` (the database holds one
 * visit beyond `before`), without the columns a sequence fills. Returns { tables, text } where
 * `text` is the JSON of the rows, for the per-copy key rewrite.
 */
export async function captureVisit(client, before, skip = ['schema_migration']) {
  const captured = [];
  for (const t of await tablesInOrder(client)) {
    if (skip.includes(t)) continue;
    const { rows: cols } = await client.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = $1
          AND coalesce(column_default, '') NOT LIKE 'nextval(%' AND is_identity = 'NO' AND is_generated = 'NEVER'
        ORDER BY ordinal_position`, [t]);
    const names = cols.map((c) => `"${c.column_name}"`).join(', ');
    const skipRows = before[t] ?? 0;
    // The newest rows: ctid order is insertion order in a table nobody updated or deleted from.
    const { rows } = await client.query(`SELECT coalesce(jsonb_agg(x), '[]'::jsonb) AS rows FROM (SELECT ${names} FROM "${t}" ORDER BY ctid OFFSET $1) x`, [skipRows]);
    if (rows[0].rows.length > 0) captured.push({ table: t, columns: names, rows: rows[0].rows });
  }
  return { tables: captured, text: JSON.stringify(captured) };
}

/** One copy of the captured visit with fresh UUIDs, submissionId and NIK. */
function copyOf(capture, i, submissionId, nik) {
  const fresh = new Map();
  const text = capture.text
    .replaceAll(submissionId, `FLOOR-${process.pid}-${i}`)
    .replaceAll(nik, `${nik.slice(0, 6)}9${String(i).padStart(9, '0')}`)
    .replace(UUID_RE, (u) => {
      if (!fresh.has(u)) fresh.set(u, randomUUID());
      return fresh.get(u);
    });
  return JSON.parse(text);
}

/**
 * Tables whose rows are running totals, not rows of the visit: the gateway adds to them with an
 * upsert, so the floor does too (a plain INSERT of the same key twice is a unique violation).
 */
const UPSERTS = {
  pws_year_count: 'ON CONFLICT (population, year, village_code, shard) DO UPDATE SET people = pws_year_count.people + EXCLUDED.people',
};

/** Writes copies of the capture for `seconds` with `connections` clients; returns { perSecond, statementsPerVisit, rowsPerVisit }. */
export async function dbFloor(pool, capture, { submissionId, nik, seconds, connections }) {
  let next = 0;
  let done = 0;
  const end = Date.now() + seconds * 1000;
  let failed;
  const lane = async () => {
    const client = await pool.connect();
    try {
      while (Date.now() < end && failed === undefined) {
        const copy = copyOf(capture, next++, submissionId, nik);
        await client.query('BEGIN');
        for (const t of copy) {
          await client.query(`INSERT INTO "${t.table}" (${t.columns}) SELECT ${t.columns} FROM jsonb_populate_recordset(NULL::"${t.table}", $1::jsonb) ${UPSERTS[t.table] ?? ''}`, [JSON.stringify(t.rows)]);
        }
        await client.query('COMMIT');
        done += 1;
      }
    } catch (err) {
      // The first failure stops every lane, so that none is still writing when the caller drops the database.
      failed ??= err;
      await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      client.release();
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, lane));
  if (failed !== undefined) throw failed;
  return {
    perSecond: done / ((Date.now() - started) / 1000),
    statementsPerVisit: capture.tables.length + 2,
    rowsPerVisit: capture.tables.reduce((n, t) => n + t.rows.length, 0),
  };
}
