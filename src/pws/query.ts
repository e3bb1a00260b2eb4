import { PROVINCE_CODES } from '../catalog/vocabulary';
import { villageCodeProblem } from '../intake/area-codes';
import { Issue, issue } from '../kernel';

/** A PWS period: a month (YYYY-MM) or a year (YYYY), as local calendar dates. */
export interface Period {
  text: string;
  year: number;
  /** 1–12 for a month period. */
  month?: number;
  /** Inclusive YYYY-MM-DD. */
  from: string;
  /** Exclusive YYYY-MM-DD. */
  to: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const ymd = (y: number, m: number): string => `${y}-${pad(m)}-01`;

/** Month or year; years before the ILP platform (2022) or far in the future are refused as typos. */
export function parsePeriod(text: string): Period | Issue {
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(text);
  const year = Number(m?.[1]);
  const month = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!m || year < 2000 || year > 2100 || (month !== undefined && (month < 1 || month > 12))) {
    return issue('PWS-PERIOD-INVALID', { period: text.slice(0, 20) }, 'period');
  }
  if (month === undefined) return { text, year, from: ymd(year, 1), to: ymd(year + 1, 1) };
  return { text, year, month, from: ymd(year, month), to: month === 12 ? ymd(year + 1, 1) : ymd(year, month + 1) };
}

/** The same year up to and including this month (PWS "kumulatif"). */
export function yearToDate(p: Period): Period {
  return { text: `${p.year}-01..${p.text}`, year: p.year, from: ymd(p.year, 1), to: p.to };
}

/** `from` moved back by whole months (for rules whose series may start before the period). */
export function monthsBefore(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - months;
  return ymd(Math.floor(total / 12), (total % 12) + 1);
}

export type AreaLevel = 'country' | 'province' | 'city' | 'district' | 'village';

/** Kemendagri codes: province 2, kabupaten/kota 4, kecamatan 6, desa/kelurahan 10 digits (ilp-domain §9.1). */
export function parseArea(text: string): { code: string; level: AreaLevel } | Issue {
  const bad = (detail: string) => issue('PWS-AREA-INVALID', { area: text.slice(0, 20), detail }, 'area');
  if (!/^\d+$/.test(text)) return bad('digits only');
  if (![2, 4, 6, 10].includes(text.length)) return bad('2, 4, 6 or 10 digits');
  if (!PROVINCE_CODES.has(text.slice(0, 2))) return bad(`unknown province ${text.slice(0, 2)}`);
  if (text.length === 10) {
    const problem = villageCodeProblem(text);
    if (problem) return bad(problem);
  }
  const level: AreaLevel = ({ 2: 'province', 4: 'city', 6: 'district', 10: 'village' } as const)[text.length as 2 | 4 | 6 | 10];
  return { code: text, level };
}

export function isIssue(v: unknown): v is Issue {
  return typeof v === 'object' && v !== null && 'code' in v && 'severity' in v;
}
