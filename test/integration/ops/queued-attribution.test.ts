/**
 * Issue 11's attribution under INTAKE_MODE=queued (docs/decisions/0022), authentication ON: a queued
 * visit has no version when its 202 is sent, so its client travels with the queue row and is
 * written with the version the materialiser makes of it (submission_version.client_id), which the
 * per-vendor conformance report counts. Before, queued versions were written without a client.
 */
import type { Materialiser } from '../../../src/pipeline/materialise';
import { testDbKind } from '../../support/database';
import type { Json } from '../../support/submissions';
import { ORG_A, ORG_B, send, sql, startOpsBench, visit, type OpsBench } from './ops-support';

let b: OpsBench;
let materialiser: Materialiser;
beforeAll(async () => {
  b = await startOpsBench({ INTAKE_MODE: 'queued', RELAY_ENABLED: '0' });
  if (!b.app.materialiser) throw new Error('INTAKE_MODE=queued built no materialiser');
  materialiser = b.app.materialiser;
}, 120_000);
afterAll(async () => { await b?.close(); });

const as = (client: string, method: string, path: string, body?: unknown) => send(b.url, method, path, b.tokens[client] ?? '', body);

async function clientsOf(id: string): Promise<{ version: number; client_id: string | null }[]> {
  return sql(b.db, 'SELECT version, client_id FROM submission_version WHERE submission_pk = $1 ORDER BY version', [id]);
}

describe(`queued intake attribution (${testDbKind()})`, () => {
  test('each version of a queued visit is written with the client that sent it, single and $import alike', async () => {
    const first = visit(ORG_A);
    const single = await as('vendor-a', 'POST', '/ilp/v1/encounters', first);
    expect(single.status).toBe(202);
    expect(single.body.status).toBe('received');
    const other = await as('vendor-b', 'POST', '/ilp/v1/encounters', visit(ORG_B));
    expect(other.status).toBe(202);

    const imported = await fetch(`${b.url}/ilp/v1/encounters/$import`, {
      method: 'POST', headers: { Authorization: `Bearer ${b.tokens['vendor-a'] ?? ''}`, 'Content-Type': 'application/x-ndjson' },
      body: `${JSON.stringify(visit(ORG_A))}\n`,
    });
    const [line] = (await imported.text()).trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(line).toMatchObject({ status: 202 });

    await b.flush();
    expect((await materialiser.drain()).written).toBe(3);
    expect(await clientsOf(String(single.body.id))).toEqual([{ version: 1, client_id: 'vendor-a' }]);
    expect(await clientsOf(String(other.body.id))).toEqual([{ version: 1, client_id: 'vendor-b' }]);
    expect(await clientsOf(String(line?.id))).toEqual([{ version: 1, client_id: 'vendor-a' }]);

    // A changed payload is a new version, attributed to its own sender: here the organisation's other SIMPUS.
    const changed = await as('vendor-a2', 'POST', '/ilp/v1/encounters', { ...first, practitioner: { ...(first.practitioner as Json), name: 'Bidan Pengganti' } });
    expect(changed.body).toMatchObject({ id: single.body.id, result: 'updated', status: 'received' });
    await b.flush();
    expect((await materialiser.drain()).written).toBe(1);
    expect(await clientsOf(String(single.body.id))).toEqual([{ version: 1, client_id: 'vendor-a' }, { version: 2, client_id: 'vendor-a2' }]);

    const perClient = await sql<{ client_id: string | null; n: number }>(b.db,
      'SELECT client_id, count(*)::int AS n FROM submission_version GROUP BY client_id ORDER BY client_id');
    expect(perClient).toEqual([{ client_id: 'vendor-a', n: 2 }, { client_id: 'vendor-a2', n: 1 }, { client_id: 'vendor-b', n: 1 }]);
  });
});
