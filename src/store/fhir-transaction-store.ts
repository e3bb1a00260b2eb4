import type { DataSource } from 'typeorm';
import { foreignOwner } from '../write-plan/errors';
import { literalReferences, type TransactionEntry, type WritePlan } from '../write-plan/plan';
import type { FhirTransactionStore, TransactionOutcome } from './fhir-ports';
import { assertOwned, writePlan } from './plan-store';
import type { PwsYearMembers } from './pws-year';
import { inTransactionRetryingRace, withConnection } from './sql';

/**
 * A FHIR transaction Bundle from a FHIR-native vendor, stored exactly like an ILP visit: its plan
 * (src/write-plan, planTransaction: POST, conditional create, PUT, conditional update, ifMatch) is
 * written by the same code in ONE database transaction, with the submission (source `fhir`) and its
 * outbox row.
 */
export class SqlFhirTransactionStore implements FhirTransactionStore {
  constructor(private readonly ds: DataSource, private readonly pwsYear?: PwsYearMembers) {}

  async saveTransaction(plan: WritePlan): Promise<TransactionOutcome> {
    return inTransactionRetryingRace(this.ds, (sql) => writePlan(sql, plan, this.pwsYear), plan.submissionId);
  }

  /**
   * A batch is refused whole, before any entry is stored, when one entry would overwrite or refer
   * to another organisation's resource (docs/decisions/0010). Each write checks again in its own
   * transaction, so a race in between is still refused.
   */
  async assertWritable(organizationId: string, entries: TransactionEntry[]): Promise<void> {
    const refs = new Set<string>();
    for (const e of entries) {
      if (e.kind === 'put' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(e.url)) refs.add(e.url);
      literalReferences(e.resource, refs);
    }
    await withConnection(this.ds, (sql) => assertOwned(sql, refs, organizationId, (ref) => foreignOwner(ref, organizationId)));
  }
}
