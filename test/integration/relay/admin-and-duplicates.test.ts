import { randomBytes } from 'node:crypto';
import { deliver, type DeliverDeps } from '../../../src/relay/deliver';
import { NationalDirectory } from '../../../src/relay/directory';
import { NationalPlatform } from '../../../src/relay/national-platform';
import { TokenCache } from '../../../src/relay/token-cache';
import { testDbKind } from '../../support/database';
import { json, startRelayHarness, submit, visitPayload, waitForStatus, type RelayHarness } from './harness';

const KEY = randomBytes(32).toString('base64');
const ADMIN = 'admin-token-for-tests-0123456789';

describe(`admin API and the duplicate answer (${testDbKind()})`, () => {
  let h: RelayHarness;
  beforeAll(async () => {
    h = await startRelayHarness({ CREDENTIALS_KEY: KEY, ADMIN_TOKEN: ADMIN, RELAY_ENABLED: '0' });
  });
  afterAll(async () => { await h?.close(); });
  const auth = { authorization: `Bearer ${ADMIN}` };

  test('admin endpoints need the admin token and answer OperationOutcomes', async () => {
    const res = await json(`${h.url}/admin/v1/submissions`);
    expect(res.status).toBe(401);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect((await json(`${h.url}/admin/v1/submissions`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    expect((await json(`${h.url}/admin/v1/submissions`, { headers: auth })).status).toBe(200);
  });

  test('credentials are sealed at rest and never returned; the relay opens them with the key', async () => {
    const put = await json(`${h.url}/admin/v1/credentials/10000077`, { method: 'PUT', headers: auth, body: JSON.stringify({ clientId: 'client-77', clientSecret: 'very-secret-77' }) });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain('very-secret-77');
    const listed = await json(`${h.url}/admin/v1/credentials`, { headers: auth });
    expect(JSON.stringify(listed.body)).not.toContain('very-secret-77');
    expect(listed.body.items).toEqual([expect.objectContaining({ organizationId: '10000077', clientId: 'client-77' })]);
    const row = await h.db.credentials.get('10000077');
    expect(row?.sealedSecret).not.toContain('very-secret-77');
    expect(h.app.relay).toBeUndefined();
    const { CredentialVault } = await import('../../../src/relay/credentials');
    expect(CredentialVault.fromBase64(KEY).open('10000077', 'client-77', row?.sealedSecret ?? '')).toBe('very-secret-77');
    expect(() => CredentialVault.fromBase64(KEY).open('10000078', 'client-77', row?.sealedSecret ?? '')).toThrow();
    expect((await json(`${h.url}/admin/v1/credentials/10000077`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await json(`${h.url}/admin/v1/credentials/10000077`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  test('a re-send after a lost answer gets 400 duplicate: the ids are looked up by identifier and the visit counts as delivered', async () => {
    const id = await submit(h.url, visitPayload());
    const sim = h.simUrl;
    const platform = new NationalPlatform({ fhirUrl: `${sim}/fhir-r4/v1`, tokens: new TokenCache({ authUrl: `${sim}/oauth2/v1`, timeoutMs: 5000 }), timeoutMs: 5000 });
    const deps: DeliverDeps = {
      visits: h.db.relay, platform, directory: new NationalDirectory(platform, false),
      credentials: { get: async (org) => ({ organizationId: org, clientId: `sim-${org}`, clientSecret: `sim-secret-${org}` }) },
      // These tests call deliver() directly, without a claimed outbox row to mark.
      markSent: async () => true,
    };
    const s = await waitForStatus(h.url, id, ['accepted']);
    const work = { outboxId: '0', submissionPk: id, submissionVersion: Number(s.version), organizationId: '10000005', attempts: 1, sentBefore: false, mayHaveSent: false, ageMs: 0 };
    const first = await deliver(deps, work);
    expect(first.kind).toBe('delivered');
    const rejectionsBefore = h.sim.state.stats.duplicateRejections;
    const again = await deliver(deps, work); // attempt 1 again: no look-up first, so the platform answers "duplicate"
    expect(h.sim.state.stats.duplicateRejections).toBe(rejectionsBefore + 1);
    expect(again).toEqual(first);
  });
});
