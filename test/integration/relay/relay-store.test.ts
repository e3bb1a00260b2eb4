import { setTimeout as sleep } from 'node:timers/promises';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';
import { submission, submissionId, visit } from '../../support/bundles';
import type { RelayWork } from '../../../src/store/ports';
import type { SqlRelayStore } from '../../../src/store/relay-store';

describe(`relay store: claims, leases, pauses (${testDbKind()})`, () => {
  let db: TestDatabase;
  beforeEach(async () => { db = await openTestDatabase(); });
  afterEach(async () => { await db.drop(); });

  async function save(n: number, org = '10000005'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const input = submission(visit(), submissionId('STORE'));
      ids.push((await db.submissions.saveSubmission({ ...input, organizationId: org })).submission.id);
    }
    return ids;
  }

  test('concurrent claimers never get the same row (FOR UPDATE SKIP LOCKED)', async () => {
    await save(20);
    const claims = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => db.relay.claim(w, 6, 60)));
    const ids = claims.flat().map((c) => c.outboxId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(20);
    expect(claims.flat().every((c) => c.attempts === 1 && c.organizationId === '10000005')).toBe(true);
    expect((await db.relay.stats())).toMatchObject({ pending: 0, claimed: 20 });
  });

  test('a claim whose lease ran out is claimed again, and the first claimer can no longer finish it', async () => {
    const [id] = await save(1);
    const [first] = await db.relay.claim('dead-worker', 1, 1);
    expect(first).toBeDefined();
    expect(await db.relay.claim('w2', 1, 60)).toEqual([]);
    expect((await db.submissions.getSubmission(id ?? ''))?.status).toBe('relaying');
    await sleep(1200);
    const [again] = await db.relay.claim('w2', 1, 60);
    expect(again?.outboxId).toBe(first?.outboxId);
    expect(again?.attempts).toBe(2);
    expect(await db.relay.complete(first as RelayWork, 'dead-worker', {})).toBe(false);
    expect(await db.relay.complete(again as RelayWork, 'w2', { 'Encounter/x': 'national-x' })).toBe(true);
    const s = await db.submissions.getSubmission(id ?? '');
    expect(s?.status).toBe('delivered');
    expect(s?.nationalIds).toEqual({ 'Encounter/x': 'national-x' });
  });

  test('claim returns what delivery relies on; a heartbeat renewal keeps a short lease alive, a stale attempt cannot renew', async () => {
    const [id] = await save(1);
    const [work] = await db.relay.claim('w1', 1, 1);
    expect(work).toMatchObject({ submissionPk: id, attempts: 1, sentBefore: false, mayHaveSent: false });
    expect(work?.ageMs).toBeGreaterThanOrEqual(0);
    expect(work?.ageMs).toBeLessThan(60_000);
    for (let beat = 0; beat < 3; beat += 1) {
      await sleep(500);
      expect(await db.relay.renew('w1', [work as RelayWork], 1)).toEqual([work?.outboxId]);
    }
    // 1.5 s after a 1 s lease began, it still holds: nobody else may claim it.
    expect(await db.relay.claim('w2', 1, 60)).toEqual([]);
    expect(await db.relay.renew('w2', [work as RelayWork], 60)).toEqual([]);
    await sleep(1200);
    const [taken] = await db.relay.claim('w2', 1, 60);
    expect(taken?.attempts).toBe(2);
    expect(await db.relay.renew('w1', [work as RelayWork], 60)).toEqual([]);
  });

  test('loadVisit returns the submission and its current resources in its own order, in one call', async () => {
    const [id] = await save(1);
    const [work] = await db.relay.claim('w1', 1, 60);
    const loaded = await db.relay.loadVisit(work as RelayWork);
    const s = await db.submissions.getSubmission(id ?? '');
    expect(loaded?.submission).toEqual(s);
    expect(loaded?.resources.map((r) => r.ref)).toEqual(s?.resources.map((r) => `${r.resourceType}/${r.id}`));
    expect(loaded?.resources.every((r) => `${r.resource.resourceType}/${r.resource.id}` === r.ref)).toBe(true);
    expect(await db.relay.loadVisit({ ...(work as RelayWork), submissionPk: '00000000-0000-4000-8000-000000000000' })).toBeUndefined();
  });

  test('a claim brings each row\'s visit (as loadVisit would); concurrent markSent/complete calls share one statement and each is fenced by its own claim', async () => {
    const ids = await save(6);
    const works = await db.relay.claim('w1', 6, 60);
    expect(works.map((w) => w.submissionPk).sort()).toEqual([...ids].sort());
    for (const w of works) expect(w.visit).toEqual(await db.relay.loadVisit({ ...w, visit: undefined } as RelayWork));
    const [stale, ...live] = works as [RelayWork, ...RelayWork[]];
    const wrongAttempt = { ...stale, attempts: stale.attempts + 1 };
    // All issued at once: the group commit writes them together, and only the held claims count.
    expect(await Promise.all([db.relay.markSent(wrongAttempt, 'w1'), ...live.map((w) => db.relay.markSent(w, 'w1')), db.relay.markSent(stale, 'w2')]))
      .toEqual([false, ...live.map(() => true), false]);
    const done = await Promise.all([
      db.relay.complete(wrongAttempt, 'w1', { 'Encounter/a': 'never' }),
      ...live.map((w, i) => db.relay.complete(w, 'w1', { [`Encounter/${i}`]: `national-${i}` })),
    ]);
    expect(done).toEqual([false, ...live.map(() => true)]);
    for (const [i, w] of live.entries()) {
      const s = await db.submissions.getSubmission(w.submissionPk);
      expect(s?.status).toBe('delivered');
      expect(s?.nationalIds).toEqual({ [`Encounter/${i}`]: `national-${i}` });
      expect((await db.relay.events(w.submissionPk)).map((e) => e.kind)).toEqual(['delivered']);
    }
    expect((await db.submissions.getSubmission(stale.submissionPk))?.status).toBe('relaying');
    expect(await db.relay.events(stale.submissionPk)).toEqual([]);
    expect(await db.relay.stats()).toMatchObject({ claimed: 1 });
    // The stale attempt never marked the row sent: a later claim of it does not look before sending.
    expect(await db.relay.complete(stale, 'w1', {})).toBe(true);
  });

  test('finishing calls are fenced by the claim\'s attempt: a stale attempt of the same worker cannot record over its newer claim', async () => {
    await save(1);
    const store = db.relay as unknown as SqlRelayStore;
    const [stale] = await store.claim('w1', 1, 1);
    await sleep(1200);
    const [fresh] = await store.claim('w1', 1, 60); // the same worker, after its lease ran out
    expect(fresh?.attempts).toBe(2);
    expect(await store.markSent(stale as RelayWork, 'w1')).toBe(false);
    expect(await store.fail(stale as RelayWork, 'w1', { resourceType: 'OperationOutcome', issue: [] })).toBe(false);
    expect(await store.pauseOrganization(stale as RelayWork, 'w1', 'stale')).toBe(false);
    expect(await store.listPaused()).toEqual([]);
    expect(await store.complete(fresh as RelayWork, 'w1', {})).toBe(true);
  });

  test('retry puts the row back after its delay; release hands a stopping worker\'s rows back without counting the attempt', async () => {
    await save(2);
    const [a, b] = await db.relay.claim('w1', 2, 60);
    expect(await db.relay.retry(a as RelayWork, 'w1', 60_000, 'HTTP 503')).toBe(true);
    expect(await db.relay.release('w1')).toBe(1);
    const next = await db.relay.claim('w2', 5, 60);
    expect(next.map((n) => n.outboxId)).toEqual([b?.outboxId]);
    expect(next[0]?.attempts).toBe(1);
  });

  test('sent_at is persisted before posting and survives release: the next claim knows the row may have been sent', async () => {
    const [id] = await save(2);
    const store = db.relay as unknown as SqlRelayStore;
    const claimed = await store.claim('w1', 2, 60);
    const mine = claimed.find((c) => c.submissionPk === id) as RelayWork;
    const other = claimed.find((c) => c.submissionPk !== id) as RelayWork;
    expect(mine.sentBefore).toBe(false);
    expect(mine.mayHaveSent).toBe(false);
    expect(await store.markSent(mine, 'someone-else')).toBe(false);
    expect(await store.markSent(mine, 'w1')).toBe(true);
    expect(await store.release('w1')).toBe(2);
    const again = await store.claim('w2', 2, 60);
    const mineAgain = again.find((c) => c.outboxId === mine.outboxId);
    expect(mineAgain).toMatchObject({ attempts: 1, sentBefore: true, mayHaveSent: true });
    expect(again.find((c) => c.outboxId === other.outboxId)).toMatchObject({ attempts: 1, sentBefore: false, mayHaveSent: false });
  });

  test('a newer version is not claimed while an older one of the same submission is being sent', async () => {
    const sid = submissionId('VERSIONS');
    const v = visit();
    const saved = await db.submissions.saveSubmission(submission(v, sid));
    const [v1] = await db.relay.claim('w1', 5, 60);
    expect(v1?.submissionVersion).toBe(1);
    expect((await db.submissions.saveSubmission(submission({ ...v, status: 'in-progress' }, sid))).kind).toBe('updated');
    expect(await db.relay.claim('w2', 5, 60)).toEqual([]);
    expect(await db.relay.complete(v1 as RelayWork, 'w1', { 'Encounter/a': 'n-a' })).toBe(true);
    // v1 delivered, but the submission is at version 2: it stays `accepted` (not delivered) until v2 is sent.
    expect((await db.submissions.getSubmission(saved.submission.id))?.status).toBe('accepted');
    const [v2] = await db.relay.claim('w2', 5, 60);
    expect(v2?.submissionVersion).toBe(2);
    expect((await db.submissions.getSubmission(saved.submission.id))?.nationalIds).toEqual({ 'Encounter/a': 'n-a' });
  });

  test('a paused organisation is not claimed until resumed', async () => {
    await save(1, '10000005');
    await save(1, '10000006');
    await db.relay.pause('10000005', 'maintenance');
    expect((await db.relay.claim('w', 10, 60)).map((w) => w.organizationId)).toEqual(['10000006']);
    expect(await db.relay.listPaused()).toEqual([expect.objectContaining({ organizationId: '10000005', reason: 'maintenance' })]);
    expect(await db.relay.resume('10000005')).toBe(true);
    expect((await db.relay.claim('w', 10, 60)).map((w) => w.organizationId)).toEqual(['10000005']);
  });

  test('retention deletes delivered rows older than the limit, and only those', async () => {
    await save(2);
    const [a] = await db.relay.claim('w', 1, 60);
    await db.relay.complete(a as RelayWork, 'w', {});
    expect(await db.relay.purge(1)).toEqual({ outbox: 0, events: 0 });
    expect((await db.relay.deliveries(10)).length).toBe(1);
    await sleep(20);
    expect(await db.relay.purge(0)).toEqual({ outbox: 1, events: 1 });
    expect(await db.relay.deliveries(10)).toEqual([]);
    expect(await db.relay.stats()).toMatchObject({ pending: 1 });
  });
});
