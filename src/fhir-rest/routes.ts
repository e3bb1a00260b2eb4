import { OperationOutcomeError, issue } from '../kernel';
import { auditReadHandler, auditSearchHandler } from './audit-event';
import { metadataHandler } from './capabilities';
import { exportCancelHandler, exportFileHandler, exportStatusHandler } from './export/status';
import { requireJsonAcceptable } from './negotiation';
import { OPERATIONS, operationDefinitionHandler, type Route } from './operations';
import { historyHandler, readHandler, vreadHandler } from './read';
import { searchHandler } from './search';
import { transactionHandler } from './transaction';
import type { FhirRequest, FhirRestDeps, FhirResult } from './types';

/**
 * Every FHIR interaction and operation this server answers, as data: method, path pattern, handler.
 * Operations come from their registry (operations.ts), which the CapabilityStatement reads too.
 */
const INTERACTIONS: Route[] = [
  { method: 'GET', pattern: '/metadata', handler: metadataHandler },
  { method: 'POST', pattern: '/', handler: transactionHandler },
  { method: 'GET', pattern: '/OperationDefinition/:id', handler: operationDefinitionHandler },
  { method: 'GET', pattern: '/bulkstatus/:id', handler: exportStatusHandler },
  { method: 'DELETE', pattern: '/bulkstatus/:id', handler: exportCancelHandler },
  { method: 'GET', pattern: '/bulkfiles/:id/:file', handler: exportFileHandler },
  { method: 'GET', pattern: '/AuditEvent', handler: auditSearchHandler },
  { method: 'GET', pattern: '/AuditEvent/:id', handler: auditReadHandler },
  { method: 'GET', pattern: '/:type', handler: searchHandler },
  { method: 'GET', pattern: '/:type/:id', handler: readHandler },
  { method: 'GET', pattern: '/:type/:id/_history', handler: historyHandler },
  { method: 'GET', pattern: '/:type/:id/_history/:vid', handler: vreadHandler },
];

const ROUTES: Route[] = [...OPERATIONS.flatMap((o) => o.routes), ...INTERACTIONS];

interface Match { route: Route; params: Record<string, string>; literals: number }

function match(route: Route, segments: string[]): Match | undefined {
  const parts = route.pattern.split('/').filter((p) => p !== '');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = seg;
    else if (part !== seg) return undefined;
    else literals += 1;
  }
  return { route, params, literals };
}

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

/**
 * The routes for this path: those with the most literal segments, so `/Patient/$export` is never
 * read as `/:type/:id`, and `GET /Observation/$validate` is a 405 of the operation, not a read.
 */
function candidates(path: string): Match[] {
  const segments = segmentsOf(path);
  const all = ROUTES.map((r) => match(r, segments)).filter((m): m is Match => m !== undefined);
  const best = Math.max(...all.map((m) => m.literals));
  return all.filter((m) => m.literals === best);
}

/** The methods a path answers (RFC 9110 §10.2.1 Allow; HEAD wherever GET is). */
function allowed(found: Match[]): string {
  const methods = new Set(found.map((m) => m.route.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].join(', ');
}

/** Answers one FHIR request; throws OperationOutcomeError (404 unknown path, 405 wrong method, 406, handler errors). */
export async function handleFhir(req: FhirRequest, deps: FhirRestDeps): Promise<FhirResult> {
  const found = candidates(req.path);
  const path = `/fhir${req.path}`.slice(0, 200);
  if (found.length === 0) throw new OperationOutcomeError(404, [issue('HTTP-NOT-FOUND', { method: req.method, path })]);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const hit = found.find((m) => m.route.method === method);
  if (!hit) throw new OperationOutcomeError(405, [issue('HTTP-METHOD', { method: req.method, path })], { Allow: allowed(found) });
  requireJsonAcceptable(req);
  return hit.route.handler(req, hit.params, deps);
}
