import type { DataSource } from 'typeorm';
import type { ApiClientRecord, ApiClientStatus, ApiClientStore, ApiClientSummary, AssertionReplayStore, NewApiClient, RotateOutcome, SeedResult } from './client-ports';
import { inTransaction, isRace, iso, json, withConnection, type Sql } from './sql';

interface ClientRow {
  clientId: string;
  name: string | null;
  secretHash: string | null;
  jwks: { keys: object[] } | null;
  jwksUri: string | null;
  organizations: string[];
  regions: string[] | null;
  scopes: string[];
  status: ApiClientStatus;
  source: 'file' | 'api';
  createdAt: string;
  updatedAt: string;
  secretRotatedAt: string | null;
}

// Arrays go through jsonb both ways: node-postgres and PGlite agree on JSON, not on text[] literals.
const COLUMNS = `client_id AS "clientId", name, secret_hash AS "secretHash", jwks, jwks_uri AS "jwksUri",
  to_jsonb(organizations) AS organizations, to_jsonb(regions) AS regions, to_jsonb(scopes) AS scopes, status, source,
  ${iso('created_at')} AS "createdAt", ${iso('updated_at')} AS "updatedAt", ${iso('secret_rotated_at')} AS "secretRotatedAt"`;
const TEXT_ARRAY = (n: number): string => `ARRAY(SELECT jsonb_array_elements_text($${n}::jsonb))`;
const NULLABLE_TEXT_ARRAY = (n: number): string => `CASE WHEN $${n}::jsonb IS NULL THEN NULL ELSE ${TEXT_ARRAY(n)} END`;

function toRecord(r: ClientRow): ApiClientRecord {
  return {
    clientId: r.clientId,
    ...(r.name !== null ? { name: r.name } : {}),
    ...(r.secretHash !== null ? { secretHash: r.secretHash } : {}),
    ...(r.jwks !== null ? { jwks: r.jwks } : {}),
    ...(r.jwksUri !== null ? { jwksUri: r.jwksUri } : {}),
    organizations: r.organizations,
    ...(r.regions !== null ? { regions: r.regions } : {}),
    scopes: r.scopes,
    status: r.status,
    source: r.source,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.secretRotatedAt !== null ? { secretRotatedAt: r.secretRotatedAt } : {}),
  };
}

function params(c: NewApiClient, source: 'file' | 'api'): unknown[] {
  return [c.clientId, c.name ?? null, c.secretHash ?? null, c.jwks ? json(c.jwks) : null, c.jwksUri ?? null,
    json(c.organizations), c.regions ? json(c.regions) : null, json(c.scopes), source];
}

const INSERT = `INSERT INTO api_client (client_id, name, secret_hash, jwks, jwks_uri, organizations, regions, scopes, source)
  VALUES ($1, $2, $3, $4::jsonb, $5, ${TEXT_ARRAY(6)}, ${NULLABLE_TEXT_ARRAY(7)}, ${TEXT_ARRAY(8)}, $9)`;

/** API clients (src/store/client-ports.ts). */
export class SqlApiClientStore implements ApiClientStore {
  constructor(private readonly ds: DataSource) {}

  async create(client: NewApiClient): Promise<ApiClientRecord | undefined> {
    try {
      const [row] = await withConnection(this.ds, (sql) => sql.rows<ClientRow>(`${INSERT} ON CONFLICT (client_id) DO NOTHING RETURNING ${COLUMNS}`, params(client, 'api')));
      return row ? toRecord(row) : undefined;
    } catch (err) {
      if (isRace(err)) return undefined;
      throw err;
    }
  }

  seed(clients: readonly NewApiClient[]): Promise<SeedResult> {
    return inTransaction(this.ds, async (sql) => {
      const result: SeedResult = { inserted: [], updated: [], skipped: [] };
      for (const c of clients) result[await seedOne(sql, c)].push(c.clientId);
      return result;
    });
  }

  async get(clientId: string): Promise<ApiClientRecord | undefined> {
    const [row] = await withConnection(this.ds, (sql) => sql.rows<ClientRow>(`SELECT ${COLUMNS} FROM api_client WHERE client_id = $1`, [clientId]));
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<ApiClientSummary[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<ClientRow>(`SELECT ${COLUMNS} FROM api_client ORDER BY client_id`));
    return rows.map((r) => {
      const { secretHash, ...rest } = toRecord(r);
      return { ...rest, hasSecret: secretHash !== undefined };
    });
  }

  async status(clientId: string): Promise<ApiClientStatus | undefined> {
    const [row] = await withConnection(this.ds, (sql) => sql.rows<{ status: ApiClientStatus }>(`SELECT status FROM api_client WHERE client_id = $1`, [clientId]));
    return row?.status;
  }

  async revoke(clientId: string): Promise<boolean> {
    const rows = await withConnection(this.ds, (sql) => sql.rows(
      `UPDATE api_client SET status = 'revoked', source = 'api', updated_at = now() WHERE client_id = $1 AND status = 'active' RETURNING client_id`, [clientId]));
    return rows.length > 0;
  }

  async rotateSecret(clientId: string, secretHash: string): Promise<RotateOutcome> {
    return inTransaction(this.ds, async (sql) => {
      const [row] = await sql.rows<{ status: ApiClientStatus; hasSecret: boolean }>(
        `SELECT status, secret_hash IS NOT NULL AS "hasSecret" FROM api_client WHERE client_id = $1 FOR UPDATE`, [clientId]);
      if (!row) return 'not-found';
      if (row.status !== 'active') return 'revoked';
      if (!row.hasSecret) return 'no-secret';
      await sql.rows(`UPDATE api_client SET secret_hash = $2, source = 'api', secret_rotated_at = now(), updated_at = now() WHERE client_id = $1`, [clientId, secretHash]);
      return 'rotated';
    });
  }

  async countActive(): Promise<number> {
    const [row] = await withConnection(this.ds, (sql) => sql.rows<{ n: number }>(`SELECT count(*)::int AS n FROM api_client WHERE status = 'active'`));
    return row?.n ?? 0;
  }
}

async function seedOne(sql: Sql, c: NewApiClient): Promise<keyof SeedResult> {
  const [existing] = await sql.rows<{ source: string }>(`SELECT source FROM api_client WHERE client_id = $1 FOR UPDATE`, [c.clientId]);
  if (!existing) {
    await sql.rows(INSERT, params(c, 'file'));
    return 'inserted';
  }
  if (existing.source !== 'file') return 'skipped';
  await sql.rows(
    `UPDATE api_client SET name = $2, secret_hash = $3, jwks = $4::jsonb, jwks_uri = $5, organizations = ${TEXT_ARRAY(6)},
       regions = ${NULLABLE_TEXT_ARRAY(7)}, scopes = ${TEXT_ARRAY(8)}, updated_at = now()
     WHERE client_id = $1 AND source = $9`,
    params(c, 'file'),
  );
  return 'updated';
}

/** The SMART assertion replay cache, shared by every replica on the database. */
export class SqlAssertionReplayStore implements AssertionReplayStore {
  constructor(private readonly ds: DataSource) {}

  async firstUse(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    // A row left from an assertion that has expired does not block the id (its owner may reuse a
    // jti once the old assertion is dead); a live row does, and the unique key settles races.
    const rows = await withConnection(this.ds, (sql) => sql.rows(
      `INSERT INTO auth_assertion (client_id, jti, expires_at) VALUES ($1, $2, $3::timestamptz)
       ON CONFLICT (client_id, jti) DO UPDATE SET expires_at = EXCLUDED.expires_at, used_at = now()
         WHERE auth_assertion.expires_at < now()
       RETURNING jti`,
      [clientId, jti, expiresAt.toISOString()],
    ));
    return rows.length > 0;
  }

  async purgeExpired(): Promise<number> {
    const rows = await withConnection(this.ds, (sql) => sql.rows(`DELETE FROM auth_assertion WHERE expires_at < now() RETURNING jti`));
    return rows.length;
  }
}
