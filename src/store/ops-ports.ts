import type { OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';
import type { RelayEvent, SubmissionStatus } from './ports';

/**
 * What the operations console reads and writes (issue 11 items 2-4, src/ops/,
 * docs/decisions/0021-operations.md): refused intake attempts, the transaction log over the
 * submission table, conformance counts and relay health. Organisation lists are the access
 * decision's filter (src/auth/access-decision.ts), applied here in SQL.
 */

export type AttemptEndpoint = 'ilp' | 'ilp-import' | 'fhir';

/** One issue of a refused request's OperationOutcome, as kept (diagnostics already scrubbed). */
export interface AttemptIssue {
  severity: string;
  code: string;
  errorCode?: string;
  /** issue.expression[0]: the FHIRPath (or ILP JSON path) of the element. */
  expression?: string;
  diagnostics?: string;
}

export interface IntakeAttemptInput {
  /** ISO instant the request was answered. */
  at: string;
  clientId?: string;
  organizationId?: string;
  endpoint: AttemptEndpoint;
  /** 400-499. */
  status: number;
  /** The $import line (1-based). */
  line?: number;
  issues: AttemptIssue[];
  /** Masked (src/ops/mask.ts) and size-capped; absent when there was none, it was unreadable, or over the cap. */
  payload?: unknown;
  /** Size of the masked payload as JSON; set when a payload existed, even if it was over the cap. */
  payloadBytes?: number;
}

export interface IntakeAttempt extends IntakeAttemptInput {
  id: string;
}

/** Which organisations' rows: 'all' or a list (the access decision's organisation filter). */
export type OrganizationScope = 'all' | readonly string[];

/** Keyset position of the last row of a page (newest first). */
export interface Keyset {
  at: string;
  id: string;
}

export interface AttemptQuery {
  organizations: OrganizationScope;
  organizationId?: string;
  clientId?: string;
  errorCode?: string;
  expression?: string;
  from?: string;
  to?: string;
  limit: number;
  after?: Keyset;
}

export interface TransactionQuery {
  organizations: OrganizationScope;
  statuses?: readonly SubmissionStatus[];
  organizationId?: string;
  /** received_at >= from, < to (ISO instants). */
  from?: string;
  to?: string;
  limit: number;
  after?: Keyset;
}

export interface TransactionSummary {
  id: string;
  submissionId: string;
  organizationId: string;
  status: SubmissionStatus;
  version: number;
  source: 'ilp' | 'fhir';
  receivedAt: string;
  updatedAt: string;
  /** The current version's outbox row (absent once retention deleted it). */
  relay?: { status: string; attempts: number; lastError?: string };
}

export interface OutboxHistory {
  version: number;
  status: string;
  attempts: number;
  lastError?: string;
  createdAt: string;
  availableAt: string;
  sentAt?: string;
  doneAt?: string;
  requeuedAt?: string;
}

export interface TransactionDetail extends TransactionSummary {
  /** The stored (normalised) vendor payload of the current version, unmasked: the service masks. */
  payload: unknown;
  warnings: OperationOutcomeIssue[];
  nationalOutcome?: OperationOutcome;
  nationalIds: Record<string, string>;
  /** The FHIR the current version produced: each resource at the version this submission wrote. */
  resources: { ref: string; versionId: number; nationalId?: string; resource?: Resource }[];
  outbox: OutboxHistory[];
  events: RelayEvent[];
}

export interface ConformanceQuery {
  organizations: OrganizationScope;
  organizationId?: string;
  clientId?: string;
  from: string;
  to: string;
  bucket: 'day' | 'week';
  /** The calendar of the buckets (an IANA zone name) and its minutes east of UTC (Indonesia has no daylight saving). */
  tz: string;
  offsetMinutes: number;
}

export interface ConformanceCount {
  /** Start of the local day or ISO week (Monday), YYYY-MM-DD, in the query's offset. */
  bucket: string;
  organizationId: string | null;
  clientId: string | null;
  accepted: number;
  refused: number;
}

export interface ErrorCount {
  errorCode: string;
  expression: string | null;
  count: number;
  /** The newest attempt with this error: the drill-down's first example. */
  exampleId: string;
  lastAt: string;
}

export interface RelayHealthFacts {
  oldest?: { id: string; submissionId: string; organizationId: string; waitingSince: string; attempts: number; lastError?: string };
  /** Failed and rejected submissions (current version) by cause. */
  failures: { status: 'failed' | 'rejected'; cause: string; count: number }[];
  /** Waiting rows whose last attempt failed transiently, by error. */
  retrying: { cause: string; count: number }[];
  /** Waiting rows per organisation. */
  waitingByOrganization: { organizationId: string; count: number }[];
}

export interface OpsStore {
  recordAttempts(rows: readonly IntakeAttemptInput[]): Promise<void>;
  /** Which client stored each submission version (after the answer; see the migration); version null = the current one. */
  attributeVersions(rows: readonly { submissionPk: string; version: number | null; clientId: string }[]): Promise<void>;
  listAttempts(q: AttemptQuery): Promise<IntakeAttempt[]>;
  getAttempt(id: string, organizations: OrganizationScope): Promise<IntakeAttempt | undefined>;
  purgeAttempts(days: number): Promise<number>;
  listTransactions(q: TransactionQuery): Promise<TransactionSummary[]>;
  transaction(id: string, organizations: OrganizationScope): Promise<TransactionDetail | undefined>;
  /** Current status of these submissions (those the scope lets through). */
  statuses(ids: readonly string[], organizations: OrganizationScope): Promise<{ id: string; organizationId: string; status: SubmissionStatus }[]>;
  conformance(q: ConformanceQuery): Promise<ConformanceCount[]>;
  topErrors(q: ConformanceQuery, limit: number): Promise<ErrorCount[]>;
  relayHealth(): Promise<RelayHealthFacts>;
}
