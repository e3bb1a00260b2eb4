/**
 * NUL (PostgreSQL text and jsonb cannot hold U+0000: SQLSTATE 22021/22P05 would surface as a 500)
 * and lone UTF-16 surrogates (not Unicode scalar values: JSON.stringify escapes them and jsonb
 * refuses the escape). Without the `u` flag the classes match UTF-16 code units.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isInvalidText(s: string): boolean {
  return s.includes('\u0000') || hasLoneSurrogate(s);
}

/** Not well-formed UTF-16 (String.prototype.isWellFormed, ES2024, negated). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}
