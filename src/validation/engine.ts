import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Issue, issue } from '../kernel';
import { checkBundleRules } from './bundle-rules';
import { checkConformanceRules } from './conformance-rules';
import { isObj, type Json, type ValidationPolicy, type WalkContext } from './context';
import { vitalSignProfile } from './data/vital-signs';
import type { ConformanceResource } from './model';
import { Registry, baseUrl } from './registry';
import { Terminology } from './terminology';
import { walkElement } from './walk';

/**
 * The profile validator: a resource (and every entry of a Bundle, every contained resource) against
 * the R4 base definition of its type and the profiles that apply: an explicit one (`--profile`,
 * $validate's `profile`), those in meta.profile, and those a `defaultProfiles` rule picks (the ILP
 * profiles by resource type and Observation.code). Profiles are compiled once and cached; one
 * Validator is built per process and shared.
 */

export interface ValidateOptions {
  /** Canonical URLs the top-level resource must conform to. */
  profiles?: readonly string[];
  /**
   * false: only the base definition, meta.profile and `profiles` apply (what the HL7 validator does:
   * `validate --ig r4`, `$validate?mode=r4`); the validator's `defaultProfiles` rule is skipped.
   * Default true.
   */
  defaultProfiles?: boolean;
  /** An extension whose definition is unknown: 'warning' (default) or 'error' (the HL7 validator's default). */
  unknownExtensions?: 'warning' | 'error';
  /** Option-driven checks, as the HL7 validator's options (context.ts ValidationPolicy). */
  policy?: ValidationPolicy;
  /**
   * true: the caller built the value and knows it nests far less than MAX_DEPTH, so the up-front
   * depth pass is skipped (a tenth of validating the intake's own mapped Bundle, whose shape the
   * mapping fixes whatever the payload holds). Never for a value a client sent.
   */
  depthBounded?: boolean;
}

export interface ValidatorOptions {
  /** Profiles applied to every resource (top-level or nested) besides meta.profile. */
  defaultProfiles?: (resource: Json) => readonly string[];
}

export interface Validator {
  validate(resource: unknown, options?: ValidateOptions): Issue[];
  /** Adds StructureDefinitions, ValueSets and CodeSystems (e.g. a tester's profiles). */
  load(resources: readonly ConformanceResource[]): void;
  readonly registry: Registry;
}

const CONFORMANCE_TYPES = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem']);

export function isConformanceResource(v: unknown): v is ConformanceResource {
  return isObj(v) && typeof v.resourceType === 'string' && CONFORMANCE_TYPES.has(v.resourceType) && typeof v.url === 'string';
}

/** Conformance resources of a FHIR package folder or file (not its examples/), e.g. profiles/. */
export function readConformanceResources(path: string): ConformanceResource[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.')).map((f) => join(path, f))
    : [path];
  const out: ConformanceResource[] = [];
  for (const file of files) {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const list = isObj(json) && json.resourceType === 'Bundle' && Array.isArray(json.entry)
      ? json.entry.map((e) => (isObj(e) ? e.resource : undefined))
      : [json];
    out.push(...list.filter(isConformanceResource));
  }
  return out;
}

export function createValidator(options: ValidatorOptions = {}): Validator {
  const registry = new Registry();
  const terminology = new Terminology(registry);

  /** Drops a profile when another applicable one derives from it (its snapshot already holds it). */
  function mostDerived(urls: string[]): string[] {
    const unique = [...new Set(urls)];
    return unique.filter((u) => !unique.some((other) => other !== u && registry.derivesFrom(other, u)));
  }

  function walkResource(value: unknown, path: string, parent: WalkContext, byDefault: boolean, explicit: readonly string[] = []): void {
    if (!isObj(value) || typeof value.resourceType !== 'string') {
      parent.issues.push(issue('VAL-NOT-RESOURCE', {}, path));
      return;
    }
    const type = value.resourceType;
    if (!registry.resourceTypes.has(type)) {
      parent.issues.push(issue('VAL-RESOURCE-TYPE', { type }, path));
      return;
    }
    const contained = path.endsWith('.contained') || /\.contained\[\d+\]$/.test(path);
    if (contained && parent.policy.containedResources === 'ignore') return;
    const ctx: WalkContext = { ...parent, resource: value, root: contained ? parent.root : value };
    checkPolicy(value, path, ctx);
    if (Array.isArray(value.contained) && ctx.policy.containedResources !== 'ignore') checkContainedReferenced(value, value.contained, path, ctx);
    if (type === 'Parameters' && ctx.policy.resolveParameterReferences) ctx.parameterResources = parameterResourcesOf(value);
    if (type === 'Bundle') {
      ctx.fullUrls = fullUrlsOf(value);
      checkBundleRules(value, path, ctx);
    } else if (type === 'CodeSystem' || type === 'ValueSet' || type === 'StructureDefinition' || type === 'CapabilityStatement' || type === 'SearchParameter') {
      checkConformanceRules(value, path, ctx);
    }
    const meta = isObj(value.meta) && Array.isArray(value.meta.profile) ? value.meta.profile.filter((p): p is string => typeof p === 'string') : [];
    const requested = [...explicit, ...meta, ...(byDefault ? options.defaultProfiles?.(value) ?? [] : [])];
    if (type === 'Observation' && ctx.policy.vitalSigns) {
      const vital = vitalSignProfile(value.code);
      if (vital && registry.structure(vital.profile)) {
        parent.issues.push(issue('VAL-VITAL-SIGNS', { system: vital.system, code: vital.code, profile: vital.profile }, path));
        requested.push(vital.profile);
      }
    }
    const known = requested.filter((url) => {
      const { structure, error } = registry.tryCompile(url);
      if (structure) return true;
      parent.issues.push(error ? issue('VAL-PROFILE-INVALID', { profile: url, reason: error }, path) : issue('VAL-PROFILE-UNKNOWN', { profile: url }, path));
      return false;
    });
    for (const url of mostDerived([baseUrl(type), ...known])) {
      const sd = registry.compile(url);
      if (!sd) continue;
      if (sd.type !== type) {
        parent.issues.push(issue('VAL-PROFILE-TYPE', { profile: url, expected: sd.type, actual: type }, path));
        continue;
      }
      walkElement(value, sd.root, type, path, { ...ctx, profile: url });
    }
  }

  return {
    registry,
    load(resources) {
      resources.forEach((r) => registry.add(r));
    },
    validate(resource, opts = {}) {
      if (!opts.depthBounded && nestedDeeperThan(resource, MAX_DEPTH)) return [tooDeep()];
      const issues: Issue[] = [];
      const root = isObj(resource) ? resource : {};
      const type = isObj(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
      const byDefault = opts.defaultProfiles !== false;
      const ctx: WalkContext = {
        registry, terminology, issues, resource: root, root, fullUrls: new Map(), profile: '', unknownExtensions: opts.unknownExtensions ?? 'warning',
        policy: opts.policy ?? {},
        walkResource: (v, p, c) => walkResource(v, p, c, byDefault),
      };
      walkResource(resource, type, ctx, byDefault, opts.profiles ?? []);
      return dedupe(issues);
    },
  };
}

/** The checks a ValidationPolicy option switches on for a whole resource (experimental content, publication). */
function checkPolicy(value: Json, path: string, ctx: WalkContext): void {
  if (ctx.policy.experimentalContent === false && value.experimental === true) ctx.issues.push(issue('VAL-EXPERIMENTAL', {}, path));
  if (ctx.policy.forPublication && typeof value.url === 'string' && /^https?:\/\/hl7\.org\/fhir\//.test(value.url)) {
    const wg = Array.isArray(value.extension)
      && value.extension.some((e) => isObj(e) && e.url === 'http://hl7.org/fhir/StructureDefinition/structuredefinition-wg');
    if (!wg) ctx.issues.push(issue('VAL-PUBLICATION-WG', {}, path));
  }
}

/**
 * dom-3 (R4 DomainResource): a contained resource is referenced from elsewhere in its container
 * (`#id` in a reference, canonical, uri or url anywhere in it, the contained resources included), or
 * refers to the container itself (`#`). Native: fhirpath.js takes seconds on descendants() of a
 * large resource.
 */
function checkContainedReferenced(container: Json, contained: unknown[], path: string, ctx: WalkContext): void {
  const local = new Set<string>();
  collectLocalRefs(container, local);
  contained.forEach((c, i) => {
    if (!isObj(c) || typeof c.id !== 'string' || local.has(`#${c.id}`)) return;
    const toContainer = new Set<string>();
    collectLocalRefs(c, toContainer);
    if (!toContainer.has('#')) ctx.issues.push(issue('VAL-CONTAINED-UNREFERENCED', { id: c.id }, `${path}.contained[${i}]`));
  });
}

/** Every string value starting with `#` (local references and fragment canonicals), not looking into narrative. */
function collectLocalRefs(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) === 35 /* # */) out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectLocalRefs(v, out);
  } else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) if (k !== 'div') collectLocalRefs(v, out);
  }
}

/** `Type/id` of every resource in a Parameters (parameter.resource, at any depth of parameter.part). */
function parameterResourcesOf(parameters: Json): Set<string> {
  const out = new Set<string>();
  const visit = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const p of list) {
      if (!isObj(p)) continue;
      const r = p.resource;
      if (isObj(r) && typeof r.resourceType === 'string' && typeof r.id === 'string') out.add(`${r.resourceType}/${r.id}`);
      visit(p.part);
    }
  };
  visit(parameters.parameter);
  return out;
}

/**
 * JSON nesting the validator walks (recursively). Real resources nest a few dozen levels at most
 * (a Bundle, its resources, extensions, Questionnaire items); a pathologically nested file would
 * overflow the stack, so it is refused up front with a fatal issue. The check looks at the whole
 * value (unknown elements too, which the walk skips), so it stays a pass of its own; it recurses at
 * most MAX_DEPTH + 1 levels and allocates nothing (it used to keep an explicit stack of pairs).
 */
export const MAX_DEPTH = 256;

/** True when `value` nests objects and arrays more than `limit` levels deep (`{}` is one level). */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (isNested(v) && nestedDeeperThan(v, limit - 1)) return true;
    return false;
  }
  // for…in, not Object.values (an array per object) nor an own-property test per key (as slow as
  // the old explicit stack): the value is parsed JSON, whose objects inherit no enumerable properties.
  for (const key in value) {
    const v = (value as Json)[key];
    if (isNested(v) && nestedDeeperThan(v, limit - 1)) return true;
  }
  return false;
}

const isNested = (v: unknown): v is object => typeof v === 'object' && v !== null;

function tooDeep(): Issue {
  return issue('VAL-TOO-DEEP', { limit: MAX_DEPTH });
}

function fullUrlsOf(bundle: Json): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Array.isArray(bundle.entry) ? bundle.entry : []) {
    if (isObj(e) && typeof e.fullUrl === 'string' && isObj(e.resource) && typeof e.resource.resourceType === 'string') {
      out.set(e.fullUrl, e.resource.resourceType);
    }
  }
  return out;
}

/** Two profiles of one resource share the base rules; each problem is reported once. */
function dedupe(issues: Issue[]): Issue[] {
  if (issues.length < 2) return issues;
  // A few issues (the usual case) are compared field by field: building and hashing a key of the
  // whole message per issue cost more than the comparisons.
  if (issues.length <= 16) return issues.filter((issue, i) => !seenBefore(issues, i, issue));
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.severity}\u0000${i.expression ?? ''}\u0000${i.errorCode ?? ''}\u0000${i.message.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sameIssue(a: Issue, b: Issue): boolean {
  return a.severity === b.severity && (a.expression ?? '') === (b.expression ?? '') && (a.errorCode ?? '') === (b.errorCode ?? '') && a.message.en === b.message.en;
}

function seenBefore(issues: readonly Issue[], end: number, issue: Issue): boolean {
  for (let j = 0; j < end; j++) if (sameIssue(issues[j] as Issue, issue)) return true;
  return false;
}
