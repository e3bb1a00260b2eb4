import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API clients in the database (docs/decisions/0011-api-clients.md) and the shared SMART assertion
 * replay cache:
 * - `api_client`: who may call the gateway. Only the scrypt hash of a client secret is stored;
 *   `source` says whether the row is seeded from AUTH_CLIENTS_FILE (`file`: the file's version is
 *   re-applied at every start-up) or managed through the CLI/admin API (`api`: the file no longer
 *   overwrites it, so a revocation or rotation survives a restart with an old file).
 * - `auth_assertion`: the `jti` of every accepted client assertion until it expires. The primary
 *   key makes the first use win across replicas and restarts (SMART Backend Services: the
 *   authorization server must reject a replayed jti, hl7.org/fhir/uv/bulkdata/authorization).
 */
const UP = [
  `CREATE TABLE api_client (
    client_id          text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._-]{3,64}$'),
    name               text,
    secret_hash        text,
    jwks               jsonb,
    jwks_uri           text,
    organizations      text[] NOT NULL,
    regions            text[],
    scopes             text[] NOT NULL,
    status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    source             text NOT NULL DEFAULT 'api' CHECK (source IN ('file', 'api')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    secret_rotated_at  timestamptz,
    CHECK (secret_hash IS NOT NULL OR jwks IS NOT NULL OR jwks_uri IS NOT NULL)
  )`,
  `CREATE TABLE auth_assertion (
    client_id   text NOT NULL,
    jti         text NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, jti)
  )`,
  `CREATE INDEX auth_assertion_expires_idx ON auth_assertion (expires_at)`,
];

export class ApiClients1732838400000 implements MigrationInterface {
  readonly name = 'ApiClients1732838400000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS auth_assertion`);
    await runner.query(`DROP TABLE IF EXISTS api_client`);
  }
}
