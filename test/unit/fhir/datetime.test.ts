import { ageAt, isValidDate, parseOffsetDateTime, toUtcInstant } from '../../../src/fhir/datetime';

// Run under several process time zones; every expectation below is fixed, so an implementation
// that used local time would fail in at least one of them (the "near midnight" cases are chosen so):
//   for tz in UTC Asia/Jakarta Asia/Jayapura America/Los_Angeles; do TZ=$tz npx jest test/unit/fhir/datetime.test.ts; done

/** Standard offset (minutes, as Date#getTimezoneOffset: west positive) of the zones we run under. */
const KNOWN_ZONES: Record<string, { january: number; july: number }> = {
  UTC: { january: 0, july: 0 },
  'Asia/Jakarta': { january: -420, july: -420 },
  'Asia/Jayapura': { january: -540, july: -540 },
  'America/Los_Angeles': { january: 480, july: 420 },
};

// Registered only when TZ names a zone we know, so a plain `npx jest` run has nothing to skip.
const runZone = process.env.TZ === undefined ? undefined : KNOWN_ZONES[process.env.TZ];
if (runZone) {
  test(`TZ=${process.env.TZ} is in effect, so this run really exercises that zone`, () => {
    expect(new Date(Date.UTC(2024, 0, 15)).getTimezoneOffset()).toBe(runZone.january);
    expect(new Date(Date.UTC(2024, 6, 15)).getTimezoneOffset()).toBe(runZone.july);
  });
}

describe('parseOffsetDateTime: accepted, converted to SATUSEHAT UTC form', () => {
  test.each([
    // value, utc, epochMs, offsetMinutes
    ['2024-07-29T08:15:00+07:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 420], // WIB
    ['2024-07-29T09:15:00+08:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 480], // WITA
    ['2024-07-29T10:15:00+09:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 540], // WIT
    ['2024-07-29T01:15:00Z', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 0],
    ['2024-07-29T01:15:00+00:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 0],
    ['2024-07-29T01:15:00-00:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 0],
    ['2024-07-29T08:15+07:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15), 420], // seconds optional
    // fraction kept in epochMs (to the millisecond), truncated (never rounded) in utc
    ['2024-07-29T08:15:59.999+07:00', '2024-07-29T01:15:59+00:00', Date.UTC(2024, 6, 29, 1, 15, 59, 999), 420],
    ['2024-07-29T08:15:00.5+07:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15, 0, 500), 420],
    ['2024-07-29T08:15:00.123456789+07:00', '2024-07-29T01:15:00+00:00', Date.UTC(2024, 6, 29, 1, 15, 0, 123), 420],
    // the UTC date differs from the written date
    ['2024-01-01T03:00:00+07:00', '2023-12-31T20:00:00+00:00', Date.UTC(2023, 11, 31, 20), 420],
    ['2024-02-28T20:00:00-08:00', '2024-02-29T04:00:00+00:00', Date.UTC(2024, 1, 29, 4), -480],
    ['2024-02-29T23:59:59+14:00', '2024-02-29T09:59:59+00:00', Date.UTC(2024, 1, 29, 9, 59, 59), 840],
    ['2024-03-10T02:30:00-12:00', '2024-03-10T14:30:00+00:00', Date.UTC(2024, 2, 10, 14, 30), -720], // a DST gap in Los Angeles: irrelevant here
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00+00:00', -62135596800000, 0],
  ])('%s → %s', (value, utc, epochMs, offsetMinutes) => {
    expect(parseOffsetDateTime(value)).toEqual({ ok: true, utc, epochMs, offsetMinutes });
  });

  test('agrees with Date.parse on the instant', () => {
    const value = '2024-07-29T08:15:42.250+07:00';
    const parsed = parseOffsetDateTime(value);
    expect(parsed.ok && parsed.epochMs).toBe(Date.parse(value));
  });
});

describe('parseOffsetDateTime: refused', () => {
  test.each([
    ['2024-07-29', 'format'], // a date is not a date-time
    ['2024-07-29 08:15:00+07:00', 'format'],
    ['2024-07-29t08:15:00+07:00', 'format'],
    ['2024-7-29T08:15:00+07:00', 'format'],
    ['2024-07-29T8:15:00+07:00', 'format'],
    ['2024-07-29T08+07:00', 'format'],
    ['2024-07-29T08:15:00+0700', 'format'],
    ['2024-07-29T08:15:00+07', 'format'],
    ['2024-07-29T08:15:00 +07:00', 'format'],
    ['2024-07-29T08:15:00.+07:00', 'format'],
    ['2024-07-29T08:15:00z', 'format'],
    [' 2024-07-29T08:15:00+07:00', 'format'],
    ['', 'format'],
    ['2024-07-29T08:15:00', 'no-offset'],
    ['2024-07-29T08:15', 'no-offset'],
    ['2024-07-29T08:15:00.123', 'no-offset'],
    ['2024-02-30T08:00:00+07:00', 'invalid'],
    ['2023-02-29T08:00:00+07:00', 'invalid'],
    ['1900-02-29T08:00:00+07:00', 'invalid'],
    ['2024-04-31T08:00:00+07:00', 'invalid'],
    ['2024-13-01T08:00:00+07:00', 'invalid'],
    ['2024-00-10T08:00:00+07:00', 'invalid'],
    ['2024-07-00T08:00:00+07:00', 'invalid'],
    ['2024-07-29T25:00:00+07:00', 'invalid'],
    ['2024-07-29T24:00:00+07:00', 'invalid'],
    ['2024-07-29T08:60:00+07:00', 'invalid'],
    ['2024-07-29T08:15:60+07:00', 'invalid'], // leap second
    ['2024-07-29T08:15:00+14:30', 'invalid'],
    ['2024-07-29T08:15:00+15:00', 'invalid'],
    ['2024-07-29T08:15:00+07:60', 'invalid'],
    ['0000-01-01T00:00:00Z', 'invalid'],
    ['0001-01-01T00:00:00+01:00', 'invalid'], // year 0 in UTC
    ['2024-02-30T08:00:00', 'invalid'], // an impossible date is reported before the missing offset
  ])('%s → %s', (value, reason) => {
    expect(parseOffsetDateTime(value)).toEqual({ ok: false, reason });
  });
});

describe('isValidDate', () => {
  test.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2024-04-30', true],
    ['2024-04-31', false],
    ['2024-12-31', true],
    ['2024-13-01', false],
    ['2024-00-01', false],
    ['2024-01-00', false],
    ['0001-01-01', true],
    ['0000-01-01', false],
    ['9999-12-31', true],
    ['2024-1-01', false],
    ['24-01-01', false],
    ['2024-01', false],
    ['2024-01-01T00:00:00Z', false],
    [' 2024-01-01', false],
    ['', false],
  ])('%s → %s', (value, valid) => {
    expect(isValidDate(value)).toBe(valid);
  });
});

describe('toUtcInstant', () => {
  test.each([
    [0, '1970-01-01T00:00:00+00:00'],
    [Date.UTC(2024, 6, 29, 1, 15, 0, 999), '2024-07-29T01:15:00+00:00'],
    [-1, '1969-12-31T23:59:59+00:00'], // truncation goes back in time, as for positive instants
    [Date.UTC(2024, 1, 29, 23, 59, 59), '2024-02-29T23:59:59+00:00'],
  ])('%d → %s', (ms, expected) => {
    expect(toUtcInstant(ms)).toBe(expected);
  });

  test('round-trips with parseOffsetDateTime', () => {
    const parsed = parseOffsetDateTime('2024-07-29T08:15:00+07:00');
    expect(parsed.ok && toUtcInstant(parsed.epochMs)).toBe('2024-07-29T01:15:00+00:00');
  });

  test.each([NaN, Infinity, 8.64e15 + 1, Date.UTC(10000, 0, 1)])('refuses %d', (ms) => {
    expect(() => toUtcInstant(ms)).toThrow(RangeError);
  });
});

describe('ageAt', () => {
  const at = (value: string): number => {
    const parsed = parseOffsetDateTime(value);
    if (!parsed.ok) throw new Error(`bad test value ${value}`);
    return parsed.epochMs;
  };

  test.each([
    // birthDate, visit instant, offset of the visit, expected
    ['2002-03-14', '2024-07-29T01:15:00Z', 0, { years: 22, months: 268 }],
    ['2000-08-01', '2024-07-31T12:00:00Z', 0, { years: 23, months: 287 }], // birthday not yet reached
    ['2000-08-01', '2024-08-01T12:00:00Z', 0, { years: 24, months: 288 }], // on the birthday
    ['2024-07-01', '2024-07-29T12:00:00Z', 0, { years: 0, months: 0 }],
    ['2024-07-01', '2024-08-01T12:00:00Z', 0, { years: 0, months: 1 }],
    ['2020-02-29', '2021-02-28T12:00:00Z', 0, { years: 0, months: 11 }], // leap-day birthday: completed on 1 March
    ['2020-02-29', '2021-03-01T12:00:00Z', 0, { years: 1, months: 12 }],
    ['2020-02-29', '2024-02-29T12:00:00Z', 0, { years: 4, months: 48 }],
    ['2024-01-31', '2024-02-29T12:00:00Z', 0, { years: 0, months: 0 }],
    ['2024-01-31', '2024-03-01T12:00:00Z', 0, { years: 0, months: 1 }],
    ['2024-08-01', '2024-07-29T12:00:00Z', 0, { years: 0, months: 0 }], // born after the visit
  ])('born %s, at %s (offset %d) → %j', (birthDate, instant, offset, expected) => {
    expect(ageAt(birthDate, at(instant), offset)).toEqual(expected);
  });

  // Instants whose UTC date differs from the local date in Jakarta, Jayapura or Los Angeles: an
  // implementation that read local date fields (getFullYear, getDate) fails under one of those TZs.
  describe('uses the visit calendar, never the process time zone', () => {
    test('06:00 WIB on the 24th birthday is 23:00 UTC the day before', () => {
      const visit = at('2024-05-01T06:00:00+07:00');
      expect(ageAt('2000-05-01', visit, 420)).toEqual({ years: 24, months: 288 });
      expect(ageAt('2000-05-01', visit, 540)).toEqual({ years: 24, months: 288 });
      expect(ageAt('2000-05-01', visit)).toEqual({ years: 23, months: 287 }); // offset 0: still 30 April
    });

    test('00:30 UTC on the birthday is still the day before in Los Angeles', () => {
      const visit = at('2024-05-01T00:30:00Z');
      expect(ageAt('2000-05-01', visit)).toEqual({ years: 24, months: 288 });
      expect(ageAt('2000-05-01', visit, -420)).toEqual({ years: 23, months: 287 });
    });

    test('the last hours of 31 December UTC are already New Year in Jayapura', () => {
      const visit = at('2023-12-31T20:00:00Z');
      expect(ageAt('2000-01-01', visit)).toEqual({ years: 23, months: 287 });
      expect(ageAt('2000-01-01', visit, 540)).toEqual({ years: 24, months: 288 });
    });
  });

  test.each(['2024-02-30', '2024-1-1', '', '2024-01-01T00:00:00Z'])('refuses birthDate %j', (birthDate) => {
    expect(() => ageAt(birthDate, 0)).toThrow(RangeError);
  });
});
