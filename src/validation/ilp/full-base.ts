import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StructureDefinition } from '../model';
import type { StructureSource } from '../snapshot';

/**
 * The complete R4 base StructureDefinitions (with texts, mappings and `base`), for generating the
 * snapshots we publish in profiles/. The validator itself uses the compact form generated at build
 * time (scripts/gen-validator-definitions.mjs); this reads ~40 MB and is for the package generator
 * and its tests only.
 */
const R4_DIR = join(__dirname, '..', '..', '..', 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
const FILES = ['profiles-types.json', 'profiles-resources.json', 'extension-definitions.json'];

export function fullBaseSource(): StructureSource {
  const byUrl = new Map<string, StructureDefinition>();
  for (const file of FILES) {
    const bundle = JSON.parse(readFileSync(join(R4_DIR, file), 'utf8')) as { entry: { resource: StructureDefinition }[] };
    for (const { resource } of bundle.entry) {
      if (resource.resourceType === 'StructureDefinition' && resource.fhirVersion === '4.0.1') byUrl.set(resource.url, resource);
    }
  }
  return {
    structure: (url) => byUrl.get(url.split('|')[0] ?? url) ?? byUrl.get(`http://hl7.org/fhir/StructureDefinition/${url}`),
  };
}
