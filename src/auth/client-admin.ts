import { randomBytes } from 'node:crypto';
import Ajv from 'ajv';
import type { ApiClientStore, ApiClientSummary, NewApiClient } from '../store/client-ports';
import { REGION_PATTERN, jwksUriProblems } from './clients';
import { isKnownScope } from './scopes';
import { hashSecret } from './secrets';

/**
 * Managing API clients, shared by `ilp-gateway clients …` and /admin/v1/clients: input checks,
 * secret generation and hashing. A generated secret is returned once to the caller and never
 * stored: only its scrypt hash is (docs/decisions/0011-api-clients.md).
 */
export interface ClientInput {
  clientId: string;
  name?: string;
  organizations: string[];
  regions?: string[];
  scopes: string[];
  /** SMART Backend Services keys; a client with neither jwks nor jwksUri gets a generated secret. */
  jwks?: { keys: object[] };
  jwksUri?: string;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['clientId', 'organizations', 'scopes'],
  properties: {
    clientId: { type: 'string', pattern: '^[A-Za-z0-9._-]{3,64}$' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    organizations: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: '^(\\*|\\d{6,12})$' } },
    regions: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'string', pattern: REGION_PATTERN } },
    scopes: { type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', maxLength: 100 } },
    jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'object', required: ['kty'] } } } },
    jwksUri: { type: 'string', maxLength: 2000 },
  },
};
const validate = new Ajv({ allErrors: true }).compile<ClientInput>(schema);

/** Every problem with a client description, or the checked value. */
export function checkClientInput(input: unknown): { ok: true; client: ClientInput } | { ok: false; problems: string[] } {
  // Every problem at once, the schema's and the scope check's, so one correction pass suffices.
  const scopes = (input as { scopes?: unknown } | null)?.scopes;
  const unknownScopes = Array.isArray(scopes) ? scopes.filter((s) => typeof s === 'string' && !isKnownScope(s)).map((s) => `unknown scope ${String(s)}`) : [];
  if (!validate(input)) return { ok: false, problems: [...(validate.errors ?? []).map((e) => `${e.instancePath || '(client)'} ${e.message ?? ''}`.trim()), ...unknownScopes] };
  const problems = [
    ...unknownScopes,
    ...(input.jwksUri ? jwksUriProblems(input.jwksUri) : []),
    ...(input.jwks && input.jwksUri ? ['give jwks or jwksUri, not both'] : []),
    ...(input.jwks?.keys.some((k) => 'd' in k || 'k' in k) ? ['jwks must hold public keys only'] : []),
  ];
  return problems.length > 0 ? { ok: false, problems } : { ok: true, client: input };
}

/** 256 random bits, URL-safe: what a vendor puts in its SIMPUS configuration. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export type CreateOutcome = { ok: true; client: ApiClientSummary; secret?: string } | { ok: false; reason: 'exists' };

export async function createClient(store: ApiClientStore, input: ClientInput): Promise<CreateOutcome> {
  const secret = input.jwks || input.jwksUri ? undefined : generateSecret();
  const row: NewApiClient = { ...input, ...(secret ? { secretHash: await hashSecret(secret) } : {}) };
  const created = await store.create(row);
  if (!created) return { ok: false, reason: 'exists' };
  const { secretHash, ...rest } = created;
  return { ok: true, client: { ...rest, hasSecret: secretHash !== undefined }, ...(secret ? { secret } : {}) };
}

export type RotateResult = { ok: true; secret: string } | { ok: false; reason: 'not-found' | 'revoked' | 'no-secret' };

/** A new secret replaces the old one at once: the old secret stops working for new tokens. */
export async function rotateSecret(store: ApiClientStore, clientId: string): Promise<RotateResult> {
  const secret = generateSecret();
  const outcome = await store.rotateSecret(clientId, await hashSecret(secret));
  return outcome === 'rotated' ? { ok: true, secret } : { ok: false, reason: outcome };
}
