/** The batched audit recorder: batches, backpressure instead of loss, retry after a failed write, the bad-row fallback. */
import { AuditRecorder } from '../../../src/audit/recorder';
import { createLogger } from '../../../src/kernel';
import type { AuditRow } from '../../../src/store/audit-ports';

const logger = createLogger('silent');
let n = 0;
const row = (): AuditRow => {
  n += 1;
  return { id: `id-${n}`, recorded: new Date().toISOString(), subtypes: ['read'], outcome: 0, patients: [], entities: [], content: {} };
};

function sink(fail: (batch: readonly AuditRow[]) => unknown = () => undefined) {
  const batches: string[][] = [];
  return {
    batches,
    insert: async (batch: readonly AuditRow[]) => {
      const err = fail(batch);
      if (err) throw err;
      batches.push(batch.map((r) => r.id));
    },
  };
}

function counters() {
  const c = { written: 0, dropped: 0, failures: 0, waits: 0 };
  return { c, counters: { written: (k: number) => { c.written += k; }, dropped: (k: number) => { c.dropped += k; }, flushFailed: () => { c.failures += 1; }, waited: () => { c.waits += 1; } } };
}

test('writes in batches of batchSize, as soon as a batch is full', async () => {
  const s = sink();
  const { c, counters: k } = counters();
  const r = new AuditRecorder(s, { batchSize: 3, flushIntervalMs: 60_000, queueLimit: 100, admitTimeoutMs: 1000, logger, counters: k });
  for (let i = 0; i < 7; i += 1) r.record(row());
  await r.flush();
  expect(s.batches.map((b) => b.length)).toEqual([3, 3, 1]);
  expect(c.written).toBe(7);
  expect(r.depth).toBe(0);
});

test('the timer flushes a partial batch', async () => {
  const s = sink();
  const r = new AuditRecorder(s, { batchSize: 100, flushIntervalMs: 20, queueLimit: 100, admitTimeoutMs: 1000, logger });
  r.start();
  r.record(row());
  await new Promise((res) => setTimeout(res, 80));
  expect(s.batches).toHaveLength(1);
  await r.close();
});

test('a transient failure keeps the events, in order, for the next flush', async () => {
  let down = true;
  const s = sink(() => (down ? Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' }) : undefined));
  const { c, counters: k } = counters();
  const r = new AuditRecorder(s, { batchSize: 2, flushIntervalMs: 60_000, queueLimit: 100, admitTimeoutMs: 1000, logger, counters: k });
  const rows = [row(), row(), row()];
  rows.forEach((x) => r.record(x));
  await r.flush();
  expect(r.depth).toBe(3);
  expect(c.failures).toBeGreaterThan(0);
  down = false;
  await r.flush();
  expect(s.batches.flat()).toEqual(rows.map((x) => x.id));
  expect(c.dropped).toBe(0);
});

test('a row the database refuses (data exception) is dropped alone and counted; the others are written', async () => {
  const bad = row();
  const s = sink((batch) => (batch.some((x) => x.id === bad.id) ? Object.assign(new Error('invalid input'), { code: '22P05' }) : undefined));
  const { c, counters: k } = counters();
  const r = new AuditRecorder(s, { batchSize: 10, flushIntervalMs: 60_000, queueLimit: 100, admitTimeoutMs: 1000, logger, counters: k });
  const good = [row(), row()];
  [good[0]!, bad, good[1]!].forEach((x) => r.record(x));
  await r.flush();
  expect(s.batches.flat()).toEqual(good.map((x) => x.id));
  expect(c.dropped).toBe(1);
});

test('over queueLimit, admit() makes new requests wait until a flush drains the queue', async () => {
  let release: () => void = () => undefined;
  let blocked = true;
  const s = { insert: async () => { if (blocked) await new Promise<void>((res) => { release = res; }); } };
  const { c, counters: k } = counters();
  const r = new AuditRecorder(s, { batchSize: 1000, flushIntervalMs: 60_000, queueLimit: 3, admitTimeoutMs: 5000, logger, counters: k });
  expect(r.admit()).toBeUndefined();
  for (let i = 0; i < 3; i += 1) r.record(row());
  const wait = r.admit();
  expect(wait).toBeInstanceOf(Promise);
  expect(c.waits).toBe(1);
  let admitted = false;
  void wait!.then(() => { admitted = true; });
  const flushing = r.flush();
  await new Promise((res) => setTimeout(res, 20));
  expect(admitted).toBe(false);
  blocked = false;
  release();
  await flushing;
  await new Promise((res) => setTimeout(res, 0));
  expect(admitted).toBe(true);
});

test('a wait that outlasts admitTimeoutMs is refused (the request answers 503), and beyond twice the limit events are dropped loudly', async () => {
  const s = sink(() => Object.assign(new Error('down'), { code: 'ECONNRESET' }));
  const { c, counters: k } = counters();
  const r = new AuditRecorder(s, { batchSize: 1000, flushIntervalMs: 60_000, queueLimit: 2, admitTimeoutMs: 30, logger, counters: k });
  for (let i = 0; i < 5; i += 1) r.record(row());
  expect(r.depth).toBe(4);
  expect(c.dropped).toBe(1);
  await expect(r.admit()).rejects.toThrow(/did not drain/);
});

test('close() writes what is queued and reports what the database would not take', async () => {
  const s = sink();
  const r = new AuditRecorder(s, { batchSize: 1000, flushIntervalMs: 60_000, queueLimit: 100, admitTimeoutMs: 1000, logger });
  r.start();
  r.record(row());
  r.record(row());
  await r.close();
  expect(s.batches.flat()).toHaveLength(2);
  const dead = sink(() => Object.assign(new Error('down'), { code: 'ECONNRESET' }));
  const { c, counters: k } = counters();
  const r2 = new AuditRecorder(dead, { batchSize: 1000, flushIntervalMs: 60_000, queueLimit: 100, admitTimeoutMs: 1000, logger, counters: k });
  r2.record(row());
  await r2.close();
  expect(c.dropped).toBe(1);
  expect(r2.depth).toBe(0);
});
