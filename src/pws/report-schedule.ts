import { PROVINCE_CODES } from '../catalog/vocabulary';
import type { ClaimRule } from '../store/pws-report-ports';
import { provinceOffsetMinutes } from './time-zones';

/**
 * When the monthly village MeasureReports are due (pure arithmetic over instants; the job and the
 * scheduler call it with their clock). PWS months are local calendar months (a visit counts in
 * the month of its local date, src/pws/time-zones.ts), and Indonesia spans UTC+7 to UTC+9: a
 * month is closed only once it is over in its westernmost zone (WIB, UTC+7), where it ends last.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The smallest UTC offset of any province (WIB, 420 minutes): where a local month ends last. */
export const LATEST_OFFSET_MINUTES = Math.min(...[...PROVINCE_CODES].map(provinceOffsetMinutes));

export interface ScheduleOptions {
  /** Closed months looked at, newest first: the last closed month and the ones before it (catch-up after downtime). */
  catchUpMonths: number;
  /** Days after a month closed during which it is recomputed for late visits. */
  graceDays: number;
  /** Within the grace window: recompute when the last run finished longer ago than this. */
  recomputeHours: number;
  /** A failed run is retried when its attempt ended longer ago than this. */
  retryMinutes: number;
}

export interface DueMonth {
  /** YYYY-MM. */
  period: string;
  /** When an existing run of the month may be taken again (the store applies it atomically). */
  rule: ClaimRule;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** YYYY-MM → [year, month 1–12]; undefined when it is not a month. */
export function parseMonth(text: string): [number, number] | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  return mo >= 1 && mo <= 12 ? [y, mo] : undefined;
}

/** The month `delta` months after YYYY-MM (negative: before). */
export function addMonths(month: string, delta: number): string {
  const [y, m] = parseMonth(month) ?? [Number.NaN, Number.NaN];
  const total = y * 12 + (m - 1) + delta;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`;
}

/** The instant (ms) a local month ends in every Indonesian time zone: the 1st of the next month, 00:00 WIB. */
export function closedAt(month: string): number {
  const [y, m] = parseMonth(month) ?? [Number.NaN, Number.NaN];
  return Date.UTC(y, m, 1) - LATEST_OFFSET_MINUTES * 60_000;
}

/** The local month (YYYY-MM) `now` falls in at `offsetMinutes` (default WIB). */
export function localMonth(now: number, offsetMinutes = LATEST_OFFSET_MINUTES): string {
  const d = new Date(now + offsetMinutes * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

/** The newest month that is over in every time zone at `now`. */
export function lastClosedMonth(now: number): string {
  return addMonths(localMonth(now), -1);
}

/** Whether `month` is over everywhere at `now` (the job reports closed months only). */
export function isClosed(month: string, now: number): boolean {
  return now >= closedAt(month);
}

/** The claim rule of one closed month at `now`: recompute within the grace window, once more at its end, then never. */
export function claimRule(month: string, now: number, o: Omit<ScheduleOptions, 'catchUpMonths'>): ClaimRule {
  const graceEnd = closedAt(month) + o.graceDays * DAY;
  // Inside the window: a run older than recomputeHours is redone (late visits). After it: a run
  // that finished before the window ended is redone once, so every visit that arrived in the
  // window is in the final report; later runs are final.
  const doneBefore = now < graceEnd ? now - o.recomputeHours * HOUR : graceEnd;
  return { doneBefore: new Date(doneBefore).toISOString(), failedBefore: new Date(now - o.retryMinutes * 60_000).toISOString() };
}

/** The months to try at `now`, oldest first (a catch-up computes the past before the present). */
export function dueMonths(now: number, o: ScheduleOptions): DueMonth[] {
  const last = lastClosedMonth(now);
  const out: DueMonth[] = [];
  for (let i = o.catchUpMonths - 1; i >= 0; i -= 1) {
    const period = addMonths(last, -i);
    out.push({ period, rule: claimRule(period, now, o) });
  }
  return out;
}

/** A manual run: whatever the earlier runs did, unless another worker is computing it right now. */
export function manualRule(now: number): ClaimRule {
  const after = new Date(now + 1).toISOString();
  return { doneBefore: after, failedBefore: after };
}
