import type { Patient, Resource } from 'fhir/r4';
import type { RelayWork, ResourceStore, SubmissionRecord, SubmissionStore } from '../store/ports';
import type { CredentialProvider, NationalCredentials } from './credentials';
import type { NationalDirectory } from './directory';
import { buildNationalBundle, idsFromResponse, type LocalResource, type PlannedEntry } from './national-bundle';
import type { NationalPlatform } from './national-platform';
import { failed, isDuplicate, problem, type DeliveryResult } from './outcome';

export interface DeliverDeps {
  submissions: SubmissionStore;
  resources: ResourceStore;
  credentials: CredentialProvider;
  platform: NationalPlatform;
  directory: NationalDirectory;
}

/** Loads what the current version of the submission wrote (deleted resources are not sent). */
async function load(deps: DeliverDeps, s: SubmissionRecord): Promise<LocalResource[]> {
  const out: LocalResource[] = [];
  for (const ref of s.resources) {
    const stored = await deps.resources.read(ref.resourceType, ref.id);
    if (stored?.resource) out.push({ ref: `${ref.resourceType}/${ref.id}`, resource: stored.resource });
  }
  return out;
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
 * After an answer was lost (or the platform says "duplicate"), the visit may already be there:
 * find the entries the platform should have created by their SATUSEHAT identifiers (satusehat-api.md
 * §5.3). `found` holds what was found so far (kept across attempts, so a flaky platform does not
 * make the relay start over); `absent` means the platform does not have an entry, so (the
 * transaction being all-or-nothing, §5.4) the visit was never stored.
 */
interface Lookup {
  found: Record<string, string>;
  absent: boolean;
  problem?: DeliveryResult;
}

async function lookUp(deps: DeliverDeps, creds: NationalCredentials, entries: readonly PlannedEntry[], signal?: AbortSignal): Promise<Lookup> {
  const found: Record<string, string> = {};
  for (const e of entries) {
    if (e.method === 'PUT') continue;
    if (!e.identifier) return { found, absent: true };
    const q = encodeURIComponent(`${e.identifier.system}|${e.identifier.value}`);
    const res = await deps.platform.request(creds, { method: 'GET', path: `/${e.resourceType}?identifier=${q}` }, 'identifier-search', signal);
    if (res.kind !== 'response' || res.status !== 200) return { found, absent: false, problem: problem(res, creds.organizationId) };
    const hits = (res.body as { entry?: { resource?: Resource }[] } | undefined)?.entry ?? [];
    const id = hits.length === 1 ? hits[0]?.resource?.id : undefined;
    if (!id) return { found, absent: true };
    found[e.ref] = id;
  }
  return { found, absent: false };
}

/** A lookup that found everything → delivered; interrupted → retry keeping what was found; absent → undefined (send). */
function fromLookup(l: Lookup, known: Record<string, string>): DeliveryResult | undefined {
  if (l.problem) return l.problem.kind === 'retry' ? { ...l.problem, ids: { ...known, ...l.found } } : l.problem;
  if (l.absent) return undefined;
  return { kind: 'delivered', ids: { ...known, ...l.found } };
}

async function send(deps: DeliverDeps, creds: NationalCredentials, s: SubmissionRecord, resources: LocalResource[], ihs: string, work: RelayWork, signal?: AbortSignal): Promise<DeliveryResult> {
  const patient = resources.find((r) => r.resource.resourceType === 'Patient');
  const { bundle, entries } = buildNationalBundle(resources, s.nationalIds, { ref: patient?.ref ?? '', ihs });
  const known = { ...(patient ? { [patient.ref]: ihs } : {}), ...putIds(entries, s) };
  // A previous attempt may have been stored with its answer lost: look before sending again.
  if (work.attempts > 1 && entries.some((e) => e.method === 'POST')) {
    const before = fromLookup(await lookUp(deps, creds, entries, signal), known);
    if (before) return before;
  }
  const sent = await deps.platform.request(creds, { method: 'POST', path: '', json: bundle }, 'transaction', signal);
  if (sent.kind === 'response' && sent.status === 200) {
    const ids = idsFromResponse(entries, sent.body);
    if (ids) return { kind: 'delivered', ids: { ...known, ...ids } };
    return { kind: 'retry', error: 'transaction-response without an id for every entry', upstream: true, ids: known };
  }
  if (isDuplicate(sent)) {
    const after = fromLookup(await lookUp(deps, creds, entries, signal), known);
    if (after) return after;
    const missing = entries.find((e) => e.method === 'POST' && !e.identifier) ?? entries.find((e) => e.method === 'POST');
    return failed('RELAY-DUPLICATE-UNRESOLVED', { reference: missing?.ref ?? 'an entry' });
  }
  const result = problem(sent, creds.organizationId);
  return result.kind === 'retry' ? { ...result, ids: known } : result;
}

function putIds(entries: readonly PlannedEntry[], s: SubmissionRecord): Record<string, string> {
  return Object.fromEntries(entries.filter((e) => e.method === 'PUT').map((e) => [e.ref, s.nationalIds[e.ref] ?? '']));
}

/** One attempt at delivering one outbox row. Never throws for expected failures: they are values. */
export async function deliver(deps: DeliverDeps, work: RelayWork, signal?: AbortSignal): Promise<DeliveryResult> {
  const s = await deps.submissions.getSubmission(work.submissionPk);
  if (!s || s.version > work.submissionVersion) return { kind: 'superseded' };
  const creds = await deps.credentials.get(s.organizationId);
  if (!creds) return failed('RELAY-NO-CREDENTIALS', { organizationId: s.organizationId });
  const resources = await load(deps, s);
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
