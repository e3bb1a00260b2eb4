import type { Catalogue } from '../catalog/types';
import { FEMALE_ONLY_LIFE_CYCLES, LIFE_CYCLE_AGE_MONTHS, VISIT_TYPES } from '../catalog/vocabulary';
import { ageAt, isValidDate, parseOffsetDateTime } from '../fhir/datetime';
import { ageInDays } from '../growth';
import { Issue, Result, err, hasErrors, issue, ok } from '../kernel';
import { normaliseImmunizations } from './immunizations';
import { nikMatchesBirth, nikProblem, villageCodeProblem } from './area-codes';
import type { IlpSubmission, NormalisedItem, NormalisedSubmission } from './submission';

/** SATUSEHAT refuses dates before this (RuleNumber 10132, satusehat-api §5.1). */
export const EARLIEST_ACCEPTED = '2022-08-31T00:00:00+00:00';
/** Clock skew tolerated between a vendor's clock and ours before a time counts as future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;

interface Ctx {
  now: number;
  issues: Issue[];
}

function parseTime(value: string, path: string, ctx: Ctx): { ms: number; utc: string; offsetMinutes: number } | undefined {
  const parsed = parseOffsetDateTime(value);
  if (!parsed.ok) {
    ctx.issues.push(issue(parsed.reason === 'no-offset' ? 'ILP-TIME-NO-OFFSET' : 'ILP-TIME-INVALID', { value }, path));
    return undefined;
  }
  if (parsed.epochMs > ctx.now + CLOCK_SKEW_MS) ctx.issues.push(issue('ILP-TIME-FUTURE', { value }, path));
  else if (parsed.epochMs < Date.parse(EARLIEST_ACCEPTED)) ctx.issues.push(issue('ILP-TIME-TOO-OLD', { value, limit: '2022-08-31' }, path));
  return { ms: parsed.epochMs, utc: parsed.utc, offsetMinutes: parsed.offsetMinutes };
}

/**
 * A patient is identified by their own NIK or, as a newborn without one yet, by the mother's NIK
 * and the birth order (SATUSEHAT newborn pattern, satusehat-api §2.1–§2.3). Both may come together
 * once the child's NIK is known: the records are then linked (mapping/patient.ts).
 */
function checkPatientIdentity(p: IlpSubmission['patient'], ctx: Ctx): void {
  if (p.nik === undefined && p.motherNik === undefined) {
    ctx.issues.push(issue('SCHEMA-REQUIRED', { field: 'nik (or motherNik with multipleBirth for a newborn)' }, 'patient.nik'));
    return;
  }
  if (p.nik !== undefined) {
    const nik = nikProblem(p.nik);
    if (nik) ctx.issues.push(issue('ILP-NIK-INVALID', { detail: nik }, 'patient.nik'));
    else if (isValidDate(p.birthDate) && !nikMatchesBirth(p.nik, p.birthDate, p.gender)) {
      ctx.issues.push(issue('WARN-NIK-BIRTHDATE', { segment: p.nik.slice(6, 12), birthDate: p.birthDate, gender: p.gender }, 'patient.nik'));
    }
  }
  if (p.motherNik !== undefined) {
    const mother = nikProblem(p.motherNik);
    if (mother) ctx.issues.push(issue('ILP-NIK-INVALID', { detail: mother }, 'patient.motherNik'));
    if (p.multipleBirth === undefined) ctx.issues.push(issue('SCHEMA-REQUIRED', { field: 'multipleBirth' }, 'patient.multipleBirth'));
  } else if (p.multipleBirth !== undefined && p.nik === undefined) {
    ctx.issues.push(issue('SCHEMA-REQUIRED', { field: 'motherNik' }, 'patient.motherNik'));
  }
}

function checkPatient(s: IlpSubmission, ctx: Ctx): void {
  const p = s.patient;
  checkPatientIdentity(p, ctx);
  const village = villageCodeProblem(p.address.villageCode);
  if (village) ctx.issues.push(issue('ILP-VILLAGE-INVALID', { detail: village }, 'patient.address.villageCode'));
  if (!isValidDate(p.birthDate)) ctx.issues.push(issue('ILP-DATE-INVALID', { value: p.birthDate }, 'patient.birthDate'));
}

function checkVisitOrdinal(s: IlpSubmission, ctx: Ctx): void {
  const def = VISIT_TYPES.find((v) => v.code === s.visitType);
  if (!def || s.visitOrdinal === undefined || def.ordinals.includes(s.visitOrdinal)) return;
  ctx.issues.push(issue('ILP-VISIT-ORDINAL', { ordinal: s.visitOrdinal, visitType: s.visitType, allowed: def.ordinals.join(', ') || '(none)' }, 'visitOrdinal'));
}

/** Pregnancy rules (Hb, BP, MUAC thresholds) would otherwise be applied to a man: an error, not a warning. */
function checkLifeCycleSex(s: IlpSubmission, ctx: Ctx): void {
  s.lifeCycle.forEach((group, i) => {
    if (s.patient.gender === 'male' && FEMALE_ONLY_LIFE_CYCLES.has(group)) ctx.issues.push(issue('ILP-LIFECYCLE-SEX', { group, gender: s.patient.gender }, `lifeCycle[${i}]`));
  });
}

function checkLifeCycleAges(s: IlpSubmission, ageMonths: number, ageYears: number, ctx: Ctx): void {
  s.lifeCycle.forEach((group, i) => {
    const band = LIFE_CYCLE_AGE_MONTHS[group];
    if (band && (ageMonths < band.min || ageMonths >= band.max)) {
      ctx.issues.push(issue('WARN-LIFECYCLE-AGE', { group, age: ageYears >= 1 ? `${ageYears} y` : `${ageMonths} mo` }, `lifeCycle[${i}]`));
    }
  });
}

function flattenItems(s: IlpSubmission, catalogue: Catalogue, startUtc: string, ctx: Ctx): NormalisedItem[] {
  const byCode = new Map<string, NormalisedItem>();
  s.screenings.forEach((screening, si) => {
    const type = catalogue.screenings.get(screening.type);
    screening.items.forEach((item, ii) => {
      const path = `screenings[${si}].items[${ii}]`;
      if (type && !type.items.includes(item.code)) {
        ctx.issues.push(issue('ILP-ITEM-NOT-IN-SCREENING', { code: item.code, type: screening.type, allowed: type.items.join(', ') }, `${path}.code`));
      }
      const time = item.time ? parseTime(item.time, `${path}.time`, ctx) : undefined;
      const entry: NormalisedItem = { screening: screening.type, code: item.code, value: item.value, timeUtc: time?.utc ?? startUtc, path };
      if (item.interpretation) entry.vendorInterpretation = item.interpretation;
      if (item.method) entry.method = item.method;
      const previous = byCode.get(item.code);
      // The same measurement may be listed under two screenings (e.g. weight for ANC and obesity):
      // one Observation serves both (ilp-domain §10.7); different values are a contradiction.
      if (previous && previous.value !== item.value) ctx.issues.push(issue('ILP-ITEM-DUPLICATE', { code: item.code }, `${path}.value`));
      if (!previous) byCode.set(item.code, entry);
      checkEligibility(s, catalogue, item.code, `${path}.code`, ctx);
    });
  });
  return [...byCode.values()];
}

function checkEligibility(s: IlpSubmission, catalogue: Catalogue, code: string, path: string, ctx: Ctx): void {
  const item = catalogue.items.get(code);
  if (!item) return;
  if (item.lifeCycles.length > 0 && !s.lifeCycle.some((g) => item.lifeCycles.includes(g))) {
    ctx.issues.push(issue('WARN-ITEM-NOT-ELIGIBLE', { code, groups: s.lifeCycle.join(', ') }, path));
  }
}

/**
 * WHO measures children lying down to 2 years and accepts a recumbent length (adjusted −0.7 cm)
 * up to 5 years; the WHO 2007 reference for 5–19 years is for standing height only, so a length
 * for an older child is a wrong field, not a measurement to convert (docs/decisions/0014).
 */
const MAX_LENGTH_AGE_DAYS = 1826;

function checkRecumbentLength(items: NormalisedItem[], ageDays: number, ctx: Ctx): void {
  const length = items.find((i) => i.code === 'body-length');
  if (length && ageDays > MAX_LENGTH_AGE_DAYS) {
    const years = Math.floor(ageDays / 365.25);
    ctx.issues.push(issue('ILP-LENGTH-AGE', { age: `${years} y` }, `${length.path}.code`));
  }
}

function checkDiagnosesAndPlan(s: IlpSubmission, ctx: Ctx): void {
  const seen = new Set<string>();
  s.diagnoses?.forEach((d, i) => {
    if (!ICD10.test(d.icd10)) ctx.issues.push(issue('ILP-ICD10-INVALID', { code: d.icd10 }, `diagnoses[${i}].icd10`));
    else if (seen.has(d.icd10)) ctx.issues.push(issue('ILP-DIAGNOSIS-DUPLICATE', { code: d.icd10 }, `diagnoses[${i}].icd10`));
    seen.add(d.icd10);
  });
  const visitDate = s.start.slice(0, 10);
  s.carePlan?.activities.forEach((a, i) => {
    if (a.due === undefined) return;
    if (!isValidDate(a.due)) ctx.issues.push(issue('ILP-DATE-INVALID', { value: a.due }, `carePlan.activities[${i}].due`));
    else if (a.due < visitDate) ctx.issues.push(issue('ILP-DUE-BEFORE-VISIT', { due: a.due }, `carePlan.activities[${i}].due`));
  });
}

/**
 * Checks what JSON Schema cannot (NIK, area codes, times, item membership) and converts times to
 * UTC. Errors and warnings are collected together so a vendor sees every problem at once.
 */
export function normaliseSubmission(s: IlpSubmission, catalogue: Catalogue, now: number = Date.now()): Result<NormalisedSubmission> {
  const ctx: Ctx = { now, issues: [] };
  checkPatient(s, ctx);
  checkVisitOrdinal(s, ctx);
  checkLifeCycleSex(s, ctx);
  const start = parseTime(s.start, 'start', ctx);
  const end = parseTime(s.end, 'end', ctx);
  if (start && end && end.ms <= start.ms) ctx.issues.push(issue('ILP-TIME-ORDER', { start: s.start, end: s.end }, 'end'));
  checkDiagnosesAndPlan(s, ctx);
  if (!start || !end || !isValidDate(s.patient.birthDate)) return err(ctx.issues);
  // Age and dates count in the facility's local calendar: 06:00 WIB on a birthday is still the
  // day before in UTC.
  if (s.patient.birthDate > s.start.slice(0, 10)) ctx.issues.push(issue('ILP-BIRTHDATE-AFTER-VISIT', { birthDate: s.patient.birthDate }, 'patient.birthDate'));
  const age = ageAt(s.patient.birthDate, start.ms, start.offsetMinutes);
  checkLifeCycleAges(s, age.months, age.years, ctx);
  const items = flattenItems(s, catalogue, start.utc, ctx);
  checkRecumbentLength(items, ageInDays(s.patient.birthDate, s.start.slice(0, 10)), ctx);
  const vaccinations = normaliseImmunizations(s.immunizations, {
    birthDate: s.patient.birthDate, visitDate: s.start.slice(0, 10), visitStartUtc: start.utc, offsetMinutes: start.offsetMinutes, now,
  });
  ctx.issues.push(...vaccinations.issues);
  if (hasErrors(ctx.issues)) return err(ctx.issues);
  return ok({ raw: s, startUtc: start.utc, endUtc: end.utc, startMs: start.ms, offsetMinutes: start.offsetMinutes, age, items, immunizations: vaccinations.immunizations }, ctx.issues);
}
