/**
 * Storage ports for API clients and the SMART assertion replay cache (migration 0006,
 * docs/decisions/0011-api-clients.md). Plain data: the auth module owns the meaning.
 */
export type ApiClientStatus = 'active' | 'revoked';

/** A client as written: from the CLI, the admin API or the AUTH_CLIENTS_FILE seed. */
export interface NewApiClient {
  clientId: string;
  name?: string;
  /** scrypt hash (src/auth/secrets.ts); the secret itself never reaches the database. */
  secretHash?: string;
  jwks?: { keys: object[] };
  jwksUri?: string;
  organizations: string[];
  /** Kemendagri code prefixes (2/4/6/10 digits); absent = no region restriction. */
  regions?: string[];
  scopes: string[];
}

export interface ApiClientRecord extends NewApiClient {
  status: ApiClientStatus;
  /** `file`: re-seeded from AUTH_CLIENTS_FILE at start-up; `api`: managed by CLI/admin API only. */
  source: 'file' | 'api';
  createdAt: string;
  updatedAt: string;
  secretRotatedAt?: string;
}

/** A listing never carries the hash: operators see whether a secret exists, not what it is. */
export type ApiClientSummary = Omit<ApiClientRecord, 'secretHash'> & { hasSecret: boolean };

export type RotateOutcome = 'rotated' | 'not-found' | 'revoked' | 'no-secret';

export interface SeedResult {
  inserted: string[];
  updated: string[];
  /** In the file, but managed through the CLI/admin API since: the database row is kept. */
  skipped: string[];
}

export interface ApiClientStore {
  /** Undefined when the client id is taken (also by a revoked client: ids are never reused). */
  create(client: NewApiClient): Promise<ApiClientRecord | undefined>;
  /** Upserts the file's clients; rows managed through the CLI/admin API are left as they are. */
  seed(clients: readonly NewApiClient[]): Promise<SeedResult>;
  get(clientId: string): Promise<ApiClientRecord | undefined>;
  list(): Promise<ApiClientSummary[]>;
  /** Undefined for an unknown client. One primary-key lookup: the token guard calls it (cached). */
  status(clientId: string): Promise<ApiClientStatus | undefined>;
  /** False when the client is unknown or already revoked. */
  revoke(clientId: string): Promise<boolean>;
  rotateSecret(clientId: string, secretHash: string): Promise<RotateOutcome>;
  countActive(): Promise<number>;
}

export interface AssertionReplayStore {
  /**
   * Records (client, jti) until `expiresAt`; true when this is its first use. A unique insert
   * decides, so two replicas given the same assertion at once accept it exactly once.
   */
  firstUse(clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
  /** Deletes rows of assertions that have expired (they can no longer be presented anyway). */
  purgeExpired(): Promise<number>;
}
