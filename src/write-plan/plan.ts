import { randomUUID } from 'node:crypto';
import type { Bundle, FhirResource, OperationOutcomeIssue, Resource } from 'fhir/r4';
import { v5 as uuidv5 } from 'uuid';
import type { VisitContributions } from '../store/pws-ports';
import { parseEntryRequest, type EntryRequest } from './entry-request';
import { unsupportedBundle } from './errors';

/**
 * The write plan (issue 12, docs/decisions/0018): what one visit or FHIR transaction writes, decided
 * before the database is asked anything. The transaction-entry rules (PUT by id, conditional update,
 * conditional create, ifMatch, urn:uuid references) are applied here, once; what only the database
 * can tell (identifier matches, current versions) is read by the store in one statement under the
 * plan's locks and turned into versions by `decide` (decide.ts), which is pure as well.
 */

/** Which resource an entry writes: a known id, or whatever the organisation's resource with one of these identifiers is. */
export type PlanTarget =
  | { kind: 'id'; id: string }
  | {
    kind: 'identifier';
    /** As the client wrote it, for error messages. */
    url: string;
    /** Any of them matches (FHIR search.html#combining); `system` undefined matches any system. */
    any: { system: string | undefined; value: string }[];
    /** The id when nothing matches: the resource's own id, or one chosen now (a retry reuses it). */
    newId: string;
  };

export interface PlanEntry {
  /** Position in the request Bundle. */
  index: number;
  resourceType: string;
  fullUrl?: string;
  /** As received: `urn:uuid:` references are rewritten by decide, once the ids are known. */
  resource: Resource;
  target: PlanTarget;
  /** On an identifier match: `update` the match (conditional update), or `keep` it unchanged (conditional create, http.html#ccreate). */
  onMatch: 'update' | 'keep';
  /** http.html#concurrency: the version the client last saw; another current version is 412. */
  ifMatch?: number;
  /**
   * Found by identifier, or a Patient (the organisation's local Patient of a NIK, docs/decisions/0010):
   * other submissions use it too, so it is never deleted on their behalf.
   */
  shared: boolean;
}

export interface WritePlan {
  organizationId: string;
  submissionId: string;
  source: 'ilp' | 'fhir';
  /** Kept as the submission payload. */
  payload: unknown;
  payloadHash: string;
  warnings: OperationOutcomeIssue[];
  /** What the visit contributes to village monitoring, replaced in the same transaction. */
  contributions?: VisitContributions;
  /** In request order. */
  entries: PlanEntry[];
  /** Advisory-lock keys of every conditional match, sorted: taken first, in this order, by every writer. */
  lockKeys: string[];
  /** Literal `Type/id` references to resources the plan does not write (ownership, subject residence and region). */
  references: string[];
  /**
   * The gateway submission id to give a new submission row: the one a queued visit's 202 already
   * named (INTAKE_MODE=queued, src/pipeline/materialise.ts). Absent: a new id is chosen at the write.
   */
  submissionPk?: string;
  /**
   * The API client that sent this version, written with it (submission_version.client_id, issue 11):
   * a queued visit's, carried by its queue row. Absent: the direct intake attributes the version
   * after its answer (src/api/intake-attempts.middleware.ts).
   */
  clientId?: string;
}

/** What the ILP pipeline (and tests) hand over: a mapped transaction Bundle of PUT entries. */
export interface SubmissionPlanInput {
  organizationId: string;
  submissionId: string;
  payload: unknown;
  payloadHash: string;
  /** PUT `Type/id` or PUT `Type?identifier=…` entries; references between them use urn:uuid fullUrls. */
  bundle: Bundle;
  warnings: OperationOutcomeIssue[];
  contributions?: VisitContributions;
}

/** One entry of a FHIR transaction, already decided by fhir-rest: create, update by id, conditional create or update. */
export type TransactionEntry =
  | { kind: 'create'; resourceType: string; fullUrl?: string; resource: FhirResource }
  /** `ifMatch`: the version the client last saw (http.html#concurrency); another current version → 412. */
  | { kind: 'put'; url: string; fullUrl?: string; resource: FhirResource; ifMatch?: number }
  | { kind: 'create-if-none'; resourceType: string; system?: string; value: string; fullUrl?: string; resource: FhirResource };

export interface TransactionPlanInput {
  organizationId: string;
  submissionId: string;
  /** True when submissionId came from Bundle.identifier: ids of created resources are derived from it (idempotent re-send). */
  stableIds: boolean;
  /** The Bundle as received, kept as the submission payload. */
  bundle: Bundle;
  payloadHash: string;
  entries: TransactionEntry[];
  contributions?: VisitContributions;
}

/**
 * The people whose PWS year membership a plan may change (its contribution rows' person and both
 * keys of a re-keyed newborn). People are counted across organisations, so their lock keys are not
 * per organisation (src/store/pws-year.ts): two visits of one person recompute it one after the other.
 */
export function pwsPeopleOf(plan: Pick<WritePlan, 'contributions'>): string[] {
  const c = plan.contributions;
  return c ? [...new Set([...c.rows.map((r) => r.personKey), ...c.aliases.flatMap((a) => [a.from, a.to])])] : [];
}
export const pwsPersonLock = (person: string): string => `pws-person:${person}`;

/**
 * Every advisory key writing the plan takes: its conditional matches and its PWS people (locked
 * across organisations). Two plans sharing one are never written by concurrent transactions that
 * could take them in a cycle (`$import` groups, the materialiser's rounds).
 */
export function planLockKeys(plan: Pick<WritePlan, 'lockKeys' | 'contributions'>): string[] {
  return [...(plan.lockKeys ?? []), ...pwsPeopleOf(plan).map(pwsPersonLock)];
}

/**
 * The advisory-lock key of a conditional match: matches are per organisation, so two
 * organisations creating their own Patient for one NIK do not wait for each other.
 */
export function identifierLockKey(organizationId: string, resourceType: string, value: string): string {
  return `${organizationId}|${resourceType}|${value}`;
}

const LITERAL = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/** Literal `Type/id` references of a resource (urn:uuid references are not literal). */
export function literalReferences(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) literalReferences(v, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string' && LITERAL.test(child)) out.add(child);
    else literalReferences(child, out);
  }
}

function fromRequest(request: EntryRequest, index: number, fullUrl: string | undefined): PlanEntry {
  const base = { index, resourceType: request.resourceType, resource: request.resource, ...(fullUrl !== undefined ? { fullUrl } : {}) };
  if (request.kind === 'id') return { ...base, target: { kind: 'id', id: request.id }, onMatch: 'update', shared: request.resourceType === 'Patient' };
  const newId = request.resource.id ?? randomUUID();
  return { ...base, target: { kind: 'identifier', url: request.url, any: request.any, newId }, onMatch: 'update', shared: true };
}

function finish(head: Omit<WritePlan, 'lockKeys' | 'references'>): WritePlan {
  const keys = new Set<string>();
  const refs = new Set<string>();
  for (const e of head.entries) {
    if (e.target.kind === 'identifier') for (const k of e.target.any) keys.add(identifierLockKey(head.organizationId, e.resourceType, k.value));
    literalReferences(e.resource, refs);
  }
  for (const e of head.entries) if (e.target.kind === 'id') refs.delete(`${e.resourceType}/${e.target.id}`);
  return { ...head, lockKeys: [...keys].sort(), references: [...refs].sort() };
}

/** The plan of an ILP visit (or any PUT-only transaction Bundle handed to the submission store). */
export function planSubmission(input: SubmissionPlanInput): WritePlan {
  const { bundle } = input;
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') {
    unsupportedBundle('Bundle.type', `the store takes a transaction Bundle, not ${bundle.type}`);
  }
  const entries = (bundle.entry ?? []).map((entry, index) => fromRequest(parseEntryRequest(entry, index), index, entry.fullUrl));
  return finish({
    organizationId: input.organizationId, submissionId: input.submissionId, source: 'ilp', payload: input.payload,
    payloadHash: input.payloadHash, warnings: input.warnings, entries, ...(input.contributions ? { contributions: input.contributions } : {}),
  });
}

const ID_NAMESPACE = '8d7c3f0e-5b1a-4c3e-9a57-2f1d6e0b9c41';

function newId(input: TransactionPlanInput, e: TransactionEntry, index: number): string {
  // With Bundle.identifier a re-sent Bundle maps onto the same resources, as an ILP re-send does.
  // Keyed by entry position and type, not fullUrl: vendors mint fresh urn:uuids for every send.
  const type = e.kind === 'put' ? '' : e.resourceType;
  return input.stableIds ? uuidv5(`${input.organizationId}|${input.submissionId}|${index}|${type}`, ID_NAMESPACE) : randomUUID();
}

function transactionEntry(input: TransactionPlanInput, e: TransactionEntry, index: number): PlanEntry {
  if (e.kind === 'put') {
    const entry = fromRequest(parseEntryRequest({ request: { method: 'PUT', url: e.url }, resource: e.resource }, index), index, e.fullUrl);
    return e.ifMatch !== undefined ? { ...entry, ifMatch: e.ifMatch } : entry;
  }
  const id = newId(input, e, index);
  const { id: _ignored, ...body } = e.resource;
  const resource = { ...body, id } as Resource;
  const base = { index, resourceType: e.resourceType, fullUrl: e.fullUrl ?? `urn:uuid:${id}`, resource, shared: e.resourceType === 'Patient' };
  if (e.kind === 'create') return { ...base, target: { kind: 'id', id }, onMatch: 'update' };
  const url = `${e.resourceType}?identifier=${e.system ? `${e.system}|` : ''}${e.value}`;
  return { ...base, target: { kind: 'identifier', url, any: [{ system: e.system, value: e.value }], newId: id }, onMatch: 'keep' };
}

/** The plan of a FHIR transaction (http.html#transaction): POST, conditional POST, PUT, conditional PUT, ifMatch. */
export function planTransaction(input: TransactionPlanInput): WritePlan {
  return finish({
    organizationId: input.organizationId, submissionId: input.submissionId, source: 'fhir', payload: input.bundle,
    payloadHash: input.payloadHash, warnings: [], entries: input.entries.map((e, index) => transactionEntry(input, e, index)),
    ...(input.contributions ? { contributions: input.contributions } : {}),
  });
}
