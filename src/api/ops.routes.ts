import { Router, type Request, type RequestHandler } from 'express';
import { SUBMISSION_SYSTEM } from '../audit/codes';
import { attemptDetail, conformanceReport, listAttempts, type ConformanceDeps } from '../ops/conformance';
import { relayHealth, type RelayHealthDeps } from '../ops/relay-health';
import { listTransactions, resend, resendInput, transactionDetail, type TransactionDeps } from '../ops/transactions';
import { adminGuard } from './admin-guard';
import { noteAudit } from './audit.middleware';
import { principalOf } from './auth.routes';

/**
 * The operations data as JSON (issue 11 items 2-4; the console pages call the same src/ops
 * services): transaction log and re-send, intake attempts and conformance, relay health. Each
 * handler asks the one access decision through its service (decideOps): unlike the other /admin/v1
 * routers, an admin restricted to organisations is admitted here and sees only those.
 */
export interface OpsRouteDeps extends ConformanceDeps {
  relayStore: RelayHealthDeps['relay'] & TransactionDeps['relay'];
  adminToken: string | undefined;
  poke?: () => void;
  state?: RelayHealthDeps['state'];
}

const query = (req: Request): Record<string, unknown> => req.query as Record<string, unknown>;

export function opsRouter(deps: OpsRouteDeps): Router {
  const router = Router({ caseSensitive: true, strict: false });
  const tx: TransactionDeps = { ops: deps.ops, relay: deps.relayStore, ...(deps.poke ? { poke: deps.poke } : {}) };
  const health: RelayHealthDeps = { ops: deps.ops, relay: deps.relayStore, ...(deps.state ? { state: deps.state } : {}), ...(deps.poke ? { poke: deps.poke } : {}) };
  // ADMIN_TOKEN guards /admin/v1 when API auth is off; an authenticated client is left to the access decision.
  const staticToken = adminGuard(deps.adminToken);
  const guard: RequestHandler = (req, res, next) => {
    const p = res.locals.principal as { clientId?: unknown } | undefined;
    if (typeof p?.clientId === 'string' && p.clientId !== 'development') return next();
    return staticToken(req, res, next);
  };
  router.get('/transactions', guard, async (req, res) => {
    res.json(await listTransactions(principalOf(res), query(req), tx));
  });
  router.post('/transactions/resend', guard, async (req, res) => {
    const { ids, reason } = resendInput(req.body);
    noteAudit(res, { identifiers: ids.map((value) => ({ system: SUBMISSION_SYSTEM, value })), reason });
    res.json(await resend(principalOf(res), ids, reason, tx));
  });
  router.get('/transactions/:id', guard, async (req, res) => {
    const view = await transactionDetail(principalOf(res), String(req.params.id), tx);
    // Reading a submission in full reads its patient's data: the audit event names the resources.
    noteAudit(res, { resources: view.resources.map((r) => { const [resourceType = '', id = ''] = r.ref.split('/'); return { resourceType, id }; }) });
    res.json(view);
  });
  router.get('/intake-attempts', guard, async (req, res) => { res.json(await listAttempts(principalOf(res), query(req), deps)); });
  router.get('/intake-attempts/:id', guard, async (req, res) => { res.json(await attemptDetail(principalOf(res), String(req.params.id), deps)); });
  router.get('/conformance', guard, async (req, res) => { res.json(await conformanceReport(principalOf(res), query(req), deps)); });
  router.get('/relay/health', guard, async (_req, res) => { res.json(await relayHealth(principalOf(res), health)); });
  return router;
}
