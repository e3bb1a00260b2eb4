import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { statusOf } from '../fhir-rest/outcomes';
import { handleFhir } from '../fhir-rest/routes';
import type { FhirPrincipal, FhirRequest, FhirRestDeps, FhirResult } from '../fhir-rest/types';
import { noteAudit } from './audit.middleware';
import { requireJson } from './body';

export interface FhirRouteDeps extends FhirRestDeps {
  /** PUBLIC_BASE_URL (the gateway's root as clients see it); unset → from the request (X-Forwarded-* only if express trusts the proxy). */
  publicBaseUrl: string | undefined;
}

const FHIR_JSON = 'application/fhir+json';

/** Raw query pairs in order, repeated names kept (express's parsed req.query merges them). */
function queryPairs(req: Request): [string, string][] {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(req.originalUrl.slice(q + 1))];
}

const strings = (v: unknown[]): string[] => v.filter((s): s is string => typeof s === 'string');

function principalOf(res: Response): FhirPrincipal | undefined {
  const p = res.locals.principal as { clientId?: unknown; scopes?: unknown; organizations?: unknown; regions?: unknown } | undefined;
  if (!p || typeof p.clientId !== 'string' || !Array.isArray(p.scopes) || !Array.isArray(p.organizations)) return undefined;
  const principal: FhirPrincipal = { clientId: p.clientId, scopes: strings(p.scopes), organizations: strings(p.organizations) };
  return Array.isArray(p.regions) ? { ...principal, regions: strings(p.regions) } : principal;
}

function toFhirRequest(req: Request, res: Response, publicBaseUrl: string | undefined): FhirRequest {
  const principal = principalOf(res);
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method,
    path: req.path,
    query: queryPairs(req),
    headers,
    body: req.body as unknown,
    baseUrl: `${publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}${req.baseUrl}`,
    ...(principal ? { principal } : {}),
  };
}

async function send(res: Response, [outcome, resource, options]: FhirResult): Promise<void> {
  res.status(statusOf(outcome));
  for (const [k, v] of Object.entries(options?.headers ?? {})) res.setHeader(k, v);
  if (options?.file) {
    res.type(options.file.contentType);
    const stream = createReadStream(options.file.path);
    await once(stream, 'open');
    // A read error after the headers are sent can only end the response; without a listener it would crash the process.
    stream.on('error', (err) => res.destroy(err));
    stream.pipe(res);
    return;
  }
  // Every body under /fhir is a resource or an OperationOutcome (the Bulk manifest aside, export.html).
  res.type(resource && !('resourceType' in resource) ? 'application/json' : FHIR_JSON).json(resource ?? outcome);
}

/** The thin express adapter over src/fhir-rest: HTTP in, plain request to the handler, result back to HTTP. */
export function fhirRouter(deps: FhirRouteDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST') requireJson(req, res, () => undefined);
    handleFhir(toFhirRequest(req, res, deps.publicBaseUrl), deps).then((result) => {
      noteAudit(res, { answer: result[1] });
      // Read after the answer by the intake-attempt hook: accepted FHIR submissions per client.
      if (result[2]?.stored) res.locals.storedVersions = result[2].stored;
      return send(res, result);
    }).catch(next);
  });
  return router;
}
