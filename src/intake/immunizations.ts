import { VACCINES, findVaccine } from '../catalog/vaccines';
import { isValidDate, parseOffsetDateTime, toUtcInstant } from '../fhir/datetime';
import { Issue, issue } from '../kernel';
import type { IlpSubmission, NormalisedImmunization } from './submission';

/**
 * `immunizations[]`: each vaccine a KIA short name of the registry (catalog/vaccines.ts), the dose
 * number the name implies (OPV3 is dose 3), given on or after the birth date and not after the
 * visit. A date without time is the visit's start when it is the visit day, else the start of that
 * local day, in UTC (SATUSEHAT wants date-times, RuleNumber 10132).
 */
export interface ImmunizationContext {
  birthDate: string;
  visitDate: string;
  visitStartUtc: string;
  offsetMinutes: number;
  now: number;
}

function occurrence(date: string, path: string, c: ImmunizationContext, issues: Issue[]): { utc: string; localDate: string } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    if (!isValidDate(date)) return void issues.push(issue('ILP-DATE-INVALID', { value: date }, path));
    if (date === c.visitDate) return { utc: c.visitStartUtc, localDate: date };
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return { utc: toUtcInstant(Date.UTC(y, m - 1, d) - c.offsetMinutes * 60_000), localDate: date };
  }
  const parsed = parseOffsetDateTime(date);
  if (!parsed.ok) return void issues.push(issue(parsed.reason === 'no-offset' ? 'ILP-TIME-NO-OFFSET' : 'ILP-TIME-INVALID', { value: date }, path));
  return { utc: parsed.utc, localDate: date.slice(0, 10) };
}

function checkOne(i: NonNullable<IlpSubmission['immunizations']>[number], path: string, c: ImmunizationContext, issues: Issue[]): NormalisedImmunization | undefined {
  const def = findVaccine(i.vaccine);
  if (!def) {
    issues.push(issue('ILP-VACCINE-UNKNOWN', { vaccine: i.vaccine.slice(0, 20), allowed: VACCINES.map((x) => x.code).join(', ') }, `${path}.vaccine`));
    return undefined;
  }
  if (i.doseNumber !== undefined && i.doseNumber !== def.dose) {
    issues.push(issue('ILP-VACCINE-DOSE', { dose: i.doseNumber, vaccine: def.code, expected: def.dose }, `${path}.doseNumber`));
  }
  const when = occurrence(i.date, `${path}.date`, c, issues);
  if (!when) return undefined;
  if (when.localDate < c.birthDate) issues.push(issue('ILP-VACCINE-DATE', { date: i.date, problem: `before the birth date ${c.birthDate}` }, `${path}.date`));
  else if (when.localDate > c.visitDate || Date.parse(when.utc) > c.now + 5 * 60_000) issues.push(issue('ILP-VACCINE-DATE', { date: i.date, problem: 'after the visit (in the future)' }, `${path}.date`));
  return { vaccine: def.code, occurrenceUtc: when.utc, doseNumber: def.dose, path, ...(i.lotNumber ? { lotNumber: i.lotNumber } : {}) };
}

export function normaliseImmunizations(list: IlpSubmission['immunizations'], c: ImmunizationContext): { immunizations: NormalisedImmunization[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const immunizations = (list ?? []).flatMap((i, n) => {
    const path = `immunizations[${n}]`;
    const one = checkOne(i, path, c, issues);
    if (!one) return [];
    if (seen.has(one.vaccine)) issues.push(issue('ILP-VACCINE-DUPLICATE', { vaccine: one.vaccine }, `${path}.vaccine`));
    seen.add(one.vaccine);
    return [one];
  });
  return { immunizations, issues };
}
