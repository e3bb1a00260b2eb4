import type { DataSource } from 'typeorm';
import { planSubmission, type WritePlan } from '../write-plan/plan';
import { writePlan } from './plan-store';
import type { SaveOutcome, SaveSubmissionInput, SubmissionRecord, SubmissionStore, WriteOutcome } from './ports';
import type { CountDelta, PwsYearMembers } from './pws-year';
import { SUBMISSION_SELECT, toSubmissionRecord, type SubmissionRow } from './rows';
import { inTransaction, inTransactionRetryingRace, isItemError, withConnection, type Sql } from './sql';
import { UUID } from '../fhir/ids';

export class SqlSubmissionStore implements SubmissionStore {
  /**
   * Groups rolled back and written again plan by plan (a plan's own error, or a deadlock with
   * another writer): counted so that tests and the logs can tell a group commit from its fallback.
   */
  groupFallbacks = 0;

  /** `pwsYear`: the PWS year membership kept in each visit's transaction (pws-year.ts). */
  constructor(private readonly ds: DataSource, private readonly pwsYear?: PwsYearMembers) {}

  /** One plan, one transaction (retried once after a race with another writer). */
  write(plan: WritePlan): Promise<WriteOutcome> {
    return inTransactionRetryingRace(this.ds, (sql) => writePlan(sql, plan, this.pwsYear), plan.submissionId);
  }

  /**
   * Group commit (`$import`): the plans one after the other in ONE transaction, so a burst pays one
   * commit (one WAL flush) for many visits. Each plan's outcome is an outcome or the error that plan
   * alone would have met (groupCommit).
   */
  async writeMany(plans: readonly WritePlan[]): Promise<(WriteOutcome | { error: unknown })[]> {
    return groupCommit(this.ds, this.pwsYear, plans, {
      write: (sql, plan, counts) => writePlan(sql, plan, this.pwsYear, counts), submissionIdOf: (plan) => plan.submissionId,
      fellBack: () => { this.groupFallbacks += 1; },
    });
  }

  /** The plan of a mapped Bundle (src/write-plan/plan.ts), written: for callers holding a Bundle, such as tests and tools. */
  async saveSubmission(input: SaveSubmissionInput): Promise<SaveOutcome> {
    return (await this.write(planSubmission(input))).saved;
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

/**
 * Several writes in ONE transaction, each a write plan's (`write`), with the PWS village counts of
 * them all applied last, summed and in key order, so two groups never cross (pws-year.ts refresh).
 * When any fails, the group is rolled back and each item is written again in a transaction of its
 * own (retried once after a race), so one bad item never costs the others their result; `fellBack`
 * is told (tests and the logs tell a group commit from its fallback).
 */
export async function groupCommit<I, R>(
  ds: DataSource, pwsYear: PwsYearMembers | undefined, items: readonly I[],
  how: { write(sql: Sql, item: I, counts?: CountDelta[]): Promise<R>; submissionIdOf(item: I): string; fellBack(): void },
): Promise<(R | { error: unknown })[]> {
  const { write } = how;
  if (items.length > 1) {
    try {
      return await inTransaction(ds, async (sql) => {
        const out: R[] = [];
        const counts: CountDelta[] = [];
        for (const item of items) out.push(await write(sql, item, counts));
        await pwsYear?.applyCounts(sql, counts);
        return out;
      });
    } catch (err) {
      // Written again below, item by item, when one item may be the cause: each meets (and reports)
      // its own error. Not when the database itself failed: every item would wait for it again in turn.
      if (!isItemError(err)) throw err;
      how.fellBack();
    }
  }
  const out: (R | { error: unknown })[] = [];
  for (const item of items) out.push(await inTransactionRetryingRace(ds, (sql) => write(sql, item), how.submissionIdOf(item)).catch((error: unknown) => ({ error })));
  return out;
}

async function loadRecord(sql: Sql, where: string, params: unknown[]): Promise<SubmissionRecord | undefined> {
  const [row] = await sql.rows<SubmissionRow>(`${SUBMISSION_SELECT} ${where}`, params);
  return row ? toSubmissionRecord(row) : undefined;
}
