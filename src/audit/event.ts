import type { AuditEvent, AuditEventAgent, AuditEventEntity, Coding } from 'fhir/r4';
import type { AuditAction } from './codes';
import { CLIENT_ID_SYSTEM, DICOM, ENTITY_TYPE, OBJECT_ROLE, SOURCE_TYPE, outcomeOf } from './codes';
import type { Touched } from './entities';
import { referenceEntities } from './stored';

/**
 * Builds one FHIR R4 AuditEvent (auditevent.html) from plain facts. Pure: the facts were taken
 * from the request by the API layer. What may appear: client ids, network addresses, resource
 * ids, codes, a redacted query. What never does: NIK, names, phone numbers, tokens, bodies.
 */
export interface AuditFacts {
  id: string;
  /** ISO instants: when the request arrived and when it was answered. */
  started: string;
  recorded: string;
  type: Coding;
  subtypes: Coding[];
  action: AuditAction;
  status: number;
  /** False when the client went away before the answer was complete. */
  completed: boolean;
  /** The requesting client, when it authenticated (or, for a token request, when it is a known client). */
  clientId?: string;
  /** The caller's network address (req.ip). */
  address?: string;
  touched: Touched;
  /** Objects without a FHIR reference (a submission, an export job, an organisation). */
  identifiers: { system: string; value: string }[];
  /** Already redacted (src/audit/query.ts); recorded base64 as entity.query. */
  query?: string;
  /** An operator's reason (a re-send), recorded as purposeOfEvent.text; never patient data (scrubbed by the caller). */
  reason?: string;
  /** The gateway as observer (AuditEvent.source.observer.display), e.g. `ILP Gateway 0.1.0`. */
  observer: string;
}

const coding = (system: string, code: string, display: string): Coding => ({ system, code, display });
const SYSTEM_OBJECT = coding(ENTITY_TYPE, '2', 'System Object');
const QUERY_ROLE = coding(OBJECT_ROLE, '24', 'Query');
const JOB_ROLE = coding(OBJECT_ROLE, '20', 'Job');
/** DICOM "Source Role ID" / "Destination Role ID": who asked, who answered (as IHE BALP types the agents). */
const SOURCE_ROLE = coding(DICOM, '110153', 'Source Role ID');
const DESTINATION_ROLE = coding(DICOM, '110152', 'Destination Role ID');

function requestor(facts: AuditFacts): AuditEventAgent {
  const agent: AuditEventAgent = { type: { coding: [SOURCE_ROLE] }, requestor: true };
  if (facts.clientId) {
    agent.who = { identifier: { system: CLIENT_ID_SYSTEM, value: facts.clientId }, display: facts.clientId };
    agent.altId = facts.clientId;
  } else {
    agent.who = { display: 'unauthenticated caller' };
  }
  // network.type 2 = IP address (valueset-network-type).
  if (facts.address) agent.network = { address: facts.address, type: '2' };
  return agent;
}

function entities(facts: AuditFacts): AuditEventEntity[] {
  const out = referenceEntities(facts.touched.patients, facts.touched.resources);
  for (const id of facts.identifiers) out.push({ what: { identifier: id }, type: SYSTEM_OBJECT, ...(id.system.endsWith('export-job') ? { role: JOB_ROLE } : {}) });
  if (facts.query !== undefined) out.push({ type: SYSTEM_OBJECT, role: QUERY_ROLE, query: Buffer.from(facts.query, 'utf8').toString('base64') });
  return out;
}

export function buildAuditEvent(facts: AuditFacts): AuditEvent {
  const outcome = outcomeOf(facts.status, facts.completed);
  const event: AuditEvent = {
    resourceType: 'AuditEvent',
    id: facts.id,
    type: facts.type,
    ...(facts.subtypes.length > 0 ? { subtype: facts.subtypes } : {}),
    action: facts.action,
    period: { start: facts.started, end: facts.recorded },
    recorded: facts.recorded,
    outcome,
    ...(facts.reason ? { purposeOfEvent: [{ text: facts.reason }] } : {}),
    ...(outcome === '0' ? {} : { outcomeDesc: facts.completed ? `HTTP ${facts.status}` : `HTTP ${facts.status}; the client closed the connection before the answer was complete` }),
    agent: [requestor(facts), { type: { coding: [DESTINATION_ROLE] }, who: { display: facts.observer }, requestor: false }],
    // security-source-type 4 = Application Server.
    source: { observer: { display: facts.observer }, type: [coding(SOURCE_TYPE, '4', 'Application Server')] },
  };
  const entity = entities(facts);
  if (entity.length > 0) event.entity = entity;
  return event;
}
