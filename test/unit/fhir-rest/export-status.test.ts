import { clientMessage } from '../../../src/export/run-export';
import { memoryPollClock } from '../../../src/fhir-rest/export/poll-clock';
import { exportStatusHandler } from '../../../src/fhir-rest/export/status';
import type { FhirRequest, FhirRestDeps } from '../../../src/fhir-rest/types';
import { OperationOutcomeError } from '../../../src/kernel';
import type { ExportJob } from '../../../src/store/fhir-ports';

/** Bulk Data status polling (export.html#bulk-data-status-request): 429 when polled sooner than Retry-After; failures tell no server paths. */
function job(status: ExportJob['status'], message?: string): ExportJob {
  return {
    id: 'job-1', status, request: 'x', params: { level: 'system', types: ['Patient'], typeFilters: {}, owner: 'c1' } as ExportJob['params'],
    transactionTime: '2026-01-01T00:00:00.000Z', progress: { exported: 1, total: 2, ...(message ? { message } : {}) }, output: [], error: [], createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function deps(j: ExportJob, retryAfterSeconds = 2): FhirRestDeps {
  return { fhir: { exports: { get: async () => j } }, export: { dir: '/srv/exports', retryAfterSeconds }, exportPolls: memoryPollClock() } as unknown as FhirRestDeps;
}

const req: FhirRequest = { method: 'GET', path: '/bulkstatus/job-1', query: [], headers: {}, body: undefined, baseUrl: 'http://x/fhir', principal: { clientId: 'c1', scopes: [], organizations: ['*'] } };

async function failure(p: Promise<unknown>): Promise<OperationOutcomeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OperationOutcomeError) return err;
  }
  throw new Error('expected an OperationOutcomeError');
}

test('a second poll within Retry-After is 429 with the seconds left; after the wait it is 202 again', async () => {
  const d = deps(job('in-progress'));
  const [first, , options] = await exportStatusHandler(req, { id: 'job-1' }, d);
  expect([first.id, options?.headers?.['Retry-After']]).toEqual(['accepted', '2']);
  const early = await failure(exportStatusHandler(req, { id: 'job-1' }, d));
  expect(early.status).toBe(429);
  expect(Number(early.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
  expect(early.issues[0]?.errorCode).toBe('FHIR-EXPORT-POLL-TOO-SOON');
  const relaxed = deps(job('in-progress'), 0);
  for (let i = 0; i < 3; i++) expect((await exportStatusHandler(req, { id: 'job-1' }, relaxed))[0].id).toBe('accepted');
});

test('a failed job: the status shows the stored client message; an I/O error never reaches it with its path', async () => {
  const io = Object.assign(new Error("ENOENT: no such file or directory, open '/srv/exports/job-1/Patient.1.ndjson'"), { code: 'ENOENT' });
  const message = clientMessage(io, 'job-1');
  expect(message).not.toMatch(/\/srv|ENOENT|ndjson/);
  const err = await failure(exportStatusHandler(req, { id: 'job-1' }, deps(job('failed', message))));
  expect(err.status).toBe(500);
  expect(JSON.stringify(err.issues)).not.toContain('/srv');
  expect(err.issues[0]?.message.en).toContain('exportJob job-1');
});
