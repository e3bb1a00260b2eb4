import { exportCancelHandler, exportFileHandler, exportStatusHandler } from '../../../src/fhir-rest/export/status';
import { withOwner } from '../../../src/fhir-rest/export/owner';
import type { FhirRequest, FhirRestDeps } from '../../../src/fhir-rest/types';
import { OperationOutcomeError } from '../../../src/kernel';
import type { ExportJob } from '../../../src/store/fhir-ports';

/** Status, download and cancel answer only the job's owner, and never serve an expired job. */
const ID = '11111111-1111-4111-8111-111111111111';
const job = (over: Partial<ExportJob> = {}): ExportJob => ({
  id: ID, status: 'completed', request: 'http://gw/fhir/$export', params: withOwner({ level: 'system', types: ['Patient'], typeFilters: {} }, 'alice'),
  transactionTime: '2026-01-01T00:00:00.000Z', progress: { exported: 1, total: 1 }, output: [{ type: 'Patient', url: 'Patient-1.ndjson', count: 1 }], error: [],
  createdAt: '2026-01-01T00:00:00.000Z', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), ...over,
});
const req = (clientId: string): FhirRequest => ({ method: 'GET', path: '/', query: [], headers: {}, body: undefined, baseUrl: 'http://gw/fhir', principal: { clientId, scopes: ['system/*.read'], organizations: ['*'] } });
function deps(stored: ExportJob | undefined, cancelled: string[] = []): FhirRestDeps {
  const exports = { get: async () => stored, cancel: async (id: string) => { cancelled.push(id); return true; } };
  return { fhir: { exports }, export: { dir: '/tmp/exports', retryAfterSeconds: 1 } } as unknown as FhirRestDeps;
}
async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    return err instanceof OperationOutcomeError ? err.status : -1;
  }
}

test('the owner polls and downloads; another client gets 404 as if the job did not exist', async () => {
  expect(await status(exportStatusHandler(req('alice'), { id: ID }, deps(job())))).toBe(200);
  expect(await status(exportFileHandler(req('alice'), { id: ID, file: 'Patient-1.ndjson' }, deps(job())))).toBe(200);
  expect(await status(exportStatusHandler(req('mallory'), { id: ID }, deps(job())))).toBe(404);
  expect(await status(exportFileHandler(req('mallory'), { id: ID, file: 'Patient-1.ndjson' }, deps(job())))).toBe(404);
});

test('only the owner cancels', async () => {
  const cancelled: string[] = [];
  expect(await status(exportCancelHandler(req('mallory'), { id: ID }, deps(job(), cancelled)))).toBe(404);
  expect(cancelled).toEqual([]);
  expect(await status(exportCancelHandler(req('alice'), { id: ID }, deps(job(), cancelled)))).toBe(200);
  expect(cancelled).toEqual([ID]);
});

test('an expired job is not served (the sweeper may not have run yet)', async () => {
  const expired = job({ expiresAt: new Date(Date.now() - 1000).toISOString() });
  expect(await status(exportStatusHandler(req('alice'), { id: ID }, deps(expired)))).toBe(404);
  expect(await status(exportFileHandler(req('alice'), { id: ID, file: 'Patient-1.ndjson' }, deps(expired)))).toBe(404);
});

test('a job without an owner (recorded before owners existed) is nobody\'s', async () => {
  const legacy = job({ params: { level: 'system', types: ['Patient'], typeFilters: {} } });
  expect(await status(exportStatusHandler(req('alice'), { id: ID }, deps(legacy)))).toBe(404);
});
