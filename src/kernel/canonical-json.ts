import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';

/**
 * JSON with object keys sorted (and undefined members left out), so equal values give equal text
 * whatever their key order: jsonb does not keep the order it was given, vendors do not send one.
 */
export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}

/** sha256 hex of the canonical JSON: the idempotency key of a payload (equal hash → "unchanged"). */
export function payloadHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
