import { deliver, type DeliverDeps } from '../../../src/relay/deliver';
import type { RelayWork } from '../../../src/store/ports';
import { NationalDirectory } from '../../../src/relay/directory';
import { NationalPlatform } from '../../../src/relay/national-platform';
import { TokenCache } from '../../../src/relay/token-cache';
import { testDbKind } from '../../support/database';
import { startRelayHarness, submit, visitPayload, waitForStatus, type RelayHarness } from './harness';

const ENCOUNTER_SYSTEM = 'http://sys-ids.kemkes.go.id/encounter/10000005';
const V2_END = '2024-07-29T09:10:00+07:00';
const V2_END_UTC = '2024-07-29T02:10:00+00:00';

/**
 * Lost answers and updated versions, with deliver() called directly (relay disabled) so that the
 * order of events is exact: v1's transaction is stored but its answer lost, then v2 arrives.
 */
describe(`lost answers and newer versions (${testDbKind()})`, () => {
  let h: RelayHarness;
  let deps: DeliverDeps;
  beforeAll(async () => {
    h = await startRelayHarness({ RELAY_ENABLED: '0' });
    const platform = new NationalPlatform({ fhirUrl: `${h.simUrl}/fhir-r4/v1`, tokens: new TokenCache({ authUrl: `${h.simUrl}/oauth2/v1`, timeoutMs: 5000 }), timeoutMs: 5000 });
    deps = {
      visits: h.db.relay, platform, directory: new NationalDirectory(platform, false),
      credentials: { get: async (org) => ({ organizationId: org, clientId: `sim-${org}`, clientSecret: `sim-secret-${org}` }) },
      // These tests call deliver() directly, without a claimed outbox row to mark.
      markSent: async () => true,
    };
    // Warm the directory (patient, practitioners) so that the faults below hit the transaction only.
    const warm = await submit(h.url, visitPayload());
    const s = await waitForStatus(h.url, warm, ['accepted']);
    expect((await deliver(deps, work(warm, Number(s.version)))).kind).toBe('delivered');
  });
  afterAll(async () => { await h?.close(); });
  afterEach(() => { h.sim.setFaults({ dropAfterCommit: 0 }); });

  function work(id: string, version: number, extra: Partial<RelayWork> = {}): RelayWork {
    return { outboxId: '0', submissionPk: id, submissionVersion: version, organizationId: '10000005', attempts: 1, sentBefore: false, mayHaveSent: false, ageMs: 0, ...extra };
  }

  async function lostFirstVersion(): Promise<{ id: string; payload: Record<string, unknown> }> {
    const payload = visitPayload();
    const id = await submit(h.url, payload);
    await waitForStatus(h.url, id, ['accepted']);
    h.sim.setFaults({ dropAfterCommit: 1 });
    const lost = await deliver(deps, work(id, 1));
    h.sim.setFaults({ dropAfterCommit: 0 });
    expect(lost.kind).toBe('retry');
    expect(h.sim.state.find('Encounter', ENCOUNTER_SYSTEM, String(payload.submissionId))).toHaveLength(1);
    return { id, payload };
  }

  function nationalEncounter(payload: Record<string, unknown>): { period?: { end?: string } } | undefined {
    return h.sim.state.find('Encounter', ENCOUNTER_SYSTEM, String(payload.submissionId))[0] as { period?: { end?: string } } | undefined;
  }

  test('v1 stored with its answer lost, then a changed v2: "duplicate" only teaches the ids, v2 is sent as updates and the platform holds v2', async () => {
    const { id, payload } = await lostFirstVersion();
    await submit(h.url, { ...payload, end: V2_END });
    const rejectionsBefore = h.sim.state.stats.duplicateRejections;
    const v2 = await deliver(deps, work(id, 2)); // a fresh row: no marker, so it POSTs and is told "duplicate"
    expect(h.sim.state.stats.duplicateRejections).toBe(rejectionsBefore + 1);
    expect(v2.kind).toBe('delivered');
    expect(nationalEncounter(payload)?.period?.end).toBe(V2_END_UTC);
    expect(h.sim.state.stats.creates[`Encounter|${ENCOUNTER_SYSTEM}|${String(payload.submissionId)}`]).toBe(1);
  });

  test('v2 of a submission an earlier row may have sent looks first (no "duplicate"), then sends v2 as updates', async () => {
    const { id, payload } = await lostFirstVersion();
    await submit(h.url, { ...payload, end: V2_END });
    const rejectionsBefore = h.sim.state.stats.duplicateRejections;
    const v2 = await deliver(deps, work(id, 2, { mayHaveSent: true }));
    expect(v2.kind).toBe('delivered');
    expect(h.sim.state.stats.duplicateRejections).toBe(rejectionsBefore);
    expect(nationalEncounter(payload)?.period?.end).toBe(V2_END_UTC);
  });

  test('the same row sent before (sent_at) looks before re-sending even on its "first" attempt (attempts reset by release/re-queue)', async () => {
    const { id } = await lostFirstVersion();
    const rejectionsBefore = h.sim.state.stats.duplicateRejections;
    const again = await deliver(deps, work(id, 1, { attempts: 1, sentBefore: true, mayHaveSent: true }));
    // Found by identifier before posting: nothing was posted again, so no "duplicate" answer.
    expect(h.sim.state.stats.duplicateRejections).toBe(rejectionsBefore);
    expect(again.kind).toBe('delivered');
    const s = await h.db.submissions.getSubmission(id);
    const encounter = s?.resources.find((r) => r.resourceType === 'Encounter');
    expect(again.kind === 'delivered' ? again.ids[`Encounter/${encounter?.id ?? ''}`] : undefined).toBeDefined();
  });
});
