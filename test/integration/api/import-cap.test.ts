import { setTimeout as sleep } from 'node:timers/promises';
import type { WritePlan } from '../../../src/write-plan/plan';
import { testDbKind } from '../../support/database';
import { TestGateway, startGateway } from '../../support/gateway';
import { example, uniqueId, type Json } from '../../support/submissions';

/**
 * IMPORT_WRITERS_TOTAL (issue #12 follow-up): the group transactions of ALL $import uploads of one
 * process together, over real sockets. The store's writeMany is wrapped to count the calls in
 * flight; the wrapper always calls the real store, so every line is really written.
 */
interface ResultLine { line: number; status: number; submissionId?: string }

const ORG = '10000005';
let people = 0;
/** A visit of its own patient (province 35), so that no two lines share a patient lock and groups can run side by side. */
function visit(prefix: string): Json {
  people += 1;
  const v = example();
  return { ...v, submissionId: uniqueId(prefix), patient: { ...v.patient, nik: `3509${String(process.pid % 10_000).padStart(4, '0')}${String(people).padStart(8, '0')}` } };
}

function ndjson(visits: Json[]): string {
  return visits.map((v) => JSON.stringify(v)).join('\n') + '\n';
}

async function postImport(gw: TestGateway, body: string, signal?: AbortSignal): Promise<ResultLine[]> {
  const res = await fetch(`${gw.url}/ilp/v1/encounters/$import`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body, ...(signal ? { signal } : {}) });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as ResultLine);
}

/** The import slot gauges from GET /metrics. */
async function slotGauges(gw: TestGateway): Promise<{ inFlight: number; waiting: number }> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const gauge = (name: string): number => {
    const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
    if (!m) throw new Error(`${name} is not in /metrics`);
    return Number(m[1]);
  };
  return { inFlight: gauge('ilp_gateway_import_writes_in_flight'), waiting: gauge('ilp_gateway_import_writes_waiting') };
}

async function until(what: string, test: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Wraps the store's writeMany: counts calls in flight (and the most at once), and runs `before` ahead of the real call. */
function countWrites(gw: TestGateway, before: (plans: readonly WritePlan[]) => Promise<void>) {
  const store = gw.db.submissions;
  const real = store.writeMany.bind(store);
  const seen = { inFlight: 0, most: 0, calls: [] as string[][] };
  const spy = jest.spyOn(store, 'writeMany').mockImplementation(async (plans) => {
    seen.inFlight += 1;
    seen.most = Math.max(seen.most, seen.inFlight);
    seen.calls.push(plans.map((p) => p.submissionId));
    try {
      await before(plans);
      return await real(plans);
    } finally {
      seen.inFlight -= 1;
    }
  });
  return { seen, restore: () => spy.mockRestore() };
}

describe(`$import: IMPORT_WRITERS_TOTAL caps group transactions across uploads (${testDbKind()})`, () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ IMPORT_WRITERS_TOTAL: '2', IMPORT_WRITERS: '3', IMPORT_GROUP_SIZE: '2', IMPORT_CONCURRENCY: '2' });
  });
  afterAll(async () => { await gw?.close(); });

  test('three uploads at once never have more than 2 writeMany calls in flight, and every line of all three is accepted and stored', async () => {
    // Each write is held a little before the real store runs, so the groups of three uploads
    // (3 writers each: up to 9 at once without the cap) would overlap.
    const { seen, restore } = countWrites(gw, () => sleep(60));
    try {
      const uploads = [1, 2, 3].map((u) => Array.from({ length: 12 }, () => visit(`CAP${u}`)));
      const answers = await Promise.all(uploads.map((visits) => postImport(gw, ndjson(visits))));
      expect(seen.most).toBe(2);
      expect(seen.calls.flat()).toHaveLength(36);
      for (const [u, visits] of uploads.entries()) {
        const out = answers[u] ?? [];
        expect(out.map((r) => [r.line, r.status, r.submissionId])).toEqual(visits.map((v, i) => [i + 1, 202, v.submissionId]));
      }
      for (const v of uploads.flat()) expect((await gw.db.submissions.findSubmission(ORG, String(v.submissionId)))?.status).toBe('accepted');
      expect(await slotGauges(gw)).toEqual({ inFlight: 0, waiting: 0 });
    } finally {
      restore();
    }
  });

  test('an upload whose client disconnects leaks no slot: its waiting group leaves the queue unwritten, the next upload is served', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => { open = resolve; });
    const { seen, restore } = countWrites(gw, () => gate);
    try {
      const gone = Array.from({ length: 10 }, () => visit('CAPGONE'));
      const client = new AbortController();
      const upload = postImport(gw, ndjson(gone), client.signal).catch((err: unknown) => err);
      // Two groups hold both slots (held at the gate), the upload's third writer waits for one.
      await until('2 writes in flight and 1 waiting', async () => {
        const g = await slotGauges(gw);
        return g.inFlight === 2 && g.waiting === 1;
      });
      client.abort();
      expect(await upload).toMatchObject({ name: 'AbortError' });
      await until('the waiting group to leave the queue', async () => (await slotGauges(gw)).waiting === 0);
      open();
      await until('both slots released', async () => (await slotGauges(gw)).inFlight === 0);
      // Only the two groups that held a slot were written; nobody was left to be told the rest.
      expect(seen.calls).toEqual([gone.slice(0, 2).map((v) => v.submissionId), gone.slice(2, 4).map((v) => v.submissionId)]);
      for (const v of gone.slice(0, 4)) expect(await gw.db.submissions.findSubmission(ORG, String(v.submissionId))).toBeDefined();
      for (const v of gone.slice(4)) expect(await gw.db.submissions.findSubmission(ORG, String(v.submissionId))).toBeUndefined();

      const next = Array.from({ length: 6 }, () => visit('CAPNEXT'));
      expect((await postImport(gw, ndjson(next))).map((r) => r.status)).toEqual(next.map(() => 202));
      expect(await slotGauges(gw)).toEqual({ inFlight: 0, waiting: 0 });
    } finally {
      open();
      restore();
    }
  });
});
