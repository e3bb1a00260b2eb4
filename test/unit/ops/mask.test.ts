import { maskNik, maskPersonalData, scrubText } from '../../../src/ops/mask';
import { attemptFrom, issuesOf, isRecordedRefusal } from '../../../src/ops/intake-attempts';
import { example } from '../../support/submissions';

/** What an intake attempt may keep of a refused payload (docs/decisions/0021-operations.md). */
describe('maskPersonalData: the ILP payload', () => {
  const masked = maskPersonalData(example()) as ReturnType<typeof example>;
  const text = JSON.stringify(masked);

  test.each([
    ['NIK', '9271060312000001'], ['patient name', 'Rina Wulandari'], ['phone', '081234567890'],
    ['address line', 'Jl. Melati No. 5'], ['health worker name', 'Bidan Siti Aminah'],
  ])('%s is gone', (_what, value) => {
    expect(text).not.toContain(value);
  });

  test('masked strings keep their length only', () => {
    expect(masked.patient.nik).toBe('*'.repeat(16));
    expect(masked.patient.phone).toBe('*'.repeat(12));
  });

  test('area codes, dates and the clinical content stay', () => {
    expect(masked.patient.address.villageCode).toBe('3508012001');
    expect(masked.patient.birthDate).toBe('2002-03-14');
    expect(masked.screenings[0]?.items[0]).toEqual({ code: 'systolic-bp', value: 142 });
    expect(masked.organizationId).toBe('10000005');
  });
});

describe('maskPersonalData: FHIR and stray identifiers', () => {
  const patient = {
    resourceType: 'Patient',
    identifier: [{ system: 'https://fhir.kemkes.go.id/id/nik', value: '3508015005900001' }, { system: 'urn:other', value: 'keep-me' }],
    name: [{ text: 'Sari Dewi', given: ['Sari'] }],
    telecom: [{ system: 'phone', value: '+6281234567890' }],
    address: [{ line: ['Jl. Mawar'], extension: [{ url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode', extension: [{ url: 'village', valueCode: '3508012001' }] }] }],
    text: { status: 'generated', div: '<div>Sari Dewi</div>' },
    note: [{ text: 'NIK salah tempat 3508015005900001' }],
    extension: [{ url: 'x', valueString: '3508015005900001' }],
  };
  const out = JSON.stringify(maskPersonalData(patient));

  test('NIK identifiers, names, telecom, address lines and narrative are masked; area codes stay', () => {
    for (const secret of ['3508015005900001', 'Sari', 'Dewi', '81234567890', 'Jl. Mawar']) expect(out).not.toContain(secret);
    expect(out).toContain('keep-me');
    expect(out).toContain('"valueCode":"3508012001"');
    expect(out).toContain('administrativeCode');
  });

  test('maskNik masks only NIKs (the transaction log for viewers without NIK rights)', () => {
    const only = JSON.stringify(maskNik(example()));
    expect(only).not.toContain('9271060312000001');
    expect(only).toContain('Rina Wulandari');
  });

  test('scrubText masks digit runs (a NIK quoted in a diagnostic or a reason)', () => {
    expect(scrubText('NIK must be 16 digits; got 92710603120000')).toBe('NIK must be 16 digits; got **************');
    expect(scrubText('RuleNumber: 10117')).toBe('RuleNumber: 10117');
  });
});

describe('maskPersonalData: Indonesian keys and NIKs written in groups', () => {
  const masked = JSON.stringify(maskPersonalData({
    patient: { nama: 'Sari Dewi', Name: 'Sari', nama_ibu: 'Siti Aminah', alamat: 'Jl. Melati 5 RT 02', no_hp: '081234567890', nikText: ['3174 0101 0190 0001'] },
    note: 'NIK 3174-0101-0190-0001, ibu 317401019000002',
  }));

  test.each([['nama', 'Sari Dewi'], ['Name', '"Sari"'], ['nama_ibu', 'Siti Aminah'], ['alamat', 'Melati'], ['no_hp', '081234567890'], ['a spaced NIK', '3174 0101'], ['a dashed NIK in text', '3174-0101'], ['a 15-digit NIK in text', '317401019000002']])('%s is gone', (_what, value) => {
    expect(masked).not.toContain(value);
  });
});

describe('attemptFrom', () => {
  const outcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'value', diagnostics: 'NIK must be 16 digits; got 1234567890', expression: ['patient.nik'], details: { coding: [{ system: 's', code: 'ILP-NIK-INVALID' }] } }],
  };

  test('codes and elements from the OperationOutcome, diagnostics scrubbed', () => {
    expect(issuesOf(outcome)).toEqual([{ severity: 'error', code: 'value', errorCode: 'ILP-NIK-INVALID', expression: 'patient.nik', diagnostics: 'NIK must be 16 digits; got **********' }]);
    expect(issuesOf({ not: 'an outcome' })).toEqual([]);
  });

  test('a payload over the cap keeps its size only; the cap 0 keeps none', () => {
    const big = attemptFrom({ endpoint: 'ilp', status: 422, answer: outcome, body: example(), at: '2026-12-02T00:00:00.000Z', payloadMaxBytes: 100 });
    expect(big.payload).toBeUndefined();
    expect(big.payloadBytes).toBeGreaterThan(100);
    const kept = attemptFrom({ endpoint: 'ilp', status: 422, answer: outcome, body: example(), at: '2026-12-02T00:00:00.000Z', payloadMaxBytes: 16_384 });
    expect(JSON.stringify(kept.payload)).not.toContain('9271060312000001');
    expect(attemptFrom({ endpoint: 'ilp', status: 422, answer: outcome, body: example(), at: '2026-12-02T00:00:00.000Z', payloadMaxBytes: 0 }).payload).toBeUndefined();
  });

  test('a payload holding NUL or a lone surrogate keeps its size only: jsonb would refuse it and sink the batch', () => {
    for (const bad of ['Sari\u0000Dewi', 'x\ud800']) {
      const attempt = attemptFrom({ endpoint: 'ilp', status: 400, answer: outcome, body: { ...example(), submissionId: bad }, at: '2026-12-02T00:00:00.000Z', payloadMaxBytes: 16_384 });
      expect(attempt.payload).toBeUndefined();
      expect(attempt.payloadBytes).toBeGreaterThan(0);
    }
    const withNulDiagnostics = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'value', diagnostics: 'bad \u0000 here', expression: ['a\u0000b'] }] };
    expect(JSON.stringify(issuesOf(withNulDiagnostics))).not.toMatch(/\\u0000/);
  });

  test.each([[400, true], [403, true], [413, true], [422, true], [401, false], [429, false], [500, false], [202, false]])('status %i recorded: %s', (status, recorded) => {
    expect(isRecordedRefusal(status)).toBe(recorded);
  });
});
