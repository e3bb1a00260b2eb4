import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Resource } from 'fhir/r4';
import { prepareVisit } from '../../src/pipeline/submit-visit';
import { ADMINISTRATIVE_CODE_URL, AREA_IDENTIFIER_SYSTEM } from '../../src/fhir/search-parameters';
import { intakeDeps } from './intake';

/**
 * Resources to extract search values from: the golden mapping outputs, the documented example
 * submission mapped, and hand-made edge cases (primitives with `_element` extensions, choice types,
 * empty arrays, nulls, missing values). test/unit/fhir/search-accessors.test.ts and bench/extract.bench.mjs.
 */
const ROOT = join(__dirname, '..', '..');

export function goldenVisits(): Resource[][] {
  const dir = join(ROOT, 'test', 'fixtures', 'golden');
  return readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort().map((f) => {
    const { bundle } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { bundle: Bundle };
    return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  });
}

export function exampleVisit(): Resource[] {
  const input: unknown = JSON.parse(readFileSync(join(ROOT, 'docs', 'examples', 'ilp-submission.example.json'), 'utf8'));
  const { bundle } = prepareVisit(input as never, intakeDeps());
  return (bundle?.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

const admin = (codes: Record<string, unknown>): unknown => ({
  url: ADMINISTRATIVE_CODE_URL,
  extension: Object.entries(codes).map(([url, value]) => ({ url, ...(value as object) })),
});

const q = (value: number, code: string): unknown => ({ value, unit: code, system: 'http://unitsofmeasure.org', code });
const cc = (code: string, text?: string): unknown => ({ coding: [{ system: 'http://loinc.org', code }], ...(text ? { text } : {}) });

/** Hand-made resources at the edges of what the accessors compile. */
export function edgeCases(): Resource[] {
  const list: unknown[] = [
    { resourceType: 'Patient', id: 'e1', _birthDate: { extension: [{ url: 'http://x', valueString: 'unknown' }] } },
    { resourceType: 'Patient', id: 'e2', birthDate: '1990-02', _birthDate: { id: 'b' }, gender: 'female', _gender: { id: 'g' } },
    { resourceType: 'Patient', id: 'e3', name: [{ given: ['Siti', null, 'Aminah'], _given: [null, { id: 'x' }, null], family: '' }] },
    { resourceType: 'Patient', id: 'e4', name: [], identifier: [], telecom: [], address: [], meta: { profile: [] } },
    { resourceType: 'Patient', id: 'e5', name: { family: 'NotAnArray', given: 'Ani' }, telecom: { system: 'phone', value: '0812' } },
    { resourceType: 'Patient', id: 'e6', telecom: [{ system: 'email', value: 'a@b.id' }, { system: 'phone', value: '0812' }, { value: 'no-system' }, { system: 'EMAIL', value: 'upper' }, { system: 'phone', _system: { id: 's' }, value: 'shadow' }] },
    { resourceType: 'Patient', id: 'e7', telecom: [{ system: 7, value: 'numeric system' }], identifier: [null] },
    { resourceType: 'Patient', id: 'e8', deceasedDateTime: '2024-07-01T08:00:00+07:00', active: false, meta: { profile: ['http://p'], _profile: [{ id: 'p' }], source: 'ilp', tag: [{ system: 't', code: 'x' }], security: [{ code: 'R' }] } },
    { resourceType: 'Patient', id: 'e9', deceasedBoolean: true, deceasedDateTime: '2024-07-01', active: true },
    { resourceType: 'Patient', id: 'e10', deceased: '2024', link: [{ other: { reference: 'Patient/p1' } }, { other: { reference: 'RelatedPerson/r' } }], generalPractitioner: [{ reference: 'Practitioner/1' }] },
    { resourceType: 'Patient', id: 'e11', address: [
      { city: 'Malang', extension: [admin({ province: { valueCode: '35' }, city: { valueCode: '3507' }, district: { valueCode: '350701' }, village: { valueCode: '3507012001' } })] },
      { extension: [admin({ province: { valueCode: '35' }, village: { valueCode: '3508012001' } })] },
      { extension: [admin({ province: { valueString: '35' }, city: { valueCode: '3508', valueString: '3508' } })] },
      { extension: [admin({ province: { value: '35' }, district: { _valueCode: { id: 'x' } } })] },
      { extension: [admin({ village: { valueCoding: { system: 's', code: '3508012001' } } }), admin({ village: { valueCode: '3508012002' } })] },
      { extension: [{ url: ADMINISTRATIVE_CODE_URL, _url: { id: 'u' }, extension: [] }], line: ['Jl. A', 'RT 1'], _line: [null, { id: 'l' }] },
      { extension: [admin({ province: { valueInteger: 35 }, city: { valueDecimal: 35.07 } })], postalCode: '65111', country: 'ID', state: 'Jawa Timur', use: 'home' },
    ] },
    { resourceType: 'Patient', id: 'e12', address: [{ extension: [admin({ province: { valueCode: '35' }, city: { valueCode: '3601' }, district: { valueCode: '350701' }, village: { valueCode: '3507012001' } })] }] },
    { resourceType: 'Patient', id: 'e13', address: [{ extension: [admin({ province: { valueCode: null } })] }], communication: [{ language: cc('id') }, { language: null }] },
    { resourceType: 'Patient', id: 'e14', address: [null] },
    { resourceType: 'Observation', id: 'o1', status: 'final', code: cc('8480-6'), valueQuantity: q(120, 'mm[Hg]'), effectiveDateTime: '2024-07-01T08:00:00+07:00' },
    { resourceType: 'Observation', id: 'o2', status: 'final', code: cc('x', 'text'), valueCodeableConcept: cc('LA1', 'Positif'), effectivePeriod: { start: '2024-07-01' } },
    { resourceType: 'Observation', id: 'o3', code: cc('y'), valueString: 'catatan', effectiveInstant: '2024-07-01T01:00:00Z' },
    { resourceType: 'Observation', id: 'o4', code: cc('y'), valueDateTime: '2024-07-01', effectiveTiming: { event: ['2024-07-01'] } },
    { resourceType: 'Observation', id: 'o5', code: cc('y'), valuePeriod: { start: '2024-07-01', end: '2024-07-02' } },
    { resourceType: 'Observation', id: 'o6', code: cc('y'), valueSampledData: { origin: q(0, 'mg'), period: 1, dimensions: 1, data: '1 2' } },
    { resourceType: 'Observation', id: 'o7', code: cc('y'), valueQuantity: q(1, 'g'), valueString: 'both' },
    { resourceType: 'Observation', id: 'o8', code: cc('y'), value: 5, effective: '2024' },
    { resourceType: 'Observation', id: 'o9', code: cc('85354-9'), component: [
      { code: cc('8480-6'), valueQuantity: q(120, 'mm[Hg]') }, { code: cc('8462-4'), valueQuantity: q(80, 'mm[Hg]') },
    ] },
    { resourceType: 'Observation', id: 'o10', code: cc('y'), component: [{ code: cc('a'), valueQuantity: q(1, 'g') }, { code: cc('b'), valueQuantity: q(1000, 'mg') }] },
    { resourceType: 'Observation', id: 'o11', code: cc('y'), component: [{ code: cc('a'), valueCodeableConcept: cc('LA2') }, { code: cc('a'), valueCodeableConcept: cc('LA2') }, { code: cc('c'), dataAbsentReason: cc('unknown') }] },
    { resourceType: 'Observation', id: 'o12', code: cc('y'), component: [], category: [], valueQuantity: { value: 3 }, _valueQuantity: { id: 'v' } },
    { resourceType: 'Observation', id: 'o13', code: cc('y'), dataAbsentReason: cc('masked'), subject: { reference: 'Patient/p' }, encounter: { reference: 'Encounter/e' }, performer: [{ reference: 'Practitioner/x' }, { reference: 'Organization/y' }] },
    { resourceType: 'Observation', id: 'o14', code: cc('y'), valueCodeableConcept: { text: 'only text' }, component: [{ code: cc('z'), valueString: 's' }, { code: cc('z'), valueQuantity: q(2, 'kg') }] },
    { resourceType: 'Condition', id: 'c1', code: cc('I10'), onsetAge: q(45, 'a'), abatementPeriod: { start: '2024' }, recordedDate: '2024-07-01' },
    { resourceType: 'Condition', id: 'c2', code: cc('I10'), onsetRange: { low: q(40, 'a'), high: q(50, 'a') }, abatementString: 'sembuh', evidence: [{ code: [cc('e')], detail: [{ reference: 'Observation/o' }] }] },
    { resourceType: 'Condition', id: 'c3', onsetString: 'sejak kecil', abatementDateTime: '2024-07-01', abatementAge: q(50, 'a'), stage: [{ summary: cc('s') }] },
    { resourceType: 'Condition', id: 'c4', onsetDateTime: '2024-07-01T08:00:00+07:00', _onsetDateTime: { id: 'x' }, bodySite: [], severity: cc('mild') },
    { resourceType: 'Condition', id: 'c5', onsetPeriod: { start: '2024' }, abatementRange: { low: q(1, 'a') }, clinicalStatus: cc('active'), verificationStatus: cc('confirmed'), category: [cc('problem-list-item')] },
    { resourceType: 'Encounter', id: 'n1', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, period: { start: '2024-07-01T08:00:00+07:00' }, length: { value: 30, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' } },
    { resourceType: 'Encounter', id: 'n2', participant: [{ individual: { reference: 'Practitioner/1' }, type: [cc('ATND')] }, { individual: { reference: 'RelatedPerson/2' } }, {}], location: [{ location: { reference: 'Location/l' }, period: { start: '2024' } }], hospitalization: { specialArrangement: [cc('wheel')] }, diagnosis: [{ condition: { reference: 'Condition/c' } }] },
    { resourceType: 'Encounter', id: 'n3', class: null, type: [], reasonCode: [cc('r')], serviceProvider: { reference: 'Organization/o' }, basedOn: [{ reference: 'ServiceRequest/s' }] },
    { resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', activity: [{ detail: { code: cc('a'), scheduledTiming: { event: ['2024-07-01'] }, performer: [{ reference: 'Practitioner/1' }] } }, { detail: { scheduledPeriod: { start: '2024-07-01' } } }, { detail: { scheduledString: 'weekly' } }, { reference: { reference: 'ServiceRequest/x' } }] },
    { resourceType: 'CarePlan', id: 'cp2', instantiatesCanonical: ['https://x/PlanDefinition/p|1'], instantiatesUri: ['http://u'], _instantiatesUri: [{ id: 'i' }], period: { end: '2024-12' }, activity: [{ detail: { scheduledTiming: {}, scheduledPeriod: { start: '2024' } } }] },
    { resourceType: 'CarePlan', id: 'cp3', activity: [], addresses: [{ reference: 'Condition/c' }], goal: [{ reference: 'Goal/g' }], careTeam: [{ reference: 'CareTeam/t' }], category: [cc('assess-plan')] },
    { resourceType: 'MeasureReport', id: 'm1', status: 'complete', type: 'summary', measure: 'https://ilp-gateway.github.io/fhir/Measure/PWS-K3-HT', date: '2026-04-10T00:00:00Z', period: { start: '2026-03-01', end: '2026-03-31' }, subject: { identifier: { system: AREA_IDENTIFIER_SYSTEM, value: '3508012001' } } },
    { resourceType: 'MeasureReport', id: 'm2', status: 'complete', measure: 'x', subject: { identifier: { system: AREA_IDENTIFIER_SYSTEM, value: '3508' } } },
    { resourceType: 'MeasureReport', id: 'm3', subject: { identifier: { system: 'other', value: '3508012001' } }, evaluatedResource: [{ reference: 'Observation/o' }] },
    { resourceType: 'MeasureReport', id: 'm4', subject: { identifier: { system: AREA_IDENTIFIER_SYSTEM, value: 3508012001 } } },
    { resourceType: 'MeasureReport', id: 'm5', subject: { identifier: [{ system: AREA_IDENTIFIER_SYSTEM, value: '35' }, { system: AREA_IDENTIFIER_SYSTEM, value: '3508012001' }] }, identifier: [{ system: 's', value: 'v' }] },
    { resourceType: 'MeasureReport', id: 'm6', subject: { identifier: { system: AREA_IDENTIFIER_SYSTEM, _value: { id: 'x' } } }, reporter: { reference: 'Organization/o' } },
  ];
  return list as Resource[];
}

/** Every resource of the corpus. */
export function searchCorpus(): Resource[] {
  return [...goldenVisits().flat(), ...exampleVisit(), ...edgeCases()];
}
