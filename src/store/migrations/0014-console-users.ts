import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People who use the web console (issue #11, docs/decisions/0020-console.md):
 * - `console_user`: one row per person. Only the scrypt hash of the password is stored (the same
 *   verifier as API client secrets, src/auth/secrets.ts). `role` decides what the console shows;
 *   `regions` (district officers) and `organizations` (vendor support) restrict the rows exactly
 *   as they restrict an API client (src/auth/access-decision.ts).
 * - `console_session`: signed-in browsers. The cookie carries a random id; only its SHA-256 is
 *   stored, so a copy of the table does not sign anyone in. `last_seen_at` drives the idle
 *   timeout; `csrf_token` is the per-session token every form carries.
 */
const UP = [
  `CREATE TABLE console_user (
    username       text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    display_name   text,
    password_hash  text NOT NULL,
    role           text NOT NULL CHECK (role IN ('admin', 'district', 'vendor-support', 'tester')),
    regions        text[] NOT NULL DEFAULT '{}',
    organizations  text[] NOT NULL DEFAULT '{}',
    status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    last_login_at  timestamptz
  )`,
  `CREATE TABLE console_session (
    id_hash       text PRIMARY KEY,
    username      text NOT NULL REFERENCES console_user (username) ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX console_session_user_idx ON console_session (username)`,
  `CREATE INDEX console_session_seen_idx ON console_session (last_seen_at)`,
];

export class ConsoleUsers1733270400000 implements MigrationInterface {
  readonly name = 'ConsoleUsers1733270400000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS console_session`);
    await runner.query(`DROP TABLE IF EXISTS console_user`);
  }
}
