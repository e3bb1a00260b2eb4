import type { AuditEvent, AuditEventEntity } from 'fhir/r4';
import type { StoredAuditEvent } from '../store/audit-ports';
import { ENTITY_TYPE, OBJECT_ROLE } from './codes';

/**
 * How an AuditEvent is stored: its reference entities (`what.reference`) live only in the indexed
 * columns `patient_refs` / `entity_refs`, not a second time in `content`, and are rebuilt on read.
 * A search answer names 20 to 1,000 resources, and each entity is ~250 bytes of fixed codings: kept
 * in `content` they were most of the row (7 kB for 20 Observations) and most of the cost of
 * writing it (docs/decisions/0012-audit-trail.md). Other entities (query, submission, export job,
 * organisation) stay in `content`, after the reference entities, as the builder orders them.
 */
const PERSON = { system: ENTITY_TYPE, code: '1', display: 'Person' };
const SYSTEM_OBJECT = { system: ENTITY_TYPE, code: '2', display: 'System Object' };
const PATIENT_ROLE = { system: OBJECT_ROLE, code: '1', display: 'Patient' };
const DOMAIN_RESOURCE = { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' };

/** The event as `content` holds it: without the entities the columns hold. */
export function compactForStorage(event: AuditEvent): AuditEvent {
  const rest = (event.entity ?? []).filter((e) => e.what?.reference === undefined);
  const { entity: _entity, ...others } = event;
  return rest.length > 0 ? { ...others, entity: rest } : others;
}

/** Patients first (Person / Patient), then every other resource (System Object / Domain Resource), then what content kept. */
export function referenceEntities(patients: readonly string[], entities: readonly string[]): AuditEventEntity[] {
  const isPatient = new Set(patients);
  return [
    ...patients.map((reference) => ({ what: { reference }, type: PERSON, role: PATIENT_ROLE })),
    ...entities.filter((r) => !isPatient.has(r)).map((reference) => ({ what: { reference }, type: SYSTEM_OBJECT, role: DOMAIN_RESOURCE })),
  ];
}

/** The AuditEvent as built, from a stored row. */
export function expandStored(row: StoredAuditEvent): AuditEvent {
  const content = row.content as AuditEvent;
  const entity = [...referenceEntities(row.patients, row.entities), ...(content.entity ?? [])];
  return entity.length > 0 ? { ...content, entity } : content;
}
