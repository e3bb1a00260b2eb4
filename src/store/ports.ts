import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';
import type { ApiClientStore, AssertionReplayStore } from './client-ports';
import type { AuditStore } from './audit-ports';
import type { ConsoleUserStore } from './console-ports';
import type { IntakeQueue } from './intake-queue-ports';
import type { FhirStores } from './fhir-ports';
import type { PwsStore, VisitContributions } from './pws-ports';
import type { EntryResult } from '../write-plan/decide';
import type { WritePlan } from '../write-plan/plan';
import type { PwsReportStore } from './pws-report-ports';
import type { OpsStore } from './ops-ports';

/**
 * What the rest of the gateway sees of storage. Implementations live beside this file
 * (TypeORM on PostgreSQL or PGlite); nothing outside store/ imports typeorm.
 */

export type SubmissionStatus = 'accepted' | 'relaying' | 'delivered' | 'rejected' | 'failed';

export interface ResourceRef {
  resourceType: string;
  id: string;
  versionId: number;
}

export interface StoredResource<T extends Resource = Resource> {
  resourceType: string;
  id: string;
  versionId: number;
  /** ISO instant with +00:00 offset. */
  lastUpdated: string;
  deleted: boolean;
  /** The resource with meta.versionId and meta.lastUpdated set. Absent when deleted. */
  resource?: T;
}

export interface SubmissionRecord {
  /** Gateway id (UUID), used in /ilp/v1/submissions/{id}. */
  id: string;
  organizationId: string;
  /** The vendor's own id for the visit (unique per organisation). */
  submissionId: string;
  /** 1 on first receipt; +1 each time a changed payload is re-sent. */
  version: number;
  status: SubmissionStatus;
  payloadHash: string;
  receivedAt: string;
  updatedAt: string;
  /** Resources written by the current version. */
  resources: ResourceRef[];
  /** Resources the current version no longer contains (deleted in this version). */
  removed: ResourceRef[];
  /** Warnings produced at intake (interpretation disagreements, eligibility...). */
  warnings: OperationOutcomeIssue[];
  /** National ids by local `Type/id`, filled by the relay. */
  nationalIds: Record<string, string>;
  /** The national platform's OperationOutcome when it rejected the submission. */
  nationalOutcome?: OperationOutcome;
}

export interface SaveSubmissionInput {
  organizationId: string;
  submissionId: string;
  /** The normalised vendor payload, kept for audit and re-mapping. */
  payload: unknown;
  /** sha256 hex of the canonical payload; equal hash → idempotent re-send. */
  payloadHash: string;
  /**
   * A FHIR transaction Bundle: every entry has `fullUrl: urn:uuid:<id>` and either
   * `request: PUT <Type>/<id>` (update-as-create with a client-chosen id) or a conditional
   * `request: PUT <Type>?identifier=<system>|<value>` (update the match, or create).
   * References between entries use the urn:uuid fullUrls; the store rewrites them to `Type/id`.
   */
  bundle: Bundle;
  warnings: OperationOutcomeIssue[];
  /** What the visit contributes to village monitoring (PWS), written in the same transaction. */
  contributions?: VisitContributions;
}

export type SaveOutcome =
  /** First receipt. */
  | { kind: 'created'; submission: SubmissionRecord }
  /** Same payload hash as the current version: nothing written. */
  | { kind: 'unchanged'; submission: SubmissionRecord }
  /** Changed payload: a new version of the same resources, and a new outbox row. */
  | { kind: 'updated'; submission: SubmissionRecord };

/** What writing a plan did: the submission, and per plan entry its resource and 201/200. */
export interface WriteOutcome {
  saved: SaveOutcome;
  /** In entry order (FHIR transactions; empty for an unchanged ILP visit). */
  results: EntryResult[];
}

export interface SubmissionStore {
  /**
   * Writes a decided plan (src/write-plan): submission, resources, history, identifiers, search
   * index, PWS contributions and one outbox row in one database transaction, set-based.
   */
  write(plan: WritePlan): Promise<WriteOutcome>;
  /** Several plans in one transaction (group commit); each gets its outcome, or the error it alone met. */
  writeMany(plans: readonly WritePlan[]): Promise<(WriteOutcome | { error: unknown })[]>;
  /** planSubmission(input), written: for callers holding a mapped Bundle (tests, tools). */
  saveSubmission(input: SaveSubmissionInput): Promise<SaveOutcome>;
  getSubmission(id: string): Promise<SubmissionRecord | undefined>;
  findSubmission(organizationId: string, submissionId: string): Promise<SubmissionRecord | undefined>;
}

/**
 * Which stored rows a caller may see (decided by src/auth/access-decision.ts, applied in SQL by the
 * store): rows of these organisations (`organization_id`), about patients residing under these
 * Kemendagri code prefixes (`residence`). 'all' = no restriction on that axis.
 */
export interface AccessFilter {
  organizations: 'all' | string[];
  regions: 'all' | string[];
}

/** Who a write is for: every version it stores carries this organisation (docs/decisions/0010). */
export interface WriteOwner {
  organizationId: string;
}

export interface ResourceStore {
  /** Without a filter: everything (internal callers such as the relay); with one: only what it lets through (else undefined). */
  read(resourceType: string, id: string, filter?: AccessFilter): Promise<StoredResource | undefined>;
  vread(resourceType: string, id: string, versionId: number, filter?: AccessFilter): Promise<StoredResource | undefined>;
  history(resourceType: string, id: string, filter?: AccessFilter): Promise<StoredResource[]>;
  /** Resources whose identifier matches exactly (used for NIK lookups and conditional updates). */
  findByIdentifier(resourceType: string, system: string, value: string): Promise<StoredResource[]>;
}

/** Which child's weighings, before which instant, recorded by which organisation (mapping/history.ts). */
export interface WeighingQuery {
  organizationId: string;
  /** The Patient's identifiers (NIK, or the newborn key): any of them finds the child. */
  patient: readonly { system: string; value: string }[];
  /** Only weighings measured strictly before this UTC instant (measurement date, not arrival order). */
  before: string;
  /** The visit's own submissionId: its stored weighing is never its own history (re-sends). */
  excludeSubmissionId: string;
  limit: number;
}

export interface WeighingRecord {
  effectiveUtc: string;
  weightKg: number;
}

/** Earlier body weights of a child, newest first, for the weight gain N/T/O/B (issue 9). */
export interface WeighingHistory {
  previousWeighings(query: WeighingQuery): Promise<WeighingRecord[]>;
}

export interface OutboxRow {
  id: string;
  submissionPk: string;
  submissionVersion: number;
  status: 'pending' | 'claimed' | 'done' | 'failed';
  attempts: number;
  availableAt: string;
  createdAt: string;
}

export interface OutboxStore {
  /** Read-only view used by tests and operations until the relay lands. */
  list(limit?: number): Promise<OutboxRow[]>;
  countPending(): Promise<number>;
}

/** One claimed outbox row: a submission version the relay must deliver (issue #4). */
export interface RelayWork {
  outboxId: string;
  submissionPk: string;
  submissionVersion: number;
  organizationId: string;
  /** Including this claim (1 on the first attempt). */
  attempts: number;
  /** This row's transaction was posted by an earlier claim, whose answer may have been lost (outbox.sent_at, migration 0004). */
  sentBefore: boolean;
  /** Some version of this submission was posted: the platform may hold resources whose national ids the gateway has not learnt. */
  mayHaveSent: boolean;
  /** Since the row was queued (or last re-queued): transient failures are retried up to RELAY_MAX_RETRY_HOURS. */
  ageMs: number;
  /** What this claim sends, loaded with the claim (one statement for a batch); absent: ask loadVisit. */
  visit?: RelayVisit;
}

/** What one delivery sends: the submission as stored now and the current content of the resources its version wrote (deleted ones left out). */
export interface RelayVisit {
  submission: SubmissionRecord;
  /** `ref` is the local `Type/id`, in the submission's order. */
  resources: { ref: string; resource: Resource }[];
}

export interface RelayProblem {
  /** Gateway submission id (as in /ilp/v1/submissions/{id}). */
  id: string;
  submissionId: string;
  organizationId: string;
  status: 'failed' | 'rejected';
  version: number;
  attempts: number;
  lastError?: string;
  nationalOutcome?: OperationOutcome;
  updatedAt: string;
}

export interface RelayEvent {
  kind: 'delivered' | 'retry' | 'rejected' | 'failed' | 'requeued' | 'superseded';
  detail: Record<string, unknown>;
  at: string;
}

export interface QueueStats {
  /** Rows waiting (pending) or being sent (claimed). */
  pending: number;
  claimed: number;
  failed: number;
  /** Age of the oldest pending or claimed row, 0 when the queue is empty. */
  oldestSeconds: number;
}

/** A delivered row's timing, for delivery-latency figures (scripts/soak.mjs). */
export interface Delivery {
  submissionPk: string;
  createdAt: string;
  doneAt: string;
}

/**
 * The relay's view of the outbox. Claims use FOR UPDATE SKIP LOCKED with a lease: several
 * processes share one database, and a row whose claimer died is claimed again after the lease.
 * Finishing calls name the claimer: a worker whose lease ran out cannot finish a row it lost.
 */
export interface RelayStore {
  claim(worker: string, limit: number, leaseSeconds: number): Promise<RelayWork[]>;
  /**
   * Heartbeat: extends the lease of these claims by `leaseSeconds` from now, if this worker still
   * holds them (fenced by the attempt number); returns the outbox ids it still holds.
   */
  renew(worker: string, works: readonly RelayWork[], leaseSeconds: number): Promise<string[]>;
  /** The submission of a claimed row and the resources to send; undefined when the submission is gone. */
  loadVisit(work: RelayWork): Promise<RelayVisit | undefined>;
  /** Delivered: outbox done, national ids merged, submission delivered (if still at this version). */
  complete(work: RelayWork, worker: string, nationalIds: Record<string, string>): Promise<boolean>;
  /** A newer version of the submission exists: its own row sends the current state. */
  supersede(work: RelayWork, worker: string): Promise<boolean>;
  /** Transient failure: back to pending after `delayMs`; `nationalIds` learnt so far are kept. */
  retry(work: RelayWork, worker: string, delayMs: number, error: string, nationalIds?: Record<string, string>): Promise<boolean>;
  /** The national platform refused the content (permanent 4xx): submission rejected with its outcome. */
  reject(work: RelayWork, worker: string, outcome: OperationOutcome): Promise<boolean>;
  /** Gave up (attempts exhausted, no credentials, patient unknown): submission failed with the reason. */
  fail(work: RelayWork, worker: string, outcome: OperationOutcome): Promise<boolean>;
  /** Graceful stop: this worker's claimed rows go back to pending at once. */
  release(worker: string): Promise<number>;
  /**
   * Records, before the transaction is posted, that this row may reach the platform: every later
   * claim then looks the visit up before sending again. False when the claim was lost.
   */
  markSent(work: RelayWork, worker: string): Promise<boolean>;
  /** The organisation's credentials or token were refused: pause it, the item stays pending without using an attempt. */
  pauseOrganization(work: RelayWork, worker: string, reason: string): Promise<boolean>;
  /** Failed or rejected submissions back to the queue; returns the gateway ids re-queued. */
  requeue(ids: readonly string[], reason: string): Promise<string[]>;
  listProblems(filter: { status?: 'failed' | 'rejected'; organizationId?: string; limit?: number }): Promise<RelayProblem[]>;
  events(submissionId: string): Promise<RelayEvent[]>;
  pause(organizationId: string, reason: string): Promise<void>;
  resume(organizationId: string): Promise<boolean>;
  listPaused(): Promise<{ organizationId: string; reason: string; pausedAt: string }[]>;
  stats(): Promise<QueueStats>;
  deliveries(limit: number): Promise<Delivery[]>;
  /** Retention: deletes delivered outbox rows and relay events older than `days`. */
  purge(days: number): Promise<{ outbox: number; events: number }>;
}

/** National credentials of one organisation; the secret is sealed by the relay, never stored in clear. */
export interface CredentialRecord {
  organizationId: string;
  clientId: string;
  sealedSecret: string;
  updatedAt: string;
}

export interface CredentialStore {
  put(organizationId: string, clientId: string, sealedSecret: string): Promise<void>;
  get(organizationId: string): Promise<CredentialRecord | undefined>;
  list(): Promise<Omit<CredentialRecord, 'sealedSecret'>[]>;
  remove(organizationId: string): Promise<boolean>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly submissions: SubmissionStore;
  /** Visits accepted but not yet written (INTAKE_MODE=queued, src/store/intake-queue-ports.ts). */
  readonly intakeQueue: IntakeQueue;
  readonly resources: ResourceStore;
  readonly outbox: OutboxStore;
  /** FHIR search, FHIR transactions and Bulk export jobs (src/store/fhir-ports.ts). */
  readonly fhir: FhirStores;
  readonly relay: RelayStore;
  readonly credentials: CredentialStore;
  /** Village monitoring: contributions and targets (src/store/pws-ports.ts). */
  readonly pws: PwsStore;
  /** The monthly village MeasureReports and their run table (src/store/pws-report-ports.ts). */
  readonly pwsReports: PwsReportStore;
  /** API clients and the shared assertion replay cache (src/store/client-ports.ts). */
  readonly clients: ApiClientStore;
  readonly assertions: AssertionReplayStore;
  /** The audit trail (src/store/audit-ports.ts). */
  readonly audit: AuditStore;
  /** People using the web console and their sessions (src/store/console-ports.ts). */
  readonly console: ConsoleUserStore;
  readonly weighings: WeighingHistory;
  /** Operations console data: intake attempts, transaction log, conformance, relay health (src/store/ops-ports.ts). */
  readonly ops: OpsStore;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
