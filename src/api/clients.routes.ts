import { Router, type Request } from 'express';
import { checkClientInput, createClient, rotateSecret } from '../auth/client-admin';
import { fail } from '../kernel';
import type { ApiClientStore } from '../store/client-ports';
import { adminGuard, unrestrictedAdmin } from './admin-guard';

/**
 * /admin/v1/clients: the API clients (the `admin` scope, as all of /admin). A generated secret is in
 * the answer to create and rotate-secret only, once; listings never carry secrets nor hashes.
 */
export interface ClientRouteDeps {
  clients: ApiClientStore;
  adminToken: string | undefined;
}

function clientId(req: Request): string {
  const id = String(req.params.clientId);
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(id)) fail('ADMIN-BAD-REQUEST', { detail: 'clientId must be 3 to 64 letters, digits, ".", "_" or "-"' });
  return id;
}

export function clientsRouter(deps: ClientRouteDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  router.use('/clients', adminGuard(deps.adminToken), unrestrictedAdmin);
  router.get('/clients', async (_req, res) => { res.json({ items: await deps.clients.list() }); });
  router.get('/clients/:clientId', async (req, res) => {
    const id = clientId(req);
    const found = (await deps.clients.list()).find((c) => c.clientId === id);
    if (!found) fail('ADMIN-NOT-FOUND', { what: `API client ${id}` });
    res.json(found);
  });
  router.post('/clients', async (req, res) => {
    const checked = checkClientInput(req.body);
    if (!checked.ok) fail('ADMIN-BAD-REQUEST', { detail: checked.problems.join('; ') });
    const created = await createClient(deps.clients, checked.client);
    if (!created.ok) fail('ADMIN-CLIENT-EXISTS', { clientId: checked.client.clientId });
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).location(`/admin/v1/clients/${created.client.clientId}`).json({ ...created.client, ...(created.secret ? { clientSecret: created.secret } : {}) });
  });
  router.post('/clients/:clientId/revoke', async (req, res) => {
    const id = clientId(req);
    if (!(await deps.clients.revoke(id))) {
      if (await deps.clients.status(id)) fail('ADMIN-CLIENT-CONFLICT', { clientId: id, detail: 'already revoked' });
      fail('ADMIN-NOT-FOUND', { what: `API client ${id}` });
    }
    res.json({ clientId: id, status: 'revoked' });
  });
  router.post('/clients/:clientId/rotate-secret', async (req, res) => {
    const id = clientId(req);
    const rotated = await rotateSecret(deps.clients, id);
    if (!rotated.ok) {
      if (rotated.reason === 'not-found') fail('ADMIN-NOT-FOUND', { what: `API client ${id}` });
      fail('ADMIN-CLIENT-CONFLICT', { clientId: id, detail: rotated.reason === 'revoked' ? 'revoked clients cannot get a new secret' : 'this client authenticates with keys (jwks), not a secret' });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({ clientId: id, clientSecret: rotated.secret });
  });
  return router;
}
