import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ptm, withChange, TESTER_DIR } from '../../conformance/support';

/**
 * `ilp-gateway validate` as users run it: the built CLI (dist/cli.js, made by `npm run build`,
 * which `npm test` runs first) in its own process; exit codes 0/1/2 and the three formats. Its cold
 * start is measured by bench/validation.bench.mjs, not here.
 */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'ilp-validate-'));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'validate', ...args], { cwd: dir, encoding: 'utf8' });

const good = file('good/observation.json', ptm('Observation', '8480-6'));
const bad = file('bad/observation.json', withChange(ptm('Observation', '8480-6'), 'status', 'done'));
file('good/patient.json', ptm('Patient'));
file('broken-load.json', '{ "resourceType": "StructureDefinition",');

test('one valid file: exit 0, text with a summary table', () => {
  const r = run(good);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/PASS {2}good\/observation\.json/);
  expect(r.stdout).toMatch(/│ valid {4}│ {8}1 │/);
});

test('an invalid file: exit 1, the issue with its expression', () => {
  const r = run(bad);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/FAIL {2}bad\/observation\.json/);
  expect(r.stdout).toMatch(/error\s+Observation\.status\s+The code done is not in the value set/);
});

test('--format json follows the contract [{ file, valid, outcome }]', () => {
  const r = run('--format', 'json', good, bad);
  expect(r.status).toBe(1);
  const out = JSON.parse(r.stdout) as { file: string; valid: boolean; outcome: { resourceType: string; issue: { expression?: string[] }[] } }[];
  expect(out.map((x) => [x.file, x.valid])).toEqual([['good/observation.json', true], ['bad/observation.json', false]]);
  expect(out[1]?.outcome.resourceType).toBe('OperationOutcome');
  expect(out[1]?.outcome.issue.map((i) => i.expression?.[0])).toContain('Observation.status');
});

test('--format junit: one testcase per file, failures counted', () => {
  const r = run('--format', 'junit', join(dir, 'good'), bad);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/<testsuite name="ilp-gateway validate" tests="3" failures="1"/);
  expect(r.stdout).toMatch(/<failure message="1 error\(s\)" type="invalid">error Observation.status:/);
});

test('a directory is walked for *.json files', () => {
  const r = run('--format', 'json', join(dir, 'good'));
  expect(r.status).toBe(0);
  expect((JSON.parse(r.stdout) as { file: string }[]).map((x) => x.file)).toEqual(['good/observation.json', 'good/patient.json']);
});

test('--load a tester package and --profile one of its profiles', () => {
  const panel = file('panel.json', { resourceType: 'Observation', status: 'final', code: { text: 'BP' }, component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }] });
  const r = run('--load', TESTER_DIR, '--profile', 'https://tester.example.org/fhir/StructureDefinition/bp-panel', '--format', 'json', panel);
  expect(r.status).toBe(1);
  const out = JSON.parse(r.stdout) as { outcome: { issue: { expression?: string[]; diagnostics: string }[] } }[];
  expect(out[0]?.outcome.issue).toContainEqual(expect.objectContaining({ expression: ['Observation.component'], diagnostics: expect.stringMatching(/diastolic: minimum required = 1/) }));
});

test('a file that is not JSON is invalid (fatal), exit 1', () => {
  const r = run('--format', 'json', file('broken.json', '{"resourceType":'));
  expect(r.status).toBe(1);
  expect((JSON.parse(r.stdout) as { outcome: { issue: { severity: string }[] } }[])[0]?.outcome.issue[0]?.severity).toBe('fatal');
});

test.each([
  ['no files', []],
  ['unknown option', ['--strict', 'x.json']],
  ['unknown format', ['--format', 'xml', 'x.json']],
  ['missing file', ['nope.json']],
  ['unknown profile', ['--profile', 'https://nowhere.example.org/p', 'x.json']],
  ['--load of a file that is not JSON', ['--load', 'broken-load.json', 'x.json']],
  ['a directory without .json files', ['empty-dir']],
])('usage error (%s): exit 2 and the usage text', (_name, args) => {
  file('x.json', ptm('Patient'));
  mkdirSync(join(dir, 'empty-dir'), { recursive: true });
  const r = run(...args);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/Usage: ilp-gateway validate/);
});

test('--format json stays JSON when a profile invariant calls FHIRPath trace() (trace must not print to stdout)', () => {
  const pkg = join(dir, 'trace-pkg');
  file('trace-pkg/StructureDefinition-traced-patient.json', {
    resourceType: 'StructureDefinition', id: 'traced-patient', url: 'https://tester.example.org/fhir/StructureDefinition/traced-patient',
    name: 'tracedpatient', status: 'draft', fhirVersion: '4.0.1', kind: 'resource', abstract: false, type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient', derivation: 'constraint',
    differential: { element: [{ id: 'Patient', path: 'Patient', constraint: [{ key: 'trc-1', severity: 'error', human: 'traced', expression: "gender.trace('TRACED-GENDER').exists()" }] }] },
  });
  const patient = file('traced/patient.json', { ...(ptm('Patient') as object), gender: 'female' });
  const r = run('--load', pkg, '--profile', 'https://tester.example.org/fhir/StructureDefinition/traced-patient', '--format', 'json', patient);
  expect(r.stdout).not.toContain('TRACED-GENDER');
  expect(r.status).toBe(0);
  expect((JSON.parse(r.stdout) as { valid: boolean }[])[0]?.valid).toBe(true);
});

describe('--ig, --help, --version (issue 13)', () => {
  const baseValid = file('r4/observation.json', {
    // Capillary glucose: not a vital sign (r4 holds a blood pressure to R4's bp profile, as the HL7 validator does).
    resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '41653-7' }] },
    subject: { reference: 'Patient/p1' }, valueQuantity: { value: 120, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
  });
  test('a base-valid Observation: exit 1 with --ig ilp (the default), exit 0 with --ig r4', () => {
    expect(run(baseValid).status).toBe(1);
    expect(run('--ig', 'ilp', baseValid).status).toBe(1);
    const r = run('--ig', 'r4', baseValid);
    expect(r.stdout).toMatch(/PASS {2}r4\/observation\.json/);
    expect(r.status).toBe(0);
  });
  test('--ig with an unknown mode is a usage error (exit 2)', () => {
    const r = run('--ig', 'r5', baseValid);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown --ig "r5"/);
  });
  test('--help prints the usage on stdout and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ilp-gateway validate \[--ig r4\|ilp\]/);
  });
  test('--version prints the package version and exits 0 (also at the top level)', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run('--version')).toMatchObject({ status: 0, stdout: `ilp-gateway ${version}\n` });
    expect(spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' })).toMatchObject({ status: 0, stdout: `ilp-gateway ${version}\n` });
  });
});

describe('the HL7 validator\'s options (issue 13): same meaning, same defaults', () => {
  const patient = { resourceType: 'Patient', name: [{ text: 'Standard <script>somescript</script>' }] };
  test('JSON comments: each is an error; --allow-comments accepts them', () => {
    const commented = file('options/comments.json', `// a comment\n${JSON.stringify({ resourceType: 'Patient', id: 'c1' }, null, 1).replace('"id"', '/* block */ "id"')}`);
    const strict = run('--ig', 'r4', '--format', 'json', commented);
    expect(strict.status).toBe(1);
    const [result] = JSON.parse(strict.stdout) as { outcome: { issue: { severity: string; diagnostics: string }[] } }[];
    expect(result?.outcome.issue.filter((i) => i.severity === 'error').map((i) => i.diagnostics)).toEqual(['Comments are not allowed in JSON', 'Comments are not allowed in JSON']);
    expect(run('--ig', 'r4', '--allow-comments', commented).status).toBe(0);
  });
  test('a missing comma and an extra one are each reported, not only the first; a stray close marker stays one fatal issue', () => {
    const sloppy = file('options/commas.json', '{ "resourceType": "Patient" "id": "c2", "active": true, }');
    const r = run('--ig', 'r4', '--format', 'json', sloppy);
    expect(r.status).toBe(1);
    const [result] = JSON.parse(r.stdout) as { outcome: { issue: { severity: string; diagnostics: string }[] } }[];
    expect(result?.outcome.issue.map((i) => i.diagnostics)).toEqual(['JSON syntax: a comma is missing', 'JSON syntax: there is an extra comma at the end of the object']);
    const broken = file('options/broken.json', '{ "resourceType": "Patient", "name": [ { "text": "x" ] }');
    const b = JSON.parse(run('--ig', 'r4', '--format', 'json', broken).stdout) as { outcome: { issue: { severity: string }[] } }[];
    expect(b[0]?.outcome.issue.map((i) => i.severity)).toEqual(['fatal']);
  });
  test('--security-checks: HTML in a string is an error (valid without it)', () => {
    const f = file('options/html.json', patient);
    expect(run('--ig', 'r4', f).status).toBe(0);
    const r = run('--ig', 'r4', '--security-checks', f);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Patient\.name\[0\]\.text\s+The string value contains text that looks like embedded HTML tags/);
  });
  test('--no-example-urls: an example.org URL is an error; --contained ignore skips contained resources', () => {
    const doc = file('options/example-url.json', { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { url: 'http://repository.example.org/fhir/x' } }] });
    expect(run('--ig', 'r4', doc).status).toBe(0);
    expect(run('--ig', 'r4', '--no-example-urls', doc).stdout).toMatch(/Example URLs are not allowed in this context/);
    const contained = file('options/contained.json', {
      resourceType: 'Condition', subject: { reference: 'Patient/p1' }, recorder: { reference: `#${'1'.repeat(65)}` },
      contained: [{ resourceType: 'Practitioner', id: '1'.repeat(65) }],
    });
    expect(run('--ig', 'r4', contained).status).toBe(1);
    expect(run('--ig', 'r4', '--contained', 'ignore', contained).status).toBe(0);
    expect(run('--contained', 'maybe', contained).status).toBe(2);
  });
});
