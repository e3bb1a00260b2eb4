import type { TestDatabase } from '../support/database';
import { e2eWorld, queryRows, simStats, startGateway, startSim, until } from './processes';
import { drained, duplicates, encounterCreates, statuses, submitAll, visit } from './visits';

/**
 * INTAKE_MODE=queued (docs/decisions/0022) with real processes over PostgreSQL: a gateway killed
 * (SIGKILL) while its materialiser is writing the queue, then restarted. Every visit answered 202
 * is written once (one submission, one version, one outbox row) and delivered once.
 */
jest.setTimeout(180_000);

async function counts(db: TestDatabase): Promise<{ queued: number; written: number; versions: number; outbox: number }> {
  const [row] = await queryRows<{ queued: number; written: number; versions: number; outbox: number }>(db,
    `SELECT (SELECT count(*) FROM intake_queue)::int AS queued, (SELECT count(*) FROM submission)::int AS written,
            (SELECT count(*) FROM submission_version)::int AS versions, (SELECT count(*) FROM outbox)::int AS outbox`);
  return row ?? { queued: -1, written: -1, versions: -1, outbox: -1 };
}

describe('e2e: queued intake across a crash', () => {
  const world = e2eWorld();

  test('kill -9 while the materialiser writes, then a restart: every accepted visit written once and delivered once', async () => {
    const { db, procs } = world;
    const sim = await startSim({ SIM_DUPLICATE_CHECK: '0', SIM_LATENCY_MS: '50' });
    procs.push(sim);
    // Small rounds and a short lease, so the crash lands between rounds' commits and the restart takes over soon.
    const queued = { INTAKE_MODE: 'queued', MATERIALISE_BATCH: '4', MATERIALISE_LEASE_SECONDS: '5', MATERIALISE_POLL_MS: '50' };
    const a = await startGateway(db, sim.port, queued);
    procs.push(a);
    // One patient for all (the sandbox's): a round takes one visit of a patient, so writing takes a while.
    const payloads = Array.from({ length: 80 }, () => visit('QCRASH'));
    const ids = await submitAll([a.url], payloads);
    const midway = await until(async () => {
      const c = await counts(db);
      return c.written > 0 && c.queued > 0;
    }, 30_000, 10);
    expect(midway).toBe(true);
    await a.stop('SIGKILL');
    const atCrash = await counts(db);
    expect(atCrash.queued).toBeGreaterThan(0);
    expect(atCrash.written).toBeLessThan(80);

    const b = await startGateway(db, sim.port, queued);
    procs.push(b);
    expect(await until(async () => (await counts(db)).queued === 0, 90_000, 100)).toBe(true);
    expect(await drained(db, 90_000)).toBe(true);
    expect(await counts(db)).toEqual({ queued: 0, written: 80, versions: 80, outbox: 80 });
    expect(await statuses(db, ids)).toEqual({ delivered: 80 });
    const stats = await simStats(sim);
    expect(encounterCreates(stats, payloads.map((p) => String(p.submissionId)))).toEqual(new Array(80).fill(1));
    expect(duplicates(stats)).toEqual([]);
  });
});
