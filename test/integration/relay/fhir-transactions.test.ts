import type { Encounter } from 'fhir/r4';
import { testDbKind } from '../../support/database';
import { vendorTransaction } from '../fhir/fhir-support';
import { startRelayHarness, waitForStatus, type RelayHarness } from './harness';

/** FHIR-native transactions through the relay to the simulator (issue 13 item 3, the two relay defects). */
const SANDBOX_NIK = '9271060312000001';
const SANDBOX_IHS = 'P02478375538';
const ORG = '10000005';

interface ResourceView { resourceType: string; id: string; nationalId?: string }

describe(`FHIR transactions relayed (${testDbKind()})`, () => {
  let h: RelayHarness;
  beforeAll(async () => { h = await startRelayHarness(); });
  afterAll(async () => { await h?.close(); });

  async function send(identifier: string, start: string): Promise<string> {
    const bundle = vendorTransaction({ nik: SANDBOX_NIK, village: '3174061003', identifier, start });
    // SATUSEHAT requires the Encounter's practitioner (RuleNumber 10119).
    (bundle.entry?.[1]?.resource as Encounter).participant = [{ individual: { reference: 'Practitioner/10009880728' } }];
    const res = await fetch(`${h.url}/fhir`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(bundle) });
    expect(res.status).toBe(200);
    const submission = await h.db.submissions.findSubmission(ORG, `fhir:https://simpus.example/bundle|${identifier}`);
    if (!submission) throw new Error(`no submission for ${identifier}`);
    return submission.id;
  }

  test('a second visit whose Patient matched through ifNoneExist refers to the IHS number, not the local Patient id', async () => {
    const first = await waitForStatus(h.url, await send('FHIR-RELAY-1', '2025-03-10T01:00:00+00:00'), ['delivered', 'rejected', 'failed']);
    expect(first.status).toBe('delivered');
    const second = await waitForStatus(h.url, await send('FHIR-RELAY-2', '2025-03-10T01:30:00+00:00'), ['delivered', 'rejected', 'failed']);
    expect(second.status).toBe('delivered');
    const resources = second.resources as ResourceView[];
    // The matched Patient is not written by the second transaction, so it is not one of its resources.
    expect(resources.map((r) => r.resourceType)).toEqual(['Encounter', 'Observation']);
    const encounter = resources.find((r) => r.resourceType === 'Encounter');
    const national = h.sim.state.read('Encounter', encounter?.nationalId ?? '') as Encounter | undefined;
    expect(national?.subject?.reference).toBe(`Patient/${SANDBOX_IHS}`);
  });
});
