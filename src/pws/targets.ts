import type { TargetRow } from '../store/pws-ports';
import { villageCodeProblem } from '../intake/area-codes';
import { Issue, issue } from '../kernel';
import { TARGET_GROUPS } from './registry';

const GROUPS: ReadonlySet<string> = new Set(TARGET_GROUPS);
/** A target above this is a typo (the most populous desa has well under a million people). */
const MAX_COUNT = 10_000_000;

function countProblem(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'a whole number';
  if (v < 0 || v > MAX_COUNT) return `between 0 and ${MAX_COUNT}`;
  return undefined;
}

/** `PUT /pws/v1/targets/{villageCode}/{year}` body `{ "<group>": count }`: every problem listed, nothing half-loaded. */
export function targetsFromJson(villageCode: string, yearText: string, body: unknown): { rows: TargetRow[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const village = villageCodeProblem(villageCode);
  if (village) issues.push(issue('PWS-TARGET-INVALID', { detail: `villageCode: ${village}` }, 'villageCode'));
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2100) issues.push(issue('PWS-TARGET-INVALID', { detail: 'year must be YYYY (2000–2100)' }, 'year'));
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    issues.push(issue('PWS-TARGET-INVALID', { detail: 'the body must be a JSON object { "<group>": count }' }));
    return { rows: [], issues };
  }
  const rows: TargetRow[] = [];
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length === 0) issues.push(issue('PWS-TARGET-INVALID', { detail: 'no target groups given' }));
  for (const [group, count] of entries) {
    if (!GROUPS.has(group)) issues.push(issue('PWS-TARGET-GROUP', { group: group.slice(0, 40), allowed: TARGET_GROUPS.join(', ') }, group));
    const problem = countProblem(count);
    if (problem) issues.push(issue('PWS-TARGET-INVALID', { detail: `${group.slice(0, 40)} must be ${problem}` }, group));
    else rows.push({ villageCode, year, group, count: count as number });
  }
  return { rows, issues };
}

/**
 * A district's CSV upload `villageCode,year,group,count` (header line required, RFC 4180 without
 * quoting: no field may contain a comma). Problems name the line, 1-based as an editor shows it.
 */
export function targetsFromCsv(text: string): { rows: TargetRow[]; issues: Issue[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const issues: Issue[] = [];
  const rows: TargetRow[] = [];
  const header = (lines[0] ?? '').trim().toLowerCase().replace(/\s/g, '');
  if (header !== 'villagecode,year,group,count') {
    return { rows, issues: [issue('PWS-TARGET-CSV', { line: 1, detail: 'the first line must be villageCode,year,group,count' }, 'line 1')] };
  }
  const seen = new Set<string>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const f = raw.split(',').map((s) => s.trim());
    const bad = (detail: string) => issues.push(issue('PWS-TARGET-CSV', { line, detail }, `line ${line}`));
    if (f.length !== 4) return bad(`expected 4 fields, got ${f.length}`);
    const [villageCode, yearText, group, countText] = f as [string, string, string, string];
    const village = villageCodeProblem(villageCode);
    if (village) return bad(`villageCode: ${village}`);
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2100) return bad('year must be YYYY (2000–2100)');
    if (!GROUPS.has(group)) return bad(`unknown group "${group.slice(0, 40)}"`);
    const count = /^\d+$/.test(countText) ? Number(countText) : NaN;
    const problem = countProblem(count);
    if (problem) return bad(`count must be ${problem}`);
    const key = `${villageCode}|${year}|${group}`;
    if (seen.has(key)) return bad(`${villageCode} ${year} ${group} appears twice`);
    seen.add(key);
    rows.push({ villageCode, year, group, count });
  });
  if (rows.length === 0 && issues.length === 0) issues.push(issue('PWS-TARGET-CSV', { line: 2, detail: 'no rows' }, 'line 2'));
  return { rows, issues };
}
