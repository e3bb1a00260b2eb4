import { Router, type Request } from 'express';
import { fail } from '../kernel';
import type { CredentialVault, Relay } from '../relay';
import type { CredentialStore, RelayStore } from '../store/ports';
import { adminGuard, unrestrictedAdmin } from './admin-guard';

/**
 * Operations on the relay (docs/operations.md): failed and rejected submissions, re-queue with a
 * recorded reason, pause/resume per organisation, national credentials (secrets are write-only and
 * sealed before they reach the database), relay state. JSON in, JSON out, errors as OperationOutcome.
 */
export interface AdminDeps {
  relayStore: RelayStore;
  credentials: CredentialStore;
  relay: Relay | undefined;
  /** Seals secrets (CREDENTIALS_KEY); undefined → credentials cannot be stored. */
  vault: CredentialVault | undefined;
  adminToken: string | undefined;
}

const ORG = /^\d{6,12}$/;

function text(req: Request, field: string, max = 500): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[field];
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) fail('ADMIN-BAD-REQUEST', { detail: `"${field}" must be a non-empty string of at most ${max} characters` });
  return v.trim();
}

function org(req: Request): string {
  const id = String(req.params.organizationId);
  if (!ORG.test(id)) fail('ADMIN-BAD-REQUEST', { detail: 'organizationId must be a SATUSEHAT organization id (digits)' });
  return id;
}

function submissionRoutes(router: Router, deps: AdminDeps): void {
  router.get('/submissions', async (req, res) => {
    const status = req.query.status;
    if (status !== undefined && status !== 'failed' && status !== 'rejected') fail('ADMIN-BAD-REQUEST', { detail: 'status must be failed or rejected' });
    const organizationId = typeof req.query.organizationId === 'string' ? req.query.organizationId : undefined;
    const limit = Number(req.query.limit ?? 100);
    res.json({ items: await deps.relayStore.listProblems({ ...(status ? { status } : {}), ...(organizationId ? { organizationId } : {}), limit: Number.isFinite(limit) ? limit : 100 }) });
  });
  router.get('/submissions/:id/events', async (req, res) => {
    res.json({ items: await deps.relayStore.events(String(req.params.id)) });
  });
  router.post('/submissions/requeue', async (req, res) => {
    const ids = (req.body as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 1000 || !ids.every((i) => typeof i === 'string')) {
      fail('ADMIN-BAD-REQUEST', { detail: '"ids" must be an array of 1 to 1000 submission ids' });
    }
    const requeued = await deps.relayStore.requeue(ids as string[], text(req, 'reason'));
    deps.relay?.worker.poke();
    res.json({ requeued, notRequeued: (ids as string[]).filter((i) => !requeued.includes(i)) });
  });
}

function organizationRoutes(router: Router, deps: AdminDeps): void {
  router.get('/organizations/paused', async (_req, res) => { res.json({ items: await deps.relayStore.listPaused() }); });
  router.put('/organizations/:organizationId/pause', async (req, res) => {
    const id = org(req);
    await deps.relayStore.pause(id, text(req, 'reason'));
    res.json({ organizationId: id, paused: true });
  });
  router.delete('/organizations/:organizationId/pause', async (req, res) => {
    const id = org(req);
    if (!(await deps.relayStore.resume(id))) fail('ADMIN-NOT-FOUND', { what: `pause of organization ${id}` });
    deps.relay?.worker.poke();
    res.json({ organizationId: id, paused: false });
  });
}

function credentialRoutes(router: Router, deps: AdminDeps): void {
  router.get('/credentials', async (_req, res) => { res.json({ items: await deps.credentials.list() }); });
  router.put('/credentials/:organizationId', async (req, res) => {
    const id = org(req);
    const vault = deps.vault;
    if (!vault) fail('ADMIN-NO-CREDENTIALS-KEY');
    const clientId = text(req, 'clientId', 200);
    await deps.credentials.put(id, clientId, vault.seal(id, clientId, text(req, 'clientSecret', 500)));
    res.status(200).json({ organizationId: id, clientId });
  });
  router.delete('/credentials/:organizationId', async (req, res) => {
    const id = org(req);
    if (!(await deps.credentials.remove(id))) fail('ADMIN-NOT-FOUND', { what: `credentials of organization ${id}` });
    res.status(204).end();
  });
}

export function adminRouter(deps: AdminDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  router.use(adminGuard(deps.adminToken), unrestrictedAdmin);
  submissionRoutes(router, deps);
  organizationRoutes(router, deps);
  credentialRoutes(router, deps);
  router.get('/relay', async (_req, res) => {
    res.json({
      running: deps.relay !== undefined,
      target: deps.relay ? { fhirUrl: deps.relay.target.fhirUrl, simulated: deps.relay.target.simulated === true } : undefined,
      circuit: deps.relay?.breaker.state,
      queue: await deps.relayStore.stats(),
    });
  });
  return router;
}
