import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createValidator, readConformanceResources, type Validator } from '../../src/validation/engine';
import { createIlpValidator, PROFILES_DIR } from '../../src/validation/ilp/ilp-validator';

/**
 * Shared pieces of the conformance suite: one case = one resource, the validator it runs on, the
 * expected verdict and, for invalid cases, the FHIRPath expression(s) of the error(s) the case is
 * about. Cases are written from the FHIR R4 specification (section cited in the name) and from our
 * profiles (profiles/).
 */

export type Json = Record<string, unknown>;

export interface Case {
  name: string;
  resource: unknown;
  /** base: R4 definitions only (profiles loaded, applied only by meta.profile or `profile`); ilp: ILP profiles by type. */
  validator?: 'base' | 'ilp' | 'tester';
  profile?: string;
  valid: boolean;
  /** Expressions that must each carry an error (invalid cases). */
  errors?: string[];
  /** Expressions that must each carry a warning. */
  warnings?: string[];
}

const golden = (name: string): Json =>
  (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'golden', `${name}.expected.json`), 'utf8')) as { bundle: Json }).bundle;

export const PTM = golden('ptm-lansia-puskesmas');
export const ANC = golden('anc-posyandu');

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export function entry(bundle: Json, index: number): Json {
  return clone(((bundle.entry as Json[])[index] as Json).resource as Json);
}

/** A resource from the PTM visit by type and (for Observations) code. */
export function ptm(type: string, code?: string): Json {
  const found = (PTM.entry as { resource: Json }[]).find((e) => {
    const r = e.resource;
    if (r.resourceType !== type) return false;
    const coding = ((r.code as Json | undefined)?.coding as Json[] | undefined)?.[0];
    return code === undefined || coding?.code === code;
  });
  if (!found) throw new Error(`no ${type} ${code ?? ''} in the PTM golden bundle`);
  return clone(found.resource);
}

/** A minimal base-valid Observation (R4 observation.html: status, code). */
export const baseObservation = (): Json => ({
  resourceType: 'Observation', status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' }] },
  subject: { reference: 'Patient/p1' },
  valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
});

export const basePatient = (): Json => ({
  resourceType: 'Patient', id: 'p1', active: true, name: [{ family: 'Wulandari', given: ['Rina'] }], gender: 'female', birthDate: '2002-03-14',
});

export const TESTER_DIR = join(__dirname, 'tester-profiles');

let validators: Record<'base' | 'ilp' | 'tester', Validator> | undefined;

export function validatorsFor(): Record<'base' | 'ilp' | 'tester', Validator> {
  if (!validators) {
    const base = createValidator();
    base.load(readConformanceResources(PROFILES_DIR));
    const tester = createValidator();
    tester.load(readConformanceResources(PROFILES_DIR));
    tester.load(readConformanceResources(TESTER_DIR));
    validators = { base, ilp: createIlpValidator(), tester };
  }
  return validators;
}

/** Sets a value at a dotted path (`valueQuantity.code`, `identifier.0.value`); undefined deletes it. */
export function set(resource: Json, path: string, value: unknown): Json {
  const parts = path.split('.');
  let node: Record<string, unknown> = resource;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  const last = parts[parts.length - 1] ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return resource;
}

export const withChange = (r: Json, path: string, value: unknown): Json => set(clone(r), path, value);
