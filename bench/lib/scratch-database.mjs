// A database of its own for one benchmark run on the PostgreSQL at `server`: created with a random
// name, migrated by the gateway's own openDatabase, with a plain `pg` client beside it for seeding
// and floors; `drop()` closes both and drops it (unless `keep`, to look at it afterwards).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { URL } from 'node:url';
import console from 'node:console';

const require = createRequire(import.meta.url);
const pg = require('pg');

/** One statement on the server's maintenance database (CREATE/DROP DATABASE). */
export async function adminQuery(server, sql) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

export async function scratchDatabase(root, server, prefix) {
  const { openDatabase } = require(join(root, 'dist/store/open-database'));
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return {
    name, url: url.toString(), db, client,
    async drop({ keep = false } = {}) {
      await client.end();
      await db.close();
      // Let the pools' sockets finish closing, so that FORCE terminates nobody still listening.
      await new Promise((resolve) => { setTimeout(resolve, 500); });
      if (keep) console.log(`kept database ${name}`);
      else await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
