import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import type { WritePlan } from '../write-plan/plan';
import type { SubmissionStatus, WriteOutcome } from './ports';

/**
 * The intake queue (INTAKE_MODE=queued, docs/decisions/0022): visits accepted durably at once and
 * written (materialised: resources, search index, PWS rows, outbox) after, by src/pipeline/materialise.ts.
 */

/** What accepting a visit keeps: the vendor's key, the validated payload and what intake said of it. */
export interface VisitToQueue {
  organizationId: string;
  submissionId: string;
  payload: unknown;
  /** payloadHash() of the payload (catalogue version included): equal hash, nothing to do. */
  payloadHash: string;
  warnings: OperationOutcomeIssue[];
  /** The API client that sent it: written with the version it becomes (submission_version.client_id, issue 11). */
  clientId?: string;
}

/** `received`: accepted, not yet written. `refused`: it could not be written; `refused` says why. */
export type QueuedState = 'received' | 'refused';

export interface AcceptOutcome {
  /** As the direct intake answers: first receipt, a changed payload, or the same payload again (nothing queued). */
  kind: 'created' | 'updated' | 'unchanged';
  /** The gateway submission id (GET /ilp/v1/submissions/{id}); the submission row takes it when written. */
  id: string;
  organizationId: string;
  submissionId: string;
  /** `received` while queued; the stored submission's status when the same payload was already written. */
  status: QueuedState | SubmissionStatus;
  /** The stored submission's version: 0 before its first write. */
  version: number;
}

/** A queued visit as a materialiser holds it. `ticket` changes whenever the payload does. */
export interface ClaimedVisit {
  id: string;
  ticket: string;
  organizationId: string;
  submissionId: string;
  payload: unknown;
  /** Claims so far, this one included. */
  attempts: number;
  /** The client that sent the queued payload (VisitToQueue.clientId); absent when unknown. */
  clientId?: string;
}

/** A queued visit as its status read shows it. */
export interface QueuedVisit {
  id: string;
  organizationId: string;
  submissionId: string;
  state: QueuedState;
  payloadHash: string;
  receivedAt: string;
  updatedAt: string;
  warnings: OperationOutcomeIssue[];
  attempts: number;
  refused?: OperationOutcome;
}

export interface IntakeQueueStats {
  /** Waiting to be written (leased ones included). */
  received: number;
  leased: number;
  refused: number;
  /** Age of the oldest visit waiting to be written; 0 when none. */
  oldestSeconds: number;
}

export interface IntakeQueue {
  /** One visit, durable when it resolves: an autocommitted statement, shared with the accepts made at the same moment. */
  accept(visit: VisitToQueue): Promise<AcceptOutcome>;
  /** Several visits with distinct keys in one statement (`$import`); each its outcome or the error it alone met. */
  acceptMany(visits: readonly VisitToQueue[]): Promise<(AcceptOutcome | { error: unknown })[]>;
  /** Up to `limit` visits, oldest ticket first, leased to `owner` for `leaseSeconds` (a crashed owner's lease runs out). */
  claim(owner: string, limit: number, leaseSeconds: number): Promise<ClaimedVisit[]>;
  /**
   * Writes claimed visits' plans in one transaction, each only if its ticket is still the one
   * claimed, and removes those from the queue in the same transaction; `superseded`: a newer
   * payload was accepted meanwhile (or another process wrote it), nothing written for it.
   */
  writeClaimed(items: readonly { visit: ClaimedVisit; plan: WritePlan }[]): Promise<(WriteOutcome | 'superseded' | { error: unknown })[]>;
  /**
   * After a round: `refused` keep their outcome (if their ticket is still the one claimed), `retry`
   * are not claimable for `afterSeconds`, and every other visit of `claimed` still leased to
   * `owner` is handed back at once.
   */
  finish(owner: string, claimed: readonly ClaimedVisit[], refused: readonly { visit: ClaimedVisit; outcome: OperationOutcome }[], retry: readonly { visit: ClaimedVisit; afterSeconds: number }[]): Promise<void>;
  /** Hands back every lease of `owner` (shutdown); returns how many. */
  release(owner: string): Promise<number>;
  get(id: string): Promise<QueuedVisit | undefined>;
  /** Seconds since the oldest visit waiting to be written was accepted (backing-off ones aside); undefined when none waits. */
  oldestSeconds(): Promise<number | undefined>;
  stats(): Promise<IntakeQueueStats>;
}
