import { Response, Router } from 'express';
import type { Catalogue } from '../catalog/types';
import { buildOpenApi } from '../intake/openapi';
import { fail, operationOutcome, type Issue } from '../kernel';
import type { Observation } from 'fhir/r4';
import { resultsFromStored, type VisitResult } from '../mapping/results';
import { IntakeDeps, prepareToQueue, prepareVisitWithHistory, submitVisit } from '../pipeline/submit-visit';
import type { ResourceStore, SubmissionRecord, SubmissionStore } from '../store/ports';
import { dataFilter, mayActFor, passes, requireWriter } from '../auth/access-decision';
import { noteAudit } from './audit.middleware';
import { principalOf } from './auth.routes';
import { requireJson } from './body';
import type { Metrics } from './metrics';
import { UUID } from '../fhir/ids';
import type { ImportConfig } from '../config/config';
import { Semaphore, type Logger } from '../kernel';
import { importHandler, type QueuedIntake } from './import.routes';
import type { QueuedVisit } from '../store/intake-queue-ports';
import type { ImportResult } from '../pipeline/import-visits';


export interface IlpRouteDeps {
  intake: IntakeDeps;
  submissions: SubmissionStore;
  /** For the region check of submission status reads (district clients, docs/decisions/0010), and the `results` read back from the stored Observations. */
  resources: ResourceStore;
  metrics: Metrics;
  version: string;
  logger: Logger;
  maxJsonDepth: number;
  /** NDJSON bulk import limits (config.import); defaults below when absent (tests building the app by hand). */
  import?: ImportConfig;
  /** IMPORT_WRITERS_TOTAL's slots, one per process (src/app.ts); a semaphore of this router's own when absent. */
  importSlots?: Semaphore;
  /** INTAKE_MODE=queued (docs/decisions/0022): visits are queued and answered `received`; absent: written before the 202. */
  queued?: QueuedIntake;
  /** Told each $import result line (intake attempts, issue 11); absent when attempts are not recorded. */
  importObserver?: (res: Response, result: ImportResult) => void;
}

const IMPORT_DEFAULTS: ImportConfig = { maxBytes: 104_857_600, maxLineBytes: 1_048_576, concurrency: 4, groupSize: 32, writers: 3, writersTotal: 4 };

const location = (id: string): string => `/ilp/v1/submissions/${id}`;

/**
 * Tenant rule: a client sends and reads visits only for the organisations it is registered for.
 * A body without a usable organizationId is left to the schema, which names the field.
 */
function assertMayActFor(res: Response, body: unknown, writes: boolean): void {
  const principal = principalOf(res);
  if (writes) requireWriter(principal);
  const org = (body as { organizationId?: unknown } | null)?.organizationId;
  if (typeof org === 'string' && !mayActFor(principal, org)) fail('AUTH-ORG', { organizationId: org.slice(0, 20) });
}

/**
 * The access decision's filter on a submission: its organisation, and for region-restricted
 * callers the residence of the Patient it wrote (read through the same SQL filter as FHIR reads).
 */
async function visible(res: Response, s: SubmissionRecord, resources: ResourceStore): Promise<boolean> {
  const filter = dataFilter(principalOf(res));
  if (!passes({ ...filter, regions: 'all' }, s.organizationId, null)) return false;
  if (filter.regions === 'all') return true;
  const patient = s.resources.find((r) => r.resourceType === 'Patient');
  return !!patient && (await resources.read('Patient', patient.id, filter)) !== undefined;
}

/** The computed results of a submission's current version, from its stored Observations. */
async function storedResults(s: SubmissionRecord, deps: IlpRouteDeps): Promise<VisitResult[]> {
  const resources = deps.resources;
  const observations = await Promise.all(s.resources.filter((r) => r.resourceType === 'Observation').map((r) => resources.read(r.resourceType, r.id)));
  const found = observations.flatMap((o) => (o?.resource ? [o.resource as Observation] : []));
  return resultsFromStored(found, s.submissionId, deps.intake.catalogue);
}

/**
 * A queued visit (INTAKE_MODE=queued) as its status read shows it: `received` (or `refused`, with
 * why), over what is stored of the submission so far (its earlier version, or nothing yet).
 */
function queuedRecord(q: QueuedVisit, stored: SubmissionRecord | undefined): SubmissionRecord {
  return stored ?? {
    id: q.id, organizationId: q.organizationId, submissionId: q.submissionId, version: 0, status: 'accepted', payloadHash: q.payloadHash,
    receivedAt: q.receivedAt, updatedAt: q.updatedAt, resources: [], removed: [], warnings: q.warnings, nationalIds: {},
  };
}

function statusView(s: SubmissionRecord, results: VisitResult[], queued?: QueuedVisit) {
  return {
    id: s.id,
    submissionId: s.submissionId,
    organizationId: s.organizationId,
    version: s.version,
    status: queued ? queued.state : s.status,
    ...(queued ? { queued: { since: queued.updatedAt, attempts: queued.attempts, ...(queued.refused ? { outcome: queued.refused } : {}) } } : {}),
    receivedAt: s.receivedAt,
    updatedAt: s.updatedAt,
    resources: s.resources.map((r) => ({ ...r, nationalId: s.nationalIds[`${r.resourceType}/${r.id}`] })),
    removed: s.removed,
    warnings: { resourceType: 'OperationOutcome', issue: s.warnings },
    results,
    ...(s.nationalOutcome ? { nationalOutcome: s.nationalOutcome } : {}),
  };
}

/** The 202 of `POST /encounters`, direct or queued: the same fields (OpenAPI), an unchanged visit without warnings. */
function answerAccepted(res: Response, a: { id: string; status: string; kind: string; version: number; submissionId: string; organizationId: string }, results: VisitResult[], warnings: Issue[]): void {
  res.status(202).location(location(a.id)).json({
    id: a.id, status: a.status, result: a.kind, version: a.version,
    submissionId: a.submissionId, organizationId: a.organizationId,
    links: { self: location(a.id) },
    results,
    outcome: operationOutcome(a.kind === 'unchanged' ? [] : warnings),
  });
}

/** INTAKE_MODE=queued: validated and mapped as the direct intake (prepareToQueue), then kept, not written. */
async function acceptQueued(body: unknown, res: Response, deps: IlpRouteDeps, queued: QueuedIntake): Promise<void> {
  const { visit, prepared } = await prepareToQueue(body, deps.intake);
  const accepted = await queued.queue.accept({ ...visit, clientId: principalOf(res).clientId });
  queued.poke();
  deps.metrics.submissions.inc({ result: accepted.kind });
  noteAudit(res, { resources: [], update: accepted.kind === 'updated' });
  answerAccepted(res, accepted, prepared.results, prepared.issues);
}

export function ilpRouter(deps: IlpRouteDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  const openApi = buildOpenApi(deps.intake.catalogue, deps.version);

  router.post('/encounters', requireJson, async (req, res) => {
    assertMayActFor(res, req.body, true);
    if (deps.queued) {
      await acceptQueued(req.body, res, deps, deps.queued);
      return;
    }
    const { saved, warnings, results } = await submitVisit(req.body, deps.intake, deps.submissions);
    deps.metrics.submissions.inc({ result: saved.kind });
    const s = saved.submission;
    noteAudit(res, { resources: s.resources, update: saved.kind === 'updated' });
    answerAccepted(res, { ...s, kind: saved.kind }, results, warnings);
  });

  // Bulk import (issue 12): the same pipeline and tenant rule per line; the access policy's
  // `/ilp/v1/encounters` POST rule (ilp/submission.write) covers it.
  const importLimits = deps.import ?? IMPORT_DEFAULTS;
  router.post('/encounters/\\$import', importHandler({
    intake: deps.intake, submissions: deps.submissions, ...(deps.queued ? { queued: deps.queued } : {}), metrics: deps.metrics, logger: deps.logger, maxJsonDepth: deps.maxJsonDepth,
    limits: importLimits, writeSlots: deps.importSlots ?? new Semaphore(importLimits.writersTotal), authorize: (res, body) => assertMayActFor(res, body, true),
    ...(deps.importObserver ? { observe: deps.importObserver } : {}),
  }));

  router.post('/encounters/\\$validate', requireJson, async (req, res) => {
    // A dry run stores nothing: the organisation rule applies, the read-only rule of district clients does not.
    assertMayActFor(res, req.body, false);
    const prepared = await prepareVisitWithHistory(req.body, deps.intake);
    res.status(200).json({ valid: true, outcome: { resourceType: 'OperationOutcome', issue: operationOutcome(prepared.issues).issue }, results: prepared.results, bundle: prepared.bundle });
  });

  router.get('/submissions/:id', async (req, res) => {
    const id = req.params.id;
    const queued = deps.queued && UUID.test(id) ? await deps.queued.queue.get(id) : undefined;
    const stored = UUID.test(id) ? await deps.submissions.getSubmission(id) : undefined;
    const found = queued ? queuedRecord(queued, stored) : stored;
    // Another organisation's (or region's) submission is answered exactly like a missing one: ids do not leak.
    const s = found && (await visible(res, found, deps.resources)) ? found : undefined;
    if (!s) fail('ILP-SUBMISSION-NOT-FOUND', { id: id.slice(0, 64) });
    noteAudit(res, { resources: s.resources });
    res.json(statusView(s, await storedResults(s, deps), queued));
  });

  router.get('/openapi.json', (_req, res) => { res.json(openApi); });
  router.get('/schema.json', (_req, res) => { res.type('application/schema+json').json(deps.intake.schema.schema); });
  router.get('/catalogue', (_req, res) => {
    const c: Catalogue = deps.intake.catalogue;
    res.json({ version: c.version, screenings: [...c.screenings.values()], items: [...c.items.values()] });
  });
  return router;
}

