import express, { Express } from 'express';
import type { Logger } from '../kernel';
import { jsonBody, safeJson } from './body';
import { errorHandler, notFound } from './error-handler';
import { HealthDeps, healthRouter } from './health.routes';
import { IlpRouteDeps, ilpRouter } from './ilp.routes';
import { requestContext } from './request-context';

export interface HttpDeps extends IlpRouteDeps, HealthDeps {
  logger: Logger;
  bodyLimitBytes: number;
  maxJsonDepth: number;
}

/** The express application: routers, preconditions and the one error handler. No business logic here. */
export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestContext(deps.logger));
  app.use((_req, res, next) => {
    res.on('finish', () => deps.metrics.httpResponses.inc({ status: String(res.statusCode) }));
    next();
  });
  app.use(healthRouter(deps));
  app.use('/ilp/v1', jsonBody(deps.bodyLimitBytes), safeJson(deps.maxJsonDepth), ilpRouter(deps));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
