import { join } from 'node:path';
import { numberVar as intOf, type Env } from './env';

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
  /** Seconds a client should wait between export status polls (Retry-After); polling sooner is answered 429. 0: no limit. */
  readonly exportRetryAfterSeconds: number;
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
    exportRetryAfterSeconds: intOf(env, 'EXPORT_RETRY_AFTER_SECONDS', 2, 0, 3600, problems),
  };
}
