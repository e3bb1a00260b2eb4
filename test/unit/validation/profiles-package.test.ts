import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogue } from '../../../src/catalog';
import { catalogueCodeSystems } from '../../../src/catalog/artifacts';
import { hasErrors } from '../../../src/kernel';
import { fullBaseSource } from '../../../src/validation/ilp/full-base';
import { createIlpValidator } from '../../../src/validation/ilp/ilp-validator';
import { buildPackage } from '../../../src/validation/ilp/package';

/**
 * profiles/ is a FHIR NPM package generated from the catalogue and src/validation/ilp/
 * (scripts/gen-validation-profiles.mjs). It must be up to date, shaped as the package
 * specification asks, and its examples must conform to it.
 */
const DIR = join(__dirname, '..', '..', '..', 'profiles');
type Json = Record<string, unknown>;
const read = (name: string): Json => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Json;
const catalogue = loadCatalogue();
const files = buildPackage(catalogue, fullBaseSource(), Object.values(catalogueCodeSystems(catalogue)) as unknown as Json[]);

test('every generated file is on disk, unchanged (run node scripts/gen-validation-profiles.mjs)', () => {
  const stale = Object.entries(files).filter(([name, json]) => !existsSync(join(DIR, name)) || readFileSync(join(DIR, name), 'utf8') !== `${JSON.stringify(json, null, 2)}\n`);
  expect(stale.map(([name]) => name)).toEqual([]);
});

test('package.json declares a FHIR IG package for R4 depending on hl7.fhir.r4.core 4.0.1', () => {
  expect(read('package.json')).toMatchObject({ name: 'ilp-gateway.fhir', version: expect.stringMatching(/^\d+\.\d+\.\d+$/), fhirVersions: ['4.0.1'], type: 'fhir.ig', dependencies: { 'hl7.fhir.r4.core': '4.0.1' } });
});

test('.index.json lists every conformance resource in the folder with its url', () => {
  const index = read('.index.json') as { 'index-version': number; files: { filename: string; url: string; resourceType: string }[] };
  expect(index['index-version']).toBe(1);
  const onDisk = readdirSync(DIR).filter((f) => /^(StructureDefinition|ValueSet|CodeSystem|ImplementationGuide)-.*\.json$/.test(f)).sort();
  expect(index.files.map((f) => f.filename).sort()).toEqual(onDisk);
  for (const f of index.files) expect(read(f.filename)).toMatchObject({ resourceType: f.resourceType, url: f.url });
});

test('every StructureDefinition has a differential and a snapshot rooted at its type', () => {
  for (const name of readdirSync(DIR).filter((f) => f.startsWith('StructureDefinition-'))) {
    const sd = read(name) as { type: string; snapshot?: { element: { path: string }[] }; differential?: { element: unknown[] } };
    expect({ name, root: sd.snapshot?.element[0]?.path, diff: (sd.differential?.element.length ?? 0) > 0 }).toEqual({ name, root: sd.type, diff: true });
  }
});

test('the ImplementationGuide names every resource of the package', () => {
  const ig = read('ImplementationGuide-ilp-gateway.json') as { definition: { resource: { reference: { reference: string } }[] } };
  const refs = ig.definition.resource.map((r) => r.reference.reference).sort();
  const expected = readdirSync(DIR).filter((f) => /^(StructureDefinition|ValueSet|CodeSystem)-/.test(f)).map((f) => { const j = read(f); return `${String(j.resourceType)}/${String(j.id)}`; }).sort();
  expect(refs).toEqual(expected);
});

test('there is an item profile for every catalogue item', () => {
  for (const item of catalogue.items.values()) expect(existsSync(join(DIR, `StructureDefinition-ilp-obs-${item.code}.json`))).toBe(true);
});

test('every example in profiles/examples conforms to the ILP profiles', () => {
  const validator = createIlpValidator();
  const examples = readdirSync(join(DIR, 'examples'));
  expect(examples.length).toBeGreaterThan(5);
  for (const f of examples) {
    const issues = validator.validate(JSON.parse(readFileSync(join(DIR, 'examples', f), 'utf8')));
    expect({ f, errors: issues.filter((i) => i.severity === 'error').map((i) => `${i.expression ?? ''} ${i.message.en}`) }).toEqual({ f, errors: [] });
    expect(hasErrors(issues)).toBe(false);
  }
});
