import type { Catalogue, CatalogueItem } from '../../catalog/types';
import { SYSTEMS } from '../../fhir/canonical';
import type { ElementDefinition, StructureDefinition } from '../model';
import { el, profile, sdUrl } from './builders';
import { PROFILE_URLS } from './profiles';
import { VS } from './value-sets';

/**
 * One Observation profile per catalogue item, derived from the catalogue so a new item gets its
 * profile by being added there: the code (pattern on the primary coding), the value type, the UCUM
 * unit, the plausible range, and the body site when the item is side-specific.
 */

export const itemProfileUrl = (item: string): string => sdUrl(`ilp-obs-${item}`);

function valueElements(item: CatalogueItem): ElementDefinition[] {
  const v = item.value;
  const valueX = 'Observation.value[x]';
  switch (v.type) {
    case 'quantity':
    case 'integer': {
      if (v.type === 'integer' && !v.unit) {
        return [el(valueX, { min: 1, type: [{ code: 'integer' }], minValueInteger: v.min, maxValueInteger: v.max })];
      }
      const unit = v.unit;
      if (!unit) return [];
      return [
        el(valueX, { min: 1, type: [{ code: 'Quantity' }] }),
        el(`${valueX}.value`, { min: 1, minValueDecimal: v.min, maxValueDecimal: v.max }),
        el(`${valueX}.system`, { min: 1, fixedUri: SYSTEMS.ucum }),
        el(`${valueX}.code`, { min: 1, fixedCode: unit.code }),
      ];
    }
    case 'boolean':
      return [el(valueX, { min: 1, type: [{ code: 'boolean' }] })];
    case 'snellen':
      return [el(valueX, { min: 1, type: [{ code: 'string' }] })];
    case 'coded':
      return [el(valueX, { min: 1, type: [{ code: 'CodeableConcept' }], binding: { strength: 'required', valueSet: VS.answers(item.code) } })];
  }
}

export function itemProfile(item: CatalogueItem, version: string): StructureDefinition {
  const primary = item.codings[0];
  const elements: ElementDefinition[] = [
    el('Observation', { short: item.name.id }),
    el('Observation.category', { patternCodeableConcept: { coding: [{ system: SYSTEMS.observationCategory, code: item.category }] } }),
  ];
  if (primary) elements.push(el('Observation.code', { patternCodeableConcept: { coding: [{ system: primary.system, code: primary.code }] } }));
  elements.push(...valueElements(item));
  if (item.bodySite) elements.push(el('Observation.bodySite', { min: 1, patternCodeableConcept: { coding: [{ system: item.bodySite.system, code: item.bodySite.code }] } }));
  return profile({
    id: `ilp-obs-${item.code}`, type: 'Observation', base: PROFILE_URLS.observation, title: `ILP Observation: ${item.name.en}`,
    description: `${item.name.id} (${item.name.en}). Generated from the ILP screening catalogue (docs/catalogue.md).`,
  }, version, elements);
}

export function itemProfiles(cat: Catalogue): StructureDefinition[] {
  return [...cat.items.values()].map((item) => itemProfile(item, cat.version));
}
