import { fail } from '../kernel';
import type { Keyset } from '../store/ops-ports';

/**
 * Query parameters of the operations surfaces, shared by the JSON API and the console pages:
 * validated here once, refused as 400 OperationOutcomes naming the parameter.
 */
export type Params = Record<string, unknown>;

const ORG = /^\d{6,12}$/;
const CLIENT = /^[A-Za-z0-9._-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function text(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') fail('OPS-BAD-QUERY', { param: name, detail: 'give it once' });
  return v;
}

export function organizationParam(params: Params, name = 'organization'): string | undefined {
  const v = text(params, name);
  if (v !== undefined && !ORG.test(v)) fail('OPS-BAD-QUERY', { param: name, detail: 'a SATUSEHAT organization id (6 to 12 digits)' });
  return v;
}

export function clientParam(params: Params, name = 'client'): string | undefined {
  const v = text(params, name);
  if (v !== undefined && !CLIENT.test(v)) fail('OPS-BAD-QUERY', { param: name, detail: 'an API client id' });
  return v;
}

/**
 * An instant or a calendar date (UTC). `end` dates mean the end of that day: `to=2026-12-01`
 * includes the whole first of December.
 */
export function instantParam(params: Params, name: string, end: boolean): string | undefined {
  const v = text(params, name);
  if (v === undefined) return undefined;
  const ms = Date.parse(DATE.test(v) ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(ms) || !(DATE.test(v) || /[zZ]|[+-]\d{2}:\d{2}$/.test(v))) {
    fail('OPS-BAD-QUERY', { param: name, detail: 'a date YYYY-MM-DD or an instant with its offset' });
  }
  return new Date(DATE.test(v) && end ? ms + 86_400_000 : ms).toISOString();
}

export function limitParam(params: Params, fallback: number, max: number): number {
  const v = text(params, 'limit');
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) fail('OPS-BAD-QUERY', { param: 'limit', detail: `an integer from 1 to ${max}` });
  return n;
}

export function enumParam<T extends string>(params: Params, name: string, allowed: readonly T[]): T[] | undefined {
  const v = text(params, name);
  if (v === undefined) return undefined;
  const values = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = values.find((s) => !(allowed as readonly string[]).includes(s));
  if (bad !== undefined || values.length === 0) fail('OPS-BAD-QUERY', { param: name, detail: `one or more of ${allowed.join(', ')}` });
  return values as T[];
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** Opaque keyset cursor: the last row's instant and id. */
export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.at, k.id]), 'utf8').toString('base64url');
}

export function cursorParam(params: Params, idPattern: RegExp): Keyset | undefined {
  const v = text(params, 'cursor');
  if (v === undefined) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown[];
    // The instant as this gateway wrote it (toISOString or the +00:00 form): V8's Date.parse also takes "1", PostgreSQL does not.
    if (typeof at === 'string' && INSTANT.test(at) && Number.isFinite(Date.parse(at)) && typeof id === 'string' && idPattern.test(id)) return { at, id };
  } catch {
    // falls through to the refusal
  }
  return fail('OPS-BAD-QUERY', { param: 'cursor', detail: 'use the "next" cursor of the previous page as it is' });
}
