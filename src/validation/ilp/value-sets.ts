import type { CodeSystem as FhirCodeSystem } from 'fhir/r4';
import { KEMKES_OBSERVATION_INTERPRETATION } from '../../catalog/codes';
import type { Catalogue, CatalogueItem, Coding } from '../../catalog/types';
import { ACTIVITY_KINDS, SETTINGS, VISIT_TYPES } from '../../catalog/vocabulary';
import { ILP, SYSTEMS } from '../../fhir/canonical';
import type { ValueSet } from '../model';
import { PUBLISHER, valueSet, vsUrl } from './builders';

/**
 * The ValueSets our profiles bind to, the CodeSystems of the encounter vocabulary (setting, visit
 * type, care plan activity kind; the catalogue's own CodeSystems come from src/catalog/artifacts.ts)
 * and fragments of the two Kemkes CodeSystems the catalogue uses, so their codes can be checked
 * offline. A fragment only lists the codes we use: a code outside it is not reported (R4
 * codesystem-content-mode.html#fragment).
 */

export const VS = {
  cluster: vsUrl('ilp-cluster'),
  lifeCycle: vsUrl('ilp-life-cycle'),
  setting: vsUrl('ilp-setting'),
  visitType: vsUrl('ilp-visit-type'),
  activityKind: vsUrl('ilp-careplan-activity-kind'),
  icd10: vsUrl('ilp-icd10'),
  answers: (item: string): string => vsUrl(`ilp-answers-${item}`),
} as const;

const wholeSystem = (system: string): ValueSet['compose'] => ({ include: [{ system }] });

export function valueSets(cat: Catalogue): ValueSet[] {
  const v = cat.version;
  const out = [
    valueSet('ilp-cluster', 'ILP clusters', 'All ILP clusters.', v, wholeSystem(ILP.clusterCodeSystem)),
    valueSet('ilp-life-cycle', 'ILP life-cycle groups', 'All ILP life-cycle groups.', v, wholeSystem(ILP.lifeCycleCodeSystem)),
    valueSet('ilp-setting', 'ILP service settings', 'Where an ILP service takes place.', v, wholeSystem(ILP.settingCodeSystem)),
    valueSet('ilp-visit-type', 'ILP visit types', 'Kinds of ILP visit (Encounter.type).', v, wholeSystem(ILP.visitTypeCodeSystem)),
    valueSet('ilp-careplan-activity-kind', 'ILP care plan activity kinds', 'Kinds of follow-up activity.', v, wholeSystem(ILP.activityKindCodeSystem)),
    valueSet('ilp-icd10', 'ICD-10 diagnoses', 'Any ICD-10 (WHO) code: SATUSEHAT codes diagnoses in ICD-10 (satusehat-api §3.4).', v, wholeSystem(SYSTEMS.icd10)),
  ];
  for (const item of cat.items.values()) {
    if (item.value.type !== 'coded') continue;
    const bySystem = new Map<string, string[]>();
    for (const o of item.value.options) bySystem.set(o.coding.system, [...(bySystem.get(o.coding.system) ?? []), o.coding.code]);
    const include = [...bySystem].map(([system, codes]) => ({ system, concept: [...new Set(codes)].map((code) => ({ code })) }));
    out.push(valueSet(`ilp-answers-${item.code}`, `Answers: ${item.name.en}`, `Coded answers of the ILP screening item ${item.code}.`, v, { include }));
  }
  return out;
}

function codeSystem(id: string, url: string, title: string, version: string, concept: { code: string; display: string }[], content: 'complete' | 'fragment' = 'complete'): FhirCodeSystem {
  return {
    resourceType: 'CodeSystem', id, url, version, name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()), title,
    status: 'active', experimental: false, publisher: PUBLISHER, caseSensitive: true, content, count: concept.length, concept,
  };
}

function usedCodes(cat: Catalogue, system: string): { code: string; display: string }[] {
  const out = new Map<string, string>();
  const add = (c: Coding): void => {
    if (c.system === system && !out.has(c.code)) out.set(c.code, c.display);
  };
  const all = (item: CatalogueItem): Coding[] => [
    ...item.codings,
    ...item.thresholds.flatMap((r) => r.bands.map((b) => b.category)),
    ...(item.value.type === 'coded' ? item.value.options.map((o) => o.coding) : []),
  ];
  for (const item of cat.items.values()) all(item).forEach(add);
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([code, display]) => ({ code, display }));
}

export function codeSystems(cat: Catalogue): Record<string, FhirCodeSystem> {
  const v = cat.version;
  return {
    'CodeSystem-ilp-setting.json': codeSystem('ilp-setting', ILP.settingCodeSystem, 'ILP service settings', v, SETTINGS.map(({ code, display }) => ({ code, display }))),
    'CodeSystem-ilp-visit-type.json': codeSystem('ilp-visit-type', ILP.visitTypeCodeSystem, 'ILP visit types', v, VISIT_TYPES.map(({ code, display }) => ({ code, display }))),
    'CodeSystem-ilp-careplan-activity-kind.json': codeSystem('ilp-careplan-activity-kind', ILP.activityKindCodeSystem, 'ILP care plan activity kinds', v, ACTIVITY_KINDS.map(({ code, display }) => ({ code, display }))),
    'CodeSystem-kemkes-clinical-term.json': codeSystem('kemkes-clinical-term', SYSTEMS.kemkesClinicalTerm, 'Kemkes clinical terms (fragment: the codes ILP uses)', v, usedCodes(cat, SYSTEMS.kemkesClinicalTerm), 'fragment'),
    'CodeSystem-kemkes-observation-interpretation.json': codeSystem('kemkes-observation-interpretation', KEMKES_OBSERVATION_INTERPRETATION, 'Kemkes observation interpretation (fragment: the codes ILP uses)', v, usedCodes(cat, KEMKES_OBSERVATION_INTERPRETATION), 'fragment'),
  };
}
