import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authRouter, requireBearer } from './auth';
import { faultInjector, mergeFaults, NO_FAULTS, type FaultControl, type Faults } from './faults';
import { fhirRouter } from './fhir.routes';
import { issue, outcome } from './rules';
import { SimState } from './state';

/**
 * A SATUSEHAT-compatible national platform for development and tests (docs/decisions/0006):
 *   POST {base}/oauth2/v1/accesstoken   token (Apigee style)
 *   {base}/fhir-r4/v1/…                 FHIR (bearer), with fault injection
 *   {base}/sim/admin/…                  faults, stats, token expiry, clients (no auth: bind it to 127.0.0.1)
 */
export interface SimulatorOptions {
  tokenTtlSeconds?: number;
  lockoutSeconds?: number;
  /** Status of the token lock-out answer (default 401, §1.3 says only "4xx"). */
  lockoutStatus?: number;
  duplicateCheck?: boolean;
  faults?: Partial<Faults>;
}

export interface Simulator {
  readonly app: Express;
  readonly state: SimState;
  faults(): Faults;
  setFaults(patch: Partial<Faults>): Faults | string[];
  /** Listens; resolves with the base URL (auth at {url}/oauth2/v1, FHIR at {url}/fhir-r4/v1). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const badJson: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const status = typeof (err as { status?: unknown }).status === 'number' ? (err as { status: number }).status : 500;
  if (res.headersSent) return;
  if (status >= 500) res.status(500).type('text/plain').send('Internal Server Error');
  else res.status(status).json(outcome([issue('structure', 'Invalid JSON Payload Format (RuleNumber: 20006)')]));
};

function adminRouter(sim: Pick<Simulator, 'faults' | 'setFaults' | 'state'>): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));
  router.get('/faults', (_req, res) => { res.json(sim.faults()); });
  router.put('/faults', (req, res) => {
    const next = sim.setFaults(req.body as Partial<Faults>);
    if (Array.isArray(next)) res.status(400).json(outcome(next.map((p) => issue('value', p))));
    else res.json(next);
  });
  router.get('/stats', (_req, res) => {
    res.json({ ...sim.state.stats, stored: Object.fromEntries(['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan'].map((t) => [t, sim.state.count(t)])) });
  });
  router.post('/expire-tokens', (_req, res) => { res.json({ expired: sim.state.expireTokens() }); });
  router.post('/clients', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.clientId !== 'string' || typeof b.secret !== 'string' || typeof b.orgId !== 'string' || !/^\d{6,12}$/.test(b.orgId)) {
      res.status(400).json(outcome([issue('value', 'clientId, secret and orgId (digits) are required')]));
      return;
    }
    sim.state.clients.set(b.clientId, { secret: b.secret, orgId: b.orgId });
    res.status(201).json({ clientId: b.clientId, orgId: b.orgId });
  });
  return router;
}

export function createSimulator(opts: SimulatorOptions = {}): Simulator {
  const state = new SimState();
  let faults: Faults = { ...NO_FAULTS, ...opts.faults };
  let base = 'http://127.0.0.1';
  let server: Server | undefined;
  const control: FaultControl = { get: () => faults, held: new Set() };
  const auth = { tokenTtlSeconds: opts.tokenTtlSeconds ?? 3599, lockoutSeconds: opts.lockoutSeconds ?? 60, ...(opts.lockoutStatus !== undefined ? { lockoutStatus: opts.lockoutStatus } : {}) };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const sim: Simulator = {
    app, state,
    faults: () => faults,
    setFaults(patch) {
      const next = mergeFaults(faults, patch);
      if (!Array.isArray(next)) faults = next;
      return next;
    },
    async listen(port, host = '127.0.0.1') {
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
      });
      base = `http://${host}:${(server.address() as AddressInfo).port}`;
      return base;
    },
    async close() {
      for (const t of control.held) clearTimeout(t);
      control.held.clear();
      if (!server) return;
      const s = server;
      await new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); });
    },
  };
  app.use('/oauth2/v1', authRouter(state, () => auth));
  app.use('/fhir-r4/v1', faultInjector(state, control), requireBearer(state), fhirRouter(state, {
    duplicateCheck: opts.duplicateCheck ?? true,
    base: () => `${base}/fhir-r4/v1`,
  }));
  app.use('/sim/admin', adminRouter(sim));
  app.use((_req, res) => { res.status(404).end(); });
  app.use(badJson);
  return sim;
}
