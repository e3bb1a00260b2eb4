/**
 * Migration 0005 (ownership) on a database written before it: every existing resource and history
 * row gets the organisation of the submission that lists it and the residence of its Patient.
 * PostgreSQL only: the migrations run one by one through a plain pg connection.
 */
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { MIGRATIONS } from '../../../src/store/migrations';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

const ADMIN_CODE = 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode';

function runnerOf(client: Client): QueryRunner {
  const query = async (text: string, params: unknown[] = [], structured = false): Promise<unknown> => {
    const result = await client.query(text, params);
    return structured ? { records: result.rows } : result.rows;
  };
  return { query } as unknown as QueryRunner;
}

test('0005 ownership is registered after the relay migrations', () => {
  expect(MIGRATIONS.map((m) => new m().name).indexOf('Ownership1732752000000')).toBeGreaterThan(MIGRATIONS.map((m) => new m().name).indexOf('RelaySent1732665600000'));
});

// The migrations one by one need a plain connection to the database: PostgreSQL only (PGlite has no URL).
if (testDbKind() === 'postgres') describe('migration 0005 backfills ownership (postgres)', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await openTestDatabase({ migrate: false });
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  test('organisation from the submission, residence from the Patient (and the subject Patient)', async () => {
    const runner = runnerOf(client);
    const at = MIGRATIONS.findIndex((m) => new m().name === 'Ownership1732752000000');
    const ownership = MIGRATIONS[at];
    if (!ownership) throw new Error('migration 0005 is not registered');
    for (const m of MIGRATIONS.slice(0, at)) await new m().up(runner);
    const patient = { resourceType: 'Patient', id: 'p1', address: [{ extension: [{ url: ADMIN_CODE, extension: [{ url: 'village', valueCode: '3508012001' }] }] }] };
    const obs = { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/p1' } };
    await client.query(`INSERT INTO submission (pk, organization_id, submission_id, version, status, payload_hash, payload, received_at, updated_at)
      VALUES ('00000000-0000-4000-8000-000000000001', '10000005', 'S1', 1, 'accepted', 'h', '{}', now(), now())`);
    await client.query(`INSERT INTO submission_version (submission_pk, version, payload, payload_hash, resources, received_at)
      VALUES ('00000000-0000-4000-8000-000000000001', 1, '{}', 'h', $1::jsonb, now())`,
    [JSON.stringify([{ resourceType: 'Patient', id: 'p1', versionId: 1 }, { resourceType: 'Observation', id: 'o1', versionId: 1 }])]);
    for (const r of [patient, obs]) {
      await client.query(`INSERT INTO resource (resource_type, id, version_id, last_updated, content) VALUES ($1, $2, 1, now(), $3::jsonb)`, [r.resourceType, r.id, JSON.stringify(r)]);
      await client.query(`INSERT INTO resource_history (resource_type, id, version_id, last_updated, content) VALUES ($1, $2, 1, now(), $3::jsonb)`, [r.resourceType, r.id, JSON.stringify(r)]);
    }
    await client.query(`INSERT INTO search_reference (resource_type, id, code, target_type, target_id) VALUES ('Observation', 'o1', 'subject', 'Patient', 'p1')`);
    // An orphan (no submission lists it): no owner, so only unrestricted readers see it.
    await client.query(`INSERT INTO resource (resource_type, id, version_id, last_updated, content) VALUES ('Group', 'g1', 1, now(), '{"resourceType":"Group","id":"g1"}')`);

    await new ownership().up(runner);

    const rows = (await client.query(`SELECT resource_type, id, organization_id, residence FROM resource ORDER BY resource_type, id`)).rows;
    expect(rows).toEqual([
      { resource_type: 'Group', id: 'g1', organization_id: null, residence: null },
      { resource_type: 'Observation', id: 'o1', organization_id: '10000005', residence: '3508012001' },
      { resource_type: 'Patient', id: 'p1', organization_id: '10000005', residence: '3508012001' },
    ]);
    const history = (await client.query(`SELECT id, organization_id, residence FROM resource_history ORDER BY id`)).rows;
    expect(history).toEqual([
      { id: 'o1', organization_id: '10000005', residence: '3508012001' },
      { id: 'p1', organization_id: '10000005', residence: '3508012001' },
    ]);
  });
});
