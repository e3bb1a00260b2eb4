import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type MedplumCore = typeof import('@medplum/core');

/**
 * @medplum/core, loaded after giving Node 20 the global WebSocket class it extends at load time
 * (Node 22 has one; nothing here opens a socket). With `definitions`, the R4 StructureDefinitions
 * are indexed so its validateResource can run.
 */
export function loadMedplumCore(definitions = false): MedplumCore {
  const g = globalThis as { WebSocket?: unknown };
  g.WebSocket ??= class WebSocket {};
  const core = jest.requireActual<MedplumCore>('@medplum/core');
  if (definitions) {
    const dir = join(__dirname, '..', '..', 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
    for (const f of ['profiles-types.json', 'profiles-resources.json']) core.indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }
  return core;
}
