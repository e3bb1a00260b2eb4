import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { removeDropped, writeBundle } from './bundle-writer';
import { enqueue } from './outbox-store';
import { replaceContributions } from './pws-store';
import type { SaveOutcome, SaveSubmissionInput, SubmissionRecord, SubmissionStore } from './ports';
import { SUBMISSION_SELECT, toSubmissionRecord, type StoredRef, type SubmissionRow } from './rows';
import { CLOCK, clockNow, containsNul, inTransactionRetryingRace, iso, json, one, withConnection, type Sql } from './sql';
import { nulCharacter } from './store-errors';
import { UUID } from '../fhir/ids';


export class SqlSubmissionStore implements SubmissionStore {
  constructor(private readonly ds: DataSource) {}

  async saveSubmission(input: SaveSubmissionInput): Promise<SaveOutcome> {
    return inTransactionRetryingRace(this.ds, (sql) => save(sql, input), input.submissionId);
  }

  async getSubmission(id: string): Promise<SubmissionRecord | undefined> {
    if (!UUID.test(id)) return undefined;
    return withConnection(this.ds, (sql) => loadRecord(sql, 'WHERE s.pk = $1', [id]));
  }

  findSubmission(organizationId: string, submissionId: string): Promise<SubmissionRecord | undefined> {
    return withConnection(this.ds, (sql) =>
      loadRecord(sql, 'WHERE s.organization_id = $1 AND s.submission_id = $2', [organizationId, submissionId]),
    );
  }
}

async function loadRecord(sql: Sql, where: string, params: unknown[]): Promise<SubmissionRecord | undefined> {
  const [row] = await sql.rows<SubmissionRow>(`${SUBMISSION_SELECT} ${where}`, params);
  return row ? toSubmissionRecord(row) : undefined;
}

async function reload(sql: Sql, pk: string): Promise<SubmissionRecord> {
  const record = await loadRecord(sql, 'WHERE s.pk = $1', [pk]);
  if (!record) throw new Error(`submission ${pk} vanished inside its own transaction`);
  return record;
}

export async function save(sql: Sql, input: SaveSubmissionInput): Promise<SaveOutcome> {
  if (containsNul(input.payload)) nulCharacter('payload');
  const claimed = await claim(sql, input);
  const { now } = claimed;
  if (claimed.kind === 'existing' && claimed.payloadHash === input.payloadHash) {
    return { kind: 'unchanged', submission: await reload(sql, claimed.pk) };
  }
  const version = claimed.kind === 'created' ? 1 : claimed.version + 1;
  const previous = claimed.kind === 'created' ? [] : await versionResources(sql, claimed.pk, claimed.version);
  const written = await writeBundle(sql, input.bundle, now, input.organizationId);
  const removed = await removeDropped(sql, previous, written, now, input.organizationId);
  await sql.rows(
    `INSERT INTO submission_version (submission_pk, version, payload, payload_hash, resources, removed, received_at)
     VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6::jsonb, $7::timestamptz)`,
    [claimed.pk, version, json(input.payload ?? null), input.payloadHash, json(written), json(removed), now],
  );
  if (claimed.kind === 'existing') await markUpdated(sql, claimed.pk, version, input, now);
  if (input.contributions) await replaceContributions(sql, claimed.pk, input.contributions);
  await enqueue(sql, claimed.pk, version, now);
  return { kind: claimed.kind === 'created' ? 'created' : 'updated', submission: await reload(sql, claimed.pk) };
}

/** `now`: the time this save writes everything with, read once the submission row is ours. */
type Claim =
  | { kind: 'created'; pk: string; now: string }
  | { kind: 'existing'; pk: string; now: string; version: number; payloadHash: string };

/**
 * Idempotency: the first request for (organisation, submissionId) inserts the row; any other
 * waits on the unique index until that one commits, then locks the row and compares hashes.
 */
async function claim(sql: Sql, input: SaveSubmissionInput): Promise<Claim> {
  const [inserted] = await sql.rows<{ pk: string; now: string }>(
    `WITH clock AS (SELECT ${CLOCK} AS t)
     INSERT INTO submission (pk, organization_id, submission_id, version, status, payload_hash, payload, warnings, received_at, updated_at)
     SELECT $1, $2, $3, 1, 'accepted', $4, $5::jsonb, $6::jsonb, clock.t, clock.t FROM clock
     ON CONFLICT (organization_id, submission_id) DO NOTHING
     RETURNING pk, ${iso('received_at')} AS now`,
    [randomUUID(), input.organizationId, input.submissionId, input.payloadHash, json(input.payload ?? null), json(input.warnings)],
  );
  if (inserted) return { kind: 'created', pk: inserted.pk, now: inserted.now };
  const row = one(
    await sql.rows<{ pk: string; version: number; payload_hash: string }>(
      `SELECT pk, version, payload_hash FROM submission WHERE organization_id = $1 AND submission_id = $2 FOR UPDATE`,
      [input.organizationId, input.submissionId],
    ),
  );
  return { kind: 'existing', pk: row.pk, now: await clockNow(sql), version: row.version, payloadHash: row.payload_hash };
}

async function versionResources(sql: Sql, pk: string, version: number): Promise<StoredRef[]> {
  const [row] = await sql.rows<{ resources: StoredRef[] }>(
    'SELECT resources FROM submission_version WHERE submission_pk = $1 AND version = $2',
    [pk, version],
  );
  return row?.resources ?? [];
}

/** A changed payload is a new visit version to relay: back to 'accepted', the old national verdict no longer applies. */
async function markUpdated(sql: Sql, pk: string, version: number, input: SaveSubmissionInput, now: string): Promise<void> {
  await sql.rows(
    `UPDATE submission
        SET version = $2, status = 'accepted', payload_hash = $3, payload = $4::jsonb, warnings = $5::jsonb,
            national_outcome = NULL, updated_at = $6::timestamptz
      WHERE pk = $1`,
    [pk, version, input.payloadHash, json(input.payload ?? null), json(input.warnings), now],
  );
}
