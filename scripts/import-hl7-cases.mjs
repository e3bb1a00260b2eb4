#!/usr/bin/env node
// One-off importer (not part of the build or the tests): copies the self-contained R4 JSON cases of
// HL7's fhir-test-cases (https://github.com/FHIR/fhir-test-cases, validator/) into
// test/conformance/hl7-cases/, with the Java reference validator's recorded outcome of each.
//
//   node scripts/import-hl7-cases.mjs <git-dir of a fhir-test-cases clone> [commit]
//
// Selection rule (documented in test/conformance/hl7-cases/README.md and docs/validation.md):
//  1. `version` is 4.0 or 4.0.1 (R4) and `file` ends in .json;
//  2. the case has an expectation for the Java validator (`java`: an outcome file that exists, or
//     { errorCount }), and `use-test` is not false;
//  3. it needs nothing beyond the file itself: no `supporting`, `supporting5`, `profiles`,
//     `profile` (a second validation step against a profile file), `packages`, `package-map`,
//     `logical`, `fetcher` (answers for references) or `bundle-param`;
//  4. it is not in the `matchetype` module (those test a comparison tool, not validation).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [gitDir, commitArg] = process.argv.slice(2);
if (!gitDir) {
  process.stderr.write('usage: node scripts/import-hl7-cases.mjs <git-dir> [commit]\n');
  process.exit(2);
}
const git = (...args) => execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const commit = (commitArg ?? git('rev-parse', 'HEAD')).trim();
const show = (path) => git('show', `${commit}:${path}`);
const files = new Set(git('ls-tree', '-r', '--name-only', '-z', commit, 'validator').split('\0'));

const NEEDS_MORE = ['supporting', 'supporting5', 'profiles', 'profile', 'packages', 'package-map', 'logical', 'fetcher', 'bundle-param'];
const manifest = JSON.parse(show('validator/manifest.json'));

function outcomePath(java) {
  const p = `validator/outcomes/${java}`;
  if (files.has(p)) return p;
  // The Java test harness appends "-base" to the outcome of the base validation step.
  const base = `${p.slice(0, -'.json'.length)}-base.json`;
  return files.has(base) ? base : undefined;
}

const selected = [];
for (const t of manifest['test-cases']) {
  if (!['4.0', '4.0.1'].includes(t.version) || !t.file.endsWith('.json')) continue;
  if (t['use-test'] === false || t.module === 'matchetype' || t.java === undefined) continue;
  if (NEEDS_MORE.some((k) => k in t)) continue;
  let expected;
  if (typeof t.java === 'object') expected = { errorCount: t.java.errorCount, errors: [] };
  else {
    const p = outcomePath(t.java);
    if (!p) continue;
    const oo = JSON.parse(show(p));
    const errors = (oo.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => ({ expression: i.expression?.[0] ?? i.location?.[0] ?? '', message: i.details?.text ?? i.diagnostics ?? '' }));
    expected = { errorCount: errors.length, errors, outcome: p };
  }
  selected.push({ t, expected });
}

const outDir = join(import.meta.dirname, '..', 'test', 'conformance', 'hl7-cases');
rmSync(join(outDir, 'files'), { recursive: true, force: true });
mkdirSync(join(outDir, 'files'), { recursive: true });
const cases = selected.map(({ t, expected }) => {
  const local = t.name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.json$/, '') + '.json';
  writeFileSync(join(outDir, 'files', local), show(`validator/${t.file}`));
  const options = Object.keys(t).filter((k) => !['name', 'file', 'version', 'module', 'java', 'description', 'documentation',
    'explanation', 'tags', 'firely-sdk-current', 'firely-sdk-wip', 'brianpos', 'dotnet-brianpos'].includes(k));
  return {
    name: t.name, file: `files/${local}`, source: `validator/${t.file}`, module: t.module ?? '',
    ...(t.description ? { description: t.description } : {}),
    ...(options.length ? { options: Object.fromEntries(options.map((k) => [k, t[k]])) } : {}),
    expected: { valid: expected.errorCount === 0, errorCount: expected.errorCount, errors: expected.errors, ...(expected.outcome ? { outcome: expected.outcome } : {}) },
  };
});
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ source: 'https://github.com/FHIR/fhir-test-cases', commit, cases }, null, 1)}\n`);
process.stdout.write(`${cases.length} cases from ${commit}\n`);
