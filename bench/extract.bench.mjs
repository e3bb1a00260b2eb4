// The search-index extractor (src/fhir/search-values.ts indexRows) over the golden visits' resources:
// the compiled accessors (src/fhir/search-accessors.ts, fhirpath.js only where they decline) against every
// expression evaluated by fhirpath.js (indexRowsFhirPath, what indexRows did before), in the same process
// on the same inputs, interleaved rounds of about 0.3 s each, best of 5. Prints os.loadavg() with the figures.
import console from 'node:console';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const { indexRows, indexRowsFhirPath } = require(join(ROOT, 'dist', 'fhir', 'search-values.js'));
const { searchParamsOf } = require(join(ROOT, 'dist', 'fhir', 'search-parameters.js'));
const { compileAccessor } = require(join(ROOT, 'dist', 'fhir', 'search-accessors.js'));

const dir = join(ROOT, 'test', 'fixtures', 'golden');
const visits = readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).bundle.entry.map((e) => e.resource));
const resources = visits.flat();

const same = resources.every((r) => {
  const norm = (rows) => JSON.stringify(Object.values(rows).map((l) => l.map((x) => JSON.stringify(x)).sort()));
  return norm(indexRows(r)) === norm(indexRowsFhirPath(r));
});
if (!same) throw new Error('indexRows differs from indexRowsFhirPath on the golden resources');

// How often a compiled accessor declines on these resources (then fhirpath.js answers).
let asked = 0;
let declined = 0;
for (const r of resources) for (const p of searchParamsOf(r.resourceType)) {
  if (p.source !== 'fhirpath' || !p.storage.written || !p.compiled) continue;
  asked++;
  if (compileAccessor(p.expression)(r) === undefined) declined++;
}

function rate(fn, ms) {
  const end = performance.now() + ms;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() < end) {
    for (const visit of visits) for (const r of visit) fn(r);
    n += visits.length;
  }
  return n / ((performance.now() - t0) / 1000);
}

rate(indexRows, 500);
rate(indexRowsFhirPath, 500);
const best = { compiled: 0, fhirpath: 0 };
for (let round = 0; round < 5; round++) {
  best.compiled = Math.max(best.compiled, rate(indexRows, 300));
  best.fhirpath = Math.max(best.fhirpath, rate(indexRowsFhirPath, 300));
}
const la = loadavg().map((x) => x.toFixed(2)).join(' ');
const us = (perSecond) => (1e6 / perSecond).toFixed(0);
console.log(`extract: ${visits.length} golden visits, ${resources.length} resources; accessor declined ${declined} of ${asked} evaluations (fhirpath.js answered)`);
console.log(`extract: indexRows compiled  ${best.compiled.toFixed(0)} visits/s (${us(best.compiled)} µs/visit)  loadavg ${la}`);
console.log(`extract: indexRows fhirpath  ${best.fhirpath.toFixed(0)} visits/s (${us(best.fhirpath)} µs/visit)  loadavg ${la}`);
console.log(`extract: ratio compiled / fhirpath.js = ${(best.compiled / best.fhirpath).toFixed(1)}x  (same process, interleaved, best of 5)`);
