import type { Bundle, BundleEntry } from 'fhir/r4';
import { hasErrors, OperationOutcomeError, type Issue } from '../kernel';
import { readEntry } from './entry-read';
import { failedEntry, returnPreference, writtenEntry, type ReturnPreference } from './entry-response';
import type { TransactionEntry } from '../store/fhir-ports';
import { planTransaction } from '../write-plan/plan';
import { organizationOf, requireRelayable, saveInput, submissionKey, toTransactionEntry } from './transaction-entry';
import { storedVersions } from './stored-versions';
import type { FhirRequest, FhirRestDeps, StoredVersion } from './types';
import type { SaveOutcome } from '../store/ports';

/**
 * Batch entries are independent (http.html#brules): each is answered on its own, in order. A GET
 * entry is a read or a search; a write is stored as a visit of its own (one entry, one submission
 * and outbox row), so it must be an Encounter to have something to relay.
 */

/** Issues of one batch entry: those whose expression points into it. */
function entryIssues(issues: Issue[], index: number): Issue[] {
  const prefix = `Bundle.entry[${index}]`;
  return issues.filter((i) => i.expression === prefix || i.expression?.startsWith(`${prefix}.`));
}

interface BatchContext { bundle: Bundle; issues: Issue[]; organizationId: string; deps: FhirRestDeps; preference: ReturnPreference; saves: SaveOutcome[] }

async function writeEntry(entry: BundleEntry, index: number, c: BatchContext): Promise<BundleEntry> {
  try {
    const own = entryIssues(c.issues, index);
    if (hasErrors(own)) throw new OperationOutcomeError(422, own);
    const single: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [entry] };
    const write = toTransactionEntry(entry, index);
    requireRelayable([write], `batch entry ${index}`);
    const key = submissionKey(c.bundle);
    const saved = await c.deps.fhir.transactions.saveTransaction(planTransaction(
      saveInput(single, c.organizationId, [write], { submissionId: `${key.submissionId}#${index}`, stableIds: key.stableIds }, c.deps.contributions?.(single, c.organizationId)),
    ));
    c.saves.push(saved.saved);
    const [result] = saved.results;
    return result ? await writtenEntry(result, c.preference, c.deps) : failedEntry(undefined);
  } catch (err) {
    return failedEntry(err);
  }
}

/** The write entries a batch can store (a malformed one is that entry's own 4xx later), for the ownership pre-check. */
function writableEntries(bundle: Bundle): TransactionEntry[] {
  return (bundle.entry ?? []).flatMap((entry, index) => {
    if (entry.request?.method === 'GET') return [];
    try {
      return [toTransactionEntry(entry, index)];
    } catch {
      return [];
    }
  });
}

export async function batch(bundle: Bundle, req: FhirRequest, deps: FhirRestDeps): Promise<{ bundle: Bundle; stored: StoredVersion[] }> {
  // Decided for the whole batch before any entry is stored: one entry naming another organisation refuses the batch.
  const hasWrites = (bundle.entry ?? []).some((e) => e.request?.method !== 'GET');
  const organizationId = hasWrites ? organizationOf(bundle, req) : '';
  const issues = deps.validate(bundle);
  const outside = issues.filter((i) => !/^Bundle\.entry\[\d+\]/.test(i.expression ?? ''));
  if (hasErrors(outside)) throw new OperationOutcomeError(422, outside);
  if (hasWrites) await deps.fhir.transactions.assertWritable(organizationId, writableEntries(bundle));
  const context: BatchContext = { bundle, issues, organizationId, deps, preference: returnPreference(req), saves: [] };
  const entries: BundleEntry[] = [];
  for (const [index, entry] of (bundle.entry ?? []).entries()) {
    entries.push(entry.request?.method === 'GET' ? await readEntry(entry, index, req, deps) : await writeEntry(entry, index, context));
  }
  return { bundle: { resourceType: 'Bundle', type: 'batch-response', entry: entries }, stored: storedVersions(context.saves) };
}
