import type { ExportJob, ExportParams } from '../../store/fhir-ports';

/**
 * Who kicked a job off (the principal's clientId). It travels in the job's params (jsonb), so the
 * store needs no new column; only that client may poll, download or cancel the job.
 */
type OwnedParams = ExportParams & { owner?: unknown };

export function withOwner(params: ExportParams, owner: string): ExportParams {
  const owned: OwnedParams = { ...params, owner };
  return owned;
}

export function ownerOf(job: ExportJob): string | undefined {
  const owner = (job.params as OwnedParams).owner;
  return typeof owner === 'string' ? owner : undefined;
}

/** A job without an owner (recorded before owners existed) belongs to nobody: no client sees it. */
export function isOwner(job: ExportJob, clientId: string): boolean {
  return ownerOf(job) === clientId;
}
