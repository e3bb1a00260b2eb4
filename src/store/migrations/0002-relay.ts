import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the relay to SATUSEHAT needs beside the outbox of 0001 (docs/decisions/0005-relay.md):
 * - a lease on claimed rows (`claimed_until`), so a row claimed by a process that died is claimed
 *   again once the lease has run out (crash safety);
 * - `done_at`, when a row was delivered, for delivery latency figures and retention;
 * - per-organisation pause of the relay;
 * - national credentials per organisation, the secret sealed with AES-256-GCM by the relay
 *   (this table never holds a clear-text secret);
 * - an event log per submission (retries, rejections, re-queues with their reason).
 */
const UP = [
  `ALTER TABLE outbox ADD COLUMN claimed_until timestamptz`,
  `ALTER TABLE outbox ADD COLUMN done_at timestamptz`,
  `CREATE INDEX outbox_claimed_until_idx ON outbox (claimed_until) WHERE status = 'claimed'`,
  `CREATE TABLE relay_pause (
    organization_id text PRIMARY KEY,
    reason          text NOT NULL,
    paused_at       timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE national_credential (
    organization_id text PRIMARY KEY,
    client_id       text NOT NULL,
    sealed_secret   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE relay_event (
    id            bigserial PRIMARY KEY,
    submission_pk uuid NOT NULL REFERENCES submission (pk) ON DELETE CASCADE,
    outbox_id     bigint,
    kind          text NOT NULL CHECK (kind IN ('delivered', 'retry', 'rejected', 'failed', 'requeued', 'superseded')),
    detail        jsonb NOT NULL DEFAULT '{}'::jsonb,
    at            timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX relay_event_submission_idx ON relay_event (submission_pk, id)`,
  `CREATE INDEX relay_event_at_idx ON relay_event (at)`,
];

const DOWN = [
  `DROP TABLE IF EXISTS relay_event`,
  `DROP TABLE IF EXISTS national_credential`,
  `DROP TABLE IF EXISTS relay_pause`,
  `DROP INDEX IF EXISTS outbox_claimed_until_idx`,
  `ALTER TABLE outbox DROP COLUMN IF EXISTS done_at`,
  `ALTER TABLE outbox DROP COLUMN IF EXISTS claimed_until`,
];

export class Relay1732492800000 implements MigrationInterface {
  readonly name = 'Relay1732492800000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of UP) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const statement of DOWN) await runner.query(statement);
  }
}
