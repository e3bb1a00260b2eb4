#!/usr/bin/env node
// `npm run build` (also run by npm's `prepare` on `npm ci`):
//   1. generated/fhir-r4-definitions.json (the profile validator's R4 base), only when missing or
//      older than its inputs (it takes seconds);
//   2. tsc -p tsconfig.json, skipped when no source changed since the last successful compile, else
//      incremental (build info in dist/, so deleting dist/ forces a full build; so does --force);
//   3. remove dist/ files whose source is gone (tsc never deletes, and a stale module still loads);
//   4. copy non-TypeScript runtime assets (ASSETS);
//   5. make dist/cli.js executable (package.json "bin").
// Prints what each step took; exits non-zero on the first failure.

import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(ROOT, ...p);
const DIST = at('dist');
const TSC = at('node_modules', 'typescript', 'bin', 'tsc');
/** `node scripts/build.mjs --force` regenerates and recompiles everything. */
const FORCE = process.argv.includes('--force');

/**
 * Non-TypeScript files the compiled code reads at run time, copied from src/ to dist/ with the same
 * relative path, e.g. 'console/index.html'.
 */
const ASSETS = [
  // WHO LMS tables read by src/growth/tables.ts (source: src/growth/data/README.md)
  ...['acanthro', 'bfawho2007', 'bmianthro', 'hcanthro', 'hfawho2007', 'lenanthro', 'weianthro', 'wfawho2007', 'wfhanthro', 'wflanthro'].map(
    (name) => `growth/data/${name}.txt`,
  ),
  // The web console's stylesheet and script, served by src/api/console.routes.ts
  'console/assets/console.css',
  'console/assets/console.js',
];

class BuildError extends Error {}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : undefined);

const VALIDATOR_DEFINITIONS = at('generated', 'fhir-r4-definitions.json');

async function generateValidatorDefinitions() {
  const { generate, INPUTS } = await import('./gen-validator-definitions.mjs');
  const out = mtime(VALIDATOR_DEFINITIONS);
  const inputs = [at('scripts', 'gen-validator-definitions.mjs'), ...INPUTS];
  const newest = Math.max(...inputs.map((f) => mtime(f) ?? Infinity));
  if (!FORCE && out !== undefined && out >= newest) return 'up to date';
  const { bytes } = generate({ quiet: true });
  return `generated ${relative(ROOT, VALIDATOR_DEFINITIONS)} (${(bytes / 1e6).toFixed(1)} MB)`;
}

/** What tsc reads, besides node_modules: a change to any of these (or a file added to or removed from src/) recompiles. */
const TSC_INPUTS = [at('tsconfig.json'), at('package.json'), at('package-lock.json')];
/** Written after a successful compile, dated when that compile started. */
const TSC_STAMP = join(DIST, '.tsc-ok');

function changedSince(time, paths) {
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.mtimeMs > time) return true;
    if (stat.isDirectory() && changedSince(time, readdirSync(path).map((name) => join(path, name)))) return true;
  }
  return false;
}

function compileTypeScript() {
  const stamp = mtime(TSC_STAMP);
  if (!FORCE && stamp !== undefined && !changedSince(stamp, [...TSC_INPUTS, at('src')])) {
    return 'up to date';
  }
  rmSync(TSC_STAMP, { force: true });
  if (!existsSync(TSC)) {
    throw new BuildError(
      'typescript is not installed (dev dependency). Build where dev dependencies are installed; ' +
        'install production-only images with `npm ci --omit=dev --ignore-scripts` and copy dist/ and generated/.',
    );
  }
  const buildInfo = join(DIST, '.tsbuildinfo');
  if (FORCE) rmSync(buildInfo, { force: true });
  const started = new Date();
  const args = [TSC, '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', buildInfo];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new BuildError(`tsc failed (exit ${run.status ?? run.signal})`);
  // Dated when tsc started: a file saved while tsc ran is newer and recompiles next time.
  writeFileSync(TSC_STAMP, `${started.toISOString()}\n`);
  utimesSync(TSC_STAMP, started, started);
  return 'compiled';
}

function* filesUnder(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

function pruneStaleOutput() {
  const assets = new Set(ASSETS.map((a) => join(DIST, a)));
  let removed = 0;
  for (const file of filesUnder(DIST)) {
    const m = /^(.*)\.js(\.map)?$/.exec(relative(DIST, file));
    if (!m || assets.has(file) || existsSync(at('src', `${m[1]}.ts`))) continue;
    rmSync(file);
    removed++;
  }
  return removed === 0 ? 'nothing stale' : `removed ${removed} stale file(s)`;
}

function copyAssets() {
  let copied = 0;
  for (const asset of ASSETS) {
    const from = at('src', asset);
    const to = join(DIST, asset);
    if (!existsSync(from)) throw new BuildError(`asset ${asset} is listed in scripts/build.mjs but missing in src/`);
    if ((mtime(to) ?? -1) >= (mtime(from) ?? 0)) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    copied++;
  }
  return `${copied} of ${ASSETS.length} copied`;
}

function markCliExecutable() {
  const cli = join(DIST, 'cli.js');
  if (!existsSync(cli)) return 'no dist/cli.js yet';
  chmodSync(cli, 0o755);
  return 'dist/cli.js is executable';
}

const STEPS = [
  ['validator definitions', generateValidatorDefinitions],
  ['tsc', compileTypeScript],
  ['prune dist', pruneStaleOutput],
  ['assets', copyAssets],
  ['bin', markCliExecutable],
];

async function main() {
  const start = performance.now();
  for (const [name, step] of STEPS) {
    const t = performance.now();
    const result = await step();
    console.log(`[build] ${name.padEnd(22)} ${String(Math.round(performance.now() - t)).padStart(6)} ms  ${result}`);
  }
  console.log(`[build] done in ${Math.round(performance.now() - start)} ms`);
}

main().catch((err) => {
  console.error(`[build] FAILED: ${err instanceof BuildError ? err.message : (err?.stack ?? err)}`);
  process.exit(1);
});
