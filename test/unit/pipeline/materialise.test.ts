import { OperationOutcomeError, issue } from '../../../src/kernel';
import { IntakeLoad } from '../../../src/api/intake-load';
import { Materialiser, pauseAfterRound, retryAfterSeconds } from '../../../src/pipeline/materialise';
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
  test('no pause at share 1, or once the oldest queued visit reached the lag allowed; never past it', () => {
    expect(pauseAfterRound({ ...base, share: 1 })).toBe(0);
    expect(pauseAfterRound({ ...base, oldestSeconds: 60 })).toBe(0);
    expect(pauseAfterRound({ ...base, oldestSeconds: undefined })).toBeCloseTo(7_200);
    expect(pauseAfterRound({ ...base, oldestSeconds: 58 })).toBeCloseTo(2_000);
  });

  test('a visit that keeps failing is tried again after 2, 4, 8 … seconds, at most every 10 minutes', () => {
    expect([1, 2, 3, 9, 10, 50].map(retryAfterSeconds)).toEqual([2, 4, 8, 512, 600, 600]);
  });
});

/** An in-memory queue that records what the materialiser writes and finishes; `write` answers each plan. */
function fakeQueue(visits: ClaimedVisit[], write: (plan: WritePlan, visit: ClaimedVisit) => WriteOutcome | 'superseded' | { error: unknown } = (p) => written(p)) {
  const finished: { refused: string[]; retry: string[]; claimed: string[] }[] = [];
  const wrote: { id: string; plan: WritePlan }[] = [];
  const queue: IntakeQueue = {
    accept: () => Promise.reject(new Error('not used')),
    acceptMany: () => Promise.reject(new Error('not used')),
    claim: async (_owner, limit) => visits.splice(0, limit),
    writeClaimed: async (items) => items.map(({ visit, plan }) => { wrote.push({ id: visit.id, plan }); return write(plan, visit); }),
    finish: async (_owner, claimed, refused, retry) => {
      finished.push({ claimed: claimed.map((v) => v.id), refused: refused.map((r) => r.visit.id), retry: retry.map((r) => r.visit.id) });
    },
    release: async () => 0,
    get: async () => undefined,
    oldestSeconds: async () => undefined,
    stats: async () => ({ received: 0, leased: 0, refused: 0, oldestSeconds: 0 }),
  };
  return { queue, finished, wrote };
}

const visit = (id: string, payload: unknown): ClaimedVisit => ({ id, ticket: id, organizationId: 'o', submissionId: id, payload, attempts: 1 });
const written = (plan: WritePlan): WriteOutcome => ({ saved: { kind: 'created', submission: { id: plan.submissionId, organizationId: 'o', submissionId: plan.submissionId, version: 1, status: 'accepted', payloadHash: 'h', receivedAt: '', updatedAt: '', resources: [], removed: [], warnings: [], nationalIds: {} } }, results: [] });

describe('Materialiser.round', () => {
  const planFor = async (payload: unknown): Promise<PlannedVisit> => {
    const p = payload as { nik?: string; bad?: boolean; boom?: boolean };
    if (p.bad) throw new OperationOutcomeError(422, [issue('HTTP-BODY-NOT-OBJECT')]);
    if (p.boom) throw new Error('database went away');
    return { plan: { submissionId: p.nik ?? 'x', lockKeys: p.nik ? [`nik|${p.nik}`] : [], entries: [], references: [] } as unknown as WritePlan, warnings: [], results: [] };
  };

  test('writes the claimed visits; a 4xx is refused, an unexpected error backs off, a repeated patient waits for the next round', async () => {
    const { queue, finished, wrote } = fakeQueue([
      visit('a', { nik: '1' }), visit('b', { nik: '2' }), visit('c', { nik: '1' }), visit('d', { bad: true }), visit('e', { boom: true }),
    ]);
    const m = new Materialiser({ queue, logger: createLogger('silent'), batchSize: 10, leaseSeconds: 30, pollMs: 10, plan: planFor });
    const r = await m.round();
    expect(r).toEqual({ claimed: 5, written: 2, unchanged: 0, refused: 1, later: 2 });
    expect(wrote.map((w) => w.id)).toEqual(['a', 'b']);
    expect(finished).toEqual([{ claimed: ['a', 'b', 'c', 'd', 'e'], refused: ['d'], retry: ['e'] }]);
  });

  test('at the write: a 4xx is refused; a race (409) or another error backs off; a superseded ticket waits for the next round', async () => {
    const outcomes: Record<string, WriteOutcome | 'superseded' | { error: unknown }> = {
      a: { error: new OperationOutcomeError(403, [issue('AUTH-OWNER', { reference: 'Patient/x', organizationId: 'o' })]) },
      b: { error: new Error('deadlock') },
      d: { error: new OperationOutcomeError(409, [issue('ILP-PAYLOAD-CONFLICT', { submissionId: 'd' })]) },
      e: 'superseded',
    };
    const { queue, finished } = fakeQueue([visit('a', {}), visit('b', {}), visit('c', {}), visit('d', {}), visit('e', {})], (p, v) => outcomes[v.id] ?? written(p));
    const m = new Materialiser({ queue, logger: createLogger('silent'), batchSize: 10, leaseSeconds: 30, pollMs: 10, plan: planFor });
    expect(await m.round()).toEqual({ claimed: 5, written: 1, unchanged: 0, refused: 1, later: 3 });
    expect(finished[0]).toEqual({ claimed: ['a', 'b', 'c', 'd', 'e'], refused: ['a'], retry: ['b', 'd'] });
  });

  test('two loops never hold the same patient: a visit whose patient is in another round in progress waits', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const first = fakeQueue([visit('a', { nik: '1' })]);
    const second: ClaimedVisit[] = [visit('b', { nik: '1' }), visit('c', { nik: '2' })];
    let calls = 0;
    const queue: IntakeQueue = {
      ...first.queue,
      claim: async () => (calls++ === 0 ? [visit('a', { nik: '1' })] : second.splice(0)),
      writeClaimed: async (items) => {
        if (items.some((i) => i.visit.id === 'a')) await gate; // the first round is still writing
        return items.map((i) => written(i.plan));
      },
    };
    const m = new Materialiser({ queue, logger: createLogger('silent'), batchSize: 10, leaseSeconds: 30, pollMs: 10, plan: planFor });
    const one = m.round();
    await new Promise((r) => setTimeout(r, 10));
    const two = await m.round();
    expect(two).toMatchObject({ claimed: 2, written: 1, later: 1 });
    release();
    expect(await one).toMatchObject({ written: 1 });
  });
});
