import { checkIcd10, checkLoinc, checkSnomed, checkUcum, loincCheckDigit, verhoeffValid } from '../../../src/validation/code-systems';

describe('LOINC check digit (mod 10, LOINC Users\' Guide)', () => {
  test.each([['8480', 6], ['8462', 4], ['29463', 7], ['39156', 5], ['8302', 2], ['72166', 2]])('%s → %d', (digits, check) => {
    expect(loincCheckDigit(digits)).toBe(check);
  });
  test.each(['8480-6', '29463-7', 'LA6576-8'])('accepts %s', (code) => expect(checkLoinc(code)).toBeUndefined());
  test.each([['8480-5', 'wrong check digit'], ['8480', 'not of the form nnnnn-c'], ['12345678-1', 'not of the form nnnnn-c']])('rejects %s', (code, reason) => {
    expect(checkLoinc(code)).toBe(reason);
  });
});

describe('SNOMED CT concept ids (Verhoeff check digit, partition)', () => {
  test.each(['38341003', '77176002', '73211009', '736271009', '363983007'])('accepts %s', (id) => {
    expect(verhoeffValid(id)).toBe(true);
    expect(checkSnomed(id)).toBeUndefined();
  });
  test.each(['38341004', '77176003', '73211000'])('rejects the altered check digit of %s', (id) => {
    expect(checkSnomed(id)).toBe('wrong Verhoeff check digit');
  });
  test('rejects a description id (partition 01)', () => expect(checkSnomed('1234567016')).toMatch(/partition 01/));
  test('rejects a leading zero', () => expect(checkSnomed('0383410')).toMatch(/no leading zero/));
});

describe('ICD-10 and UCUM', () => {
  test.each(['I10', 'E11.9', 'O24.41', 'Z34'])('ICD-10 accepts %s', (c) => expect(checkIcd10(c)).toBeUndefined());
  test.each(['I1O', 'i10', 'E119', 'E11.', '10'])('ICD-10 rejects %s', (c) => expect(checkIcd10(c)).toBeDefined());
  test.each(['mm[Hg]', 'kg/m2', '/min', 'Cel', 'g/dL'])('UCUM accepts %s', (c) => expect(checkUcum(c)).toBeUndefined());
  test.each(['mmHg', 'furlongs/fortnight', 'beats/min'])('UCUM rejects %s', (c) => expect(checkUcum(c)).toBeDefined());
});
