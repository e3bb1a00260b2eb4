import { areaCodes, nikMatchesBirth, nikProblem, villageCodeProblem } from '../../../src/intake/area-codes';

describe('Kemendagri village codes', () => {
  test.each(['3508012001', '3174061003', '9271061001', '3517082015'])('%s is valid', (code) => {
    expect(villageCodeProblem(code)).toBeUndefined();
  });
  test.each([
    ['31710101', /not 10 digits/],
    ['31.74.06.1003', /not 10 digits/],
    ['0071061003', /province/],
    ['3700061003', /province/],
    ['3170061003', /kabupaten\/kota/],
    ['3100061003', /kabupaten\/kota/],
    ['3174001003', /kecamatan/],
    ['3174064003', /must start with 1, 2 or 3/],
  ])('%s is refused (%s)', (code, reason) => {
    expect(villageCodeProblem(code)).toMatch(reason);
  });
  test('sub-codes are cumulative prefixes', () => {
    expect(areaCodes('3174061003')).toEqual({ province: '31', city: '3174', district: '317406', village: '3174061003' });
  });
});

describe('NIK', () => {
  test('16 digits with a known province', () => {
    expect(nikProblem('9271060312000001')).toBeUndefined();
    expect(nikProblem('927106031200000')).toMatch(/not 16 digits/);
    expect(nikProblem('9971060312000001')).toMatch(/province code 99/);
  });
  test('birth-date segment: DDMMYY, +40 on the day for women', () => {
    expect(nikMatchesBirth('3174061705580003', '1958-05-17', 'male')).toBe(true);
    expect(nikMatchesBirth('3174065705580003', '1958-05-17', 'female')).toBe(true);
    expect(nikMatchesBirth('3174061705580003', '1958-05-17', 'female')).toBe(false);
    expect(nikMatchesBirth('9271060312000001', '2002-03-14', 'female')).toBe(false);
  });
});
