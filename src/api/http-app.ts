import express, { Express, RequestHandler, Router } from 'express';
import type { Logger } from '../kernel';
import { jsonBody, safeJson } from './body';
import { errorHandler, notFound } from './error-handler';
import { refuseInvalidText, securityHeaders } from './hardening';
import { HealthDeps, healthRouter } from './health.routes';
import { IlpRouteDeps, ilpRouter } from './ilp.routes';
import { requestContext } from './request-context';

export interface HttpDeps extends IlpRouteDeps, HealthDeps {
  logger: Logger;
  bodyLimitBytes: number;
  maxJsonDepth: number;
  /** Further routers (FHIR API, admin, …) wired by the composition root, mounted in this order. */
  mounts?: Mount[];
  /** Run on every request before any router (authentication and the access policy). */
  guards?: RequestHandler[];
}

/** A router mounted under `path`; `json` routers get the JSON body preconditions (limit, depth, keys). */
export interface Mount {
  path: string;
  router: Router;
  json: boolean;
}

/** The express application: routers, preconditions and the one error handler. No business logic here. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Paths are matched exactly as the access policy sees them: /FHIR must not reach the /fhir router
  // past a policy that compares case-sensitively.
  app.set('case sensitive routing', true);
  app.set('etag', false);
  app.use(requestContext(deps.logger));
  app.use(securityHeaders);
  app.use(refuseInvalidText);
  app.use((_req, res, next) => {
    res.on('finish', () => deps.metrics.httpResponses.inc({ status: String(res.statusCode) }));
    next();
  });
  for (const guard of deps.guards ?? []) app.use(guard);
  // INTAKE_MODE=queued: intake requests counted at arrival, after authentication (a flood of refused
  // requests must not slow the writing) and before body parsing; the materialiser yields to a burst
  // of them (src/api/intake-load.ts).
  const load = deps.queued?.load;
  if (load) {
    app.use('/ilp/v1/encounters', (req, res, next) => {
      if (req.method === 'POST' && req.path.startsWith('/$import')) res.once('close', load.upload());
      else if (req.method === 'POST') load.arrived();
      next();
    });
  }
  app.use(healthRouter(deps));
  const bodies = [jsonBody(deps.bodyLimitBytes), safeJson(deps.maxJsonDepth)];
  app.use('/ilp/v1', ...bodies, ilpRouter(deps));
  for (const m of deps.mounts ?? []) app.use(m.path, ...(m.json ? bodies : []), m.router);
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
