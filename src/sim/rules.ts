import { createRequire } from 'node:module';
import type { OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';
import { SATUSEHAT_OBSERVATION_CODE_SYSTEMS } from '../fhir/canonical';

/**
 * The validation rules of SATUSEHAT's "FHIR Processor" that matter for ILP visits, with their
 * Kamus Validasi numbers (satusehat-api.md §3, §5.1, §8; ../shared/reference/satusehat-rules.txt).
 * Each failed rule is one issue `{severity:error, code, details.text:"… (RuleNumber: N)", expression}`.
 */
export type Issue = OperationOutcomeIssue;

export interface RuleContext {
  /** The organisation bound to the caller's token (§1.2). */
  orgId: string;
  /** Whether a `Type/id` reference names an existing resource (or one created in the same Bundle). */
  exists(reference: string): boolean;
  now: number;
}

type Json = Record<string, unknown>;

export function issue(code: 'value' | 'format' | 'duplicate' | 'structure' | 'not-found', text: string, expression?: string): Issue {
  return { severity: 'error', code, details: { text }, ...(expression ? { expression: [expression] } : {}) };
}

export function outcome(issues: Issue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">validation</div>' }, issue: issues };
}

/** Identifier rule numbers by resource type (§2.1); no number was found for CarePlan, so none is invented. */
const IDENTIFIER_RULES: Record<string, number | undefined> = { Encounter: 10117, Observation: 10441, Condition: 10444 };
const SYS_IDS = /^http:\/\/sys-ids\.kemkes\.go\.id\/([a-z-]+)\/(\d+)\/?$/;

function rule(n: number | undefined): string {
  return n === undefined ? '' : ` (RuleNumber: ${n})`;
}

function identifierRules(r: Json, type: string, ctx: RuleContext): Issue[] {
  const out: Issue[] = [];
  const identifiers = Array.isArray(r.identifier) ? (r.identifier as Json[]) : [];
  identifiers.forEach((id, i) => {
    const m = typeof id.system === 'string' ? SYS_IDS.exec(id.system) : null;
    if (m && m[2] !== ctx.orgId) {
      out.push(issue('value', `Wrong organization ID provided by system URL: ${String(id.system)}${rule(IDENTIFIER_RULES[type] ?? undefined)}`, `${type}.identifier[${i}].system`));
    }
  });
  if (type === 'Encounter' && identifiers.length === 0) out.push(issue('value', `Identifier is mandatory : Encounter.identifier (RuleNumber: 10117)`, 'Encounter.identifier'));
  return out;
}

const get = (r: Json, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), r);

/** A mandatory reference (`Reference is mandatory`, §5.1) that must also name an existing resource (20007). */
function reference(r: Json, type: string, path: string, n: number | undefined, ctx: RuleContext): Issue[] {
  const value = get(r, path);
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  const ref = first && typeof first === 'object' ? (first as Json).reference : undefined;
  if (typeof ref !== 'string' || ref === '') return [issue('value', `Reference is mandatory : ${type}.${path}${rule(n)}`, `${type}.${path}`)];
  if (/^(Patient|Practitioner|Encounter)\//.test(ref) && !ctx.exists(ref)) {
    return [issue('not-found', `Resource not found ${ref} (RuleNumber: 20007)`, `${type}.${path}`)];
  }
  return [];
}

function required(r: Json, type: string, path: string, n: number | undefined): Issue[] {
  const v = get(r, path);
  const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
  return empty ? [issue('value', `Element not found: ${type}.${path}${rule(n)}`, `${type}.${path}`)] : [];
}

const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?\+00:00$/;
/** "Not Allowed : Future Date or Past Date older than 31st August 2022" (RuleNumber 10132, §5.1). */
const OLDEST = Date.parse('2022-08-31T00:00:00Z');

function dateTime(r: Json, type: string, path: string, ctx: RuleContext): Issue[] {
  const v = get(r, path);
  if (v === undefined) return [];
  if (typeof v !== 'string' || !UTC.test(v)) {
    return [issue('format', `Invalid date time format : ${String(v)} (RuleNumber: 10132). Format allowed : YYYY-MM-DDThh:mm:ss+00:00`, `${type}.${path}`)];
  }
  const t = Date.parse(v);
  if (t > ctx.now + 60_000 || t < OLDEST) {
    return [issue('value', `Invalid date time value : ${v} (RuleNumber: 10132). Not Allowed : Future Date or Past Date older than 31st August 2022`, `${type}.${path}`)];
  }
  return [];
}

function encounterRules(r: Json, ctx: RuleContext): Issue[] {
  const out = [
    ...reference(r, 'Encounter', 'subject', 10118, ctx),
    ...reference(r, 'Encounter', 'participant.0.individual', 10119, ctx).map(fixPath('participant.0.individual', 'participant[0].individual')),
    ...required(r, 'Encounter', 'statusHistory', 10122),
    ...required(r, 'Encounter', 'period.start', 10123),
    ...reference(r, 'Encounter', 'serviceProvider', 10124, ctx),
    ...dateTime(r, 'Encounter', 'period.start', ctx),
    ...dateTime(r, 'Encounter', 'period.end', ctx),
  ];
  const period = (r.period ?? {}) as Json;
  if (r.status === 'finished' && (typeof period.start !== 'string' || typeof period.end !== 'string')) {
    out.push(issue('value', 'Encounter.period.start and Encounter.period.end are mandatory when status is finished (RuleNumber: 10121)', 'Encounter.period'));
  } else if (typeof period.start === 'string' && typeof period.end === 'string' && Date.parse(period.end) < Date.parse(period.start)) {
    out.push(issue('value', 'Encounter.period.end must be later than Encounter.period.start (RuleNumber: 10173)', 'Encounter.period.end'));
  }
  const locations = Array.isArray(r.location) ? (r.location as Json[]) : [];
  locations.forEach((l, i) => {
    if (!l.location) out.push(issue('value', `Reference is mandatory : Encounter.location.location (RuleNumber: 10120)`, `Encounter.location[${i}].location`));
  });
  return out;
}

const fixPath = (from: string, to: string) => (i: Issue): Issue => ({ ...i, expression: i.expression?.map((e) => e.replace(from, to)) });

function observationRules(r: Json, ctx: RuleContext): Issue[] {
  const out = [
    ...reference(r, 'Observation', 'subject', 10129, ctx),
    ...reference(r, 'Observation', 'encounter', 10130, ctx),
    ...reference(r, 'Observation', 'performer', 10383, ctx).map(fixPath('performer', 'performer[0]')),
    ...dateTime(r, 'Observation', 'effectiveDateTime', ctx).map(renumber(10295)),
    ...dateTime(r, 'Observation', 'issued', ctx).map(renumber(10296)),
  ];
  const codings = Array.isArray((r.code as Json | undefined)?.coding) ? ((r.code as Json).coding as Json[]) : [];
  codings.forEach((c, i) => {
    if (!SATUSEHAT_OBSERVATION_CODE_SYSTEMS.has(String(c.system))) {
      out.push(issue('value', `Invalid coding system: ${String(c.system)} (RuleNumber: 10010)`, `Observation.code.coding[${i}].system`));
    }
  });
  const q = r.valueQuantity as Json | undefined;
  if (q && (q.system !== 'http://unitsofmeasure.org' || typeof q.code !== 'string' || !isUcum(q.code))) {
    out.push(issue('value', `Invalid unit code: '${String(q.code)}' in system: http://unitsofmeasure.org (RuleNumber: 10012)`, 'Observation.valueQuantity.code'));
  }
  return out;
}

/** 10295/10296 are the Observation-specific numbers of the date-time format rule. */
const renumber = (n: number) => (i: Issue): Issue =>
  i.code === 'format' ? { ...i, details: { text: (i.details?.text ?? '').replace('RuleNumber: 10132', `RuleNumber: ${n}`) } } : i;

function conditionRules(r: Json, ctx: RuleContext): Issue[] {
  return [
    ...reference(r, 'Condition', 'subject', 10125, ctx),
    ...reference(r, 'Condition', 'encounter', 10126, ctx),
    ...dateTime(r, 'Condition', 'onsetDateTime', ctx),
    ...dateTime(r, 'Condition', 'recordedDate', ctx),
  ];
}

function carePlanRules(r: Json, ctx: RuleContext): Issue[] {
  return [
    ...required(r, 'CarePlan', 'status', 10115),
    ...required(r, 'CarePlan', 'intent', 10116),
    ...required(r, 'CarePlan', 'description', 10328),
    ...required(r, 'CarePlan', 'title', 10329),
    ...reference(r, 'CarePlan', 'subject', 10380, ctx),
    ...reference(r, 'CarePlan', 'encounter', 10381, ctx),
    ...reference(r, 'CarePlan', 'author', 10382, ctx),
    ...dateTime(r, 'CarePlan', 'created', ctx),
  ];
}

/** Immunization: patient, encounter, occurrence date-time; no rule numbers found for it, none invented. */
function immunizationRules(r: Json, ctx: RuleContext): Issue[] {
  const out = [
    ...reference(r, 'Immunization', 'patient', undefined, ctx),
    ...reference(r, 'Immunization', 'encounter', undefined, ctx),
    ...required(r, 'Immunization', 'occurrenceDateTime', undefined),
    ...dateTime(r, 'Immunization', 'occurrenceDateTime', ctx),
  ];
  const codings = Array.isArray((r.vaccineCode as Json | undefined)?.coding) ? ((r.vaccineCode as Json).coding as Json[]) : [];
  if (!codings.some((c) => c.system === 'http://sys-ids.kemkes.go.id/kfa')) {
    out.push(issue('value', 'Immunization.vaccineCode must carry a KFA code (http://sys-ids.kemkes.go.id/kfa)', 'Immunization.vaccineCode'));
  }
  return out;
}

const BY_TYPE: Record<string, (r: Json, ctx: RuleContext) => Issue[]> = {
  Immunization: immunizationRules,
  Encounter: encounterRules,
  Observation: observationRules,
  Condition: conditionRules,
  CarePlan: carePlanRules,
};

export const WRITABLE_TYPES = Object.keys(BY_TYPE);

/** Every rule failure of one resource (empty when it passes). */
export function validateResource(resource: Resource, ctx: RuleContext): Issue[] {
  const r = resource as unknown as Json;
  const typeRules = BY_TYPE[resource.resourceType];
  if (!typeRules) return [issue('structure', `Resource ${resource.resourceType} is not allowed for current access class (RuleNumber: 20004)`)];
  return [...identifierRules(r, resource.resourceType, ctx), ...typeRules(r, ctx)];
}

interface UcumUtils {
  validateUnitString(code: string): { status: string };
}
let ucum: UcumUtils | undefined;
const ucumCache = new Map<string, boolean>();

/** UCUM through @lhncbc/ucum-lhc (the NLM reference implementation), loaded on first use. */
function isUcum(code: string): boolean {
  const known = ucumCache.get(code);
  if (known !== undefined) return known;
  ucum ??= (createRequire(__filename)('@lhncbc/ucum-lhc') as { UcumLhcUtils: { getInstance(): UcumUtils } }).UcumLhcUtils.getInstance();
  const valid = ucum.validateUnitString(code).status === 'valid';
  ucumCache.set(code, valid);
  return valid;
}
