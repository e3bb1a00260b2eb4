import type { Bundle, OperationOutcome, Resource } from 'fhir/r4';
import type { Issue } from '../kernel';
import type { AuditStore } from '../store/audit-ports';
import type { VisitContributions } from '../store/pws-ports';
import type { FhirStores } from '../store/fhir-ports';
import type { ResourceStore } from '../store/ports';
import type { ValidateRequest, ValidateResponse } from '../validation/operation';

/**
 * The FHIR API without HTTP (Medplum's FHIR router style): a handler takes a plain request and its
 * dependencies and returns `[OperationOutcome, resource?, options?]`; errors are thrown as
 * OperationOutcomeError. Only src/api/fhir.routes.ts knows express.
 */
export interface FhirRequest {
  method: string;
  /** Path below the FHIR base, e.g. `/Patient/123/_history/2`. */
  path: string;
  /** Query parameters in order, repeated names kept (search.html#combining). */
  query: [string, string][];
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  /** Absolute FHIR base URL without a trailing slash, e.g. `https://gw.example/fhir`. */
  baseUrl: string;
  /**
   * The authenticated caller (res.locals.principal; the development principal when auth is off).
   * Absent only on public routes; handlers that need scopes or ownership refuse without it.
   */
  principal?: FhirPrincipal;
}

/** The caller as the FHIR API sees it: src/auth/tokens.ts Principal (organisations `*` = all; regions absent = no restriction). */
export interface FhirPrincipal {
  clientId: string;
  scopes: readonly string[];
  organizations: readonly string[];
  regions?: readonly string[];
}

/** A submission version a request stored (a transaction, or one write of a batch). */
export interface StoredVersion {
  submissionPk: string;
  version: number;
}

export interface FhirResponseOptions {
  headers?: Record<string, string>;
  /**
   * What the request stored, changed versions only: the operations console counts accepted
   * submissions per API client from it (src/api/intake-attempts.middleware.ts).
   */
  stored?: StoredVersion[];
  /** A file to stream as the body (Bulk Data NDJSON output). */
  file?: { path: string; contentType: string };
}

export type FhirResult = [OperationOutcome, (Resource | object)?, FhirResponseOptions?];

/** Checks a resource or a Bundle; the profile validator (src/validation) is injected here by app.ts. */
export type FhirValidator = (resourceOrBundle: unknown) => Issue[];

export interface ExportSettings {
  /** Directory holding one sub-directory of NDJSON files per job. */
  dir: string;
  /** Seconds a client should wait between status polls (Retry-After); polling sooner is answered 429. */
  retryAfterSeconds: number;
}

export interface FhirRestDeps {
  /** What a stored visit contributes to village monitoring (src/pws/contributions.ts, bound to the catalogue by app.ts). */
  contributions?: (bundle: Bundle, organizationId: string) => VisitContributions;
  resources: ResourceStore;
  fhir: FhirStores;
  validate: FhirValidator;
  /** The $validate operation (src/validation/operation.ts with the gateway's validator), injected by app.ts. */
  validateOperation(req: ValidateRequest): ValidateResponse;
  export: ExportSettings;
  /** Remembers status polls per export job (in this process), for the 429 on polling faster than Retry-After. */
  exportPolls?: PollClock;
  version: string;
  /** The audit trail, read-only (GET /fhir/AuditEvent). */
  audit: Pick<AuditStore, 'search' | 'read'>;
  /** Called after an export kick-off, so the in-process runner starts without waiting for its next poll. */
  exportKicked?: () => void;
}

export type Handler = (req: FhirRequest, params: Record<string, string>, deps: FhirRestDeps) => Promise<FhirResult>;

/**
 * When each export job's status was last answered. `poll` returns how many ms the caller is early
 * (the last answered poll was less than `minIntervalMs` ago; nothing is recorded), else records
 * `nowMs` and returns 0.
 */
export interface PollClock {
  poll(jobId: string, nowMs: number, minIntervalMs: number): number;
}
