import { parse as uuidParse, v5 as uuidv5 } from 'uuid';
import type { InterpretContext } from '../catalog/interpret';
import type { Catalogue } from '../catalog/types';
import { toUtcInstant } from '../fhir/datetime';
import { hasLoneSurrogate } from '../kernel';
import type { NormalisedSubmission } from '../intake/submission';

/** Namespace of the gateway's deterministic resource ids (UUID v5). Never change it: ids would move. */
const ID_NAMESPACE = '3c5b8a0e-6f1d-5b7e-9a43-0f3e1d2c4b5a';
/**
 * The namespace parsed once and the name as UTF-8 bytes: given strings, uuid parses the namespace
 * twice and encodes the name char by char on every call (a third of an id's cost). The bytes are
 * the same (RFC 9562 §5.5: the name in its canonical encoding, UTF-8 here).
 */
const NAMESPACE_BYTES = uuidParse(ID_NAMESPACE);

/**
 * Resource ids derive from (organisation, submissionId, role), so a re-sent visit maps onto the
 * same resources and a changed payload becomes a new version of them, not a second visit.
 */
export function resourceId(orgId: string, submissionId: string, role: string): string {
  const name = `${orgId}|${submissionId}|${role}`;
  // Buffer.from would replace a lone surrogate with U+FFFD, so two names could share an id; uuid's
  // own string path throws on one (URIError), and so does this. The HTTP edge refuses such text first (api/body.ts).
  if (hasLoneSurrogate(name)) throw new URIError('a resource id name holds a lone surrogate');
  return uuidv5(Buffer.from(name, 'utf8'), NAMESPACE_BYTES);
}

export interface MappingContext {
  sub: NormalisedSubmission;
  catalogue: Catalogue;
  orgId: string;
  id(role: string): string;
  urn(role: string): string;
  practitionerRef: { reference: string; display: string };
  patientRef: { reference: string; display: string };
  encounterRef: { reference: string };
  /** What the thresholds depend on (sex, age, life-cycle, gestational age), the same for every item of the visit. */
  interpretContext: InterpretContext;
}

function interpretContextOf(sub: NormalisedSubmission): InterpretContext {
  const ga = sub.items.find((i) => i.code === 'gestational-age-weeks')?.value;
  return {
    sex: sub.raw.patient.gender,
    ageYears: sub.age.years,
    ageMonths: sub.age.months,
    lifeCycles: sub.raw.lifeCycle,
    ...(typeof ga === 'number' ? { gestationalWeeks: ga } : {}),
  };
}

export function createContext(sub: NormalisedSubmission, catalogue: Catalogue): MappingContext {
  const { organizationId: orgId, submissionId } = sub.raw;
  // Each id is asked for several times (fullUrl, request, references); UUID v5 hashing is the
  // mapping's main cost, so compute each once.
  const ids = new Map<string, string>();
  const id = (role: string): string => {
    let value = ids.get(role);
    if (value === undefined) ids.set(role, (value = resourceId(orgId, submissionId, role)));
    return value;
  };
  const urn = (role: string): string => `urn:uuid:${id(role)}`;
  return {
    sub,
    catalogue,
    orgId,
    id,
    urn,
    practitionerRef: { reference: `Practitioner/${sub.raw.practitioner.ihsNumber}`, display: sub.raw.practitioner.name },
    patientRef: { reference: urn('patient'), display: sub.raw.patient.name },
    encounterRef: { reference: urn('encounter') },
    interpretContext: interpretContextOf(sub),
  };
}

/** Date part (YYYY-MM-DD) of the visit as the vendor wrote it, i.e. in the facility's local time. */
export function localVisitDate(ctx: MappingContext): string {
  return ctx.sub.raw.start.slice(0, 10);
}

/** The last second of a local calendar day, as a SATUSEHAT UTC date-time (RuleNumber 10132 wants date-times, not dates). */
export function endOfLocalDayUtc(ctx: MappingContext, date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return toUtcInstant(Date.UTC(y, m - 1, d, 23, 59, 59) - ctx.sub.offsetMinutes * 60_000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
