import { checkCurrency, checkLanguage, checkMimeType, UNCONFIRMED } from '../../../src/validation/code-systems';
import { capabilityStatement } from '../../../src/fhir-rest/capabilities';
import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';
import { modeOptions } from '../../../src/validation/modes';

/**
 * Issue 13: value sets that cannot be expanded offline are checked against the code systems we can
 * check (BCP-13 media types, ISO 4217 currencies, BCP-47 languages), and otherwise reported as
 * information, not error.
 */
const validator = createIlpValidator();
const r4 = modeOptions('r4');
const errors = (r: unknown): string[] => validator.validate(r, r4).filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression ?? ''}: ${i.message.en}`);

describe('BCP 13 media types', () => {
  test.each(['application/fhir+json', 'application/pdf', 'text/plain', 'image/png', 'application/jose',
    'application/fhir+json;canonicalization=http://hl7.org/fhir/canonicalization/json#document', 'text/html; charset=utf-8'])('accepts %s', (m) => {
    expect(checkMimeType(m)).toBeUndefined();
  });
  test('a well-formed type mime-db does not list is unconfirmed, not wrong', () => expect(checkMimeType('application/vnd.ilp-gateway.test+json')).toBe(UNCONFIRMED));
  test.each(['json', 'application', 'foo/bar', 'text/pl ain', 'text/plain;charset'])('rejects %s', (m) => expect(typeof checkMimeType(m)).toBe('string'));
});

describe('ISO 4217 and BCP 47', () => {
  test.each(['IDR', 'USD', 'EUR', 'XCG', 'XXX'])('currency %s', (c) => expect(checkCurrency(c)).toBeUndefined());
  test.each(['idr', 'RUP', 'US', 'HRK'])('not a currency: %s', (c) => expect(checkCurrency(c)).toBeDefined());
  test.each(['id', 'id-ID', 'en-US', 'zh-Hans-CN', 'sr-Latn-RS', 'de-CH-1996', 'x-private', 'es-419'])('language %s', (c) => expect(checkLanguage(c)).toBeUndefined());
  test.each(['indonesian', 'id_ID', 'e', '12'])('not a language tag: %s', (c) => expect(checkLanguage(c)).toBeDefined());
});

describe('resources that used to fail on required bindings to value sets we cannot expand', () => {
  test('the gateway\'s own CapabilityStatement (format codes) validates', () => {
    expect(errors(capabilityStatement('0.1.0', 'http://localhost:8080/fhir'))).toEqual([]);
  });
  test('a Binary with a contentType validates; a malformed contentType does not', () => {
    expect(errors({ resourceType: 'Binary', contentType: 'application/pdf', data: 'JVBERi0xLjQK' })).toEqual([]);
    expect(errors({ resourceType: 'Binary', contentType: 'pdf', data: 'JVBERi0xLjQK' })).toEqual([expect.stringMatching(/^Binary\.contentType: /)]);
  });
  test('a Money with a currency validates; an unknown currency does not', () => {
    const claim = (currency: string): unknown => ({ resourceType: 'Invoice', status: 'issued', totalNet: { value: 15000, currency } });
    expect(errors(claim('IDR'))).toEqual([]);
    expect(errors(claim('RUP'))).toEqual([expect.stringMatching(/totalNet\.currency/)]);
  });
  test('a urn:ietf:bcp:47 Coding is checked by its form', () => {
    const patient = (code: string): unknown => ({ resourceType: 'Patient', communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code }] } }] });
    expect(errors(patient('id-ID'))).toEqual([]);
    expect(errors(patient('indonesian'))).toEqual([expect.stringMatching(/^Patient\.communication\[0\]\.language\.coding\[0\]\.code: /)]);
  });
  test('an unexpandable required value set is information, not an error', () => {
    const issues = validator.validate({ resourceType: 'Binary', contentType: 'application/vnd.ilp-gateway.test+json' }, r4);
    expect(issues).toContainEqual(expect.objectContaining({ severity: 'information', errorCode: 'VAL-CODE-UNCHECKED' }));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
