import type { Bundle, Observation } from 'fhir/r4';
import { SYSTEMS } from '../fhir/canonical';
import type { NormalisedSubmission } from '../intake/submission';
import type { ContributionRow, VisitContributions } from '../store/pws-ports';

/**
 * What one visit contributes to village monitoring (PWS): one row per fact about one person, with
 * the person's village of residence, age and the local date the fact happened on. The indicator
 * registry (registry.ts) counts distinct people over these rows; nothing else is needed at query
 * time, so the counts never read FHIR resources (ilp-domain §8.5).
 *
 * Facts are plain strings so that the registry, not code, says what counts:
 * - `item:<catalogue code>`            the item was measured or derived in this visit;
 * - `band:<catalogue code>:<category>` its interpretation category (the clinical category coding);
 * - `value:<catalogue code>:<value>`   the value of a coded or yes/no item (e.g. `value:weight-gain:N`);
 * - `visit:<ordinal>`                  the visit ordinal (K1A, K1M, K2…K6, KN1…KN3, KF1…KF4);
 * - `life-cycle:<group>`               a life-cycle group the vendor put the visit in (ibu-hamil, …);
 * - `vaccine:<short name>`             a dose given (on its own date, not the visit's).
 * Each row carries the person's village of residence at the visit (Patient.address, not the
 * service location), age at the fact's local date and sex (ContributionRow).
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The visit's local calendar date of a UTC instant (the offset the vendor sent with the visit). */
export function localDateOf(utc: string, offsetMinutes: number): string {
  return new Date(Date.parse(utc) + offsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

/** Completed days, months and years between a birth date and a local date (same rules as intake's ageAt). */
export function ageOn(birthDate: string, localDate: string): { days: number; months: number; years: number } {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  const days = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(by, bm - 1, bd)) / DAY_MS);
  let months = (y - by) * 12 + (m - bm);
  if (d < bd) months -= 1;
  if (days < 0 || months < 0) return { days: Math.max(days, 0), months: 0, years: 0 };
  return { days, months, years: Math.floor(months / 12) };
}

interface PatientKeys {
  nik?: string;
  motherNik?: string;
  multipleBirth?: number;
}

/** The person across organisations. A newborn without a NIK is its mother's NIK and birth order (SATUSEHAT's pattern). */
export function personKeyOf(p: PatientKeys): string | undefined {
  if (p.nik) return `nik:${p.nik}`;
  if (p.motherNik) return `ibu:${p.motherNik}:${p.multipleBirth ?? 1}`;
  return undefined;
}

/** The catalogue item code of an Observation the mapping produced (identifier `<submissionId>.<item>`). */
function itemCodeOf(o: Observation, submissionId: string): string | undefined {
  const prefix = `${submissionId}.`;
  const id = o.identifier?.find((i) => i.value?.startsWith(prefix));
  return id?.value?.slice(prefix.length);
}

/** Category codes of an Observation's interpretation: every coding except the v3 flag. */
function categoriesOf(o: Observation): string[] {
  return (o.interpretation ?? []).flatMap((c) => (c.coding ?? []).filter((k) => k.system !== SYSTEMS.v3Interpretation && k.code).map((k) => k.code as string));
}

function valueFactOf(o: Observation): string | undefined {
  if (typeof o.valueBoolean === 'boolean') return String(o.valueBoolean);
  return o.valueCodeableConcept?.coding?.[0]?.code ?? (typeof o.valueString === 'string' ? o.valueString : undefined);
}

function observationFacts(o: Observation, code: string): string[] {
  const facts = [`item:${code}`, ...categoriesOf(o).map((c) => `band:${code}:${c}`)];
  const value = valueFactOf(o);
  if (value !== undefined && o.valueString === undefined) facts.push(`value:${code}:${value}`);
  return facts;
}

interface Immunisation { vaccine: string; date: string }

/**
 * The contributions of one mapped ILP visit. Pure: same visit, same rows, so a re-sent or changed
 * visit replaces its rows exactly (the store deletes the submission's rows and writes these).
 */
export function contributionsOf(sub: NormalisedSubmission, bundle: Bundle): VisitContributions {
  const p = sub.raw.patient as typeof sub.raw.patient & PatientKeys;
  const personKey = personKeyOf(p);
  if (!personKey) return { rows: [], aliases: [] };
  const visitDate = localDateOf(sub.startUtc, sub.offsetMinutes);
  const pregnant = sub.raw.lifeCycle.includes('ibu-hamil');
  const row = (fact: string, localDate = visitDate): ContributionRow => {
    const age = ageOn(p.birthDate, localDate);
    return {
      personKey, organizationId: sub.raw.organizationId, villageCode: p.address.villageCode, localDate,
      ageDays: age.days, ageMonths: age.months, ageYears: age.years, sex: p.gender, pregnant, fact,
    };
  };
  const facts = new Set<string>();
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (r?.resourceType !== 'Observation') continue;
    const code = itemCodeOf(r, sub.raw.submissionId);
    if (code) observationFacts(r, code).forEach((f) => facts.add(f));
  }
  if (sub.raw.visitOrdinal) facts.add(`visit:${sub.raw.visitOrdinal}`);
  sub.raw.lifeCycle.forEach((lc) => facts.add(`life-cycle:${lc}`));
  const rows = [...facts].map((f) => row(f));
  const doses = (sub.raw as { immunizations?: Immunisation[] }).immunizations ?? [];
  const seen = new Set<string>();
  for (const d of doses) {
    const fact = `vaccine:${d.vaccine.toUpperCase()}`;
    if (seen.has(fact)) continue;
    seen.add(fact);
    rows.push(row(fact, d.date.slice(0, 10)));
  }
  // A child first seen by its mother's NIK, now with its own: one person from here on.
  const motherKey = p.nik && p.motherNik ? personKeyOf({ motherNik: p.motherNik, ...(p.multipleBirth ? { multipleBirth: p.multipleBirth } : {}) }) : undefined;
  return { rows, aliases: motherKey ? [{ from: motherKey, to: personKey }] : [] };
}
