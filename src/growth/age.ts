/**
 * Age for the growth indices. WHO computes age as the whole number of days between the date of birth
 * and the date of measurement (anthro: "an exact age in days is expected"), and converts days to
 * months with its constant 30.4375 (= 365.25 / 12; anthro R/anthro-package.R ANTHRO_DAYS_OF_MONTH).
 *
 * Both dates are calendar dates (YYYY-MM-DD) as written in the child's record, never instants: the
 * difference is computed on the proleptic Gregorian calendar in UTC, so the result does not depend on
 * the process time zone or a daylight-saving change between the two dates.
 */

export const DAYS_PER_MONTH = 30.4375;
const MS_PER_DAY = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(date: string, what: string): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`${what} must be a date YYYY-MM-DD, got "${date}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const back = new Date(0);
  const ms = back.setUTCFullYear(year, month - 1, day);
  // Dates roll 2023-02-30 over to March: a rolled-over date is not a date.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`${what} is not a calendar date: "${date}"`);
  }
  return ms / MS_PER_DAY;
}

/**
 * Whole days from `birthDate` to `onDate` (0 on the day of birth; negative when `onDate` is earlier,
 * which the caller must refuse). Throws RangeError for a string that is not a calendar date.
 */
export function ageInDays(birthDate: string, onDate: string): number {
  return dayNumber(onDate, 'onDate') - dayNumber(birthDate, 'birthDate');
}

/** WHO's age in months for a whole number of days (unrounded; anthroplus interpolates on it). */
export function ageInMonths(ageDays: number): number {
  return ageDays / DAYS_PER_MONTH;
}
