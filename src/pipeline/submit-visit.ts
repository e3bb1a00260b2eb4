import type { Bundle } from 'fhir/r4';
import type { Catalogue } from '../catalog/types';
import { normaliseSubmission } from '../intake/normalise';
import type { SubmissionSchemaValidator } from '../intake/schema-validator';
import type { NormalisedSubmission } from '../intake/submission';
import { Issue, OperationOutcomeError, issue, payloadHash as hashOf, toFhirIssue } from '../kernel';
import { mapSubmission } from '../mapping/map-submission';
import type { SaveOutcome, SubmissionStore } from '../store/ports';

/** Checks every produced resource against R4 and the ILP profiles before anything is stored. */
export type BundleValidator = (bundle: Bundle) => Issue[];

export interface IntakeDeps {
  catalogue: Catalogue;
  schema: SubmissionSchemaValidator;
  validateBundle: BundleValidator;
  now(): number;
}

export interface PreparedVisit {
  sub: NormalisedSubmission;
  bundle: Bundle;
  payloadHash: string;
  /** Warnings and, on failure, errors; in payload order. */
  issues: Issue[];
}

/**
 * sha256 of the canonical JSON (sorted keys), so equal payloads hash equal whatever their key
 * order. The catalogue version is part of it: after a threshold change, re-sending a visit maps it
 * again instead of answering "unchanged" with the old interpretation.
 */
export function payloadHash(payload: unknown, catalogueVersion: string): string {
  return hashOf({ catalogueVersion, payload });
}

/**
 * The ILP intake pipeline, read top to bottom: JSON Schema (generated from the catalogue) →
 * normalisation (NIK, area codes, UTC times) → mapping to a FHIR transaction Bundle → validation of
 * every produced resource. Throws an OperationOutcomeError (422) listing every problem found.
 */
export function prepareVisit(body: unknown, deps: IntakeDeps): PreparedVisit {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new OperationOutcomeError(422, [issue('HTTP-BODY-NOT-OBJECT')]);
  }
  const parsed = deps.schema.validate(body);
  if (!parsed.ok) throw new OperationOutcomeError(422, parsed.issues);
  const normalised = normaliseSubmission(parsed.value, deps.catalogue, deps.now());
  if (!normalised.ok) throw new OperationOutcomeError(422, normalised.issues);
  const mapped = mapSubmission(normalised.value, deps.catalogue);
  // Errors in what we produced block the visit. The validator's warnings describe our own mapping
  // choices (e.g. the clinical category beside the v3 flag in Observation.interpretation), which a
  // vendor cannot act on, so they are not passed on.
  const produced = deps.validateBundle(mapped.bundle).filter((i) => i.severity === 'error' || i.severity === 'fatal');
  const issues = [...normalised.warnings, ...mapped.warnings, ...produced];
  if (produced.length > 0) throw new OperationOutcomeError(422, issues);
  return { sub: normalised.value, bundle: mapped.bundle, payloadHash: payloadHash(parsed.value, deps.catalogue.version), issues };
}

/** Prepares the visit, then stores it with its outbox row in one transaction (idempotent by submissionId). */
export async function submitVisit(body: unknown, deps: IntakeDeps, store: SubmissionStore): Promise<{ saved: SaveOutcome; warnings: Issue[] }> {
  const prepared = prepareVisit(body, deps);
  const saved = await store.saveSubmission({
    organizationId: prepared.sub.raw.organizationId,
    submissionId: prepared.sub.raw.submissionId,
    payload: prepared.sub.raw,
    payloadHash: prepared.payloadHash,
    bundle: prepared.bundle,
    warnings: prepared.issues.map(toFhirIssue),
  });
  return { saved, warnings: prepared.issues };
}
