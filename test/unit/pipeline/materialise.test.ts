import { OperationOutcomeError, issue } from '../../../src/kernel';
import { IntakeLoad, Materialiser, pauseAfterRound } from '../../../src/pipeline/materialise';
import type { PlannedVisit } from '../../../src/pipeline/submit-visit';
import { createLogger } from '../../../src/kernel';
import type { ClaimedVisit, IntakeQueue } from '../../../src/store/intake-queue-ports';
import type { WriteOutcome } from '../../../src/store/ports';
import type { WritePlan } from '../../../src/write-plan/plan';

describe('IntakeLoad', () => {
  test('busy since an instant when a visit arrived at or after it; an upload is busy while it runs', () => {
    let now = 1_000;
    const load = new IntakeLoad(() => now);
    expect(load.busySince(0)).toBe(false);
    load.arrived();
    expect(load.busySince(1_000)).toBe(true);
    expect(load.busySince(1_001)).toBe(false);
    now = 5_000;
    const end = load.upload();
    expect(load.busySince(4_000)).toBe(true);
    end();
    end(); // ending twice counts once
    expect(load.busySince(4_000)).toBe(false);
  });
});

describe('pauseAfterRound', () => {
  const base = { roundMs: 400, writers: 2, share: 0.1, oldestSeconds: 5, maxLagSeconds: 60 };
  test('the loops together take about `share` of the time', () => {
    // 400 ms of work, then 400 × 2 × 0.9 / 0.1 = 7,200 ms: two loops active 2 × 400 of 7,600 ms, about 10 %.
    expect(pauseAfterRound(base)).toBeCloseTo(7_200);
    expect(pauseAfterRound({ ...base, writers: 1, share: 0.5 })).toBeCloseTo(400);
  });
  test('no pause at share 1, or once the oldest queued visit reached the lag allowed', () => {
    expect(pauseAfterRound({ ...base, share: 1 })).toBe(0);
    expect(pauseAfterRound({ ...base, oldestSeconds: 60 })).toBe(0);
    expect(pauseAfterRound({ ...base, oldestSeconds: undefined })).toBeGreaterThan(0);
  });
});

/** An in-memory queue that records what the materialiser finishes. */
function fakeQueue(visits: ClaimedVisit[]) {
  const finished: { written: string[]; refused: string[]; claimed: string[] }[] = [];
  const queue: IntakeQueue = {
    accept: () => Promise.reject(new Error('not used')),
    acceptMany: () => Promise.reject(new Error('not used')),
    claim: async (_owner, limit) => visits.splice(0, limit),
    finish: async (_owner, claimed, written, refused) => {
      finished.push({ claimed: claimed.map((v) => v.id), written: written.map((v) => v.id), refused: refused.map((r) => r.visit.id) });
    },
    release: async () => 0,
    get: async () => undefined,
    oldestSeconds: async () => undefined,
    stats: async () => ({ received: 0, leased: 0, refused: 0, oldestSeconds: 0 }),
  };
  return { queue, finished };
}

const visit = (id: string, payload: unknown): ClaimedVisit => ({ id, ticket: id, organizationId: 'o', submissionId: id, payload, attempts: 1 });
const written = (plan: WritePlan): WriteOutcome => ({ saved: { kind: 'created', submission: { id: plan.submissionPk ?? '', organizationId: 'o', submissionId: plan.submissionId, version: 1, status: 'accepted', payloadHash: 'h', receivedAt: '', updatedAt: '', resources: [], removed: [], warnings: [], nationalIds: {} } }, results: [] });

describe('Materialiser.round', () => {
  test('writes the plans under the queued ids; a 4xx is refused, an unexpected error and a repeated patient wait for the next round', async () => {
    const { queue, finished } = fakeQueue([
      visit('a', { nik: '1' }), visit('b', { nik: '2' }), visit('c', { nik: '1' }), visit('d', { bad: true }), visit('e', { boom: true }),
    ]);
    const wrote: WritePlan[] = [];
    const m = new Materialiser({
      queue, logger: createLogger('silent'), batchSize: 10, leaseSeconds: 30, pollMs: 10,
      submissions: { writeMany: async (plans) => { wrote.push(...plans); return plans.map(written); } },
      plan: async (payload) => {
        const p = payload as { nik?: string; bad?: boolean; boom?: boolean };
        if (p.bad) throw new OperationOutcomeError(422, [issue('HTTP-BODY-NOT-OBJECT')]);
        if (p.boom) throw new Error('database went away');
        return { plan: { submissionId: p.nik, lockKeys: [`nik|${p.nik}`], entries: [], references: [] } as unknown as WritePlan, warnings: [], results: [] } satisfies PlannedVisit;
      },
    });
    const r = await m.round();
    expect(r).toEqual({ claimed: 5, written: 2, unchanged: 0, refused: 1, later: 2 });
    expect(wrote.map((p) => p.submissionPk)).toEqual(['a', 'b']);
    expect(finished).toEqual([{ claimed: ['a', 'b', 'c', 'd', 'e'], written: ['a', 'b'], refused: ['d'] }]);
  });

  test('a plan the group write reports as failed with a 4xx is refused; a race (409) or anything else stays queued', async () => {
    const { queue, finished } = fakeQueue([visit('a', {}), visit('b', {}), visit('c', {}), visit('d', {})]);
    const m = new Materialiser({
      queue, logger: createLogger('silent'), batchSize: 10, leaseSeconds: 30, pollMs: 10,
      submissions: { writeMany: async (plans) => plans.map((p) => ({
        a: { error: new OperationOutcomeError(403, [issue('AUTH-OWNER', { reference: 'Patient/x', organizationId: 'o' })]) },
        b: { error: new Error('deadlock') },
        d: { error: new OperationOutcomeError(409, [issue('ILP-PAYLOAD-CONFLICT', { submissionId: 'd' })]) },
      } as Record<string, { error: unknown }>)[p.submissionPk ?? ''] ?? written(p)) },
      plan: async () => ({ plan: { submissionId: 'x', lockKeys: [], entries: [], references: [] } as unknown as WritePlan, warnings: [], results: [] }),
    });
    expect(await m.round()).toEqual({ claimed: 4, written: 1, unchanged: 0, refused: 1, later: 2 });
    expect(finished[0]).toEqual({ claimed: ['a', 'b', 'c', 'd'], written: ['c'], refused: ['a'] });
  });
});
