import { fail } from '../kernel';
import { auditReadHandler, auditSearchHandler } from './audit-event';
import { metadataHandler } from './capabilities';
import { groupExportHandler, patientExportHandler, systemExportHandler } from './export/kickoff';
import { exportCancelHandler, exportFileHandler, exportStatusHandler } from './export/status';
import { historyHandler, readHandler, vreadHandler } from './read';
import { searchHandler } from './search';
import { transactionHandler } from './transaction';
import type { FhirRequest, FhirRestDeps, FhirResult, Handler } from './types';

/**
 * Every FHIR interaction and operation this server answers, as data: method, path pattern, handler.
 * The CapabilityStatement (capabilities.ts) describes the same set.
 */
interface Route { method: string; pattern: string; handler: Handler }

const ROUTES: Route[] = [
  { method: 'GET', pattern: '/metadata', handler: metadataHandler },
  { method: 'POST', pattern: '/', handler: transactionHandler },
  { method: 'GET', pattern: '/$export', handler: systemExportHandler },
  { method: 'POST', pattern: '/$export', handler: systemExportHandler },
  { method: 'GET', pattern: '/Patient/$export', handler: patientExportHandler },
  { method: 'POST', pattern: '/Patient/$export', handler: patientExportHandler },
  { method: 'GET', pattern: '/Group/:id/$export', handler: groupExportHandler },
  { method: 'POST', pattern: '/Group/:id/$export', handler: groupExportHandler },
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

/** Literal segments beat parameters, so `/Patient/$export` is never read as `/:type/:id`. */
function match(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').filter((p) => p !== '');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = seg;
    else if (part !== seg) return undefined;
  }
  return params;
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

/** Answers one FHIR request; throws OperationOutcomeError (404 unknown path, 405 wrong method, handler errors). */
export async function handleFhir(req: FhirRequest, deps: FhirRestDeps): Promise<FhirResult> {
  const segments = segmentsOf(req.path);
  let pathKnown = false;
  for (const route of ROUTES) {
    const params = match(route.pattern, segments);
    if (!params) continue;
    pathKnown = true;
    if (route.method === req.method || (req.method === 'HEAD' && route.method === 'GET')) return route.handler(req, params, deps);
  }
  if (pathKnown) fail('HTTP-METHOD', { method: req.method, path: `/fhir${req.path}`.slice(0, 200) });
  return fail('HTTP-NOT-FOUND', { method: req.method, path: `/fhir${req.path}`.slice(0, 200) });
}
