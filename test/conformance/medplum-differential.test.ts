import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasErrors } from '../../src/kernel';
import { createValidator } from '../../src/validation/engine';
import { invariantCases } from './cases/invariants.cases';
import { referenceCases } from './cases/references.cases';
import { structureCases } from './cases/structure.cases';
import { terminologyCases } from './cases/terminology.cases';
import { ANC, PTM, type Case, type Json, clone } from './support';
import { MEDPLUM_DISAGREEMENTS } from './medplum-disagreements';

/**
 * Differential test against @medplum/core's validateResource on the same inputs, base R4 only
 * (Medplum does not load our profiles): the resources of the base conformance cases and the
 * resources of the two golden visits. Every case where the verdicts differ must be listed, with its
 * reason, in medplum-disagreements.ts (and docs/validation.md); a new disagreement, or a listed one
 * that disappears, fails this test.
 */

interface MedplumCore {
  indexStructureDefinitionBundle(bundle: unknown): void;
  validateResource(resource: unknown): unknown;
}

function loadMedplum(): MedplumCore {
  // @medplum/core 5 extends the global WebSocket at load time (Node 22 has one, Node 20 not); the
  // validator never opens a socket.
  const g = globalThis as { WebSocket?: unknown };
  g.WebSocket ??= class WebSocket {};
  const core = jest.requireActual<MedplumCore>('@medplum/core');
  const dir = join(__dirname, '..', '..', 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
  for (const f of ['profiles-types.json', 'profiles-resources.json']) core.indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  return core;
}

function medplumValid(core: MedplumCore, resource: unknown): boolean {
  try {
    core.validateResource(resource);
    return true;
  } catch {
    return false;
  }
}

const goldenCases = (bundle: Json, visit: string): Case[] =>
  (bundle.entry as { resource: Json }[]).map(({ resource }, i) => ({ name: `${visit} entry ${i} ${String(resource.resourceType)}`, resource: clone(resource), valid: true }));

const corpus: Case[] = [
  ...[...structureCases, ...invariantCases, ...terminologyCases, ...referenceCases].filter((c) => (c.validator ?? 'base') === 'base' && !c.profile),
  ...goldenCases(PTM, 'PTM'),
  ...goldenCases(ANC, 'ANC'),
].filter((c) => {
  const r = c.resource as Json | null;
  // Medplum is given no profiles: cases naming one (meta.profile) would compare different things.
  return r !== null && typeof r === 'object' && !Array.isArray(r) && typeof r.resourceType === 'string' && r.meta === undefined;
});

describe('differential: ours vs @medplum/core validateResource (base R4)', () => {
  const core = loadMedplum();
  const ours = createValidator();
  const verdicts = corpus.map((c) => ({ name: c.name, ours: !hasErrors(ours.validate(c.resource)), medplum: medplumValid(core, c.resource) }));
  const disagreements = verdicts.filter((v) => v.ours !== v.medplum);

  test('the corpus is large enough to mean something', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  test('every disagreement is listed with its reason, and nothing else is', () => {
    const listed = Object.keys(MEDPLUM_DISAGREEMENTS).sort();
    expect(disagreements.map((d) => d.name).sort()).toEqual(listed);
  });

  test('where we disagree, we are the stricter one unless the reason says otherwise', () => {
    const laxer = disagreements.filter((d) => d.ours && !d.medplum).map((d) => d.name);
    const documentedLaxer = Object.entries(MEDPLUM_DISAGREEMENTS).filter(([, r]) => r.stricter === 'medplum').map(([n]) => n);
    expect(laxer.sort()).toEqual(documentedLaxer.sort());
  });

  test('on the cases where both agree, the verdict is the expected one', () => {
    const agreed = verdicts.filter((v) => v.ours === v.medplum);
    for (const v of agreed) {
      const expected = corpus.find((c) => c.name === v.name)?.valid;
      expect({ name: v.name, valid: v.ours }).toEqual({ name: v.name, valid: expected });
    }
  });
});
