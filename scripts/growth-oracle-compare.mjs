#!/usr/bin/env node
// Compares the built growth engine (dist/growth) with a who-oracle.tsv written by
// test/fixtures/growth/who-oracle.R (WHO's anthro/anthroplus): prints how many z-scores were compared,
// how many are identical, the largest difference, and any index present on one side only or flagged
// differently. Exits 1 on any disagreement beyond 0.01. Usage: see scripts/growth-oracle-random.R.
import console from 'node:console';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
const { growthZScores } = require('../dist/growth/index.js');
const INDICES = ['weightForAge', 'heightForAge', 'weightForHeight', 'bmiForAge', 'headCircumferenceForAge', 'muacForAge'];

const [header, ...lines] = readFileSync(process.argv[2], 'utf8').trimEnd().split('\n');
const columns = header.split('\t');
const stats = { rows: lines.length, compared: 0, identical: 0, within001: 0, presenceMismatch: 0, flagMismatch: 0, maxDifference: 0 };
const examples = [];
for (const line of lines) {
  const cells = line.split('\t');
  const cell = (name) => cells[columns.indexOf(name)] ?? '';
  const num = (name) => (cell(name) === '' ? undefined : Number(cell(name)));
  const input = {
    sex: cell('sex'), ageDays: Number(cell('ageDays')), weightKg: num('weightKg'), lengthOrHeightCm: num('lengthOrHeightCm'),
    measured: cell('measured') || undefined, headCircumferenceCm: num('headCircumferenceCm'), muacCm: num('muacCm'), oedema: cell('oedema') === 'yes',
  };
  const result = growthZScores(input);
  for (const index of INDICES) {
    const want = num(index);
    const got = result[index];
    if ((want === undefined) !== (got === undefined)) {
      stats.presenceMismatch++;
      if (examples.length < 10) examples.push({ id: cell('id'), index, want, got });
      continue;
    }
    if (want === undefined) continue;
    stats.compared++;
    const difference = Math.abs(got.z - want);
    stats.maxDifference = Math.max(stats.maxDifference, difference);
    if (difference === 0) stats.identical++;
    if (difference <= 0.01 + 1e-9) stats.within001++;
    else if (examples.length < 10) examples.push({ id: cell('id'), index, want, got });
    if (got.flagged !== (cell(`${index}Flag`) === '1')) stats.flagMismatch++;
  }
}
console.log(stats);
for (const example of examples) console.log(JSON.stringify(example));
const agrees = stats.within001 === stats.compared && stats.presenceMismatch === 0 && stats.flagMismatch === 0;
process.exit(agrees ? 0 : 1);
