import type { Bundle, BundleEntry, Encounter, Extension, Immunization, Observation, Patient } from 'fhir/r4';
import type { Catalogue } from '../catalog/types';
import { KFA_SYSTEM, VACCINES, VACCINE_CODE_SYSTEM, findVaccine } from '../catalog/vaccines';
import { VISIT_TYPES } from '../catalog/vocabulary';
import { ILP, SYSTEMS } from '../fhir/canonical';
import type { ContributionRow, VisitContributions } from '../store/pws-ports';
import { provinceOffsetMinutes } from './time-zones';

/**
 * What one visit contributes to village monitoring (PWS): one row per fact about one person, with
 * the person's village of residence, age and the local date the fact happened on. The indicator
 * registry (registry.ts) counts distinct people over these rows; the counts never read FHIR
 * resources at query time (ilp-domain §8.5).
 *
 * Built from the visit's FHIR transaction Bundle — what is stored is what is counted, and a
 * FHIR-native vendor's visit counts exactly like an ILP one. Facts are plain strings so that the
 * registry, not code, says what counts:
 * - `item:<catalogue code>`            the item was measured or derived in this visit;
 * - `band:<catalogue code>:<category>` its interpretation category (the clinical category coding);
 * - `value:<catalogue code>:<answer>`  the answer of a coded or yes/no item;
 * - `visit:<ordinal>`                  the visit ordinal (K1A, K1M, K2…K6, KN1…KN3, KF1…KF4);
 * - `life-cycle:<group>`               a life-cycle group of the visit (ilp-life-cycle extension);
 * - `vaccine:<short name>`             a dose given (on its own date, not the visit's).
 */

const NIK_IBU = 'https://fhir.kemkes.go.id/id/nik-ibu';
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const ORDINALS: ReadonlySet<string> = new Set(VISIT_TYPES.flatMap((v) => v.ordinals));

/** The local calendar date of a UTC instant at an offset in minutes. */
export function localDateOf(utc: string, offsetMinutes: number): string {
  return new Date(Date.parse(utc) + offsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

/** A FHIR dateTime's local date: a bare date is already local; an instant is moved to the offset. */
function localDateOfDateTime(value: string, offsetMinutes: number): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localDateOf(value, offsetMinutes);
}

/** Completed days, months and years between a birth date and a local date (the same rules as intake's ageAt). */
export function ageOn(birthDate: string, localDate: string): { days: number; months: number; years: number } {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  const days = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(by, bm - 1, bd)) / DAY_MS);
  let months = (y - by) * 12 + (m - bm);
  if (d < bd) months -= 1;
  if (days < 0 || months < 0) return { days: Math.max(days, 0), months: 0, years: 0 };
  return { days, months, years: Math.floor(months / 12) };
}

/**
 * The person across organisations. A newborn without a NIK is its mother's NIK, birth date and
 * birth order (SATUSEHAT's pattern; the birth date tells a mother's singleton children apart).
 */
export function personKeyOf(p: { nik?: string; motherNik?: string; birthDate?: string; multipleBirth?: number }): string | undefined {
  if (p.nik) return `nik:${p.nik}`;
  if (p.motherNik) return `ibu:${p.motherNik}:${p.birthDate ?? ''}:${p.multipleBirth ?? 1}`;
  return undefined;
}

/** Catalogue item by Observation coding (and body site, for side-specific items such as visual acuity). */
const itemIndexes = new WeakMap<Catalogue, Map<string, string>>();
function itemIndex(catalogue: Catalogue): Map<string, string> {
  let index = itemIndexes.get(catalogue);
  if (!index) {
    index = new Map();
    for (const item of catalogue.items.values()) {
      for (const c of item.codings) index.set(`${c.system}|${c.code}|${item.bodySite?.code ?? ''}`, item.code);
    }
    itemIndexes.set(catalogue, index);
  }
  return index;
}

function itemCodeOf(o: Observation, index: Map<string, string>): string | undefined {
  const site = o.bodySite?.coding?.[0]?.code ?? '';
  for (const c of o.code?.coding ?? []) {
    const hit = index.get(`${c.system}|${c.code}|${site}`);
    if (hit) return hit;
  }
  return undefined;
}

function observationFacts(o: Observation, code: string): string[] {
  const categories = (o.interpretation ?? []).flatMap((cc) => (cc.coding ?? []).filter((k) => k.system !== SYSTEMS.v3Interpretation && k.code));
  const facts = [`item:${code}`, ...categories.map((k) => `band:${code}:${k.code}`)];
  if (typeof o.valueBoolean === 'boolean') facts.push(`value:${code}:${o.valueBoolean}`);
  const answer = o.valueCodeableConcept?.coding?.[0]?.code;
  if (answer) facts.push(`value:${code}:${answer}`);
  return facts;
}

const BY_KFA = new Map(VACCINES.flatMap((v) => (v.kfa ? [[v.kfa.code, v.code] as const] : [])));

/** The KIA short name of a dose: our vaccine code, else the KFA code the registry knows. */
function vaccineNameOf(i: Immunization): string | undefined {
  for (const c of i.vaccineCode?.coding ?? []) {
    if (c.system === VACCINE_CODE_SYSTEM && c.code) return findVaccine(c.code)?.code;
    if (c.system === KFA_SYSTEM && c.code && BY_KFA.has(c.code)) return BY_KFA.get(c.code);
  }
  return undefined;
}

function villageOf(p: Patient): string | undefined {
  for (const a of p.address ?? []) {
    const ext = a.extension?.find((e) => e.url === SYSTEMS.administrativeCodeExtension);
    const village = ext?.extension?.find((e: Extension) => e.url === 'village')?.valueCode;
    if (village && /^\d{10}$/.test(village)) return village;
  }
  return undefined;
}

function first<T extends BundleEntry['resource']>(bundle: Bundle, type: string): T | undefined {
  return bundle.entry?.find((e) => e.resource?.resourceType === type)?.resource as T | undefined;
}

/** A visit's Patient, Encounter, Observations and Immunizations. */
export interface ContributionOptions {
  organizationId: string;
  /** The visit's own UTC offset (ILP visits carry it); otherwise the residence province's time zone. */
  offsetMinutes?: number;
}

/**
 * The contributions of one visit Bundle. Pure: the same Bundle gives the same rows, so a re-sent
 * or changed visit replaces its rows exactly (the store deletes the submission's rows and writes
 * these). A Bundle without a Patient with a NIK (or mother's NIK), a residence village, a birth
 * date and an Encounter contributes nothing: it cannot be placed on the map.
 */
export function contributionsOf(bundle: Bundle, catalogue: Catalogue, opts: ContributionOptions): VisitContributions {
  const patient = first<Patient>(bundle, 'Patient');
  const encounter = first<Encounter>(bundle, 'Encounter');
  const none = { rows: [], aliases: [] };
  if (!patient || !encounter?.period?.start || !patient.birthDate || (patient.gender !== 'male' && patient.gender !== 'female')) return none;
  const ids = patient.identifier ?? [];
  const nik = ids.find((i) => i.system === SYSTEMS.nik)?.value;
  const motherNik = ids.find((i) => i.system === NIK_IBU)?.value;
  const keys = { ...(nik ? { nik } : {}), ...(motherNik ? { motherNik } : {}), birthDate: patient.birthDate, ...(patient.multipleBirthInteger ? { multipleBirth: patient.multipleBirthInteger } : {}) };
  const personKey = personKeyOf(keys);
  const villageCode = villageOf(patient);
  if (!personKey || !villageCode) return none;
  const offset = opts.offsetMinutes ?? provinceOffsetMinutes(villageCode.slice(0, 2));
  const visitDate = localDateOf(encounter.period.start, offset);
  const lifeCycles = (encounter.extension ?? []).filter((e) => e.url === ILP.lifeCycleExtension).map((e) => e.valueCoding?.code).filter((c): c is string => !!c);
  const pregnant = lifeCycles.includes('ibu-hamil');
  const { birthDate, gender } = patient;
  const row = (fact: string, localDate = visitDate): ContributionRow => {
    const age = ageOn(birthDate, localDate);
    return { personKey, organizationId: opts.organizationId, villageCode, localDate, ageDays: age.days, ageMonths: age.months, ageYears: age.years, sex: gender, pregnant, fact };
  };
  const facts = new Set<string>(lifeCycles.map((lc) => `life-cycle:${lc}`));
  for (const id of encounter.identifier ?? []) if (id.value && ORDINALS.has(id.value)) facts.add(`visit:${id.value}`);
  const index = itemIndex(catalogue);
  const doses = new Map<string, string>();
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (r?.resourceType === 'Observation') {
      const code = itemCodeOf(r, index);
      if (code) observationFacts(r, code).forEach((f) => facts.add(f));
    } else if (r?.resourceType === 'Immunization' && r.status === 'completed' && r.occurrenceDateTime) {
      const name = vaccineNameOf(r);
      if (name && !doses.has(name)) doses.set(name, localDateOfDateTime(r.occurrenceDateTime, offset));
    }
  }
  const rows = [...facts].map((f) => row(f));
  for (const [name, date] of doses) rows.push(row(`vaccine:${name}`, date));
  // A child first seen by its mother's NIK, now with its own: one person from here on.
  const motherKey = nik && motherNik ? personKeyOf({ motherNik, birthDate: patient.birthDate, ...(keys.multipleBirth ? { multipleBirth: keys.multipleBirth } : {}) }) : undefined;
  return { rows, aliases: motherKey ? [{ from: motherKey, to: personKey, organizationId: opts.organizationId }] : [] };
}
