import type { Range } from '../fhir/search-request';

/**
 * What the audit trail sees of storage (issue #8, docs/decisions/0012-audit-trail.md): batched
 * inserts, search by the AuditEvent search parameters, read, and the retention purge.
 */
export interface AuditRow {
  /** UUID; also AuditEvent.id. */
  id: string;
  /** ISO instant (AuditEvent.recorded). */
  recorded: string;
  /** The requesting client (AuditEvent.agent.altId); absent when the caller was not authenticated. */
  clientId?: string;
  /** Codes of AuditEvent.subtype. */
  subtypes: string[];
  /** AuditEvent.outcome: 0, 4, 8 or 12. */
  outcome: number;
  /** `Patient/id` of every Patient entity. */
  patients: string[];
  /** `Type/id` of every entity with a reference (Patients included). */
  entities: string[];
  /** The AuditEvent without its reference entities, which `patients` and `entities` hold (src/audit/stored.ts). */
  content: object;
}

/** A stored event as read back: expand it with src/audit/stored.ts expandStored(). */
export interface StoredAuditEvent {
  content: object;
  patients: string[];
  entities: string[];
}

/** One search parameter occurrence; values inside one are ORed, occurrences are ANDed (search.html#combining). */
export type AuditFilter =
  | { kind: 'date'; ranges: Range[] }
  | { kind: 'altid' | 'entity' | 'patient' | 'subtype'; values: string[] }
  | { kind: 'outcome'; values: number[] };

export interface AuditQuery {
  filters: AuditFilter[];
  count: number;
  offset: number;
  /** Only events whose requesting agent is this client (a vendor sees only its own events). */
  onlyClient?: string;
}

export interface AuditPage {
  /** Newest first. */
  events: StoredAuditEvent[];
  hasMore: boolean;
}

export interface AuditStore {
  /** Writes a batch; ids already stored are skipped, so a retried batch never duplicates. */
  insert(rows: readonly AuditRow[]): Promise<void>;
  search(query: AuditQuery): Promise<AuditPage>;
  read(id: string, onlyClient?: string): Promise<StoredAuditEvent | undefined>;
  /** Retention: deletes events recorded more than `days` ago; returns how many. */
  purge(days: number): Promise<number>;
}
