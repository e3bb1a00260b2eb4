import { issue } from '../kernel';
import { isObj, shown, jsonType, type WalkContext } from './context';
import type { ElementNode } from './model';

/**
 * Checks on one element's value that do not depend on its children: primitive JSON types and
 * formats (R4 datatypes.html#primitive, json.html#primitive), fixed and pattern values
 * (elementdefinition-definitions.html#ElementDefinition.fixed_x_, .pattern_x_), min/maxValue and
 * maxLength.
 */

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const NUMERIC = new Set(['integer', 'unsignedInt', 'positiveInt', 'decimal']);

/** FHIR primitive type names start with a lower-case letter (boolean, dateTime, code, …). */
export const isPrimitiveType = (t: string): boolean => {
  const c = t.charCodeAt(0);
  return c >= 97 && c <= 122;
};

/** What a primitive type requires of its JSON value, worked out once per type (walk.ts keeps it per element). */
export interface PrimitiveRule {
  type: string;
  /** R4 json.html#primitive: true/false for boolean, a number for the numeric types, else a string. */
  json: 'boolean' | 'number' | 'string';
  /** A string value must be non-empty and match the type's R4 regular expression (if any); not for xhtml. */
  checkFormat: boolean;
  format: RegExp | undefined;
}

export function primitiveRule(type: string, formats: ReadonlyMap<string, RegExp>): PrimitiveRule {
  const json = type === 'boolean' ? 'boolean' : NUMERIC.has(type) ? 'number' : 'string';
  return { type, json, checkFormat: type !== 'xhtml', format: type === 'xhtml' ? undefined : formats.get(type) };
}

/** Returns false when the JSON type is wrong (nothing further is checked on it). */
export function checkPrimitive(value: unknown, rule: PrimitiveRule, path: string, ctx: WalkContext): boolean {
  const { type, json: expected } = rule;
  if (typeof value !== expected) {
    ctx.issues.push(issue('VAL-TYPE', { expected: `a JSON ${expected} (FHIR ${type})`, actual: `${jsonType(value)} ${shown(value)}` }, path));
    return false;
  }
  if (typeof value === 'number') return checkNumber(value, type, path, ctx);
  if (typeof value !== 'string') return true;
  // datatypes.html#string: "Strings SHALL NOT exceed 1MB (1024*1024 characters) in size".
  if (value.length > 1048576) {
    ctx.issues.push(issue('VAL-TOO-LONG', {}, path));
    return false;
  }
  // datatypes.html#base64Binary: RFC 4648 base64 (whitespace is tolerated, as in XML Schema's base64Binary).
  if (type === 'base64Binary' && !isBase64(value)) {
    ctx.issues.push(issue('VAL-FORMAT', { value: shown(value), type }, path));
    return false;
  }
  if (rule.checkFormat && (value === '' || (rule.format && !rule.format.test(value)))) {
    ctx.issues.push(issue('VAL-FORMAT', { value: shown(value), type }, path));
    return false;
  }
  return true;
}

export function isBase64(value: string): boolean {
  const compact = value.replace(/\s+/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}

/** Attachment.size is the size of the data in bytes (R4 datatypes.html#Attachment), when both are given. */
export function checkAttachment(value: unknown, path: string, ctx: WalkContext): void {
  if (!isObj(value) || typeof value.data !== 'string' || typeof value.size !== 'number' || !isBase64(value.data)) return;
  const actual = Buffer.from(value.data.replace(/\s+/g, ''), 'base64').length;
  if (actual !== value.size) ctx.issues.push(issue('VAL-ATTACHMENT-SIZE', { size: value.size, actual }, path));
}

function checkNumber(value: number, type: string, path: string, ctx: WalkContext): boolean {
  const ok =
    type === 'decimal'
      ? Number.isFinite(value)
      : Number.isInteger(value) && value >= (type === 'positiveInt' ? 1 : type === 'unsignedInt' ? 0 : INT32_MIN) && value <= INT32_MAX;
  if (!ok) ctx.issues.push(issue('VAL-FORMAT', { value: shown(value), type }, path));
  return ok;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * pattern[x] semantics: every property of the pattern is present with a matching value; arrays
 * match element-wise by "some". Loops rather than every/some/entries: it runs on every coded
 * element a profile fixes (Observation.code, .category) and on every slice match.
 */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) {
    for (const p of pattern) if (!someMatches(value, p)) return false;
    return true;
  }
  if (isObj(pattern)) {
    if (!isObj(value)) return false;
    for (const k of Object.keys(pattern)) if (!matchesPattern(value[k], pattern[k])) return false;
    return true;
  }
  return value === pattern;
}

/** One item of an array pattern against a value: some item of it (a single value counts as one item). */
function someMatches(value: unknown, p: unknown): boolean {
  if (!Array.isArray(value)) return matchesPattern(value, p);
  for (const v of value) if (matchesPattern(v, p)) return true;
  return false;
}

function compare(a: number | string, b: number | string): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function checkFixedAndPattern(value: unknown, node: ElementNode, path: string, ctx: WalkContext): void {
  if (node.fixed !== undefined && !deepEqual(value, node.fixed)) {
    ctx.issues.push(issue('VAL-FIXED', { expected: shown(node.fixed), actual: shown(value) }, path));
  }
  if (node.pattern !== undefined && !matchesPattern(value, node.pattern)) {
    ctx.issues.push(issue('VAL-PATTERN', { expected: shown(node.pattern), actual: shown(value) }, path));
  }
  if (typeof value === 'number' || typeof value === 'string') {
    const low = node.minValue !== undefined && compare(value, node.minValue) < 0;
    const high = node.maxValue !== undefined && compare(value, node.maxValue) > 0;
    if (low || high) {
      ctx.issues.push(issue('VAL-RANGE', { value: shown(value), min: String(node.minValue ?? '*'), max: String(node.maxValue ?? '*') }, path));
    }
  }
  if (typeof value === 'string' && node.maxLength !== undefined && value.length > node.maxLength) {
    ctx.issues.push(issue('VAL-MAX-LENGTH', { max: node.maxLength }, path));
  }
}
