import { join } from 'node:path';
import { fail, issue, OperationOutcomeError } from '../../kernel';
import type { ExportJob } from '../../store/fhir-ports';
import { principalOf } from '../access';
import { accepted, allOk } from '../outcomes';
import type { FhirRequest, Handler } from '../types';
import { NDJSON } from './operation';
import { isOwner } from './owner';

/** Status polling, the manifest, cancellation and file download (Bulk Data Access IG 2.0, export.html). */

function progressText(job: ExportJob): string {
  const { exported, total, type } = job.progress;
  const pct = total > 0 ? Math.floor((exported * 100) / total) : 0;
  return `${job.status}: ${exported} of ${total} resources (${pct}%)${type ? `, exporting ${type}` : ''}`;
}

/** The completion manifest (export.html#response---complete-status); file URLs are built from this request's base. */
export function manifest(job: ExportJob, req: FhirRequest): object {
  const url = (name: string): string => `${req.baseUrl}/bulkfiles/${job.id}/${name}`;
  return {
    transactionTime: job.transactionTime,
    request: job.request,
    requiresAccessToken: true,
    output: job.output.map((f) => ({ type: f.type, url: url(f.url), count: f.count })),
    error: job.error.map((f) => ({ type: f.type, url: url(f.url), count: f.count })),
  };
}

/**
 * The caller's job: another client's job, a cancelled one (export.html#bulk-data-delete-request)
 * and an expired one (its files are about to be swept) are all "not found".
 */
async function owned(req: FhirRequest, id: string, deps: Parameters<Handler>[2]): Promise<ExportJob> {
  const { clientId } = principalOf(req);
  const job = await deps.fhir.exports.get(id);
  const expired = job?.expiresAt !== undefined && Date.parse(job.expiresAt) <= Date.now();
  if (!job || !isOwner(job, clientId) || expired) return fail('FHIR-EXPORT-NOT-FOUND', { id: id.slice(0, 64) });
  return job;
}

async function live(req: FhirRequest, id: string, deps: Parameters<Handler>[2]): Promise<ExportJob> {
  const job = await owned(req, id, deps);
  if (job.status === 'cancelled') return fail('FHIR-EXPORT-NOT-FOUND', { id: id.slice(0, 64) });
  return job;
}

/**
 * Polling sooner than the Retry-After it was given is 429 with a new Retry-After (Bulk Data IG
 * 2.0 export.html#response---in-progress-status: "the server MAY return 429 Too Many Requests").
 */
function throttle(job: ExportJob, deps: Parameters<Handler>[2]): void {
  const seconds = deps.export.retryAfterSeconds;
  const early = seconds > 0 ? (deps.exportPolls?.poll(job.id, Date.now(), seconds * 1000) ?? 0) : 0;
  if (early > 0) {
    const wait = String(Math.max(1, Math.ceil(early / 1000)));
    throw new OperationOutcomeError(429, [issue('FHIR-EXPORT-POLL-TOO-SOON', { id: job.id, seconds })], { 'Retry-After': wait });
  }
}

export const exportStatusHandler: Handler = async (req, { id = '' }, deps) => {
  const job = await live(req, id, deps);
  if (job.status === 'accepted' || job.status === 'in-progress') throttle(job, deps);
  if (job.status === 'failed') fail('FHIR-EXPORT-FAILED', { id, detail: job.progress.message ?? 'unknown error' });
  if (job.status === 'completed') {
    const headers: Record<string, string> = job.expiresAt ? { Expires: new Date(job.expiresAt).toUTCString() } : {};
    return [allOk, manifest(job, req), { headers }];
  }
  const progress = progressText(job);
  const outcome = { ...accepted, issue: [{ severity: 'information' as const, code: 'informational' as const, diagnostics: progress }] };
  return [outcome, undefined, { headers: { 'Retry-After': String(deps.export.retryAfterSeconds), 'X-Progress': progress } }];
};

/** DELETE on the status URL: cancels a running job, or removes a finished one and its files. */
export const exportCancelHandler: Handler = async (req, { id = '' }, deps) => {
  await owned(req, id, deps);
  if (!(await deps.fhir.exports.cancel(id))) fail('FHIR-EXPORT-NOT-FOUND', { id: id.slice(0, 64) });
  return [accepted];
};

export const exportFileHandler: Handler = async (req, { id = '', file = '' }, deps) => {
  const job = await live(req, id, deps);
  const known = job.status === 'completed' && [...job.output, ...job.error].some((f) => f.url === file);
  if (!known) fail('FHIR-EXPORT-NOT-FOUND', { id: `${id}/${file}`.slice(0, 128) });
  return [allOk, undefined, { file: { path: join(deps.export.dir, job.id, file), contentType: NDJSON } }];
};
