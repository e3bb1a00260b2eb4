import type { Bundle } from 'fhir/r4';
import { fail, hasErrors, OperationOutcomeError } from '../kernel';
import { planTransaction } from '../write-plan/plan';
import { batch } from './batch';
import { returnPreference, writtenEntry } from './entry-response';
import { allOk } from './outcomes';
import { storedVersions } from './stored-versions';
import { withRelayIdentifiers } from './relay-identifiers';
import { organizationOf, requireRelayable, saveInput, toTransactionEntry } from './transaction-entry';
import type { FhirRequest, FhirRestDeps, Handler, StoredVersion } from './types';

/**
 * POST [base] with a transaction or batch Bundle (FHIR R4 http.html#transaction). A transaction
 * is validated whole and stored atomically with its submission and outbox row, so the relay sends
 * it like an ILP visit; a batch answers for each entry (batch.ts).
 */

async function transaction(received: Bundle, req: FhirRequest, deps: FhirRestDeps): Promise<{ bundle: Bundle; stored: StoredVersion[] }> {
  // Decided for the whole Bundle before anything else (docs/decisions/0010): another organisation is 403.
  const organizationId = organizationOf(received, req);
  // Organisation identifiers the relay needs and SATUSEHAT leaves optional (relay-identifiers.ts).
  const bundle = withRelayIdentifiers(received, organizationId);
  const issues = deps.validate(bundle);
  // Atomic (http.html#trules): one invalid entry and nothing is stored.
  if (hasErrors(issues)) throw new OperationOutcomeError(422, issues);
  // Reads in a transaction would run after its commit (http.html#trules orders GET last): they belong in a batch.
  const read = (bundle.entry ?? []).findIndex((e) => e.request?.method === 'GET');
  if (read >= 0) fail('FHIR-ENTRY-UNSUPPORTED', { index: read, detail: 'GET entries are answered in batch Bundles, not in transactions' }, `Bundle.entry[${read}].request`);
  const entries = (bundle.entry ?? []).map(toTransactionEntry);
  requireRelayable(entries, 'transaction');
  const saved = await deps.fhir.transactions.saveTransaction(planTransaction(saveInput(bundle, organizationId, entries, undefined, deps.contributions?.(bundle, organizationId))));
  const preference = returnPreference(req);
  const entry = await Promise.all(saved.results.map((r) => writtenEntry(r, preference, deps)));
  return { bundle: { resourceType: 'Bundle', type: 'transaction-response', entry }, stored: storedVersions([saved.saved]) };
}

export const transactionHandler: Handler = async (req, _params, deps) => {
  const body = req.body as Partial<Bundle> | undefined;
  if (body?.resourceType !== 'Bundle' || (body.type !== 'transaction' && body.type !== 'batch')) {
    fail('FHIR-BUNDLE-TYPE', { type: String(body?.resourceType === 'Bundle' ? body.type : (body?.resourceType ?? 'nothing')).slice(0, 64) });
  }
  const bundle = body as Bundle;
  const answer = bundle.type === 'transaction' ? await transaction(bundle, req, deps) : await batch(bundle, req, deps);
  return [allOk, answer.bundle, { stored: answer.stored }];
};
