import type { Patient, Resource } from 'fhir/r4';
import type { RelayStore, RelayWork, SubmissionRecord } from '../store/ports';
import type { CredentialProvider, NationalCredentials } from './credentials';
import type { NationalDirectory } from './directory';
import { buildNationalBundle, idsFromResponse, type LocalResource, type PlannedEntry } from './national-bundle';
import type { NationalPlatform } from './national-platform';
import { failed, isDuplicate, problem, type DeliveryResult } from './outcome';

export interface DeliverDeps {
  /** The claimed row's submission and resources when the claim did not bring them (RelayStore.loadVisit). */
  visits: Pick<RelayStore, 'loadVisit'>;
  credentials: CredentialProvider;
  platform: NationalPlatform;
  directory: NationalDirectory;
  /** Persists the "may have been sent" marker of the claimed row just before its transaction is posted; false when the claim was lost. */
  markSent: (work: RelayWork) => Promise<boolean>;
}

function practitionerIds(resources: readonly LocalResource[]): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'reference' && typeof child === 'string' && child.startsWith('Practitioner/')) found.add(child.slice('Practitioner/'.length));
        else walk(child);
      }
    }
  };
  resources.forEach((r) => walk(r.resource));
  return [...found].sort();
}

/**
 * After an answer was lost (or the platform says "duplicate"), the platform may hold resources
 * whose national ids the gateway has not learnt: find the entries the bundle would create by their
 * SATUSEHAT identifiers (satusehat-api.md §5.3). Every transaction of a submission carries its
 * Encounter (first in the bundle): when the Encounter is to be created and is not there, no earlier
 * transaction was stored (all-or-nothing, §5.4) and the look-up stops. Otherwise every POST entry
 * is looked for, since an updated version may add entries beside those an earlier one created.
 * `found` holds what was found (kept across attempts, so a flaky platform does not make the relay
 * start over); `absent` means at least one entry is not there.
 */
interface Lookup {
  found: Record<string, string>;
  absent: boolean;
  problem?: DeliveryResult;
}

async function lookUp(deps: DeliverDeps, creds: NationalCredentials, entries: readonly PlannedEntry[], signal?: AbortSignal): Promise<Lookup> {
  const found: Record<string, string> = {};
  let absent = false;
  for (const e of entries) {
    if (e.method === 'PUT') continue;
    if (!e.identifier) {
      absent = true;
      continue;
    }
    const q = encodeURIComponent(`${e.identifier.system}|${e.identifier.value}`);
    const res = await deps.platform.request(creds, { method: 'GET', path: `/${e.resourceType}?identifier=${q}` }, 'identifier-search', signal);
    if (res.kind !== 'response' || res.status !== 200) return { found, absent, problem: problem(res, creds.organizationId) };
    const hits = (res.body as { entry?: { resource?: Resource }[] } | undefined)?.entry ?? [];
    const id = hits.length === 1 ? hits[0]?.resource?.id : undefined;
    if (id) found[e.ref] = id;
    else if (e.resourceType === 'Encounter') return { found, absent: true };
    else absent = true;
  }
  return { found, absent };
}

/** A look-up that could not finish: retry later, keeping the national ids learnt so far. */
function interrupted(l: Lookup, known: Record<string, string>): DeliveryResult | undefined {
  if (!l.problem) return undefined;
  return l.problem.kind === 'retry' ? { ...l.problem, ids: { ...known, ...l.found } } : l.problem;
}

/** Ids the plan already knows: the patient's IHS number and every PUT entry's national id. */
function knownIds(entries: readonly PlannedEntry[], ids: Readonly<Record<string, string>>, patient: LocalResource | undefined, ihs: string): Record<string, string> {
  return { ...(patient ? { [patient.ref]: ihs } : {}), ...putIds(entries, ids) };
}

/**
 * Sends this version's bundle. A look-up only LEARNS national ids; the bundle is then rebuilt for
 * this version (PUT for what the platform holds, POST for the rest) and sent. The visit is
 * delivered on a 200 transaction-response to this version's own bundle, or (after a lost answer)
 * when this same outbox row was posted before and everything it creates is found: the transaction
 * is all-or-nothing (§5.4), so its content is there.
 */
async function send(deps: DeliverDeps, creds: NationalCredentials, s: SubmissionRecord, resources: LocalResource[], ihs: string, work: RelayWork, signal?: AbortSignal): Promise<DeliveryResult> {
  const patient = resources.find((r) => r.resource.resourceType === 'Patient');
  const patientRef = { ref: patient?.ref ?? '', ihs };
  let ids: Record<string, string> = { ...s.nationalIds };
  let plan = buildNationalBundle(resources, ids, patientRef);
  // A previous attempt (of this version or an earlier one) may have been stored with its answer
  // lost: learn what the platform holds before sending again (sent_at, migration 0004).
  if ((work.sentBefore || work.mayHaveSent) && plan.entries.some((e) => e.method === 'POST')) {
    const l = await lookUp(deps, creds, plan.entries, signal);
    const stop = interrupted(l, knownIds(plan.entries, ids, patient, ihs));
    if (stop) return stop;
    if (!l.absent && work.sentBefore) return { kind: 'delivered', ids: { ...knownIds(plan.entries, ids, patient, ihs), ...l.found } };
    ids = { ...ids, ...l.found };
    plan = buildNationalBundle(resources, ids, patientRef);
  }
  for (let round = 0; round < 2; round += 1) {
    const { bundle, entries } = plan;
    const known = knownIds(entries, ids, patient, ihs);
    if (!(await deps.markSent(work))) return { kind: 'retry', error: 'lost the claim before sending', upstream: false, ids: known };
    const sent = await deps.platform.request(creds, { method: 'POST', path: '', json: bundle }, 'transaction', signal);
    if (sent.kind === 'response' && sent.status === 200) {
      const answered = idsFromResponse(entries, sent.body);
      if (answered) return { kind: 'delivered', ids: { ...known, ...answered } };
      return { kind: 'retry', error: 'transaction-response without an id for every entry', upstream: true, transient: true, ids: known };
    }
    if (!isDuplicate(sent)) {
      const result = problem(sent, creds.organizationId);
      return result.kind === 'retry' ? { ...result, ids: known } : result;
    }
    // "Duplicate" (§5.3): the platform holds some of the POST entries. Learn their ids, then send
    // this version again as updates of those (once; a second "duplicate" is not resolved here).
    const l = await lookUp(deps, creds, entries, signal);
    const stop = interrupted(l, known);
    if (stop) return stop;
    if (round === 1 || Object.keys(l.found).length === 0) break;
    ids = { ...ids, ...l.found };
    plan = buildNationalBundle(resources, ids, patientRef);
  }
  const missing = plan.entries.find((e) => e.method === 'POST' && !e.identifier) ?? plan.entries.find((e) => e.method === 'POST');
  return failed('RELAY-DUPLICATE-UNRESOLVED', { reference: missing?.ref ?? 'an entry' });
}

function putIds(entries: readonly PlannedEntry[], ids: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(entries.filter((e) => e.method === 'PUT').map((e) => [e.ref, ids[e.ref] ?? '']));
}

/** One attempt at delivering one outbox row. Never throws for expected failures: they are values. */
export async function deliver(deps: DeliverDeps, work: RelayWork, signal?: AbortSignal): Promise<DeliveryResult> {
  const visit = work.visit ?? (await deps.visits.loadVisit(work));
  const s = visit?.submission;
  if (!visit || !s || s.version > work.submissionVersion) return { kind: 'superseded' };
  let creds: NationalCredentials | undefined;
  try {
    creds = await deps.credentials.get(s.organizationId);
  } catch (err) {
    return { kind: 'paused', reason: `credentials of organization ${s.organizationId} cannot be opened (CREDENTIALS_KEY?): ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!creds) return { kind: 'paused', reason: `no national platform credentials for organization ${s.organizationId}: set NATIONAL_CLIENT_ID/NATIONAL_ORG_ID or PUT /admin/v1/credentials/${s.organizationId}, then DELETE /admin/v1/organizations/${s.organizationId}/pause` };
  const resources: LocalResource[] = visit.resources;
  const patient = resources.find((r) => r.resource.resourceType === 'Patient');
  if (!resources.some((r) => r.resource.resourceType === 'Encounter')) return failed('RELAY-NO-ENCOUNTER');
  let ihs = patient ? s.nationalIds[patient.ref] : undefined;
  if (!ihs && patient) {
    const resolved = await deps.directory.patient(creds, patient.resource as Patient, signal);
    if (!resolved.ok) return resolved.result;
    ihs = resolved.value;
  }
  for (const id of practitionerIds(resources)) {
    const known = await deps.directory.practitioner(creds, id, signal);
    if (!known.ok) return known.result;
  }
  return send(deps, creds, s, resources, ihs ?? '', work, signal);
}
