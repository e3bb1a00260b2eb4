import { ageInDays, ageInMonths } from '../../../src/growth';

// Run under several process time zones (scripts/test.mjs runs test/unit/growth again under
// Asia/Jayapura and America/Los_Angeles): the age in days is a difference of calendar dates and must
// not move with the zone or a daylight-saving change between the two dates.
//   for tz in UTC Asia/Jakarta Asia/Jayapura America/Los_Angeles Pacific/Kiritimati; do TZ=$tz npx jest test/unit/growth/age.test.ts; done

const ZONE_OFFSETS: Record<string, number> = { UTC: 0, 'Asia/Jakarta': -420, 'Asia/Jayapura': -540, 'America/Los_Angeles': 480, 'Pacific/Kiritimati': -840 };
const zone = process.env.TZ;
if (zone !== undefined && ZONE_OFFSETS[zone] !== undefined) {
  test(`TZ=${zone} is in effect, so this run really exercises that zone`, () => {
    expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).toBe(ZONE_OFFSETS[zone]);
  });
}

describe('ageInDays: whole days between two calendar dates', () => {
  test.each([
    ['2024-07-29', '2024-07-29', 0], // day of birth
    ['2024-07-29', '2024-07-30', 1],
    ['2023-12-31', '2024-01-01', 1], // across a year end
    ['2024-02-28', '2024-03-01', 2], // leap day counted
    ['2023-02-28', '2023-03-01', 1],
    ['2022-07-29', '2024-07-29', 731], // two years spanning a leap day: first day of the height standards
    ['2022-07-30', '2024-07-29', 730],
    ['2019-07-29', '2024-07-29', 1827], // five years = 60.03 months: the 2007 reference
    ['2019-07-30', '2024-07-29', 1826], // last day of the 0-5 standards
    ['2024-03-09', '2024-03-11', 2], // across the US spring-forward night (2024-03-10)
    ['2024-11-02', '2024-11-04', 2], // across the US fall-back night
    ['2005-07-29', '2024-07-29', 6940], // 19 years
    ['0099-12-31', '0100-01-01', 1], // no two-digit-year mapping to the 1900s
  ])('%s → %s = %i days', (birth, on, days) => {
    expect(ageInDays(birth, on)).toBe(days);
  });

  test('a measurement date before the birth date gives a negative age (the caller refuses it)', () => {
    expect(ageInDays('2024-07-29', '2024-07-28')).toBe(-1);
  });

  test.each([['2024-02-30'], ['2023-02-29'], ['2024-13-01'], ['2024-7-29'], ['2024-07-29T00:00:00+07:00'], ['']])(
    'refuses %p, which is not a calendar date YYYY-MM-DD',
    (bad) => {
      expect(() => ageInDays(bad, '2024-07-29')).toThrow(RangeError);
      expect(() => ageInDays('2020-01-01', bad)).toThrow(RangeError);
    },
  );

  test('months are days / 30.4375 (WHO), unrounded', () => {
    expect(ageInMonths(1826)).toBeCloseTo(59.991786, 6);
    expect(ageInMonths(1827)).toBeCloseTo(60.024641, 6);
    expect(ageInMonths(6939)).toBeLessThan(228);
    expect(ageInMonths(6940)).toBeGreaterThan(228);
  });
});
