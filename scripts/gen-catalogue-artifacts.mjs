#!/usr/bin/env node
// Writes the artefacts generated from the screening catalogue:
//   docs/catalogue.md and profiles/CodeSystem-ilp-{screening-item,interpretation,answer,cluster,life-cycle}.json
// It runs on the compiled catalogue, so build first (`npx tsc`, or any outDir passed with --dist):
//   node scripts/gen-catalogue-artifacts.mjs [--dist <outDir>] [--check]
// --check writes nothing and exits 1 when a file is stale (for CI: regenerate and compare).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const distArg = args.indexOf('--dist');
const dist = resolve(root, distArg >= 0 ? args[distArg + 1] ?? '' : 'dist');
const check = args.includes('--check');

const catalogIndex = join(dist, 'catalog', 'index.js');
if (!existsSync(catalogIndex)) {
  console.error(`No compiled catalogue at ${catalogIndex}: run \`npx tsc\` first (or pass --dist <outDir>).`);
  process.exit(2);
}

// A build outside the repository (e.g. --dist /tmp/x) resolves its packages through NODE_PATH=node_modules.
const require = createRequire(join(root, 'package.json'));

const { loadCatalogue } = require(catalogIndex);
const { renderCatalogueMarkdown } = require(join(dist, 'catalog', 'render-docs.js'));
const { catalogueCodeSystems } = require(join(dist, 'catalog', 'artifacts.js'));

const catalogue = loadCatalogue();
const files = {
  'docs/catalogue.md': renderCatalogueMarkdown(catalogue),
  ...Object.fromEntries(
    Object.entries(catalogueCodeSystems(catalogue)).map(([name, cs]) => [`profiles/${name}`, `${JSON.stringify(cs, null, 2)}\n`]),
  ),
};

let stale = 0;
for (const [path, content] of Object.entries(files)) {
  const target = join(root, path);
  const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  stale += 1;
  if (check) {
    console.error(`stale: ${path}`);
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${path}`);
  }
}
if (check && stale > 0) {
  console.error(`${stale} generated file(s) are out of date: run node scripts/gen-catalogue-artifacts.mjs`);
  process.exit(1);
}
console.log(`catalogue ${catalogue.version}: ${catalogue.items.size} items, ${catalogue.screenings.size} screenings; ${check ? 'all files up to date' : `${stale} file(s) written`}`);
