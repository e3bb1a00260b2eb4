import type { EntryResult } from '../write-plan/decide';
import type { TransactionEntry, TransactionPlanInput, WritePlan } from '../write-plan/plan';
import type { Filter, SearchRequest } from '../fhir/search-request';
import type { AccessFilter, SaveOutcome, StoredResource } from './ports';

/**
 * What the FHIR API (src/fhir-rest) and the Bulk Data engine (src/export) see of storage:
 * search over the index, FHIR transactions recorded as submissions, and export jobs.
 */

export interface SearchResult {
  matches: StoredResource[];
  /** A further page exists. */
  hasMore: boolean;
  /** _include / _revinclude resources, each once, none of them a match. */
  included: StoredResource[];
  /** Known when asked for (_total=accurate, _summary=count) or when the first page holds everything. */
  total?: number;
}

export interface SearchStore {
  /** `filter`: the caller's access filter (src/auth/access-decision.ts), applied in SQL to matches, totals and includes. */
  search(req: SearchRequest, filter?: AccessFilter): Promise<SearchResult>;
}

export type { TransactionEntry } from '../write-plan/plan';
/** What fhir-rest hands over to plan a transaction (src/write-plan/plan.ts, planTransaction). */
export type SaveTransactionInput = TransactionPlanInput;
export type { EntryResult } from '../write-plan/decide';

export interface TransactionOutcome {
  saved: SaveOutcome;
  /** In entry order. */
  results: EntryResult[];
}

export interface FhirTransactionStore {
  /** Everything, or nothing (FHIR R4 http.html#trules), with the submission and its outbox row in the same transaction. */
  saveTransaction(plan: WritePlan): Promise<TransactionOutcome>;
  /** 403 when an entry would overwrite or refer to another organisation's stored resource (checked before a batch stores anything). */
  assertWritable(organizationId: string, entries: TransactionEntry[]): Promise<void>;
}

export type ExportStatus = 'accepted' | 'in-progress' | 'completed' | 'failed' | 'cancelled';

export interface ExportParams {
  level: 'system' | 'patient' | 'group';
  groupId?: string;
  types: string[];
  /** ISO instant: only resources changed after it (Bulk Data IG 2.0, _since). */
  since?: string;
  /** Per type, alternatives (ORed) of filter lists (ANDed), from _typeFilter. */
  typeFilters: Record<string, Filter[][]>;
  /**
   * The kick-off caller's access filter, decided before the job existed and stored with it: the
   * worker exports only what that caller may read. Absent only on jobs from before migration 0005,
   * which export nothing (see export-store.ts).
   */
  access?: AccessFilter;
}

export interface ExportFile { type: string; url: string; count: number }

export interface ExportProgress { exported: number; total: number; type?: string; /** Why a failed job failed. */ message?: string }

export interface ExportJob {
  id: string;
  status: ExportStatus;
  request: string;
  params: ExportParams;
  transactionTime: string;
  progress: ExportProgress;
  output: ExportFile[];
  error: ExportFile[];
  createdAt: string;
  expiresAt?: string;
}

export interface ExportRow { id: string; json: string }

export interface ExportStore {
  create(request: string, params: ExportParams): Promise<ExportJob>;
  get(id: string): Promise<ExportJob | undefined>;
  /** The oldest waiting job (or one whose worker stopped reporting for `staleSeconds`), claimed with FOR UPDATE SKIP LOCKED. */
  claim(worker: string, staleSeconds: number): Promise<ExportJob | undefined>;
  /** Patient ids a stored Group names (Group.member.entity); undefined when there is no such Group. */
  groupMembers(groupId: string, filter?: AccessFilter): Promise<string[] | undefined>;
  count(job: ExportJob, type: string, patients: string[] | undefined): Promise<number>;
  /** Up to `limit` resources of `type` with id > `afterId`, as they were at the job's transactionTime, in id order. */
  chunk(job: ExportJob, type: string, patients: string[] | undefined, afterId: string, limit: number): Promise<ExportRow[]>;
  /** Records progress; returns the job's status, so the worker notices a cancellation. */
  progress(id: string, progress: ExportProgress): Promise<ExportStatus | undefined>;
  complete(id: string, output: ExportFile[], error: ExportFile[], ttlHours: number): Promise<void>;
  fail(id: string, message: string, ttlHours: number): Promise<void>;
  /** Cancels a job that is not finished, or deletes a finished one; false when there is no such job. */
  cancel(id: string): Promise<boolean>;
  /** Jobs to remove with their files: expired, or cancelled and no longer being worked on. */
  sweep(): Promise<string[]>;
}

export interface FhirStores {
  readonly search: SearchStore;
  readonly transactions: FhirTransactionStore;
  readonly exports: ExportStore;
}
