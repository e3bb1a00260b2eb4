import { Router } from 'express';
import { fail } from '../kernel';
import type { Metrics } from './metrics';

export interface HealthDeps {
  metrics: Metrics;
  /** Throws when a dependency (the database) cannot answer. */
  ready(): Promise<void>;
  version: string;
}

/** Liveness (the process answers), readiness (the database answers) and Prometheus metrics. */
export function healthRouter(deps: HealthDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  router.get('/healthz', (_req, res) => { res.json({ status: 'ok', version: deps.version }); });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.ready();
    } catch (e) {
      fail('HTTP-UNAVAILABLE', { reason: `database not answering (${e instanceof Error ? e.message.slice(0, 100) : 'unknown'})` });
    }
    res.json({ status: 'ready' });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
