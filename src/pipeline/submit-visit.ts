import type { Bundle } from 'fhir/r4';
import type { Catalogue } from '../catalog/types';
import { normaliseSubmission } from '../intake/normalise';
import type { SubmissionSchemaValidator } from '../intake/schema-validator';
import type { NormalisedSubmission } from '../intake/submission';
import { Issue, OperationOutcomeError, issue, payloadHash as hashOf, toFhirIssue } from '../kernel';
import { mapSubmission } from '../mapping/map-submission';
import { contributionsOf } from '../pws/contributions';
import { NO_HISTORY, type VisitHistory } from '../mapping/history';
import { patientKeys } from '../mapping/patient-key';
import type { VisitResult } from '../mapping/results';
import type { VisitToQueue } from '../store/intake-queue-ports';
import type { SaveOutcome, SubmissionStore, WeighingHistory } from '../store/ports';
import { planSubmission, type WritePlan } from '../write-plan/plan';

/** Checks every produced resource against R4 and the ILP profiles before anything is stored. */
export type BundleValidator = (bundle: Bundle) => Issue[];

export interface IntakeDeps {
  catalogue: Catalogue;
  schema: SubmissionSchemaValidator;
  validateBundle: BundleValidator;
  now(): number;
  /** Earlier weighings for the weight gain N/T/O/B; absent → every weighing counts as the first. */
  weighings?: WeighingHistory;
}

export interface PreparedVisit {
  sub: NormalisedSubmission;
  bundle: Bundle;
  payloadHash: string;
  /** Warnings and, on failure, errors; in payload order. */
  issues: Issue[];
  /** What the gateway computed, one entry per Observation (the `results` of the answer). */
  results: VisitResult[];
}

interface CheckedVisit {
  sub: NormalisedSubmission;
  payloadHash: string;
  warnings: Issue[];
}

/**
 * sha256 of the canonical JSON (sorted keys), so equal payloads hash equal whatever their key
 * order. The catalogue version is part of it: after a threshold change, re-sending a visit maps it
 * again instead of answering "unchanged" with the old interpretation.
 */
export function payloadHash(payload: unknown, catalogueVersion: string): string {
  return hashOf({ catalogueVersion, payload });
}

/** JSON Schema (generated from the catalogue) → normalisation (NIK, area codes, UTC times). */
function checkVisit(body: unknown, deps: IntakeDeps): CheckedVisit {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new OperationOutcomeError(422, [issue('HTTP-BODY-NOT-OBJECT')]);
  }
  const parsed = deps.schema.validate(body);
  if (!parsed.ok) throw new OperationOutcomeError(422, parsed.issues);
  const normalised = normaliseSubmission(parsed.value, deps.catalogue, deps.now());
  if (!normalised.ok) throw new OperationOutcomeError(422, normalised.issues);
  return { sub: normalised.value, payloadHash: payloadHash(parsed.value, deps.catalogue.version), warnings: normalised.warnings };
}

/** Mapping to a FHIR transaction Bundle → validation of every produced resource. */
function mapVisit(checked: CheckedVisit, deps: IntakeDeps, history: VisitHistory): PreparedVisit {
  const mapped = mapSubmission(checked.sub, deps.catalogue, history);
  // Errors in what we produced block the visit. The validator's warnings describe our own mapping
  // choices (e.g. the clinical category beside the v3 flag in Observation.interpretation), which a
  // vendor cannot act on, so they are not passed on.
  const produced = deps.validateBundle(mapped.bundle).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  const issues = [...checked.warnings, ...mapped.warnings, ...produced];
  if (produced.length > 0) throw new OperationOutcomeError(422, issues);
  return { sub: checked.sub, bundle: mapped.bundle, payloadHash: checked.payloadHash, issues, results: mapped.results };
}

/**
 * The child's earlier weighings, read only when the weight gain applies (an under-five weighed at
 * this visit); before this visit's weighing and never the visit's own, so a re-send answers the same.
 */
async function historyOf(sub: NormalisedSubmission, deps: IntakeDeps): Promise<VisitHistory> {
  const weight = sub.items.find((i) => i.code === 'body-weight');
  if (!deps.weighings || !weight || sub.age.months >= 60) return NO_HISTORY;
  const weighings = await deps.weighings.previousWeighings({
    organizationId: sub.raw.organizationId, patient: patientKeys(sub.raw.patient),
    before: weight.timeUtc, excludeSubmissionId: sub.raw.submissionId, limit: 3,
  });
  return { weighings };
}

/**
 * The ILP intake pipeline, read top to bottom: JSON Schema (generated from the catalogue) →
 * normalisation (NIK, area codes, UTC times) → mapping to a FHIR transaction Bundle → validation of
 * every produced resource. Throws an OperationOutcomeError (422) listing every problem found.
 * Without history (a CLI or a golden file): every weighing is the child's first.
 */
export function prepareVisit(body: unknown, deps: IntakeDeps, history: VisitHistory = NO_HISTORY): PreparedVisit {
  return mapVisit(checkVisit(body, deps), deps, history);
}

/** prepareVisit with the child's stored history read through the WeighingHistory port. */
export async function prepareVisitWithHistory(body: unknown, deps: IntakeDeps): Promise<PreparedVisit> {
  const checked = checkVisit(body, deps);
  return mapVisit(checked, deps, await historyOf(checked.sub, deps));
}

/** The write plan of a prepared visit (src/write-plan): resources, identifiers, PWS contributions, decided once. */
export function planVisit(prepared: PreparedVisit, deps: IntakeDeps): WritePlan {
  return planSubmission({
    organizationId: prepared.sub.raw.organizationId,
    submissionId: prepared.sub.raw.submissionId,
    payload: prepared.sub.raw,
    payloadHash: prepared.payloadHash,
    bundle: prepared.bundle,
    warnings: prepared.issues.map(toFhirIssue),
    contributions: contributionsOf(prepared.bundle, deps.catalogue, { organizationId: prepared.sub.raw.organizationId, offsetMinutes: prepared.sub.offsetMinutes }),
  });
}

export interface PlannedVisit {
  plan: WritePlan;
  warnings: Issue[];
  results: VisitResult[];
}

/** Everything before the write: validation, mapping, the write plan. Throws an OperationOutcomeError (422). */
export async function planVisitWithHistory(body: unknown, deps: IntakeDeps): Promise<PlannedVisit> {
  const prepared = await prepareVisitWithHistory(body, deps);
  return { plan: planVisit(prepared, deps), warnings: prepared.issues, results: prepared.results };
}

/**
 * INTAKE_MODE=queued: the direct intake's steps up to the mapped, validated visit (the same 4xx for a
 * bad one), and what the queue keeps of it (src/store/intake-queue-ports.ts): the materialiser plans
 * it again when it writes it, with the history written by then.
 */
export async function prepareToQueue(body: unknown, deps: IntakeDeps): Promise<{ visit: VisitToQueue; prepared: PreparedVisit }> {
  const prepared = await prepareVisitWithHistory(body, deps);
  const visit = {
    organizationId: prepared.sub.raw.organizationId, submissionId: prepared.sub.raw.submissionId,
    payload: prepared.sub.raw, payloadHash: prepared.payloadHash, warnings: prepared.issues.map(toFhirIssue),
  };
  return { visit, prepared };
}

/** Prepares the visit, then stores its plan with its outbox row in one transaction (idempotent by submissionId). */
export async function submitVisit(body: unknown, deps: IntakeDeps, store: SubmissionStore): Promise<{ saved: SaveOutcome; warnings: Issue[]; results: VisitResult[] }> {
  const planned = await planVisitWithHistory(body, deps);
  const { saved } = await store.write(planned.plan);
  return { saved, warnings: planned.warnings, results: planned.results };
}
