import { e2eWorld, freePort, simStats, startGateway, startSim } from './processes';
import { drained, duplicates, encounterCreates, statuses, submitAll, visit } from './visits';

/**
 * The gateway and the simulator as separate processes, PostgreSQL underneath. The simulator's
 * duplicate check is OFF in these tests (SIM_DUPLICATE_CHECK=0): a visit sent twice would be
 * stored twice and show in the simulator's own count per identifier, so "none twice" is measured,
 * not guaranteed by the platform.
 */
jest.setTimeout(240_000);

const N = Number(process.env.E2E_SUBMISSIONS ?? 500);

describe('e2e: faults at the national platform', () => {
  const world = e2eWorld();

  test(`${N} submissions with ~30 % injected 5xx and 429 (plus lost responses): all delivered, none twice`, async () => {
    const { db, procs } = world;
    const sim = await startSim({
      SIM_DUPLICATE_CHECK: '0', SIM_FAULT_5XX: '0.15', SIM_FAULT_429: '0.18', SIM_RETRY_AFTER_SECONDS: '1', SIM_FAULT_DROP_AFTER_COMMIT: '0.03',
    });
    procs.push(sim);
    const gw = await startGateway(db, sim.port, { RELAY_CONCURRENCY: '16' });
    procs.push(gw);
    const payloads = Array.from({ length: N }, () => visit('FAULTS'));
    const started = Date.now();
    const ids = await submitAll([gw.url], payloads);
    const accepted = Date.now();
    expect(ids).toHaveLength(N);
    expect(await drained(db, 180_000)).toBe(true);
    console.log(`e2e faults: ${N} accepted in ${accepted - started} ms, all relayed ${Date.now() - started} ms after the first`);
    expect(await statuses(db, ids)).toEqual({ delivered: N });
    const stats = await simStats(sim);
    expect(encounterCreates(stats, payloads.map((p) => String(p.submissionId))).every((n) => n === 1)).toBe(true);
    expect(duplicates(stats)).toEqual([]);
    // The faults really happened: about 30 % of requests were refused.
    expect((stats.faults['5xx'] ?? 0) + (stats.faults['429'] ?? 0)).toBeGreaterThan(N * 0.15);
    expect(stats.faults.dropAfterCommit ?? 0).toBeGreaterThan(0);
  });

  test('the platform is down for a while, then back: everything accepted meanwhile is delivered once', async () => {
    const { db, procs } = world;
    const simPort = await freePort();
    const gw = await startGateway(db, simPort, { RELAY_BREAKER_THRESHOLD: '3' });
    procs.push(gw);
    const payloads = Array.from({ length: 30 }, () => visit('DOWN'));
    const ids = await submitAll([gw.url], payloads);
    await new Promise((r) => setTimeout(r, 2000));
    const meanwhile = await statuses(db, ids);
    expect(meanwhile.delivered).toBeUndefined();
    expect((meanwhile.accepted ?? 0) + (meanwhile.relaying ?? 0)).toBe(30);
    const sim = await startSim({ SIM_DUPLICATE_CHECK: '0' }, simPort);
    procs.push(sim);
    expect(await drained(db, 60_000)).toBe(true);
    expect(await statuses(db, ids)).toEqual({ delivered: 30 });
    const stats = await simStats(sim);
    expect(encounterCreates(stats, payloads.map((p) => String(p.submissionId)))).toEqual(new Array(30).fill(1));
  });
});
