import type { Coding } from 'fhir/r4';

/**
 * The vocabularies of an AuditEvent (FHIR R4 auditevent.html, valueset-audit-event-type,
 * valueset-audit-event-sub-type, DICOM PS3.16 CID 400-403 as FHIR's DICOM code system).
 */
export const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
export const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
export const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
export const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
export const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
/** The gateway's own sub-types (ILP API, admin API, Bulk status/files); a URN, so it never pretends to resolve. */
export const GATEWAY_SUBTYPE = 'urn:ilp-gateway:audit-subtype';
/** AuditEvent.agent.who.identifier.system of an API client; its value is the client id (also agent.altId). */
export const CLIENT_ID_SYSTEM = 'urn:ilp-gateway:client';
export const SUBMISSION_SYSTEM = 'urn:ilp-gateway:submission';
export const EXPORT_JOB_SYSTEM = 'urn:ilp-gateway:export-job';
/** The console page a person opened or posted to (path only). */
export const CONSOLE_PAGE_SYSTEM = 'urn:ilp-gateway:console-page';
export const ORGANIZATION_SYSTEM = 'http://sys-ids.kemkes.go.id/organization';

export const TYPES = {
  rest: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'RESTful Operation' },
  userAuthentication: { system: DICOM, code: '110114', display: 'User Authentication' },
  auditLogUsed: { system: DICOM, code: '110101', display: 'Audit Log Used' },
  applicationActivity: { system: DICOM, code: '110100', display: 'Application Activity' },
} satisfies Record<string, Coding>;

export const LOGIN: Coding = { system: DICOM, code: '110122', display: 'Login' };
export const LOGOUT: Coding = { system: DICOM, code: '110123', display: 'Logout' };

export type Interaction = 'read' | 'vread' | 'history-instance' | 'search-type' | 'create' | 'update' | 'transaction' | 'batch' | 'operation';

export function interaction(code: Interaction): Coding {
  return { system: RESTFUL_INTERACTION, code, display: code };
}

export function gatewaySubtype(code: string): Coding {
  return { system: GATEWAY_SUBTYPE, code, display: code };
}

/** The operation's canonical as a sub-type beside `operation` (as IHE BALP records operations). */
export const OPERATIONS = {
  export: { system: 'urn:ietf:rfc:3986', code: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export', display: '$export' },
  validate: { system: 'urn:ietf:rfc:3986', code: 'http://hl7.org/fhir/OperationDefinition/Resource-validate', display: '$validate' },
} satisfies Record<string, Coding>;

/** AuditEvent.action (valueset-audit-event-action): Create, Read, Update, Delete, Execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** AuditEvent.outcome (valueset-audit-event-outcome) from the HTTP status: 0 success, 4 minor (4xx), 8 serious (5xx). */
export function outcomeOf(status: number, completed: boolean): '0' | '4' | '8' {
  if (status >= 500) return '8';
  if (status >= 400 || !completed) return '4';
  return '0';
}
