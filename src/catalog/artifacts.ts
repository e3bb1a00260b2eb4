import type { CodeSystem, CodeSystemConcept } from 'fhir/r4';
import { VACCINES, VACCINE_CODE_SYSTEM } from './vaccines';
import { ILP } from '../fhir/canonical';
import { CLUSTER_DEFINITIONS, LIFE_CYCLE_INFO } from './life-cycles';
import { LIFE_CYCLES } from './types';
import type { Catalogue, CatalogueItem, Coding } from './types';
import { CLUSTERS } from './vocabulary';

/**
 * The CodeSystems this gateway publishes in profiles/, generated from the catalogue so a local
 * code exists in exactly one place. Pure functions; scripts/gen-catalogue-artifacts.mjs writes
 * them. Output is deterministic (no dates), so CI can regenerate and diff.
 */

interface CodeSystemHeader {
  id: string;
  url: string;
  name: string;
  title: string;
  description: string;
}

function codeSystem(header: CodeSystemHeader, version: string, concept: CodeSystemConcept[]): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    id: header.id,
    url: header.url,
    version,
    name: header.name,
    title: header.title,
    status: 'active',
    experimental: false,
    publisher: 'ILP Gateway',
    description: header.description,
    caseSensitive: true,
    content: 'complete',
    count: concept.length,
    concept,
  };
}

const items = (cat: Catalogue): CatalogueItem[] => [...cat.items.values()];

/** Every catalogue item code (vendor-facing, and the Observation.code of items with no standard code). */
export function codeSystemItems(cat: Catalogue): CodeSystem {
  const concept = items(cat).map((item): CodeSystemConcept => ({
    code: item.code,
    display: item.name.en,
    definition: `${item.name.id}.${item.derived ? ' Derived by the gateway.' : ''} Observation.code: ${item.codings.map((c) => `${c.system}|${c.code}`).join(', ')} (${item.confidence}).`,
    designation: [{ language: 'id', value: item.name.id }],
  }));
  return codeSystem({
    id: 'ilp-screening-item', url: ILP.itemCodeSystem, name: 'ILPScreeningItem', title: 'ILP screening items',
    description: 'The screening items of the ILP catalogue (docs/catalogue.md). Items without a LOINC or SNOMED CT code use these codes as Observation.code.',
  }, cat.version, concept);
}

/** Local codings of one system, each once, with the items that use them; sorted by code. */
function localConcepts(cat: Catalogue, system: string, codings: (item: CatalogueItem) => Coding[]): CodeSystemConcept[] {
  const byCode = new Map<string, { display: string; usedBy: Set<string> }>();
  for (const item of items(cat)) {
    for (const c of codings(item).filter((x) => x.system === system)) {
      const entry = byCode.get(c.code) ?? { display: c.display, usedBy: new Set<string>() };
      entry.usedBy.add(item.code);
      byCode.set(c.code, entry);
    }
  }
  return [...byCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, e]) => ({ code, display: e.display, definition: `Used by: ${[...e.usedBy].join(', ')}.` }));
}

/** Result categories with no SNOMED CT or Kemkes code (Observation.interpretation). */
export function codeSystemInterpretations(cat: Catalogue): CodeSystem {
  const concept = localConcepts(cat, ILP.interpretationCodeSystem, (i) => i.thresholds.flatMap((r) => r.bands.map((b) => b.category)));
  return codeSystem({
    id: 'ilp-interpretation', url: ILP.interpretationCodeSystem, name: 'ILPInterpretation', title: 'ILP screening result categories',
    description: 'Result categories of ILP screening thresholds that have no SNOMED CT or Kemkes clinical-term code (Observation.interpretation, beside the v3 flag).',
  }, cat.version, concept);
}

/** Coded answers with no standard code (Observation.valueCodeableConcept). */
export function codeSystemAnswers(cat: Catalogue): CodeSystem {
  const concept = localConcepts(cat, ILP.answerCodeSystem, (i) => (i.value.type === 'coded' ? i.value.options.map((o) => o.coding) : []));
  return codeSystem({
    id: 'ilp-answer', url: ILP.answerCodeSystem, name: 'ILPAnswer', title: 'ILP screening answers',
    description: 'Coded answers of ILP screening items that have no standard code (Observation.valueCodeableConcept).',
  }, cat.version, concept);
}

/** The five ILP clusters (KMK BAB II); displays are the ones the Encounter extension carries. */
export function codeSystemClusters(version: string): CodeSystem {
  const concept = CLUSTERS.map((c): CodeSystemConcept => ({ code: String(c.code), display: c.display, definition: CLUSTER_DEFINITIONS[c.code] }));
  return codeSystem({
    id: 'ilp-cluster', url: ILP.clusterCodeSystem, name: 'ILPCluster', title: 'ILP clusters (klaster)',
    description: 'The organisational clusters of Integrasi Layanan Primer (KMK HK.01.07/MENKES/2015/2023 BAB II).',
  }, version, concept);
}

/** The ILP life-cycle groups (ilp-domain §3). */
export function codeSystemLifeCycles(version: string): CodeSystem {
  const concept = LIFE_CYCLES.map((g): CodeSystemConcept => ({ code: g, display: LIFE_CYCLE_INFO[g].display, definition: LIFE_CYCLE_INFO[g].definition }));
  return codeSystem({
    id: 'ilp-life-cycle', url: ILP.lifeCycleCodeSystem, name: 'ILPLifeCycle', title: 'ILP life-cycle groups (siklus hidup)',
    description: 'Life-cycle groups that drive ILP screening eligibility (KMK HK.01.07/MENKES/2015/2023; ilp-domain §3).',
  }, version, concept);
}

/** The KIA vaccine short names (catalog/vaccines.ts), the local Immunization.vaccineCode. */
export function codeSystemVaccines(version: string): CodeSystem {
  const concept = VACCINES.map((v): CodeSystemConcept => ({
    code: v.code, display: v.display,
    definition: `Dose ${v.dose}; ${v.schedule}${v.basic ? '; imunisasi dasar (KMK Tabel 7)' : ''}. KFA: ${v.kfa ? `${v.kfa.code} (${v.kfa.source})` : 'not known here'}.`,
  }));
  return codeSystem({
    id: 'ilp-vaccine', url: VACCINE_CODE_SYSTEM, name: 'ILPVaccine', title: 'ILP vaccines (KIA short names)',
    description: 'The routine immunisation doses as printed in the Buku KIA (KMK HK.01.07/MENKES/2015/2023 Tabel 7–8).',
  }, version, concept);
}

/** All generated CodeSystems by file name under profiles/. */
export function catalogueCodeSystems(cat: Catalogue): Record<string, CodeSystem> {
  return {
    'CodeSystem-ilp-screening-item.json': codeSystemItems(cat),
    'CodeSystem-ilp-interpretation.json': codeSystemInterpretations(cat),
    'CodeSystem-ilp-answer.json': codeSystemAnswers(cat),
    'CodeSystem-ilp-cluster.json': codeSystemClusters(cat.version),
    'CodeSystem-ilp-life-cycle.json': codeSystemLifeCycles(cat.version),
    'CodeSystem-ilp-vaccine.json': codeSystemVaccines(cat.version),
  };
}
