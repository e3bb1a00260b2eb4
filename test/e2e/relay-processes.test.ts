import { newNik } from '../support/bundles';
import type { TestDatabase } from '../support/database';
import { e2eWorld, queryRows, simStats, startGateway, startSim, until, type Proc } from './processes';
import { drained, duplicates, encounterCreates, statuses, submit, submitAll, visit } from './visits';

/** Gateway and simulator processes over PostgreSQL: crashes, several gateways, token expiry. */
jest.setTimeout(180_000);

async function delivered(gw: Proc): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const m = /^ilp_gateway_relay_results_total\{result="delivered"\} (\d+)$/m.exec(text);
  return Number(m?.[1] ?? 0);
}

/** Claimed rows whose transaction was posted (sent_at) and whose answer is not recorded yet. */
async function sentNotAnswered(db: TestDatabase): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, `SELECT count(*)::int AS n FROM outbox WHERE status = 'claimed' AND sent_at IS NOT NULL`);
  return row?.n ?? 0;
}

describe('e2e: gateway and simulator processes', () => {
  const world = e2eWorld();

  test('happy path, and a patient not in the MPI created on the way; the status endpoint shows the national ids', async () => {
    const { db, procs } = world;
    const sim = await startSim();
    procs.push(sim);
    const gw = await startGateway(db, sim.port, { RELAY_CREATE_PATIENTS: '1' });
    procs.push(gw);
    const known = await submit(gw.url, visit('E2E'));
    const fresh = visit('E2E');
    (fresh.patient as Record<string, unknown>).nik = newNik();
    const created = await submit(gw.url, fresh);
    expect(await drained(db, 30_000)).toBe(true);
    for (const id of [known, created]) {
      const view = (await (await fetch(`${gw.url}/ilp/v1/submissions/${id}`)).json()) as { status: string; resources: { resourceType: string; nationalId?: string }[] };
      expect(view.status).toBe('delivered');
      // Everything but the five Observations coded only locally (TB symptoms and screen: RuleNumber 10010).
      expect(view.resources.filter((r) => !r.nationalId).map((r) => r.resourceType)).toEqual(Array(5).fill('Observation'));
      const ihs = view.resources.find((r) => r.resourceType === 'Patient')?.nationalId;
      if (id === known) expect(ihs).toBe('P02478375538');
      else expect(ihs).toMatch(/^P\d{11}$/);
    }
    expect((await simStats(sim)).stored.Patient).toBe(11); // ten sandbox patients + the one created
    expect(await delivered(gw)).toBe(2);
  });

  test('token expiry mid-run: short-lived tokens and a forced expiry; everything is delivered', async () => {
    const { db, procs } = world;
    const sim = await startSim({ SIM_TOKEN_TTL_SECONDS: '2', SIM_LATENCY_MS: '20' });
    procs.push(sim);
    const gw = await startGateway(db, sim.port);
    procs.push(gw);
    const first = await submitAll([gw.url], Array.from({ length: 10 }, () => visit('TOKEN')));
    expect((await fetch(`${sim.url}/sim/admin/expire-tokens`, { method: 'POST' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    const second = await submitAll([gw.url], Array.from({ length: 10 }, () => visit('TOKEN')));
    expect(await drained(db, 60_000)).toBe(true);
    expect(await statuses(db, [...first, ...second])).toEqual({ delivered: 20 });
    expect((await simStats(sim)).tokensIssued).toBeGreaterThanOrEqual(2);
  });

  test('kill -9 of the gateway during relay, then a restart: nothing lost, nothing sent twice', async () => {
    const { db, procs } = world;
    const sim = await startSim({ SIM_DUPLICATE_CHECK: '0', SIM_LATENCY_MS: '300' });
    procs.push(sim);
    const a = await startGateway(db, sim.port, { RELAY_LEASE_SECONDS: '5', RELAY_CONCURRENCY: '8' });
    procs.push(a);
    const payloads = Array.from({ length: 40 }, () => visit('CRASH'));
    const ids = await submitAll([a.url], payloads);
    const mid = await until(async () => (await db.relay.stats()).claimed > 0, 20_000, 20);
    expect(mid).toBe(true);
    await a.stop('SIGKILL');
    const atCrash = await db.relay.stats();
    expect(atCrash.claimed + atCrash.pending).toBeGreaterThan(0);
    const b = await startGateway(db, sim.port, { RELAY_LEASE_SECONDS: '5' });
    procs.push(b);
    expect(await drained(db, 90_000)).toBe(true);
    expect(await statuses(db, ids)).toEqual({ delivered: 40 });
    const stats = await simStats(sim);
    expect(encounterCreates(stats, payloads.map((p) => String(p.submissionId)))).toEqual(new Array(40).fill(1));
    expect(duplicates(stats)).toEqual([]);
  });

  test('kill -9 with deliveries in flight, default lease: the heartbeat-kept short lease lets a restart deliver everything exactly once within 60 s', async () => {
    const { db, procs } = world;
    const sim = await startSim({ SIM_DUPLICATE_CHECK: '0', SIM_LATENCY_MS: '400' });
    procs.push(sim);
    // No RELAY_LEASE_SECONDS: the default (30 s) is what is tested.
    const a = await startGateway(db, sim.port, { RELAY_CONCURRENCY: '8' });
    procs.push(a);
    const payloads = Array.from({ length: 30 }, () => visit('LEASE'));
    const ids = await submitAll([a.url], payloads);
    // In flight: claimed rows whose transaction was posted (sent_at) without a recorded answer.
    const inFlight = await until(async () => (await sentNotAnswered(db)) > 0, 20_000, 20);
    expect(inFlight).toBe(true);
    await a.stop('SIGKILL');
    const atCrash = await db.relay.stats();
    expect(atCrash.claimed).toBeGreaterThan(0);
    const restarted = Date.now();
    const b = await startGateway(db, sim.port);
    procs.push(b);
    expect(await drained(db, 60_000)).toBe(true);
    expect(Date.now() - restarted).toBeLessThan(60_000);
    expect(await statuses(db, ids)).toEqual({ delivered: 30 });
    const stats = await simStats(sim);
    expect(encounterCreates(stats, payloads.map((p) => String(p.submissionId)))).toEqual(new Array(30).fill(1));
    expect(duplicates(stats)).toEqual([]);
  });

  test('two gateway processes draining one outbox: each visit is delivered by exactly one of them, once', async () => {
    const { db, procs } = world;
    const sim = await startSim({ SIM_DUPLICATE_CHECK: '0', SIM_LATENCY_MS: '10' });
    procs.push(sim);
    const [a, b] = await Promise.all([startGateway(db, sim.port), startGateway(db, sim.port)]);
    procs.push(a, b);
    const payloads = Array.from({ length: 60 }, () => visit('TWO'));
    const ids = await submitAll([a.url, b.url], payloads);
    expect(await drained(db, 90_000)).toBe(true);
    expect(await statuses(db, ids)).toEqual({ delivered: 60 });
    const stats = await simStats(sim);
    expect(encounterCreates(stats, payloads.map((p) => String(p.submissionId)))).toEqual(new Array(60).fill(1));
    expect(duplicates(stats)).toEqual([]);
    const [byA, byB] = await Promise.all([delivered(a), delivered(b)]);
    expect(byA + byB).toBe(60);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
  });
});
