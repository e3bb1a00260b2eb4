// Does recording intake attempts slow the accepted path? (issue 11 item 3). Two gateways in this
// process on ONE fresh PostgreSQL database, identical but for INTAKE_ATTEMPTS_ENABLED (1 vs 0),
// take the same kind of accepted visits one at a time, in alternating rounds (so load changes on
// this shared machine hit both alike). Prints each config's median and p90 latency, the ratio
// hook/no-hook, and the load average. Also the refused path: a 422 with the hook vs without.
// Needs `npm run build` (dist/) and PostgreSQL (BENCH_DATABASE_URL, default the local server).
import console from 'node:console';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const pg = require('pg');
const { buildApp, listen } = require(join(ROOT, 'dist/app'));
const { loadConfig } = require(join(ROOT, 'dist/config/config'));
const { createLogger } = require(join(ROOT, 'dist/kernel'));
const { openDatabase } = require(join(ROOT, 'dist/store/open-database'));
const example = JSON.parse(require('node:fs').readFileSync(join(ROOT, 'docs/examples/ilp-submission.example.json'), 'utf8'));

const ROUNDS = Number(process.env.BENCH_ROUNDS || 6);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND || 60);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = `ilp_bench_ops_${process.pid}`;

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

let n = 0;
function visit(refused) {
  n += 1;
  const v = structuredClone(example);
  v.submissionId = `BENCH-OPS-${process.pid}-${n}`;
  v.patient.nik = refused ? '9271060312' : `9271${String(process.pid).padStart(6, '0').slice(-6)}${String(n).padStart(6, '0')}`;
  return v;
}

async function timed(url, body) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  return [res.status, Number(process.hrtime.bigint() - t0) / 1e6];
}

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

/**
 * The hook's own CPU per accepted request, free of the machine's noise: the middleware, its
 * res.json wrapper and its 'finish' handler on a stand-in response, 100,000 times.
 */
function hookMicros() {
  const { EventEmitter } = require('node:events');
  const { intakeAttempts } = require(join(ROOT, 'dist/api/intake-attempts.middleware'));
  let queued = 0;
  const trail = { attempts: { push: () => { queued += 1; } }, attribution: { push: () => { queued += 1; } }, payloadMaxBytes: 16384 };
  const hook = intakeAttempts({ trail, logger: createLogger('silent') });
  const run = (withHook, n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) {
      const res = new EventEmitter();
      res.locals = { principal: { clientId: 'vendor', organizations: ['10000005'], scopes: [] } };
      res.json = () => res;
      res.statusCode = 202;
      const req = { method: 'POST', path: '/ilp/v1/encounters', headers: {}, header: () => undefined, body: {} };
      if (withHook) hook(req, res, () => undefined);
      res.json({ id: '00000000-0000-4000-8000-000000000000', version: 1, result: 'created' });
      res.emit('finish');
    }
    return Number(process.hrtime.bigint() - t0) / 1e3 / n;
  };
  run(true, 20_000); run(false, 20_000);
  const withHook = run(true, 100_000);
  const without = run(false, 100_000);
  return { added: withHook - without, withHook, without, queued };
}

const micro = hookMicros();
console.log(`hook CPU per accepted request: ${micro.added.toFixed(2)} µs (stand-in request ${micro.without.toFixed(2)} µs without, ${micro.withHook.toFixed(2)} µs with; load average ${loadavg()[0].toFixed(2)})`);

await admin(`CREATE DATABASE ${NAME}`);
const url = new URL(ADMIN_URL); url.pathname = `/${NAME}`;
const db = await openDatabase({ url: url.toString() });
const gateways = {};
try {
  for (const [name, enabled] of [['hook', '1'], ['no-hook', '0']]) {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RELAY_ENABLED: '0', AUDIT_ENABLED: '0', AUTH_DISABLED: '1', INTAKE_ATTEMPTS_ENABLED: enabled });
    const app = await buildApp(config, createLogger('silent'), { db });
    const server = await listen(app.http, 0, '127.0.0.1');
    gateways[name] = { app, server, url: `http://127.0.0.1:${server.address().port}`, accepted: [], refused: [] };
  }
  for (const g of Object.values(gateways)) for (let i = 0; i < 10; i += 1) await timed(g.url, visit(false)); // warm-up
  const load0 = loadavg()[0];
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const g of r % 2 === 0 ? [gateways.hook, gateways['no-hook']] : [gateways['no-hook'], gateways.hook]) {
      for (let i = 0; i < PER_ROUND; i += 1) {
        const [status, ms] = await timed(g.url, visit(false));
        if (status !== 202) throw new Error(`accepted visit answered ${status}`);
        g.accepted.push(ms);
        if (i % 6 === 0) {
          const [s2, ms2] = await timed(g.url, visit(true));
          if (s2 !== 422) throw new Error(`refused visit answered ${s2}`);
          g.refused.push(ms2);
        }
      }
    }
  }
  const load1 = loadavg()[0];
  await gateways.hook.app.ops.attempts.flush();
  const f = (x) => x.toFixed(1);
  for (const [name, g] of Object.entries(gateways)) {
    console.log(`${name.padEnd(8)} accepted: n=${g.accepted.length} median ${f(pct(g.accepted, 0.5))} ms p90 ${f(pct(g.accepted, 0.9))} ms · refused: n=${g.refused.length} median ${f(pct(g.refused, 0.5))} ms p90 ${f(pct(g.refused, 0.9))} ms`);
  }
  console.log(`ratio hook/no-hook: accepted median ${(pct(gateways.hook.accepted, 0.5) / pct(gateways['no-hook'].accepted, 0.5)).toFixed(3)}, refused median ${(pct(gateways.hook.refused, 0.5) / pct(gateways['no-hook'].refused, 0.5)).toFixed(3)}`);
  console.log(`attempts written by the hook gateway: ${gateways.hook.app.ops.attempts.written} (dropped ${gateways.hook.app.ops.attempts.dropped}); load average ${load0.toFixed(2)} → ${load1.toFixed(2)} (${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
} finally {
  for (const g of Object.values(gateways)) { g.server.close(); g.server.closeAllConnections(); await g.app.close(); }
  await db.close();
  await admin(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
}
