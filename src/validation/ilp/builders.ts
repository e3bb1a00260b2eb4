import { ILP_BASE } from '../../fhir/canonical';
import type { ElementDefinition, StructureDefinition, ValueSet } from '../model';

/**
 * Small builders for the differential StructureDefinitions and ValueSets of our FHIR package
 * (profiles/). Output is deterministic (no dates) so the package can be regenerated and diffed.
 */

export const PUBLISHER = 'ILP Gateway';
export const sdUrl = (id: string): string => `${ILP_BASE}/StructureDefinition/${id}`;
export const vsUrl = (id: string): string => `${ILP_BASE}/ValueSet/${id}`;
export const FHIR_SD = 'http://hl7.org/fhir/StructureDefinition/';

export interface ProfileHeader {
  id: string;
  url?: string;
  type: string;
  base?: string;
  title: string;
  description: string;
  /** Extension definitions: where the extension may be used (R4 extensibility.html#context). */
  context?: string[];
}

export function profile(h: ProfileHeader, version: string, elements: ElementDefinition[]): StructureDefinition {
  const isExtension = h.type === 'Extension';
  const sd: StructureDefinition = {
    resourceType: 'StructureDefinition',
    id: h.id,
    url: h.url ?? sdUrl(h.id),
    version,
    name: h.id.split(/[^A-Za-z0-9]/).map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join(''),
    title: h.title,
    status: 'active',
    experimental: false,
    publisher: PUBLISHER,
    description: h.description,
    fhirVersion: '4.0.1',
    kind: isExtension ? 'complex-type' : 'resource',
    abstract: false,
    type: h.type,
    baseDefinition: h.base ?? FHIR_SD + h.type,
    derivation: 'constraint',
    differential: { element: elements },
  };
  if (h.context) sd.context = h.context.map((expression) => ({ type: 'element', expression }));
  if (!isExtension) delete sd.context;
  return sd;
}

/** One differential element; `id` defaults to the path (slices pass their own id). */
export function el(path: string, props: Partial<ElementDefinition> = {}): ElementDefinition {
  return { id: props.id ?? path, path, ...props };
}

export const ref = (...types: string[]): ElementDefinition['type'] => [{ code: 'Reference', targetProfile: types.map((t) => FHIR_SD + t) }];

export function valueSet(id: string, title: string, description: string, version: string, compose: ValueSet['compose']): ValueSet {
  return {
    resourceType: 'ValueSet', id, url: vsUrl(id), version, name: id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase()),
    title, status: 'active', experimental: false, publisher: PUBLISHER, description, compose,
  };
}

/** Extension on `context` with one value of `valueType`, bound to a value set when given. */
export function simpleExtension(h: Omit<ProfileHeader, 'type'>, version: string, valueType: string, valueSetUrl?: string): StructureDefinition {
  const value = el('Extension.value[x]', { min: 1, type: [{ code: valueType }] });
  if (valueSetUrl) value.binding = { strength: 'required', valueSet: valueSetUrl };
  return profile({ ...h, type: 'Extension', base: FHIR_SD + 'Extension' }, version, [
    el('Extension', { short: h.title, definition: h.description }),
    el('Extension.extension', { max: '0' }),
    el('Extension.url', { fixedUri: h.url ?? sdUrl(h.id) }),
    value,
  ]);
}
