import { join } from 'node:path';

/** Settings of the FHIR API and the Bulk Data export (issue #5). */
export interface FhirConfig {
  /** The gateway's root URL as clients reach it (e.g. behind a proxy): `https://gw.example`; the FHIR base is it + `/fhir`. Unset → from the request's Host. */
  readonly publicBaseUrl: string | undefined;
  /** Where export jobs write their NDJSON files; default `<DATA_DIR>/exports`. */
  readonly exportDir: string;
  /** Resources per NDJSON file before a new file starts. */
  readonly exportFileMaxResources: number;
  /** Hours a finished export's files stay available. */
  readonly exportFileTtlHours: number;
}

type Env = Record<string, string | undefined>;

function intOf(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return fallback;
}

function baseUrlOf(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`PUBLIC_BASE_URL must use http: or https:, got "${u.protocol}"`);
  } catch {
    problems.push('PUBLIC_BASE_URL is not a URL');
  }
  return raw.replace(/\/+$/, '');
}

export function loadFhirConfig(env: Env, dataDir: string, problems: string[]): FhirConfig {
  return {
    publicBaseUrl: baseUrlOf(env.PUBLIC_BASE_URL, problems),
    exportDir: env.EXPORT_DIR || join(dataDir, 'exports'),
    exportFileMaxResources: intOf(env, 'EXPORT_FILE_MAX_RESOURCES', 10_000, 1, 10_000_000, problems),
    exportFileTtlHours: intOf(env, 'EXPORT_FILE_TTL_HOURS', 24, 1, 24 * 365, problems),
  };
}
