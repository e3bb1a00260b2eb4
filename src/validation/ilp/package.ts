import type { Catalogue } from '../../catalog/types';
import { ILP_BASE } from '../../fhir/canonical';
import type { StructureDefinition } from '../model';
import { type StructureSource, generateSnapshot } from '../snapshot';
import { PUBLISHER } from './builders';
import { administrativeCodeExtension, clusterExtension, lifeCycleExtension, settingExtension } from './extensions';
import { itemProfiles } from './item-profiles';
import { carePlanProfile, conditionProfile, encounterProfile, immunizationProfile, observationProfile, patientProfile } from './profiles';
import { codeSystems, valueSets } from './value-sets';

/**
 * Our FHIR package (profiles/): StructureDefinitions with differential and generated snapshot,
 * ValueSets, CodeSystems, an ImplementationGuide, package.json and .index.json as the FHIR NPM
 * package specification asks (https://confluence.hl7.org/display/FHIR/NPM+Package+Specification),
 * so `java -jar validator_cli.jar -ig profiles/` can load it.
 */

export const PACKAGE_ID = 'ilp-gateway.fhir';
export const PACKAGE_VERSION = '0.1.0';

type Json = Record<string, unknown>;

/** Every StructureDefinition of the package, differential only, in dependency order (bases first). */
export function packageStructures(cat: Catalogue): StructureDefinition[] {
  const v = cat.version;
  return [
    clusterExtension(v), lifeCycleExtension(v), settingExtension(v), administrativeCodeExtension(v),
    patientProfile(v), encounterProfile(v), observationProfile(v), conditionProfile(v), carePlanProfile(v), immunizationProfile(v),
    ...itemProfiles(cat),
  ];
}

/** A source that sees the package's own profiles (snapshotted in order) on top of the R4 base. */
function withSnapshots(structures: StructureDefinition[], base: StructureSource): StructureDefinition[] {
  const done = new Map<string, StructureDefinition>();
  const source: StructureSource = { structure: (url) => done.get(url.split('|')[0] ?? url) ?? base.structure(url) };
  for (const sd of structures) {
    const { snapshot } = generateSnapshot(sd, source);
    const full: StructureDefinition = { ...sd };
    delete full.differential;
    full.snapshot = snapshot; // snapshot before differential, as the IG publisher writes them
    full.differential = sd.differential;
    done.set(sd.url, full);
  }
  return [...done.values()];
}

function fileName(r: Json): string {
  return `${String(r.resourceType)}-${String(r.id)}.json`;
}

function implementationGuide(resources: Json[]): Json {
  return {
    resourceType: 'ImplementationGuide', id: 'ilp-gateway', url: `${ILP_BASE}/ImplementationGuide/ilp-gateway`, version: PACKAGE_VERSION,
    name: 'ILPGateway', title: 'ILP Gateway profiles (Integrasi Layanan Primer)', status: 'draft', publisher: PUBLISHER,
    packageId: PACKAGE_ID, license: 'Apache-2.0', fhirVersion: ['4.0.1'],
    dependsOn: [{ id: 'hl7_fhir_r4_core', uri: 'http://hl7.org/fhir', packageId: 'hl7.fhir.r4.core', version: '4.0.1' }],
    definition: {
      resource: resources.map((r) => ({ reference: { reference: `${String(r.resourceType)}/${String(r.id)}` }, name: String(r.title ?? r.name ?? r.id), exampleBoolean: false })),
    },
  };
}

function packageJson(): Json {
  return {
    name: PACKAGE_ID, version: PACKAGE_VERSION, canonical: ILP_BASE, url: ILP_BASE, title: 'ILP Gateway profiles',
    description: 'FHIR R4 profiles, extensions, value sets and code systems of the ILP Gateway (Indonesia\'s Integrated Primary Care).',
    fhirVersions: ['4.0.1'], type: 'fhir.ig', license: 'Apache-2.0', author: PUBLISHER,
    dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
  };
}

function indexJson(files: Record<string, Json>): Json {
  const entries = Object.entries(files).map(([filename, r]) => {
    const e: Json = { filename, resourceType: r.resourceType, id: r.id, url: r.url, version: r.version };
    if (r.resourceType === 'StructureDefinition') Object.assign(e, { kind: r.kind, type: r.type, derivation: r.derivation });
    return e;
  });
  return { 'index-version': 1, files: entries };
}

/**
 * All package files by name. `extraCodeSystems` are the catalogue's CodeSystems (src/catalog/artifacts.ts),
 * which are written by their own generator but belong to this package's index and IG.
 */
export function buildPackage(cat: Catalogue, base: StructureSource, extraCodeSystems: Json[]): Record<string, Json> {
  const resources: Json[] = [
    ...withSnapshots(packageStructures(cat), base),
    ...valueSets(cat),
    ...Object.values(codeSystems(cat)),
  ] as unknown as Json[];
  const files: Record<string, Json> = {};
  for (const r of resources) files[fileName(r)] = r;
  const indexed: Record<string, Json> = { ...files };
  for (const cs of extraCodeSystems) indexed[fileName(cs)] = cs;
  const ig = implementationGuide(Object.values(indexed));
  indexed[fileName(ig)] = ig;
  files[fileName(ig)] = ig;
  return { ...files, 'package.json': packageJson(), '.index.json': indexJson(indexed) };
}
