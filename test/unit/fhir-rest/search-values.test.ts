import type { Encounter, Observation, Patient } from 'fhir/r4';
import { expressionFor, searchParam, searchParamsOf } from '../../../src/fhir/search-parameters';
import { dateRange, indexRows, normaliseString, parseReference } from '../../../src/fhir/search-values';

/** Index values extracted with the R4 SearchParameter FHIRPath expressions (FHIR R4 search.html#ptypes). */
describe('dateRange: a value covers its whole precision (search.html#date)', () => {
  test.each([
    ['2024', '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['2024-02', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['2024-12-31', '2024-12-31T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['2024-07-29T08:15', '2024-07-29T08:15:00.000Z', '2024-07-29T08:16:00.000Z'],
    ['2024-07-29T08:15:00+07:00', '2024-07-29T01:15:00.000Z', '2024-07-29T01:15:01.000Z'],
    ['2024-07-29T08:15:00.250Z', '2024-07-29T08:15:00.250Z', '2024-07-29T08:15:00.251Z'],
  ])('%s → [%s, %s)', (value, low, high) => {
    expect(dateRange(value)).toEqual({ low, high });
  });

  test.each(['yesterday', '2024-13-01', '2024-7-1', ''])('%s is not a date', (value) => {
    expect(dateRange(value)).toBeUndefined();
  });
});

describe('the registry', () => {
  test('multi-base expressions keep only the part for the type', () => {
    expect(expressionFor('AllergyIntolerance.code | Condition.code | (Observation.code)', 'Observation', ['AllergyIntolerance', 'Condition', 'Observation'])).toBe('(Observation.code)');
    expect(expressionFor('Resource.meta.tag', 'Patient', ['Resource'])).toBe('Patient.meta.tag');
  });

  test('resolve() filters become target restrictions; composites and _content are not indexed', () => {
    expect(searchParam('Observation', 'patient')).toMatchObject({ type: 'reference', targets: ['Patient'], expression: 'Observation.subject' });
    expect(searchParam('Observation', 'code-value-quantity')).toBeUndefined();
    expect(searchParam('Patient', '_content')).toBeUndefined();
    expect(searchParamsOf('Organization')).toEqual([]);
  });
});

describe('indexRows', () => {
  test('an Observation: tokens, references, dates, quantities', () => {
    const obs: Observation = {
      resourceType: 'Observation', id: 'o1', status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      subject: { reference: 'Patient/p1' }, encounter: { reference: 'https://other.example/fhir/Encounter/e1' },
      effectiveDateTime: '2024-07-29', valueQuantity: { value: 142, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    };
    const rows = indexRows(obs);
    expect(rows.token).toEqual(expect.arrayContaining([
      { code: 'code', system: 'http://loinc.org', value: '8480-6' },
      { code: 'status', system: '', value: 'final' },
      { code: 'category', system: 'http://terminology.hl7.org/CodeSystem/observation-category', value: 'vital-signs' },
    ]));
    // `patient` is `subject` narrowed to Patient: one row serves both (the query side reads it for `patient`).
    expect(rows.reference.filter((r) => r.code === 'patient')).toEqual([]);
    expect(rows.reference).toEqual(expect.arrayContaining([
      { code: 'subject', target_type: 'Patient', target_id: 'p1' },
      { code: 'encounter', target_type: 'Encounter', target_id: 'e1' },
    ]));
    expect(rows.date).toContainEqual({ code: 'date', low: '2024-07-29T00:00:00.000Z', high: '2024-07-30T00:00:00.000Z' });
    expect(rows.quantity).toContainEqual({ code: 'value-quantity', value: '142', system: 'http://unitsofmeasure.org', unit: 'mm[Hg]' });
  });

  test('a subject that is a Group is not indexed as patient', () => {
    const rows = indexRows({ resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Group/g1' } } as Observation);
    expect(rows.reference).toEqual([{ code: 'subject', target_type: 'Group', target_id: 'g1' }]);
  });

  test('an Encounter period with no end reaches to +infinity', () => {
    const rows = indexRows({ resourceType: 'Encounter', status: 'in-progress', class: { code: 'AMB' }, period: { start: '2025-01-01T00:00:00Z' } } as Encounter);
    expect(rows.date).toContainEqual({ code: 'date', low: '2025-01-01T00:00:00.000Z', high: 'infinity' });
  });

  test('a Patient: NIK token, normalised name strings, region codes from administrativeCode', () => {
    const patient: Patient = {
      resourceType: 'Patient', identifier: [{ system: 'https://fhir.kemkes.go.id/id/nik', value: '3174010101900001' }], name: [{ text: 'Sári Dewi' }],
      address: [{ extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode', extension: [
        { url: 'province', valueCode: '31' }, { url: 'village', valueCode: '3174061003' }, { url: 'rt', valueCode: '2' }] }] }],
    };
    const rows = indexRows(patient);
    expect(rows.token).toEqual(expect.arrayContaining([
      { code: 'identifier', system: 'https://fhir.kemkes.go.id/id/nik', value: '3174010101900001' },
      { code: 'province', system: '', value: '31' },
      { code: 'village', system: '', value: '3174061003' },
    ]));
    expect(rows.token.filter((t) => t.value === '2')).toEqual([]);
    expect(rows.string).toContainEqual({ code: 'name', value: 'sari dewi', exact: 'Sári Dewi' });
  });
});

describe('each value once (decision 0007)', () => {
  const ADMIN = 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode';
  const address = (codes: Record<string, string>): NonNullable<Patient['address']>[number] => ({
    extension: [{ url: ADMIN, extension: Object.entries(codes).map(([url, valueCode]) => ({ url, valueCode })) }],
  });

  test('aliases come from the definitions: same expression, or a union of other parameters\' expressions', () => {
    expect(searchParam('Observation', 'patient')?.storage).toEqual({ written: false, codes: ['subject'], targetType: 'Patient' });
    expect(searchParam('Observation', 'subject')?.storage).toEqual({ written: true, codes: ['subject'] });
    expect(searchParam('Encounter', 'practitioner')?.storage).toEqual({ written: false, codes: ['participant'], targetType: 'Practitioner' });
    expect(searchParam('Patient', 'phonetic')?.storage).toEqual({ written: false, codes: ['name'] });
    expect([...(searchParam('Observation', 'combo-code')?.storage.codes ?? [])].sort()).toEqual(['code', 'component-code']);
    expect([...(searchParam('Observation', 'combo-value-quantity')?.storage.codes ?? [])].sort()).toEqual(['component-value-quantity', 'value-quantity']);
    // Different expressions stay their own rows (phone is telecom filtered by system, not derivable from its rows' columns alone).
    expect(searchParam('Patient', 'phone')?.storage.written).toBe(true);
    // Every alias reads only written parameters of its own table.
    for (const type of ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan']) {
      for (const p of searchParamsOf(type).filter((x) => !x.storage.written && x.source === 'fhirpath')) {
        for (const code of p.storage.codes) expect(searchParam(type, code)).toMatchObject({ storage: { written: true }, type: expect.stringMatching(p.type === 'uri' || p.type === 'token' ? /^(token|uri)$/ : new RegExp(`^${p.type}$`)) });
      }
    }
  });

  test('an Observation with components writes code and component-code once, no combo rows', () => {
    const obs = {
      resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } }],
    } as Observation;
    const rows = indexRows(obs);
    expect(rows.token.filter((t) => t.code.startsWith('combo-'))).toEqual([]);
    expect(rows.quantity.filter((t) => t.code.startsWith('combo-'))).toEqual([]);
    expect(rows.token).toEqual(expect.arrayContaining([
      { code: 'code', system: 'http://loinc.org', value: '85354-9' }, { code: 'component-code', system: 'http://loinc.org', value: '8480-6' }]));
    expect(rows.quantity).toEqual([{ code: 'component-value-quantity', value: '120', system: '', unit: 'mm[Hg]' }]);
  });

  test('a consistent address is one area row; an inconsistent or partial one keeps its level rows', () => {
    const consistent = indexRows({ resourceType: 'Patient', address: [address({ province: '35', city: '3508', district: '350801', village: '3508012001', rt: '2' })] } as Patient);
    expect(consistent.token.filter((t) => ['province', 'city', 'district', 'village', 'area'].includes(t.code))).toEqual([{ code: 'area', system: '', value: '3508012001' }]);
    const wrongCity = indexRows({ resourceType: 'Patient', address: [address({ province: '35', city: '3509', district: '350801', village: '3508012001' })] } as Patient);
    expect(wrongCity.token.filter((t) => t.code === 'area')).toEqual([]);
    expect(wrongCity.token).toEqual(expect.arrayContaining([{ code: 'city', system: '', value: '3509' }, { code: 'village', system: '', value: '3508012001' }]));
    const two = indexRows({ resourceType: 'Patient', address: [address({ province: '35', city: '3508', district: '350801', village: '3508012001' }), address({ province: '31', village: '3174061003' })] } as Patient);
    expect(two.token.filter((t) => ['province', 'city', 'district', 'village', 'area'].includes(t.code))).toEqual([
      { code: 'area', system: '', value: '3508012001' }, { code: 'province', system: '', value: '31' }, { code: 'village', system: '', value: '3174061003' }]);
  });
});

test('parseReference and normaliseString', () => {
  expect(parseReference('Patient/abc')).toEqual({ type: 'Patient', id: 'abc' });
  expect(parseReference('https://x.example/fhir/Patient/abc/_history/3')).toEqual({ type: 'Patient', id: 'abc' });
  expect(parseReference('urn:uuid:1234')).toBeUndefined();
  expect(parseReference('#contained')).toBeUndefined();
  expect(normaliseString('ÉLISA Ñuñez')).toBe('elisa nunez');
});
