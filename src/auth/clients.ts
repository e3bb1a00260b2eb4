import Ajv from 'ajv';
import type { JSONWebKeySet } from 'jose';
import { isKnownScope } from './scopes';
import { isSecretHash } from './secrets';

/** A system allowed to call the gateway: a SIMPUS vendor, a ministry data system, an operator. */
export interface ApiClient {
  clientId: string;
  name?: string;
  /** scrypt hash of the client secret (client_secret_basic / client_secret_post). */
  secretHash?: string;
  /** Public keys for SMART Backend Services (private_key_jwt client assertions). */
  jwks?: JSONWebKeySet;
  /** Where the client publishes its public keys instead (fetched, cached; src/auth/remote-jwks.ts). */
  jwksUri?: string;
  /** SATUSEHAT organisation ids this client may send or read visits for; `*` = all. */
  organizations: string[];
  scopes: string[];
  /**
   * District data teams: Kemendagri code prefixes (2-digit province, 4-digit kabupaten/kota,
   * 6-digit kecamatan, 10-digit desa) of where the patients it may see live. Absent = no region
   * restriction (docs/decisions/0010).
   */
  regions?: string[];
}

/** Kemendagri area codes: province (2), kabupaten/kota (4), kecamatan (6), desa/kelurahan (10 digits). */
export const REGION_PATTERN = '^(\\d{2}|\\d{4}|\\d{6}|\\d{10})$';

const schema = {
  type: 'array',
  // An empty file is a mistake, not a way to switch authentication off (AUTH_DISABLED is).
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['clientId', 'organizations', 'scopes'],
    properties: {
      clientId: { type: 'string', pattern: '^[A-Za-z0-9._-]{3,64}$' },
      name: { type: 'string', maxLength: 200 },
      secretHash: { type: 'string' },
      jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', minItems: 1, items: { type: 'object' } } } },
      jwksUri: { type: 'string', maxLength: 2000 },
      organizations: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^(\\*|\\d{6,12})$' } },
      scopes: { type: 'array', minItems: 1, items: { type: 'string' } },
      regions: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{10})$' } },
    },
  },
};

const validate = new Ajv({ allErrors: true }).compile<ApiClient[]>(schema);

/** Parses and checks a clients file; throws listing every problem (read once at start-up). */
export function parseClients(json: unknown): ApiClient[] {
  const problems: string[] = [];
  if (!validate(json)) {
    problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`));
    throw new Error(`invalid API clients file:\n  - ${problems.join('\n  - ')}`);
  }
  const seen = new Set<string>();
  json.forEach((c, i) => {
    if (seen.has(c.clientId)) problems.push(`[${i}] duplicate clientId ${c.clientId}`);
    seen.add(c.clientId);
    if (!c.secretHash && !c.jwks && !c.jwksUri) problems.push(`[${i}] ${c.clientId}: needs secretHash, jwks or jwksUri`);
    if (c.jwksUri) problems.push(...jwksUriProblems(c.jwksUri).map((p) => `[${i}] ${c.clientId}: ${p}`));
    if (c.secretHash && !isSecretHash(c.secretHash)) problems.push(`[${i}] ${c.clientId}: secretHash must be an scrypt hash (ilp-gateway clients hash-secret)`);
    c.scopes.filter((s) => !isKnownScope(s)).forEach((s) => problems.push(`[${i}] ${c.clientId}: unknown scope ${s}`));
  });
  if (problems.length > 0) throw new Error(`invalid API clients file:\n  - ${problems.join('\n  - ')}`);
  return json;
}

/**
 * A JWKS URL must be https; plain http only to this host (a key server beside the gateway, tests).
 * It is fetched by the gateway, so it must not point it at arbitrary plain-text services.
 */
export function jwksUriProblems(uri: string): string[] {
  try {
    const u = new URL(uri);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) return u.username || u.password ? ['jwksUri must not carry credentials'] : [];
    return ['jwksUri must be an https: URL (http: only for localhost)'];
  } catch {
    return ['jwksUri is not a URL'];
  }
}

/** @deprecated The access decision lives in access-decision.ts (mayActFor there); kept for callers on other branches. */
export function mayActFor(client: Pick<ApiClient, 'organizations'>, organizationId: string): boolean {
  return client.organizations.includes('*') || client.organizations.includes(organizationId);
}
