import { createRequire } from 'node:module';
import type { Constraint } from './model';
import { xhtmlProblem } from './xhtml';

/**
 * Error-level FHIRPath invariants (R4 conformance-rules.html#constraints). An invariant passes only
 * when it evaluates to `true`; empty, false or an evaluation error fail it.
 *
 * fhirpath.js takes ~30 µs per evaluation, more than the rest of an Observation's validation, so
 * the invariants every resource meets on the hot path are implemented natively here, each a
 * transcription of its R4 expression (test/unit/validation/native-invariants.test.ts checks each
 * one against fhirpath.js on passing and failing inputs). All others are compiled with fhirpath.js
 * once per expression and cached.
 */

type Json = Record<string, unknown>;
export type InvariantCheck = (node: unknown, resource: Json, root: Json) => boolean | string;

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const has = (o: Json, key: string): boolean => o[key] !== undefined;
const hasValueX = (o: Json, stem: string): boolean => Object.keys(o).some((k) => k.startsWith(stem) && /^[A-Z]/.test(k.charAt(stem.length)));

/**
 * `start <= end` as FHIRPath compares dates and dateTimes (fhirpath.html#comparison): at the
 * precision both share; when they are equal at that precision and one is more precise, the result
 * is empty, and an invariant that is not `true` fails (as the reference validator reports per-1
 * on a date start and a dateTime end of the same day).
 */
function notAfter(start: string, end: string): boolean {
  const withTime = (s: string): boolean => s.includes('T');
  if (withTime(start) && withTime(end)) return Date.parse(start) <= Date.parse(end);
  const date = (s: string): string => (withTime(s) ? s.slice(0, 10) : s);
  const [a, b] = [date(start), date(end)];
  const shared = Math.min(a.length, b.length);
  const [x, y] = [a.slice(0, shared), b.slice(0, shared)];
  if (x !== y) return x < y;
  return start.length === end.length; // equal at the shared precision: {} unless equally precise
}

function codingKey(c: unknown): string {
  return isObj(c) ? JSON.stringify([c.system, c.version, c.code, c.display, c.userSelected]) : '';
}

const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const codings = (cc: unknown): Json[] => (isObj(cc) ? asArray(cc.coding).filter(isObj) : []);

function firstEntryType(bundle: Json): unknown {
  const first = asArray(bundle.entry)[0];
  return isObj(first) && isObj(first.resource) ? first.resource.resourceType : undefined;
}

const NATIVE: Record<string, InvariantCheck> = {
  // Extension: "Must have either extensions or value[x], not both" — extension.exists() != value.exists()
  'ext-1': (n) => isObj(n) && has(n, 'extension') !== hasValueX(n, 'value'),
  // DomainResource: contained.contained.empty()
  'dom-2': (_n, r) => asArray(r.contained).every((c) => !isObj(c) || c.contained === undefined),
  // contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()
  'dom-4': (_n, r) => asArray(r.contained).every((c) => !isObj(c) || !isObj(c.meta) || (c.meta.versionId === undefined && c.meta.lastUpdated === undefined)),
  // contained.meta.security.empty()
  'dom-5': (_n, r) => asArray(r.contained).every((c) => !isObj(c) || !isObj(c.meta) || c.meta.security === undefined),
  // Observation: dataAbsentReason.empty() or value.empty()
  'obs-6': (n) => isObj(n) && (!has(n, 'dataAbsentReason') || !hasValueX(n, 'value')),
  // value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()
  'obs-7': (n) => {
    if (!isObj(n) || n.component === undefined || !hasValueX(n, 'value')) return true;
    const own = new Set(asArray(isObj(n.code) ? n.code.coding : undefined).map(codingKey));
    return asArray(n.component).every((c) => !isObj(c) || !isObj(c.code) || asArray(c.code.coding).every((x) => !own.has(codingKey(x))));
  },
  // R4 vital signs (vitalsigns and its profiles), on every vital-sign Observation in r4 mode:
  // (component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())
  'vs-2': (n) => isObj(n) && (has(n, 'component') || has(n, 'hasMember') || has(n, 'dataAbsentReason') || hasValueX(n, 'value')),
  // Observation.component: value.exists() or dataAbsentReason.exists()
  'vs-3': (n) => isObj(n) && (hasValueX(n, 'value') || has(n, 'dataAbsentReason')),
  // Period: start.hasValue().not() or end.hasValue().not() or (start <= end)
  'per-1': (n) => !isObj(n) || typeof n.start !== 'string' || typeof n.end !== 'string' || notAfter(n.start, n.end),
  // Quantity: code.empty() or system.exists()
  'qty-3': (n) => !isObj(n) || !has(n, 'code') || has(n, 'system'),
  // Reference: reference.startsWith('#').not() or (reference.substring(1) in %rootResource.contained.id)
  // A contained resource may refer to its container as '#' (references.html#contained; R4B/R5 ref-1: `or (reference = '#' and %rootResource != %resource)`).
  'ref-1': (n, resource, root) => {
    if (!isObj(n) || typeof n.reference !== 'string' || !n.reference.startsWith('#')) return true;
    if (n.reference === '#' && resource !== root) return true;
    const id = n.reference.slice(1);
    return asArray(root.contained).some((c) => isObj(c) && c.id === id);
  },
  // Bundle: total.empty() or (type = 'searchset') or (type = 'history')
  'bdl-1': (n) => isObj(n) && (!has(n, 'total') || n.type === 'searchset' || n.type === 'history'),
  // entry.search.empty() or (type = 'searchset')
  'bdl-2': (n) => isObj(n) && (n.type === 'searchset' || asArray(n.entry).every((e) => !isObj(e) || !has(e, 'search'))),
  // entry.all(request.exists() = (%resource.type = 'batch' or 'transaction' or 'history'))
  'bdl-3': (n) => isObj(n) && asArray(n.entry).every((e) => !isObj(e) || has(e, 'request') === ['batch', 'transaction', 'history'].includes(String(n.type))),
  // entry.all(response.exists() = (%resource.type = 'batch-response' or 'transaction-response' or 'history'))
  'bdl-4': (n) => isObj(n) && asArray(n.entry).every((e) => !isObj(e) || has(e, 'response') === ['batch-response', 'transaction-response', 'history'].includes(String(n.type))),
  // Bundle.entry: resource.exists() or request.exists() or response.exists()
  'bdl-5': (n) => isObj(n) && (has(n, 'resource') || has(n, 'request') || has(n, 'response')),
  // (type = 'history') or entry.where(fullUrl.exists()).select(fullUrl&resource.meta.versionId).isDistinct()
  'bdl-7': (n) => {
    if (!isObj(n) || n.type === 'history') return true;
    const keys = asArray(n.entry).filter((e): e is Json => isObj(e) && typeof e.fullUrl === 'string')
      .map((e) => `${String(e.fullUrl)}${isObj(e.resource) && isObj(e.resource.meta) ? String(e.resource.meta.versionId ?? '') : ''}`);
    return new Set(keys).size === keys.length;
  },
  // Bundle.entry: fullUrl.exists() implies fullUrl.contains('/_history/').not()
  'bdl-8': (n) => !isObj(n) || typeof n.fullUrl !== 'string' || !n.fullUrl.includes('/_history/'),
  // (type = 'document') implies (identifier.system.exists() and identifier.value.exists())
  'bdl-9': (n) => !isObj(n) || n.type !== 'document' || (isObj(n.identifier) && has(n.identifier, 'system') && has(n.identifier, 'value')),
  // type = 'document' implies (timestamp.hasValue())
  'bdl-10': (n) => !isObj(n) || n.type !== 'document' || typeof n.timestamp === 'string',
  // type = 'document' implies entry.first().resource.is(Composition)
  'bdl-11': (n) => !isObj(n) || n.type !== 'document' || firstEntryType(n) === 'Composition',
  // type = 'message' implies entry.first().resource.is(MessageHeader)
  'bdl-12': (n) => !isObj(n) || n.type !== 'message' || firstEntryType(n) === 'MessageHeader',
  // ContactPoint: value.empty() or system.exists()
  'cpt-2': (n) => !isObj(n) || !has(n, 'value') || has(n, 'system'),
  // CarePlan.activity: detail.empty() or reference.empty()
  'cpl-3': (n) => !isObj(n) || !has(n, 'detail') || !has(n, 'reference'),
  // Condition: abatement.empty() or clinicalStatus.coding.where(system = condition-clinical and code in resolved|remission|inactive).exists()
  'con-4': (n) => !isObj(n) || !hasValueX(n, 'abatement') || codings(n.clinicalStatus).some((c) => c.system === CONDITION_CLINICAL && ['resolved', 'remission', 'inactive'].includes(String(c.code))),
  // Condition: verificationStatus.coding.where(system = condition-ver-status and code = 'entered-in-error').empty() or clinicalStatus.empty()
  'con-5': (n) => !isObj(n) || !has(n, 'clinicalStatus') || !codings(n.verificationStatus).some((c) => c.system === CONDITION_VER_STATUS && c.code === 'entered-in-error'),
  // Narrative.div: htmlChecks() — the XHTML must be a <div> in the XHTML namespace (narrative.html#xhtml)
  // and only the elements and attributes narrative.html#xhtml allows (xhtml.ts)
  'txt-1': (n) => typeof n === 'string' && /^<div[^>]*xmlns=["']http:\/\/www\.w3\.org\/1999\/xhtml["']/.test(n.trim()) && xhtmlProblem(n) === undefined,
  'txt-2': (n) => typeof n === 'string' && n.replace(/<[^>]*>/g, '').trim().length > 0 || (typeof n === 'string' && /<img/.test(n)),
};

/** ele-1 and dom-3 are enforced structurally by the walker (walk.ts), so they are never evaluated here. */
export const STRUCTURAL = new Set(['ele-1', 'dom-3', 'dom-6']);

export function nativeInvariant(key: string): InvariantCheck | undefined {
  return NATIVE[key];
}

export const NATIVE_KEYS: readonly string[] = Object.keys(NATIVE);

export { simpleExpression };

interface FhirPathModule {
  compile(
    expr: { base: string; expression: string } | string,
    model: unknown,
    options?: { traceFn?: (value: unknown, label: string) => void },
  ): (resource: unknown, env?: Record<string, unknown>) => unknown[];
}

/**
 * FHIRPath `trace()` prints to stdout by default, which would corrupt `validate --format json`
 * and the JSON logs: profiles may use it, and it must stay silent (fhirpath ≥ 5 `traceFn`).
 */
export const SILENT_FHIRPATH = { traceFn: (): void => undefined };

let fhirpath: { module: FhirPathModule; model: unknown } | undefined;
const compiled = new Map<string, InvariantCheck>();

function loadFhirPath(): { module: FhirPathModule; model: unknown } {
  if (!fhirpath) {
    const req = createRequire(__filename);
    fhirpath = { module: req('fhirpath') as FhirPathModule, model: req('fhirpath/fhir-context/r4') };
  }
  return fhirpath;
}

/** Why a FHIRPath expression does not compile (fhirpath.js), or undefined when it does. */
export function fhirPathCompileError(expression: string): string | undefined {
  const { module, model } = loadFhirPath();
  try {
    module.compile(expression, model, SILENT_FHIRPATH);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const MATCHES = /^matches\('((?:[^'\\]|\\.)*)'\)$/;

/**
 * `matches('regex')` on a string element (profiles use it for identifier formats, e.g. ilp-nik-1)
 * compiled to a RegExp: FHIRPath's matches() is a regular-expression test of the string
 * (fhirpath.html#functions, matches); a non-string has no value to match and fails.
 */
function simpleExpression(expression: string | undefined): InvariantCheck | undefined {
  const m = expression === undefined ? null : MATCHES.exec(expression.trim());
  if (!m || m[1] === undefined) return undefined;
  const re = new RegExp(m[1].replace(/\\'/g, "'"), 'su');
  return (node) => typeof node === 'string' && re.test(node);
}

/**
 * R4 invariants whose published expression contradicts their own human text, corrected as the
 * reference validator runs them (its R4 technical corrections): que-12's text says "more than one
 * enableWhen" but R4's expression tests `> 2` (fixed in R4B/R5 to `> 1`); eld-19 ("Element names
 * cannot include some special characters") is a pattern for the whole path, which the reference
 * validator's matches() applies to the whole string, while fhirpath.js finds it anywhere in the path
 * (so `Observation...unit` would pass): it is anchored.
 */
const CORRECTED: Readonly<Record<string, (expression: string) => string | undefined>> = {
  'que-12': (e) => (e === 'enableWhen.count() > 2 implies enableBehavior.exists()' ? 'enableWhen.count() > 1 implies enableBehavior.exists()' : undefined),
  // Also without the escapes `\'` and `\:` in the regular expression, which JavaScript's unicode mode refuses.
  'eld-19': (e) => (e.startsWith("path.matches('") && !e.startsWith("path.matches('^") && e.endsWith("')")
    ? `path.matches('^(${e.slice(14, -2).split("\\\\\\'").join("\\'").split('\\\\:').join(':')})$')` : undefined),
};

/** A check for `constraint` on elements at `basePath` (the FHIRPath type context), compiled once. */
export function invariantCheck(original: Constraint, basePath: string): InvariantCheck {
  const fixed = original.expression === undefined ? undefined : CORRECTED[original.key]?.(original.expression);
  const constraint = fixed ? { ...original, expression: fixed } : original;
  const native = NATIVE[constraint.key] ?? simpleExpression(constraint.expression);
  if (native) return native;
  const key = `${basePath}\u0000${constraint.expression ?? ''}`;
  const hit = compiled.get(key);
  if (hit) return hit;
  const { module, model } = loadFhirPath();
  let check: InvariantCheck;
  try {
    const fn = module.compile({ base: basePath, expression: constraint.expression ?? 'true' }, model, SILENT_FHIRPATH);
    check = (node, resource, root) => {
      try {
        const result = fn(node, { resource, rootResource: root });
        return result.length === 1 && result[0] === true;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    };
  } catch (err) {
    const reason = `FHIRPath does not compile: ${err instanceof Error ? err.message : String(err)}`;
    check = () => reason;
  }
  compiled.set(key, check);
  return check;
}
