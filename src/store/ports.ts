import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';

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
}

export type SaveOutcome =
  /** First receipt. */
  | { kind: 'created'; submission: SubmissionRecord }
  /** Same payload hash as the current version: nothing written. */
  | { kind: 'unchanged'; submission: SubmissionRecord }
  /** Changed payload: a new version of the same resources, and a new outbox row. */
  | { kind: 'updated'; submission: SubmissionRecord };

export interface SubmissionStore {
  /** Writes submission, resources, history and one outbox row in one database transaction. */
  saveSubmission(input: SaveSubmissionInput): Promise<SaveOutcome>;
  getSubmission(id: string): Promise<SubmissionRecord | undefined>;
  findSubmission(organizationId: string, submissionId: string): Promise<SubmissionRecord | undefined>;
}

export interface ResourceStore {
  read(resourceType: string, id: string): Promise<StoredResource | undefined>;
  vread(resourceType: string, id: string, versionId: number): Promise<StoredResource | undefined>;
  history(resourceType: string, id: string): Promise<StoredResource[]>;
  /** Resources whose identifier matches exactly (used for NIK lookups and conditional updates). */
  findByIdentifier(resourceType: string, system: string, value: string): Promise<StoredResource[]>;
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

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly submissions: SubmissionStore;
  readonly resources: ResourceStore;
  readonly outbox: OutboxStore;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
