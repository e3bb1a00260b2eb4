/**
 * INTAKE_MODE=queued (docs/decisions/0022) over a real socket and database: a visit is validated
 * and answered 202 `received` at once, and written (resources, search index, PWS rows, outbox)
 * when the materialiser runs; the materialiser is drained by hand here so each step can be seen.
 */
import request from 'supertest';
import type { Bundle } from 'fhir/r4';
import { Client } from 'pg';
import { loadCatalogue } from '../../../src/catalog';
import { compileSubmissionValidator } from '../../../src/intake/schema-validator';
import type { Materialiser } from '../../../src/pipeline/materialise';
import { planVisitWithHistory } from '../../../src/pipeline/submit-visit';
import { SqlIntakeQueue } from '../../../src/store/intake-queue-store';
import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';
import type { WritePlan } from '../../../src/write-plan/plan';
import type { TestDatabase } from '../../support/database';
import { testDbKind } from '../../support/database';
import { TestGateway, startGateway } from '../../support/gateway';
import { example, posyanduWeighing, uniqueId, type Json } from '../../support/submissions';

let gw: TestGateway;
let materialiser: Materialiser;
beforeAll(async () => {
  gw = await startGateway({ INTAKE_MODE: 'queued', RELAY_ENABLED: '0' });
  if (!gw.materialiser) throw new Error('INTAKE_MODE=queued built no materialiser');
  materialiser = gw.materialiser;
});
afterAll(async () => { await gw?.close(); });

const visit = (patch: Json = {}): Json => ({ ...example(), submissionId: uniqueId('QUEUED'), ...patch });

/** The direct intake's plan of a payload, as another gateway process's materialiser would make it. */
async function planOf(payload: unknown): Promise<WritePlan> {
  const catalogue = loadCatalogue();
  const validator = createIlpValidator();
  const deps = { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (b: Bundle) => validator.validate(b), now: () => Date.now() };
  return (await planVisitWithHistory(payload, deps)).plan;
}

async function outboxRows(id: string): Promise<number> {
  return (await gw.db.outbox.list(10_000)).filter((r) => r.submissionPk === id).length;
}

describe(`queued intake (${testDbKind()})`, () => {
  test('202 received at once; the status shows it queued; written by the materialiser with its outbox row', async () => {
    const body = visit();
    const res = await request(gw.url).post('/ilp/v1/encounters').send(body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'received', result: 'created', version: 0, submissionId: body.submissionId });
    expect(res.headers.location).toBe(`/ilp/v1/submissions/${res.body.id as string}`);
    expect((res.body.results as unknown[]).length).toBeGreaterThan(0);
    const id = res.body.id as string;

    const queued = await request(gw.url).get(`/ilp/v1/submissions/${id}`);
    expect(queued.status).toBe(200);
    expect(queued.body).toMatchObject({ id, status: 'received', version: 0, resources: [], queued: { attempts: 0 } });
    expect(await gw.db.submissions.getSubmission(id)).toBeUndefined();
    expect((await gw.db.intakeQueue.stats()).received).toBeGreaterThanOrEqual(1);

    const round = await materialiser.drain();
    expect(round.written).toBeGreaterThanOrEqual(1);
    const written = await request(gw.url).get(`/ilp/v1/submissions/${id}`);
    expect(written.body).toMatchObject({ id, status: 'accepted', version: 1 });
    expect(written.body.queued).toBeUndefined();
    expect((written.body.resources as { resourceType: string }[]).map((r) => r.resourceType)).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Observation']));
    expect(written.body.results).toEqual(res.body.results);
    expect(await outboxRows(id)).toBe(1);
    expect(await gw.db.intakeQueue.get(id)).toBeUndefined();
  });

  test('the same payload again is unchanged, queued or written; a changed one while queued is written once, as changed', async () => {
    const body = visit();
    const first = await request(gw.url).post('/ilp/v1/encounters').send(body);
    const again = await request(gw.url).post('/ilp/v1/encounters').send(body);
    expect(again.body).toMatchObject({ id: first.body.id, result: 'unchanged', status: 'received' });
    const changed = { ...body, end: '2024-07-29T09:10:00+07:00' };
    const updated = await request(gw.url).post('/ilp/v1/encounters').send(changed);
    expect(updated.body).toMatchObject({ id: first.body.id, result: 'updated', status: 'received', version: 0 });

    await materialiser.drain();
    const id = first.body.id as string;
    const stored = await gw.db.submissions.getSubmission(id);
    expect(stored?.version).toBe(1);
    const encounter = stored?.resources.find((r) => r.resourceType === 'Encounter');
    const enc = (await gw.db.resources.read('Encounter', encounter!.id))?.resource as { period?: { end?: string } };
    expect(enc.period?.end).toBe('2024-07-29T02:10:00+00:00');
    expect(await outboxRows(id)).toBe(1);

    const afterWrite = await request(gw.url).post('/ilp/v1/encounters').send(changed);
    expect(afterWrite.body).toMatchObject({ id, result: 'unchanged', status: 'accepted', version: 1 });
    expect((await gw.db.intakeQueue.stats()).received).toBe(0);
  });

  test('a change after the write is a second version and a second outbox row', async () => {
    const body = visit();
    const first = await request(gw.url).post('/ilp/v1/encounters').send(body);
    await materialiser.drain();
    const id = first.body.id as string;
    const changed = await request(gw.url).post('/ilp/v1/encounters').send({ ...body, end: '2024-07-29T09:20:00+07:00' });
    expect(changed.body).toMatchObject({ id, result: 'updated', status: 'received', version: 1 });
    const between = await request(gw.url).get(`/ilp/v1/submissions/${id}`);
    expect(between.body).toMatchObject({ status: 'received', version: 1 });
    expect((between.body.resources as unknown[]).length).toBeGreaterThan(0);
    await materialiser.drain();
    expect((await gw.db.submissions.getSubmission(id))?.version).toBe(2);
    expect(await outboxRows(id)).toBe(2);
  });

  test('an invalid visit is refused before the 202, exactly as in direct mode, and nothing is queued', async () => {
    const before = (await gw.db.intakeQueue.stats()).received;
    const res = await request(gw.url).post('/ilp/v1/encounters').send(visit({ patient: { ...example().patient, nik: '123' } }));
    expect(res.status).toBe(422);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await gw.db.intakeQueue.stats()).received).toBe(before);
  });

  test('accepts made at the same moment share a statement, each with its own answer; a NUL in one fails that one only; one key in arrival order', async () => {
    const queue = gw.db.intakeQueue as SqlIntakeQueue;
    const spy = jest.spyOn(queue as unknown as { acceptGroup(v: unknown[], group: boolean): Promise<unknown> }, 'acceptGroup');
    const fallbacks = queue.groupFallbacks;
    try {
      const bodies = Array.from({ length: 12 }, () => visit());
      const same = visit();
      const toQueue = (b: Json, hash: string) => ({ organizationId: b.organizationId as string, submissionId: b.submissionId as string, payload: b, payloadHash: hash, warnings: [] });
      const answers = await Promise.allSettled([
        ...bodies.map((b) => gw.db.intakeQueue.accept(toQueue(b, `hash-${b.submissionId as string}`))),
        // The same visit twice in one moment, then changed: answered in arrival order.
        gw.db.intakeQueue.accept(toQueue(same, 'first')),
        gw.db.intakeQueue.accept(toQueue(same, 'first')),
        gw.db.intakeQueue.accept(toQueue(same, 'second')),
        gw.db.intakeQueue.accept(toQueue({ ...visit(), practitioner: { ihsNumber: 'N1', name: 'a\u0000b' } }, 'nul')),
      ]);
      // A group statement of several visits ran, and no group fell back to one statement per visit.
      const groupSizes = spy.mock.calls.filter(([, group]) => group).map(([v]) => v.length);
      expect(Math.max(...groupSizes)).toBeGreaterThan(5);
      expect(queue.groupFallbacks).toBe(fallbacks);
      const value = (i: number) => (answers[i] as PromiseFulfilledResult<{ kind: string; status: string; id: string }>).value;
      for (let i = 0; i < bodies.length; i++) expect(value(i)).toMatchObject({ kind: 'created', status: 'received', submissionId: bodies[i]?.submissionId });
      expect(new Set(bodies.map((_, i) => value(i).id)).size).toBe(bodies.length);
      expect([value(12).kind, value(13).kind, value(14).kind]).toEqual(['created', 'unchanged', 'updated']);
      expect(value(14).id).toBe(value(12).id);
      expect(answers[15]).toMatchObject({ status: 'rejected' });
      expect((answers[15] as PromiseRejectedResult).reason).toMatchObject({ status: 422 });
      expect((await gw.db.intakeQueue.get(value(14).id))?.payloadHash).toBe('second');
    } finally {
      spy.mockRestore();
      // These were queued by hand with made-up hashes: written by the next drain, they must not linger.
      await materialiser.drain();
    }
  });

  test('a visit that cannot be written is refused with its outcome, kept for the vendor, and replaced by a corrected re-send', async () => {
    // Queued by hand as a payload the pipeline refuses (a wrong NIK): the materialiser plans every
    // visit again, so what it cannot plan is a 4xx kept on the queue row, not retried for ever.
    const bad = visit({ patient: { ...example().patient, nik: '123' } });
    const queued = await gw.db.intakeQueue.accept({ organizationId: bad.organizationId as string, submissionId: bad.submissionId as string, payload: bad, payloadHash: 'not-the-real-hash', warnings: [] });
    const round = await materialiser.drain();
    expect(round.refused).toBe(1);
    const status = await request(gw.url).get(`/ilp/v1/submissions/${queued.id}`);
    expect(status.body).toMatchObject({ status: 'refused', queued: { outcome: { resourceType: 'OperationOutcome' } } });
    expect(JSON.stringify(status.body.queued.outcome)).toContain('NIK');
    expect((await gw.db.intakeQueue.stats()).refused).toBe(1);
    // Refused visits are not claimed again.
    expect((await materialiser.drain()).claimed).toBe(0);

    const fixed = await request(gw.url).post('/ilp/v1/encounters').send({ ...bad, patient: example().patient });
    expect(fixed.body).toMatchObject({ id: queued.id, result: 'created', status: 'received' });
    expect((await materialiser.drain()).written).toBe(1);
    expect((await request(gw.url).get(`/ilp/v1/submissions/${queued.id}`)).body.status).toBe('accepted');
  });

  test('exactly once when a lease runs out mid-write: the late writer is fenced out by its ticket, one outbox row', async () => {
    const body = visit();
    const res = await request(gw.url).post('/ilp/v1/encounters').send(body);
    const id = res.body.id as string;
    // Another process claimed it with a lease that ran out (it stalled or crashed)...
    const stalled = await gw.db.intakeQueue.claim('stalled-process', 10, 0.001);
    const mine = stalled.find((v) => v.id === id)!;
    expect(mine).toBeDefined();
    await new Promise((r) => setTimeout(r, 20));
    // ...so this process takes it over and writes it.
    expect((await materialiser.drain()).written).toBeGreaterThanOrEqual(1);
    // The stalled process then writes its copy: its ticket is gone, nothing is written.
    const [late] = await gw.db.intakeQueue.writeClaimed([{ visit: mine, plan: await planOf(mine.payload) }]);
    expect(late).toBe('superseded');
    await gw.db.intakeQueue.finish('stalled-process', stalled, [], []);
    expect(await outboxRows(id)).toBe(1);
    expect((await gw.db.submissions.getSubmission(id))?.version).toBe(1);
  });

  test('a payload changed while an older one is being written: the older write is fenced out, the newer one is stored', async () => {
    const body = visit();
    const first = await request(gw.url).post('/ilp/v1/encounters').send(body);
    const id = first.body.id as string;
    // A slow writer claims the first payload (its lease runs out, as a stalled round's would).
    const slow = (await gw.db.intakeQueue.claim('slow-writer', 10, 0.001)).find((v) => v.id === id)!;
    const newer = { ...body, end: '2024-07-29T09:40:00+07:00' };
    const changed = await request(gw.url).post('/ilp/v1/encounters').send(newer);
    expect(changed.body).toMatchObject({ id, result: 'updated', status: 'received' });
    await new Promise((r) => setTimeout(r, 20));
    // This process writes the newer payload; then the slow writer tries the older one.
    await materialiser.drain();
    const [stale] = await gw.db.intakeQueue.writeClaimed([{ visit: slow, plan: await planOf(slow.payload) }]);
    expect(stale).toBe('superseded');
    const stored = await gw.db.submissions.getSubmission(id);
    expect(stored?.version).toBe(1);
    const enc = stored?.resources.find((r) => r.resourceType === 'Encounter');
    expect(((await gw.db.resources.read('Encounter', enc!.id))?.resource as { period?: { end?: string } }).period?.end).toBe('2024-07-29T02:40:00+00:00');
    expect(await outboxRows(id)).toBe(1);
  });

  test('a direct write of a newer payload (a direct replica beside a queued one) removes the older queued payload, which is never written over it', async () => {
    const body = visit();
    const queued = await request(gw.url).post('/ilp/v1/encounters').send(body);
    const id = queued.body.id as string;
    // Another replica in direct mode gets the corrected visit and writes it at once.
    const newer = { ...body, end: '2024-07-29T09:45:00+07:00' };
    // A materialiser had claimed the older payload and is about to write it.
    const claimed = (await gw.db.intakeQueue.claim('slow-writer', 100, 60)).find((v) => v.id === id)!;
    const direct = await gw.db.submissions.write(await planOf(newer));
    expect(direct.saved.kind).toBe('created');
    // The visit keeps the gateway id its 202 named: the vendor's Location still answers.
    expect(direct.saved.submission.id).toBe(id);
    expect(await gw.db.intakeQueue.get(id)).toBeUndefined();
    const [late] = await gw.db.intakeQueue.writeClaimed([{ visit: claimed, plan: await planOf(claimed.payload) }]);
    expect(late).toBe('superseded');
    await materialiser.drain();
    const stored = await gw.db.submissions.getSubmission(id);
    expect(stored?.version).toBe(1);
    const enc = stored?.resources.find((r) => r.resourceType === 'Encounter');
    expect(((await gw.db.resources.read('Encounter', enc!.id))?.resource as { period?: { end?: string } }).period?.end).toBe('2024-07-29T02:45:00+00:00');
    expect(await outboxRows(id)).toBe(1);
    expect((await request(gw.url).get(`/ilp/v1/submissions/${id}`)).body.status).toBe('accepted');
  });

  test('NDJSON $import queues every accepted line; the materialiser writes them all', async () => {
    const bodies = [visit(), visit(), visit()];
    const lines = [JSON.stringify(bodies[0]), '{"broken": ', JSON.stringify(bodies[1]), JSON.stringify(bodies[2])].join('\n');
    const res = await fetch(`${gw.url}/ilp/v1/encounters/$import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: lines });
    expect(res.status).toBe(200);
    const out = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as { line: number; status: number; id?: string; result?: string });
    expect(out.map((r) => [r.line, r.status, r.result])).toEqual([[1, 202, 'created'], [2, 400, undefined], [3, 202, 'created'], [4, 202, 'created']]);
    for (const r of out.filter((o) => o.id)) expect((await gw.db.intakeQueue.get(r.id!))?.state).toBe('received');
    await materialiser.drain();
    for (const r of out.filter((o) => o.id)) {
      expect((await gw.db.submissions.getSubmission(r.id!))?.status).toBe('accepted');
      expect(await outboxRows(r.id!)).toBe(1);
    }
  });
});

/** A boy born 2023-03-10 weighed at the Posyandu (KBM 200 g at 17–19 months), another child than posyandu.test.ts's. */
const weighing = (submissionId: string, date: string, kg: number): Json => posyanduWeighing(submissionId, date, kg, { nik: '9104223107000012', name: 'Bima Saputra' });

test(`three months of one child uploaded at once: each is written after the one before, so the stored weight gain sees its history (${testDbKind()})`, async () => {
  const months = [weighing(uniqueId('W-AUG'), '2024-08-14', 10.0), weighing(uniqueId('W-SEP'), '2024-09-11', 10.1), weighing(uniqueId('W-OCT'), '2024-10-09', 10.15)];
  const ids: string[] = [];
  const answered: unknown[] = [];
  for (const m of months) {
    const res = await request(gw.url).post('/ilp/v1/encounters').send(m);
    expect(res.status).toBe(202);
    ids.push(res.body.id as string);
    answered.push((res.body.results as { item: string; value: unknown }[]).find((r) => r.item === 'weight-gain')?.value);
  }
  // At the 202 none of the earlier months was written yet: each is answered as a first weighing.
  expect(answered).toEqual(['B', 'B', 'B']);
  const drained = await materialiser.drain();
  expect(drained.later).toBeGreaterThanOrEqual(2);
  const stored: unknown[] = [];
  for (const id of ids) {
    const status = await request(gw.url).get(`/ilp/v1/submissions/${id}`);
    expect(status.body.status).toBe('accepted');
    stored.push((status.body.results as { item: string; value: unknown }[]).find((r) => r.item === 'weight-gain')?.value);
  }
  // As the direct intake answers the same months sent one by one (posyandu.test.ts).
  expect(stored).toEqual(['B', 'T', 'T']);
});

if (testDbKind() === 'postgres') {
  // Two sessions at once exist only on PostgreSQL (PGlite is one session).
  test("visits whose queue rows a materialiser's batch holds wait alone: the accepts grouped with them are answered meanwhile (postgres)", async () => {
    const held = [visit(), visit()];
    const ids = await Promise.all(held.map(async (h) => (await request(gw.url).post('/ilp/v1/encounters').send(h)).body.id as string));
    const batch = new Client({ connectionString: (gw.db as TestDatabase).url });
    await batch.connect();
    try {
      // As writeClaimed does: the queue rows deleted (fenced) inside a batch transaction not yet committed.
      await batch.query('BEGIN');
      expect((await batch.query('DELETE FROM intake_queue WHERE pk = ANY($1::uuid[])', [ids])).rowCount).toBe(2);
      const toQueue = (b: Json, hash: string) => ({ organizationId: b.organizationId as string, submissionId: b.submissionId as string, payload: b, payloadHash: hash, warnings: [] });
      let heldDone = 0;
      // Two re-sends first: each takes one of the two flights. Had they waited there for the batch,
      // nothing behind them would be answered until it commits.
      const resent = held.map((h) => gw.db.intakeQueue.accept(toQueue({ ...h, end: '2024-07-29T09:50:00+07:00' }, 'changed')).finally(() => { heldDone += 1; }));
      const others = [visit(), visit(), visit()];
      const answered = await Promise.all(others.map((b) => gw.db.intakeQueue.accept(toQueue(b, `h-${b.submissionId as string}`))));
      expect(answered.map((a) => a.kind)).toEqual(['created', 'created', 'created']);
      expect(heldDone).toBe(0);
      // The batch fails and rolls back: the held visits' accepts go on and replace the queued payloads.
      await batch.query('ROLLBACK');
      const after = await Promise.all(resent);
      expect(after.map((a) => [a.id, a.kind])).toEqual(ids.map((id) => [id, 'updated']));
      for (const id of ids) expect((await gw.db.intakeQueue.get(id))?.payloadHash).toBe('changed');
    } finally {
      await batch.end();
      await materialiser.drain();
    }
  });

  test("a re-send made while the visit's queue row is held waits for the earlier send: the last payload sent is the one queued (postgres)", async () => {
    const body = visit();
    const id = (await request(gw.url).post('/ilp/v1/encounters').send(body)).body.id as string;
    const batch = new Client({ connectionString: (gw.db as TestDatabase).url });
    await batch.connect();
    try {
      await batch.query('BEGIN');
      await batch.query('DELETE FROM intake_queue WHERE pk = $1', [id]);
      const toQueue = (b: Json, hash: string) => ({ organizationId: b.organizationId as string, submissionId: b.submissionId as string, payload: b, payloadHash: hash, warnings: [] });
      const order: string[] = [];
      const a = gw.db.intakeQueue.accept(toQueue({ ...body, end: '2024-07-29T09:51:00+07:00' }, 'sent-first')).then((o) => { order.push('first'); return o; });
      await new Promise((r) => setTimeout(r, 100));
      const b = gw.db.intakeQueue.accept(toQueue({ ...body, end: '2024-07-29T09:52:00+07:00' }, 'sent-last')).then((o) => { order.push('last'); return o; });
      await new Promise((r) => setTimeout(r, 100));
      expect(order).toEqual([]);
      // The batch commits (its visit written elsewhere in a real one): both sends go on, in the order they were made.
      await batch.query('COMMIT');
      await Promise.all([a, b]);
      expect(order).toEqual(['first', 'last']);
      expect((await gw.db.intakeQueue.get(id))?.payloadHash).toBe('sent-last');
    } finally {
      await batch.end();
      await materialiser.drain();
    }
  });

  test('an accept racing another accept of the same new visit answers with the row the other one queued (postgres)', async () => {
    const body = visit();
    const other = new Client({ connectionString: (gw.db as TestDatabase).url });
    await other.connect();
    try {
      // The other request's row, not yet committed: this accept's statement starts before it commits.
      await other.query('BEGIN');
      const { rows } = await other.query(`INSERT INTO intake_queue (pk, organization_id, submission_id, payload, payload_hash, received_at, updated_at)
        VALUES (gen_random_uuid(), $1, $2, '{}'::jsonb, $3, now(), now()) RETURNING pk::text AS pk`, [body.organizationId, body.submissionId, 'the-same-hash']);
      const racing = gw.db.intakeQueue.accept({ organizationId: body.organizationId as string, submissionId: body.submissionId as string, payload: body, payloadHash: 'the-same-hash', warnings: [] });
      await new Promise((r) => setTimeout(r, 200));
      await other.query('COMMIT');
      const answer = await racing;
      expect(answer).toMatchObject({ id: (rows[0] as { pk: string }).pk, kind: 'unchanged', status: 'received' });
    } finally {
      await other.end();
    }
  });
}
