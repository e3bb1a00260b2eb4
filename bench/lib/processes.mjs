// Processes for bench/ingest: the gateway (`node dist/cli.js serve`, with the statement-counting
// probe preloaded), the simulator, and the HTTP floor, each on a free 127.0.0.1 port.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function ready(proc, path, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc.child.exitCode !== null) throw new Error(`process exited early (${proc.child.exitCode}):\n${proc.output()}`);
    if (await fetch(`${proc.url}${path}`).then((r) => r.ok, () => false)) return proc;
    await sleep(100);
  }
  proc.child.kill('SIGKILL');
  throw new Error(`not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

function launch(args, env, port) {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  const keep = (c) => { out = (out + c.toString('utf8')).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child, port, url: `http://127.0.0.1:${port}`, output: () => out,
    /** CPU (µs), statements sent and RSS of the process, from the preloaded probe. */
    probe: () => new Promise((resolve) => { child.once('message', resolve); child.send('probe'); }),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await Promise.race([exited, sleep(20_000)]);
    },
  };
}

/** `database`: a postgres:// URL, or a directory for the embedded PGlite. `relay`: { simUrl, org } or undefined (relay off). */
export async function startGateway(root, { database, relay, env = {}, readyMs = 60_000 }) {
  const port = await freePort();
  const base = {
    NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', AUTH_DISABLED: '1',
    ...(database.startsWith('postgres') ? { DATABASE_URL: database } : { DATA_DIR: database }),
  };
  const national = relay
    ? {
        NATIONAL_AUTH_URL: `${relay.simUrl}/oauth2/v1`, NATIONAL_FHIR_URL: `${relay.simUrl}/fhir-r4/v1`,
        NATIONAL_CLIENT_ID: `sim-${relay.org}`, NATIONAL_CLIENT_SECRET: `sim-secret-${relay.org}`, NATIONAL_ORG_ID: relay.org,
        // Every bench patient is new to the national MPI: the relay creates it, as for a first visit.
        // Concurrency and poll interval are the defaults: the bench measures what ships.
        RELAY_CREATE_PATIENTS: '1',
      }
    // Relay off, and a target set so that no built-in simulator starts beside the gateway.
    : { RELAY_ENABLED: '0', NATIONAL_AUTH_URL: 'http://127.0.0.1:9/auth', NATIONAL_FHIR_URL: 'http://127.0.0.1:9/fhir' };
  const args = ['--require', join(root, 'bench/lib/gateway-probe.cjs'), join(root, 'dist/cli.js'), 'serve'];
  return ready(launch(args, { ...base, ...national, ...env }, port), '/healthz', readyMs);
}

export async function startSim(root) {
  const port = await freePort();
  return ready(launch([join(root, 'dist/cli.js'), 'sim', '--port', String(port), '--host', '127.0.0.1'], { NODE_ENV: 'test', LOG_LEVEL: 'warn' }, port), '/sim/admin/faults');
}

export async function startHttpFloor(root) {
  const port = await freePort();
  return ready(launch([join(root, 'bench/lib/http-floor.cjs')], { PORT: String(port) }, port), '/healthz');
}

/** CPU time (µs) of the given Linux processes, from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
export function procCpuMicros(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The backend ended meanwhile: its time is lost, the figure is a lower bound.
    }
  }
  return ticks * 10_000;
}
