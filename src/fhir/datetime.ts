/**
 * Pure date and date-time helpers. Everything here works on explicit offsets and UTC fields, never
 * on the process time zone (`TZ`), so results are the same on a server in UTC or in Jakarta.
 */

export type ParsedDateTime =
  | {
      ok: true;
      /** The instant, in milliseconds since the epoch (fraction of a second kept to the millisecond). */
      epochMs: number;
      /** The instant in SATUSEHAT form, `YYYY-MM-DDThh:mm:ss+00:00`. */
      utc: string;
      /** The offset the value was written with, in minutes east of UTC (+07:00 → 420). */
      offsetMinutes: number;
    }
  | { ok: false; reason: 'format' | 'no-offset' | 'invalid' };

// FHIR dateTime/instant shape (R4 datatypes.html) with seconds optional, as ILP vendors send
// "2024-05-01T09:15+07:00". Fields are checked for range separately so that 2024-02-30 or 25:00 is
// reported as an impossible value ('invalid') rather than as a wrong shape ('format').
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MINUTE_MS = 60_000;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Years 0001–9999 as FHIR allows; month and day exist in that year. */
function isCalendarDate(y: number, m: number, d: number): boolean {
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. */
function utcMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/** `Z` → 0; `+07:00` → 420; undefined when out of FHIR's range −14:00…+14:00. */
function offsetMinutesOf(offset: string): number | undefined {
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const h = Number(offset.slice(1, 3));
  const m = Number(offset.slice(4, 6));
  if (m > 59 || h > 14 || (h === 14 && m > 0)) return undefined;
  const minutes = h * 60 + m;
  return minutes === 0 ? 0 : sign * minutes; // -00:00 (RFC 3339 "offset unknown") is still UTC; no -0
}

/**
 * Parses an ISO 8601 / FHIR dateTime that MUST carry a UTC offset (`Z` or `±hh:mm`); seconds and
 * a fraction of a second are optional. A value without an offset is refused ('no-offset'): it names
 * no instant, and guessing the vendor's zone (WIB, WITA or WIT) would silently shift the visit by
 * up to two hours. A date without a time is a 'format' error. Leap seconds (:60), which FHIR's
 * pattern admits, are refused as 'invalid': JavaScript time cannot represent them.
 *
 * `utc` keeps whole seconds only (the fraction is truncated, never rounded, so the instant never
 * moves forward into a later second): SATUSEHAT accepts exactly `YYYY-MM-DDThh:mm:ss+00:00`
 * ("Invalid date time format ... Format allowed : YYYY-MM-DDThh:mm:ss+00:00", RuleNumber 10132).
 */
export function parseOffsetDateTime(s: string): ParsedDateTime {
  const m = DATE_TIME.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || sec > 59) return { ok: false, reason: 'invalid' };
  if (m[8] === undefined) return { ok: false, reason: 'no-offset' };
  const offsetMinutes = offsetMinutesOf(m[8]);
  if (offsetMinutes === undefined) return { ok: false, reason: 'invalid' };
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const epochMs = utcMs(y, mo, d, h, mi, sec, ms) - offsetMinutes * MINUTE_MS;
  const utc = formatUtc(epochMs);
  if (utc === undefined) return { ok: false, reason: 'invalid' };
  return { ok: true, epochMs, utc, offsetMinutes };
}

/** `YYYY-MM-DDThh:mm:ss+00:00` for years 0001–9999, fraction truncated; undefined otherwise. */
function formatUtc(epochMs: number): string | undefined {
  if (!Number.isFinite(epochMs)) return undefined;
  const date = new Date(Math.floor(epochMs / 1000) * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999) return undefined;
  // toISOString writes 4-digit years in this range: 0001-01-01T00:00:00.000Z.
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** An instant (ms since the epoch) in SATUSEHAT form `YYYY-MM-DDThh:mm:ss+00:00`, whole seconds. */
export function toUtcInstant(epochMs: number): string {
  const utc = formatUtc(epochMs);
  if (utc === undefined) throw new RangeError(`Not a representable instant: ${epochMs}`);
  return utc;
}

/** True for an existing calendar date written `YYYY-MM-DD` (FHIR date at day precision). */
export function isValidDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Age in completed calendar years and in completed months (total, not the remainder after years:
 * 2 years 3 months → { years: 2, months: 27 }), as on the local calendar date of `atEpochMs` at
 * `offsetMinutes` (pass the visit's own offset: a visit at 06:00 WIB on a birthday is on the
 * birthday, although in UTC it is still the day before). A month or year is completed on the day
 * of the month of birth; when the month has no such day (born on the 31st, or on 29 February),
 * on the 1st of the next month. A birth date after `atEpochMs` gives { years: 0, months: 0 }; the
 * intake reports that case itself (ILP-BIRTHDATE-AFTER-VISIT).
 */
export function ageAt(birthDate: string, atEpochMs: number, offsetMinutes = 0): { years: number; months: number } {
  const b = DATE.exec(birthDate);
  if (!b || !isValidDate(birthDate)) throw new RangeError(`Not a valid date (YYYY-MM-DD): ${birthDate}`);
  const at = new Date(atEpochMs + offsetMinutes * MINUTE_MS);
  if (Number.isNaN(at.getTime())) throw new RangeError(`Not a representable instant: ${atEpochMs}`);
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  let months = (at.getUTCFullYear() - by) * 12 + (at.getUTCMonth() + 1 - bm);
  if (at.getUTCDate() < bd) months -= 1;
  if (months < 0) return { years: 0, months: 0 };
  return { years: Math.floor(months / 12), months };
}
