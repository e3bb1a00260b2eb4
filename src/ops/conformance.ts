import { requireAccess } from '../auth/access-decision';
import type { Principal } from '../auth/tokens';
import { fail } from '../kernel';
import type { ConformanceCount, ConformanceQuery, ErrorCount, IntakeAttempt, OpsStore } from '../store/ops-ports';
import { clientParam, cursorParam, encodeCursor, instantParam, limitParam, organizationParam, text, type Params } from './query';

/**
 * Conformance per vendor (issue 11 item 3): per organisation and client, the share of submissions
 * accepted over time (accepted = stored submission versions, refused = intake attempts), the most
 * frequent errors by error code and element, and the refused attempts themselves (masked) to drill
 * down to. Organisations come from the access decision.
 */
export interface ConformanceDeps {
  ops: OpsStore;
  now: () => number;
}

const DAY = 86_400_000;
const MAX_DAYS = { day: 400, week: 3 * 366 } as const;

export interface ConformancePoint {
  bucket: string;
  accepted: number;
  refused: number;
  /** accepted / (accepted + refused), rounded to 4 decimals; null when nothing arrived. */
  shareAccepted: number | null;
}

export interface ConformanceGroup extends ConformancePoint {
  organizationId: string | null;
  /** null: accepted versions stored before the client was recorded (migration 0015), or with API auth off. */
  clientId: string | null;
  points: ConformancePoint[];
}

export interface ConformanceReport {
  from: string;
  to: string;
  bucket: 'day' | 'week';
  /** The calendar of the buckets (the `tz` parameter). */
  tz: string;
  total: ConformancePoint & { points: ConformancePoint[] };
  groups: ConformanceGroup[];
  topErrors: ErrorCount[];
}

const share = (accepted: number, refused: number): number | null =>
  accepted + refused === 0 ? null : Math.round((accepted / (accepted + refused)) * 10_000) / 10_000;

function point(bucket: string, accepted: number, refused: number): ConformancePoint {
  return { bucket, accepted, refused, shareAccepted: share(accepted, refused) };
}

/**
 * The calendars a day bucket can follow: Indonesia's three zones (Keppres 41/1987; no daylight
 * saving, so a fixed offset is exact) and UTC. Jakarta time is the default, as on the national
 * platform's own dashboards; an operator in Makassar or Jayapura asks for theirs.
 */
// A Map, not an object literal: `tz=constructor` must not find Object.prototype's members.
const ZONES: ReadonlyMap<string, number> = new Map([
  ['Asia/Jakarta', 420], ['Asia/Pontianak', 420], ['Asia/Makassar', 480], ['Asia/Jayapura', 540], ['UTC', 0],
]);

function zoneParam(params: Params): { tz: string; offsetMinutes: number } {
  const tz = text(params, 'tz') ?? 'Asia/Jakarta';
  const offsetMinutes = ZONES.get(tz);
  if (offsetMinutes === undefined) fail('OPS-BAD-QUERY', { param: 'tz', detail: [...ZONES.keys()].join(', ') });
  return { tz, offsetMinutes };
}

export function conformanceQuery(p: Principal, params: Params, now: number): ConformanceQuery {
  const filter = requireAccess(p, 'ops', 'read');
  const bucketRaw = text(params, 'bucket') ?? 'day';
  if (bucketRaw !== 'day' && bucketRaw !== 'week') fail('OPS-BAD-QUERY', { param: 'bucket', detail: 'day or week' });
  const bucket = bucketRaw;
  const { tz, offsetMinutes } = zoneParam(params);
  const offsetMs = offsetMinutes * 60_000;
  // By default up to the end of today in that calendar.
  const to = instantParam(params, 'to', true) ?? new Date(Math.ceil((now + offsetMs) / DAY) * DAY - offsetMs).toISOString();
  const from = instantParam(params, 'from', false) ?? new Date(Date.parse(to) - 30 * DAY).toISOString();
  const days = (Date.parse(to) - Date.parse(from)) / DAY;
  if (days <= 0 || days > MAX_DAYS[bucket]) fail('OPS-BAD-QUERY', { param: 'from', detail: `from must be before to, at most ${MAX_DAYS[bucket]} days with bucket=${bucket}` });
  const organizationId = organizationParam(params);
  const clientId = clientParam(params);
  return { organizations: filter.organizations, from, to, bucket, tz, offsetMinutes, ...(organizationId ? { organizationId } : {}), ...(clientId ? { clientId } : {}) };
}

function group(counts: readonly ConformanceCount[]): ConformanceGroup[] {
  const groups = new Map<string, ConformanceGroup>();
  for (const c of counts) {
    const key = `${c.organizationId ?? ''}|${c.clientId ?? ''}`;
    const g = groups.get(key) ?? { ...point('', 0, 0), organizationId: c.organizationId, clientId: c.clientId, points: [] };
    g.accepted += c.accepted;
    g.refused += c.refused;
    g.points.push(point(c.bucket, c.accepted, c.refused));
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, shareAccepted: share(g.accepted, g.refused) }))
    .sort((a, b) => (a.shareAccepted ?? 1) - (b.shareAccepted ?? 1) || (b.refused - a.refused));
}

function totals(counts: readonly ConformanceCount[]): ConformanceReport['total'] {
  const byBucket = new Map<string, [number, number]>();
  for (const c of counts) {
    const t = byBucket.get(c.bucket) ?? [0, 0];
    byBucket.set(c.bucket, [t[0] + c.accepted, t[1] + c.refused]);
  }
  const points = [...byBucket.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([b, [a, r]]) => point(b, a, r));
  const accepted = points.reduce((n, x) => n + x.accepted, 0);
  const refused = points.reduce((n, x) => n + x.refused, 0);
  return { ...point('', accepted, refused), points };
}

export async function conformanceReport(p: Principal, params: Params, deps: ConformanceDeps): Promise<ConformanceReport> {
  const q = conformanceQuery(p, params, deps.now());
  const [counts, topErrors] = await Promise.all([deps.ops.conformance(q), deps.ops.topErrors(q, limitParam(params, 20, 200))]);
  return { from: q.from, to: q.to, bucket: q.bucket, tz: q.tz, total: totals(counts), groups: group(counts), topErrors };
}

export interface AttemptPage {
  items: IntakeAttempt[];
  next?: string;
}

/** The refused attempts (examples for the drill-down), newest first, keyset paging. */
export async function listAttempts(p: Principal, params: Params, deps: ConformanceDeps): Promise<AttemptPage> {
  const filter = requireAccess(p, 'ops', 'read');
  const limit = limitParam(params, 20, 200);
  const organizationId = organizationParam(params);
  const clientId = clientParam(params);
  const errorCode = text(params, 'errorCode');
  const expression = text(params, 'expression');
  const from = instantParam(params, 'from', false);
  const to = instantParam(params, 'to', true);
  const after = cursorParam(params, /^\d{1,18}$/);
  const rows = await deps.ops.listAttempts({
    organizations: filter.organizations, limit: limit + 1,
    ...(organizationId ? { organizationId } : {}), ...(clientId ? { clientId } : {}),
    ...(errorCode ? { errorCode: errorCode.slice(0, 100) } : {}), ...(expression ? { expression: expression.slice(0, 300) } : {}),
    ...(from ? { from } : {}), ...(to ? { to } : {}), ...(after ? { after } : {}),
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, ...(rows.length > limit && last ? { next: encodeCursor({ at: last.at, id: last.id }) } : {}) };
}

export async function attemptDetail(p: Principal, id: string, deps: ConformanceDeps): Promise<IntakeAttempt> {
  const filter = requireAccess(p, 'ops', 'read');
  const found = await deps.ops.getAttempt(id, filter.organizations);
  if (!found) return fail('OPS-NOT-FOUND', { what: `Intake attempt ${id.slice(0, 20)}` });
  return found;
}
