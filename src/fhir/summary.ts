import type { Coding, Resource } from 'fhir/r4';
import { fail } from '../kernel';
import { SUMMARY_ELEMENTS } from './summary-elements.generated';

/**
 * `_summary` and `_elements` (FHIR R4 search.html#summary, #elements; they apply to read too,
 * http.html#read): a resource cut down to some of its top-level elements. What is a summary
 * element comes from the R4 definitions (ElementDefinition.isSummary); mandatory elements are
 * always kept so the result stays a valid resource, and the cut is marked with the SUBSETTED tag.
 */

export type SummaryMode = 'true' | 'text' | 'data';
export interface ElementView {
  summary?: SummaryMode;
  /** Top-level element names asked for by `_elements`. */
  elements?: string[];
}

export const SUBSETTED: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };

const bad = (param: string, detail: string): never => fail('FHIR-SUMMARY', { param, detail: detail.slice(0, 200) });

/**
 * Reads `_summary` and `_elements` from a query. `_summary=count` is the search's own business
 * (a total without entries) and is left in `rest`; `false` means the whole resource.
 */
export function parseView(query: readonly [string, string][], countAllowed: boolean): { view?: ElementView; rest: [string, string][] } {
  const rest: [string, string][] = [];
  const view: ElementView = {};
  for (const [name, value] of query) {
    if (name === '_summary') {
      if (value === 'count' && countAllowed) rest.push([name, value]);
      else if (value === 'true' || value === 'text' || value === 'data') view.summary = value;
      else if (value !== 'false') bad(name, `expected true, text, data${countAllowed ? ', count' : ''} or false, not "${value}"`);
    } else if (name === '_elements') {
      view.elements = [...(view.elements ?? []), ...value.split(',').map((e) => e.trim()).filter((e) => e !== '')];
    } else rest.push([name, value]);
  }
  if (view.summary && view.elements) bad('_elements', '_summary and _elements cannot be combined');
  return view.summary || view.elements ? { view, rest } : { rest };
}

/** `value[x]` matches `valueQuantity`; `_status` (a primitive's id/extensions) follows `status` (json.html#primitive). */
function matches(key: string, element: string): boolean {
  const name = key.startsWith('_') ? key.slice(1) : key;
  if (element.endsWith('[x]')) {
    const stem = element.slice(0, -3);
    return name.startsWith(stem) && /^[A-Z]/.test(name.slice(stem.length));
  }
  return name === element;
}

function keptElements(type: string, view: ElementView): string[] {
  const table = SUMMARY_ELEMENTS[type];
  const mandatory = table?.mandatory ?? [];
  if (view.elements) {
    const asked = view.elements.map((e) => (e.startsWith(`${type}.`) ? e.slice(type.length + 1) : e));
    return ['id', 'meta', ...mandatory, ...asked];
  }
  if (view.summary === 'text') return ['id', 'meta', 'text', ...mandatory];
  // A type without a table (none is served) keeps everything rather than answering a wrong subset.
  if (view.summary === 'true') return table ? [...table.summary, ...mandatory] : [];
  return [];
}

/** The resource as the view asks for it; the input is not modified. `data` drops only `text`. */
export function applyView<T extends Resource>(resource: T, view: ElementView | undefined): T {
  if (!view) return resource;
  const record = resource as unknown as Record<string, unknown>;
  let kept: string[];
  if (view.summary === 'data') kept = Object.keys(record).filter((k) => k !== 'text');
  else {
    const elements = keptElements(resource.resourceType, view);
    if (elements.length === 0) return resource;
    kept = Object.keys(record).filter((k) => k === 'resourceType' || elements.some((e) => matches(k, e)));
  }
  const out: Record<string, unknown> = {};
  for (const k of kept) out[k] = record[k];
  const meta = (resource.meta ?? {}) as NonNullable<Resource['meta']>;
  const tags = (meta.tag ?? []).filter((t) => !(t.system === SUBSETTED.system && t.code === SUBSETTED.code));
  out.meta = { ...meta, tag: [...tags, SUBSETTED] };
  return out as unknown as T;
}
