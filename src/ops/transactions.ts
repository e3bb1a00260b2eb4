import { mayRevealNik, requireAccess, requireWriter } from '../auth/access-decision';
import type { Principal } from '../auth/tokens';
import { UUID } from '../fhir/ids';
import { fail } from '../kernel';
import type { OpsStore, OrganizationScope, TransactionDetail, TransactionSummary } from '../store/ops-ports';
import type { AccessFilter, RelayStore, SubmissionStatus } from '../store/ports';
import { maskNik, scrubText } from './mask';
import { cursorParam, encodeCursor, enumParam, instantParam, limitParam, organizationParam, type Params } from './query';

/**
 * The transaction log (issue 11 item 2): submissions newest first with filters and keyset paging,
 * one submission in full (vendor payload, intake OperationOutcome, produced FHIR, relay attempts,
 * the national platform's answer), and re-send. Every call asks the one access decision first.
 */
export interface TransactionDeps {
  ops: OpsStore;
  relay: Pick<RelayStore, 'requeue'>;
  /** Wakes the relay after a re-send (undefined when the relay does not run in this process). */
  poke?: () => void;
}

const STATUSES: readonly SubmissionStatus[] = ['accepted', 'relaying', 'delivered', 'rejected', 'failed'];
export const RESEND_MAX_IDS = 100;
export const REASON_MAX = 500;

export function scopeOf(filter: AccessFilter): OrganizationScope {
  return filter.organizations;
}

export interface TransactionPage {
  items: TransactionSummary[];
  /** Cursor of the next page; absent on the last. */
  next?: string;
}

export async function listTransactions(p: Principal, params: Params, deps: TransactionDeps): Promise<TransactionPage> {
  const filter = requireAccess(p, 'ops', 'read');
  const limit = limitParam(params, 50, 500);
  const statuses = enumParam(params, 'status', STATUSES);
  const organizationId = organizationParam(params);
  const from = instantParam(params, 'from', false);
  const to = instantParam(params, 'to', true);
  const after = cursorParam(params, UUID);
  const rows = await deps.ops.listTransactions({
    organizations: scopeOf(filter), limit: limit + 1,
    ...(statuses ? { statuses } : {}), ...(organizationId ? { organizationId } : {}),
    ...(from ? { from } : {}), ...(to ? { to } : {}), ...(after ? { after } : {}),
  });
  // The national platform's answer is quoted verbatim in lastError: a NIK in it is masked unless the viewer may see it.
  const items = rows.slice(0, limit).map((row) => (row.relay?.lastError && !mayRevealNik(p, row.organizationId)
    ? { ...row, relay: { ...row.relay, lastError: maskNik(row.relay.lastError) as string } } : row));
  const last = items[items.length - 1];
  return { items, ...(rows.length > limit && last ? { next: encodeCursor({ at: last.receivedAt, id: last.id }) } : {}) };
}

export interface TransactionView extends TransactionDetail {
  /** False: NIKs in the payload and the produced FHIR are masked for this viewer. */
  nikVisible: boolean;
}

export async function transactionDetail(p: Principal, id: string, deps: TransactionDeps): Promise<TransactionView> {
  const filter = requireAccess(p, 'ops', 'read');
  // Another organisation's submission is answered exactly like a missing one: ids do not leak.
  const found = UUID.test(id) ? await deps.ops.transaction(id, scopeOf(filter)) : undefined;
  if (!found) return fail('OPS-NOT-FOUND', { what: `Submission ${id.slice(0, 64)}` });
  if (mayRevealNik(p, found.organizationId)) return { ...found, nikVisible: true };
  return {
    ...found,
    nikVisible: false,
    payload: maskNik(found.payload),
    resources: found.resources.map((r) => (r.resource ? { ...r, resource: maskNik(r.resource) as typeof r.resource } : r)),
    ...(found.nationalOutcome ? { nationalOutcome: maskNik(found.nationalOutcome) as typeof found.nationalOutcome } : {}),
    // Relay errors and warnings quote the national platform's and the mapping's texts verbatim.
    warnings: maskNik(found.warnings) as typeof found.warnings,
    outbox: maskNik(found.outbox) as typeof found.outbox,
    events: maskNik(found.events) as typeof found.events,
  };
}

export type NotResentReason = 'not-found' | 'delivered' | 'already-queued';

export interface ResendResult {
  resent: string[];
  notResent: { id: string; why: NotResentReason }[];
}

export function resendInput(body: unknown): { ids: string[]; reason: string } {
  const b = body as { ids?: unknown; reason?: unknown } | null | undefined;
  const ids = b?.ids;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > RESEND_MAX_IDS || !ids.every((i) => typeof i === 'string' && i.length <= 64)) {
    fail('OPS-RESEND-IDS', { max: RESEND_MAX_IDS });
  }
  const reason = typeof b?.reason === 'string' ? b.reason.trim() : '';
  if (reason === '' || reason.length > REASON_MAX) fail('OPS-RESEND-REASON', { max: REASON_MAX });
  return { ids: [...new Set(ids as string[])], reason: scrubText(reason, REASON_MAX) };
}

/**
 * Re-send = the relay's re-queue (docs/decisions/0005-relay.md): only a failed or rejected
 * submission's current outbox row goes back to the queue, and the relay's own exactly-once rules
 * (sent_at, look-up before a second post) apply to it. A delivered submission is never sent
 * again; one already waiting is left as it is, so re-sending twice is the same as once.
 */
export async function resend(p: Principal, ids: readonly string[], reason: string, deps: TransactionDeps): Promise<ResendResult> {
  const filter = requireAccess(p, 'ops', 'resend');
  requireWriter(p);
  const visible = await deps.ops.statuses(ids, scopeOf(filter));
  const byId = new Map(visible.map((v) => [v.id, v.status]));
  const candidates = visible.filter((v) => v.status === 'failed' || v.status === 'rejected').map((v) => v.id);
  const requeued = candidates.length > 0 ? await deps.relay.requeue(candidates, reason) : [];
  if (requeued.length > 0) deps.poke?.();
  const done = new Set(requeued);
  const notResent = ids.filter((id) => !done.has(id)).map((id) => {
    const status = byId.get(id);
    const why: NotResentReason = status === undefined ? 'not-found' : status === 'delivered' ? 'delivered' : 'already-queued';
    return { id, why };
  });
  return { resent: requeued, notResent };
}
