import type { DataSource } from 'typeorm';
import { planSubmission, type WritePlan } from '../write-plan/plan';
import { writePlan } from './plan-store';
import type { SaveOutcome, SaveSubmissionInput, SubmissionRecord, SubmissionStore, WriteOutcome } from './ports';
import type { CountDelta, PwsYearMembers } from './pws-year';
import { SUBMISSION_SELECT, toSubmissionRecord, type SubmissionRow } from './rows';
import { inTransaction, inTransactionRetryingRace, withConnection, type Sql } from './sql';
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
   * alone would have met: when any plan fails, the group is rolled back and every plan is written on
   * its own, so one bad line never costs the others their result.
   */
  async writeMany(plans: readonly WritePlan[]): Promise<(WriteOutcome | { error: unknown })[]> {
    if (plans.length > 1) {
      try {
        return await inTransaction(this.ds, async (sql) => {
          const out: WriteOutcome[] = [];
          // The group's PWS village counts last, summed and in key order: two groups never cross (pws-year.ts refresh).
          const counts: CountDelta[] = [];
          for (const plan of plans) out.push(await writePlan(sql, plan, this.pwsYear, counts));
          await this.pwsYear?.applyCounts(sql, counts);
          return out;
        });
      } catch {
        // Written again below, plan by plan: each meets (and reports) its own error, if any.
        this.groupFallbacks += 1;
      }
    }
    const out: (WriteOutcome | { error: unknown })[] = [];
    for (const plan of plans) out.push(await this.write(plan).catch((error: unknown) => ({ error })));
    return out;
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

async function loadRecord(sql: Sql, where: string, params: unknown[]): Promise<SubmissionRecord | undefined> {
  const [row] = await sql.rows<SubmissionRow>(`${SUBMISSION_SELECT} ${where}`, params);
  return row ? toSubmissionRecord(row) : undefined;
}
