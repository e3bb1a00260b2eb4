// Every issue the validator of a build reports on a fixed corpus, in both modes, one JSON line per
// input: to check that a change to the validator (src/validation/) changes no verdict, run it on
// the build before and after and compare the files (`cmp`). Not a benchmark (npm run bench skips
// it: the name does not end in .bench.mjs). Usage:
//   node bench/validation-verdicts.mjs [ROOT] OUT.jsonl    (ROOT: a checkout with dist/ built; default this one)
// Corpus: the HL7 case files (test/conformance/hl7-cases), the golden bundles and each of their
// resources, mutations of one resource of each shape (every value replaced by each of WRONG or
// removed, an unknown element, a contained resource) and values nested around the depth limit.
import console from 'node:console';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');
const [root, out] = process.argv.length > 3 ? [resolve(process.argv[2]), process.argv[3]] : [HERE, process.argv[2]];
if (!out) {
  console.error('usage: node bench/validation-verdicts.mjs [ROOT] OUT.jsonl');
  process.exit(2);
}
const require = createRequire(join(root, 'package.json'));
const validator = require(join(root, 'dist', 'validation', 'ilp', 'ilp-validator.js')).createIlpValidator();
const { modeOptions } = require(join(root, 'dist', 'validation', 'modes.js'));

const corpus = [];
const hl7 = join(HERE, 'test', 'conformance', 'hl7-cases', 'files');
for (const f of readdirSync(hl7).sort()) {
  try {
    corpus.push([f, JSON.parse(readFileSync(join(hl7, f), 'utf8'))]);
  } catch {
    // Not JSON (the cases of JSON syntax errors): the validator never sees those.
  }
}
const golden = join(HERE, 'test', 'fixtures', 'golden');
const resources = [];
for (const f of readdirSync(golden).sort()) {
  const json = JSON.parse(readFileSync(join(golden, f), 'utf8'));
  const bundle = json.bundle ?? json;
  corpus.push([f, bundle]);
  for (const [i, e] of (bundle.entry ?? []).entries()) {
    if (e.resource) {
      corpus.push([`${f}#${i}`, e.resource]);
      resources.push([`${f}#${i}`, e.resource]);
    }
  }
}

/** undefined: the value is removed. */
const WRONG = [undefined, 42, '', 'x y', [], {}, null, true, [{}], { id: 'a' }, 'urn:uuid:BAD', '2025-13-01'];
const pathsOf = (v, p = []) => [p, ...(v && typeof v === 'object' ? Object.keys(v).flatMap((k) => pathsOf(v[k], [...p, k])) : [])];
function withValue(v, path, x) {
  const copy = structuredClone(v);
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  const last = path[path.length - 1];
  if (x !== undefined) o[last] = x;
  else if (Array.isArray(o)) o.splice(last, 1);
  else delete o[last];
  return copy;
}
const shapes = new Set();
for (const [name, r] of resources) {
  const shape = r.resourceType + JSON.stringify(Object.keys(r));
  if (shapes.has(shape)) continue;
  shapes.add(shape);
  for (const p of pathsOf(r).slice(1)) WRONG.forEach((w, i) => corpus.push([`${name}@${p.join('.')}=${i}`, withValue(r, p, w)]));
  corpus.push([`${name}+unknown`, { ...r, bogus: 1, _status: { extension: [{ url: 'http://example.org/x', valueString: 'a' }] } }]);
  corpus.push([`${name}+contained`, { ...r, contained: [{ resourceType: 'Patient', id: 'c1' }] }]);
}
for (const d of [250, 254, 255, 256, 257, 300]) {
  let ext = { url: 'http://example.org/x', valueString: 'a' };
  for (let i = 0; i < d; i++) ext = { url: 'http://example.org/x', extension: [ext] };
  corpus.push([`deep-ext-${d}`, { resourceType: 'Basic', code: { text: 'x' }, extension: [ext] }]);
  let arr = 1;
  for (let i = 0; i < d; i++) arr = [arr];
  corpus.push([`deep-array-${d}`, { resourceType: 'Basic', code: { text: 'x' }, bogus: arr }]);
  let obj = {};
  for (let i = 0; i < d; i++) obj = { x: obj };
  corpus.push([`deep-object-${d}`, { resourceType: 'Basic', code: { text: 'x' }, bogus: obj }]);
  corpus.push([`deep-toplevel-${d}`, obj]);
}

const lines = [];
for (const mode of ['ilp', 'r4']) {
  for (const [name, r] of corpus) {
    let result;
    try {
      result = validator.validate(r, modeOptions(mode));
    } catch (err) {
      result = `THROW ${err instanceof Error ? err.message : String(err)}`;
    }
    lines.push(JSON.stringify([mode, name, result]));
  }
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${corpus.length} inputs, ${lines.length} lines written to ${out}`);
