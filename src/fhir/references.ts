/**
 * Reference rewriting for transaction Bundles (FHIR R4 http.html#trules): entries refer to each
 * other by their `urn:uuid:` fullUrls; once the server has chosen ids, every `Reference.reference`
 * that names one of those fullUrls becomes `Type/id`.
 *
 * Only values under a key named `reference` are touched: an Identifier whose value is itself a
 * `urn:uuid:` (system urn:ietf:rfc:3986) must keep it.
 */
export type ReferenceMap = ReadonlyMap<string, string>;

/** A copy of `value` with every `reference` string found in `map` replaced; the input is not changed. */
export function rewriteReferences<T>(value: T, map: ReferenceMap): T {
  return rewrite(value, map) as T;
}

function rewrite(value: unknown, map: ReferenceMap): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, map));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === 'reference' && typeof child === 'string' ? (map.get(child) ?? child) : rewrite(child, map);
  }
  return out;
}
