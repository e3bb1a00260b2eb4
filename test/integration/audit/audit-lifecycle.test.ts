/**
 * The audit trail's life cycle on the configured backend (PostgreSQL, or PGlite with TEST_DB=pglite):
 * the queue is written at shutdown, retention deletes what is older than AUDIT_RETENTION_DAYS, the
 * store's search filters, and AUDIT_ENABLED=0 records nothing.
 */
import { randomUUID } from 'node:crypto';
import type { AuditRow } from '../../../src/store/audit-ports';
import { openTestDatabase, type TestDatabase } from '../../support/database';
import { call, startAuditGateway, tokenFor } from './audit-support';

// Each gateway hashes its clients' secrets (scrypt) and, on PGlite, initialises a database: slow on a busy machine.
jest.setTimeout(240_000);

const DAY = 86_400_000;

function row(recorded: Date, over: Partial<AuditRow> = {}): AuditRow {
  const id = randomUUID();
  return { id, recorded: recorded.toISOString(), clientId: 'c1', subtypes: ['read'], outcome: 0, patients: [], entities: [], content: { resourceType: 'AuditEvent', id, recorded: recorded.toISOString() }, ...over };
}

test('events still queued are written when the app closes (graceful shutdown)', async () => {
  const db = await openTestDatabase();
  try {
    // A flush interval and batch far beyond the test: only close() can write these events.
    const gw = await startAuditGateway({ AUDIT_FLUSH_INTERVAL_MS: '60000', AUDIT_BATCH_SIZE: '5000' }, db);
    const token = await tokenFor(gw.url, 'ministry');
    for (let i = 0; i < 5; i += 1) expect((await call(`${gw.url}/fhir/Patient?_count=1`, { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 30));
    expect(gw.app.audit!.recorder.depth).toBe(6);
    expect((await db.audit.search({ filters: [], count: 100, offset: 0 })).events).toHaveLength(0);
    await gw.stop();
    const stored = await db.audit.search({ filters: [], count: 100, offset: 0 });
    expect(stored.events).toHaveLength(6);
    expect((await db.audit.search({ filters: [{ kind: 'subtype', values: ['search-type'] }], count: 100, offset: 0 })).events).toHaveLength(5);
  } finally {
    await db.drop();
  }
});

test('retention: the purge deletes events older than AUDIT_RETENTION_DAYS and keeps the rest', async () => {
  const gw = await startAuditGateway({ AUDIT_RETENTION_DAYS: '30' });
  try {
    const now = Date.now();
    const old = [row(new Date(now - 31 * DAY)), row(new Date(now - 400 * DAY))];
    const kept = [row(new Date(now - 29 * DAY)), row(new Date(now - DAY))];
    await gw.db.audit.insert([...old, ...kept]);
    expect(await gw.app.audit!.purge()).toBe(2);
    for (const r of old) expect(await gw.db.audit.read(r.id)).toBeUndefined();
    for (const r of kept) expect(await gw.db.audit.read(r.id)).toMatchObject({ content: { id: r.id } });
    expect(await gw.app.audit!.purge()).toBe(0);
  } finally {
    await gw.close();
  }
});

describe('audit store', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await openTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  test('a batch is one insert; a retried batch does not duplicate; filters combine', async () => {
    const t = Date.parse('2026-06-15T10:00:00Z');
    const rows = [
      row(new Date(t), { clientId: 'a', patients: ['Patient/p1'], entities: ['Patient/p1', 'Observation/o1'], subtypes: ['read'] }),
      row(new Date(t + 1000), { clientId: 'b', patients: ['Patient/p2'], entities: ['Patient/p2'], subtypes: ['search-type'], outcome: 4 }),
      row(new Date(t + 2000), { clientId: 'a', entities: ['Encounter/e1'], subtypes: ['operation', 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export'], outcome: 8 }),
    ];
    await db.audit.insert(rows);
    await db.audit.insert(rows);
    const ids = async (q: Parameters<typeof db.audit.search>[0]['filters'], onlyClient?: string) =>
      (await db.audit.search({ filters: q, count: 10, offset: 0, ...(onlyClient ? { onlyClient } : {}) })).events.map((e) => (e.content as { id: string }).id);
    const [r0, r1, r2] = rows.map((r) => r.id);
    expect(await ids([])).toEqual([r2, r1, r0]);
    expect(await ids([{ kind: 'altid', values: ['a'] }])).toEqual([r2, r0]);
    expect(await ids([{ kind: 'patient', values: ['Patient/p2'] }])).toEqual([r1]);
    expect(await ids([{ kind: 'entity', values: ['Observation/o1', 'Encounter/e1'] }])).toEqual([r2, r0]);
    expect(await ids([{ kind: 'subtype', values: ['http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export'] }])).toEqual([r2]);
    expect(await ids([{ kind: 'outcome', values: [4, 8] }])).toEqual([r2, r1]);
    expect(await ids([{ kind: 'date', ranges: [{ prefix: 'ge', low: new Date(t + 1000).toISOString(), high: new Date(t + 1001).toISOString() }] }])).toEqual([r2, r1]);
    expect(await ids([{ kind: 'date', ranges: [{ prefix: 'eq', low: '2026-06-15T00:00:00.000Z', high: '2026-06-16T00:00:00.000Z' }] }, { kind: 'altid', values: ['b'] }])).toEqual([r1]);
    expect(await ids([], 'b')).toEqual([r1]);
    expect(await db.audit.read(r0!, 'b')).toBeUndefined();
    expect(await db.audit.read('not-a-uuid')).toBeUndefined();
    const page = await db.audit.search({ filters: [], count: 2, offset: 0 });
    expect(page.hasMore).toBe(true);
    expect((await db.audit.search({ filters: [], count: 2, offset: 2 })).hasMore).toBe(false);
  });
});

test('AUDIT_ENABLED=0 records nothing (benchmarks, development)', async () => {
  const gw = await startAuditGateway({ AUDIT_ENABLED: '0' });
  try {
    expect(gw.app.audit).toBeUndefined();
    const token = await tokenFor(gw.url, 'ministry');
    expect((await call(`${gw.url}/fhir/Patient`, { token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect((await gw.db.audit.search({ filters: [], count: 10, offset: 0 })).events).toEqual([]);
  } finally {
    await gw.close();
  }
});
