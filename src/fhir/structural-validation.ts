import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Issue, issue } from '../kernel';

/**
 * Structural validation against the FHIR R4 JSON schema: JSON types, known elements, required
 * elements, code enums of required bindings, primitive formats. The validator is ajv code generated
 * at build time (scripts/gen-fhir-schema-validator.mjs → generated/fhir-r4-schema.js); compiling the
 * schema here would cost seconds. Profiles, invariants and terminology are validation/'s job.
 *
 * Bundle entries and contained resources are checked against their own resourceType: the generator
 * replaces the schema's `oneOf` over every resource type with ajv's `discriminator`, so a bad entry
 * yields its own errors instead of one error per resource type.
 */

/** The subset of ajv's ErrorObject the generated code produces and we read. */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

/** generated/fhir-r4-schema.js: raw ajv validators, for callers that want ajv's errors themselves. */
export interface GeneratedModule {
  /** Any R4 resource, dispatched on resourceType. */
  validateResource: GeneratedValidator;
  /** One resource type: validatePatient, validateEncounter, validateObservation, validateCondition,
   * validateCarePlan, validateBundle, validateOperationOutcome, validateOrganization,
   * validateLocation, validatePractitioner (NAMED_TYPES in the generator). */
  readonly [validator: `validate${string}`]: GeneratedValidator | undefined;
  resourceTypes: readonly string[];
  /** pattern → FHIR primitive type names, to name the type in format errors. */
  primitivePatterns: Readonly<Record<string, readonly string[]>>;
}

/** Same relative path from src/fhir (ts-jest) and dist/fhir (compiled). */
const GENERATED_FILE = join(__dirname, '..', '..', 'generated', 'fhir-r4-schema.js');
/** allErrors can report thousands of errors for a large garbage input; the first ones are enough. */
const MAX_ISSUES = 100;

let generated: { module: GeneratedModule; types: ReadonlySet<string> } | undefined;

function isGeneratedModule(m: unknown): m is GeneratedModule {
  const o = m as Partial<GeneratedModule> | null;
  return typeof o?.validateResource === 'function' && Array.isArray(o.resourceTypes) && typeof o.primitivePatterns === 'object';
}

function requireGenerated(): unknown {
  try {
    // Node's own require (not an import): the file is generated, has no types, and under jest this
    // keeps 9 MB of code out of the per-test module registry.
    return createRequire(__filename)(GENERATED_FILE);
  } catch (err) {
    if ((err as { code?: string }).code === 'MODULE_NOT_FOUND' && String(err).includes(GENERATED_FILE)) {
      throw new Error(`The FHIR R4 schema validator ${GENERATED_FILE} is missing: run \`npm run build\` to generate it.`);
    }
    throw err;
  }
}

/** Loads the generated validator once (about 0.2 s). Call at start-up to keep that off the first request. */
export function loadStructuralValidator(): GeneratedModule {
  if (!generated) {
    const m = requireGenerated();
    if (!isGeneratedModule(m)) {
      throw new Error(`${GENERATED_FILE} is outdated or not a generated FHIR validator: run \`npm run build\`.`);
    }
    generated = { module: m, types: new Set(m.resourceTypes) };
  }
  return generated.module;
}

/** Validates any R4 resource (a Bundle's entries and contained resources included). */
export function validateStructure(resource: unknown): Issue[] {
  const { validateResource } = loadStructuralValidator();
  if (validateResource(resource)) return [];
  return toIssues(validateResource.errors ?? [], resource);
}

/** Same as validateStructure, for callers that must be given a Bundle (transactions, the intake's output). */
export function validateBundleStructure(bundle: unknown): Issue[] {
  loadStructuralValidator();
  const type = resourceTypeOf(bundle);
  if (type !== undefined && type !== 'Bundle') {
    return [issue('FHIR-STRUCTURE', { detail: `expected a Bundle, got ${type}` }, `${type}.resourceType`)];
  }
  return validateStructure(bundle);
}

function resourceTypeOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const type = (value as { resourceType?: unknown }).resourceType;
  return typeof type === 'string' && generated?.types.has(type) ? type : undefined;
}

function toIssues(errors: readonly SchemaError[], resource: unknown): Issue[] {
  const root = resourceTypeOf(resource) ?? 'Resource';
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const e of relevant(errors)) {
    const segments = pointerSegments(e.instancePath);
    const { child, detail } = describe(e, valueAt(resource, segments));
    const expression = fhirPath(root, child === undefined ? segments : [...segments, child]);
    const key = `${expression}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue('FHIR-STRUCTURE', { detail }, expression));
  }
  if (out.length <= MAX_ISSUES) return out;
  const more = out.length - MAX_ISSUES;
  return [...out.slice(0, MAX_ISSUES), issue('FHIR-STRUCTURE', { detail: `${more} further structural errors not shown` })];
}

/**
 * Drops errors that only summarise others: a missing resourceType is reported by `required` and
 * again by the discriminator; a failed oneOf/anyOf says no more than its branches' errors.
 */
function relevant(errors: readonly SchemaError[]): SchemaError[] {
  const missingType = new Set(
    errors.filter((e) => e.keyword === 'required' && e.params.missingProperty === 'resourceType').map((e) => e.instancePath),
  );
  const kept = errors.filter(
    (e) => !(e.keyword === 'discriminator' && e.params.error === 'tag' && missingType.has(e.instancePath)),
  );
  const specific = kept.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
  return specific.length > 0 ? specific : kept;
}

/** RFC 6901 JSON pointer → unescaped segments. */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `Bundle` + [entry, 0, resource] → `Bundle.entry[0].resource` (FHIRPath; odd names in backticks). */
export function fhirPath(root: string, segments: readonly string[]): string {
  let out = root;
  for (const s of segments) {
    if (/^(0|[1-9][0-9]*)$/.test(s)) out += `[${s}]`;
    else out += IDENTIFIER.test(s) ? `.${s}` : `.\`${s.replace(/[`\\]/g, (c) => `\\${c}`)}\``;
  }
  return out;
}

const shown = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

const withArticle = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function codeList(values: readonly unknown[]): string {
  const MAX = 20;
  const listed = values.slice(0, MAX).join(', ');
  return values.length > MAX ? `${listed}, ... (${values.length - MAX} more)` : listed;
}

interface Described {
  /** The element the error is about when ajv reports it on the parent (required, unknown element). */
  child?: string;
  detail: string;
}

function describe(e: SchemaError, value: unknown): Described {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return { child: String(p.missingProperty), detail: `missing required element "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { child: String(p.additionalProperty), detail: `unknown element "${String(p.additionalProperty)}"` };
    case 'type':
      return { detail: `expected ${p.type === 'object' ? 'a JSON object' : withArticle(String(p.type))}, got ${jsonType(value)} ${shown(value)}` };
    case 'enum':
      return { detail: `${shown(value)} is not one of the allowed codes: ${codeList(p.allowedValues as unknown[])}` };
    case 'const':
      return { detail: `must be ${shown(p.allowedValue)}, got ${shown(value)}` };
    case 'pattern':
      return { detail: patternDetail(e, value) };
    case 'minItems':
      return { detail: 'an empty array is not allowed; leave the element out instead' };
    case 'minProperties':
      return { detail: 'an empty object is not allowed; leave the element out instead' };
    case 'minimum':
    case 'maximum':
      return { detail: `${shown(value)} is out of range (must be ${String(p.comparison)} ${String(p.limit)})` };
    case 'discriminator':
      return p.error === 'mapping'
        ? { child: 'resourceType', detail: `unknown resource type ${shown(p.tagValue)}` }
        : { child: 'resourceType', detail: `resourceType must be a string, got ${shown(p.tagValue)}` };
    default:
      return { detail: e.message ?? e.keyword };
  }
}

function patternDetail(e: SchemaError, value: unknown): string {
  if (value === '') return 'an empty string is not allowed; leave the element out instead';
  const patterns = loadStructuralValidator().primitivePatterns;
  const fromSchemaPath = /^#\/definitions\/([A-Za-z0-9]+)\/pattern$/.exec(e.schemaPath)?.[1];
  const types = patterns[String(e.params.pattern)] ?? (fromSchemaPath ? [fromSchemaPath] : undefined);
  return types ? `${shown(value)} is not a valid FHIR ${types.join(' / ')}` : `${shown(value)} ${e.message ?? 'has the wrong format'}`;
}
