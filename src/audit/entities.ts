import { parseReference } from '../fhir/search-values';

/**
 * Which resources and Patients a request touched, from what it answered (a resource, a searchset
 * or history Bundle, a transaction or batch response) and what it sent (a transaction's entries
 * naming existing Patients). Only `Type/id` references are taken, never content.
 */
export interface Touched {
  /** `Type/id` of every resource read or written, in first-seen order. */
  resources: string[];
  /** `Patient/id` of every Patient among them or referenced by them as subject or patient. */
  patients: string[];
}

/** A search of 1,000 rows plus includes is the most one response names; beyond it the event would be a dump. */
export const MAX_ENTITIES = 2000;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class TouchedSet {
  private readonly resources = new Set<string>();
  private readonly patients = new Set<string>();

  add(type: unknown, id: unknown): void {
    if (typeof type !== 'string' || typeof id !== 'string' || !TYPE.test(type) || !ID.test(id)) return;
    if (this.resources.size >= MAX_ENTITIES) return;
    this.resources.add(`${type}/${id}`);
    if (type === 'Patient') this.patients.add(`Patient/${id}`);
  }

  addPatient(reference: unknown): void {
    const parsed = typeof reference === 'string' ? parseReference(reference) : undefined;
    if (parsed?.type === 'Patient' && ID.test(parsed.id) && this.patients.size < MAX_ENTITIES) this.patients.add(`Patient/${parsed.id}`);
  }

  /** A resource: itself, and the Patient its `subject` or `patient` names. */
  addResource(resource: unknown): void {
    if (!isObject(resource)) return;
    this.add(resource.resourceType, resource.id);
    for (const key of ['subject', 'patient']) {
      const ref = resource[key];
      if (isObject(ref)) this.addPatient(ref.reference);
    }
  }

  /** `Type/id/_history/n` (a transaction response's location). */
  addLocation(location: unknown): void {
    const parsed = typeof location === 'string' ? parseReference(location) : undefined;
    if (parsed) this.add(parsed.type, parsed.id);
  }

  result(): Touched {
    return { resources: [...this.resources], patients: [...this.patients] };
  }
}

/**
 * What a FHIR answer names: the resource itself, a Bundle's entry resources, or a response's
 * locations. A batch-response entry that answered a search or a history read holds a searchset or
 * history Bundle (R4 http.html "batch/transaction": GET entries return their result as the entry's
 * resource); its entries are what was read, so one level of nesting is followed. Deeper Bundles are documents or messages the
 * store holds as one resource.
 */
export function addAnswer(set: TouchedSet, answer: unknown, nested = false): void {
  if (!isObject(answer) || answer.resourceType === 'OperationOutcome') return;
  if (answer.resourceType !== 'Bundle' || (nested && answer.type !== 'searchset' && answer.type !== 'history')) {
    set.addResource(answer);
    return;
  }
  for (const entry of Array.isArray(answer.entry) ? answer.entry : []) {
    if (!isObject(entry)) continue;
    if (!nested && answer.type === 'batch-response' && isObject(entry.resource) && entry.resource.resourceType === 'Bundle') addAnswer(set, entry.resource, true);
    else set.addResource(entry.resource);
    if (isObject(entry.response)) set.addLocation(entry.response.location);
  }
}

/** Patients a transaction or batch names by a literal `Patient/id` (existing records it writes about). */
export function addRequestPatients(set: TouchedSet, body: unknown): void {
  if (!isObject(body) || body.resourceType !== 'Bundle' || !Array.isArray(body.entry)) return;
  for (const entry of body.entry) {
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource)) continue;
    for (const key of ['subject', 'patient']) {
      const ref = resource[key];
      if (isObject(ref)) set.addPatient(ref.reference);
    }
  }
}
