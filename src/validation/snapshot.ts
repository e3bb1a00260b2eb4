import type { ElementDefinition, StructureDefinition } from './model';

/**
 * Snapshot generation: the differential of a constraint profile applied to its base's snapshot
 * (R4 profiling.html#snapshot, elementdefinition.html#interpretation). Enough of the algorithm for
 * the profiles testers write: merging constraints into existing elements, diving into datatypes
 * (`Observation.code.coding`), choice types restricted to one type (`Observation.value[x].code`),
 * contentReference elements, and slices with their children (`Patient.identifier:nik.system`).
 * Not supported (the generator refuses rather than guessing): re-slicing and unknown paths.
 */

export interface StructureSource {
  structure(url: string): StructureDefinition | undefined;
}

export class SnapshotError extends Error {}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Properties a differential element replaces; `constraint` is merged, `id`/`path` never change. */
function merge(target: ElementDefinition, diff: ElementDefinition): void {
  // Keep the base cardinality: the JSON shape follows it, whatever the profile's max.
  if (diff.max !== undefined && target.base?.max === undefined) target.base = { ...target.base, max: target.max ?? '*' };
  for (const [key, value] of Object.entries(diff)) {
    if (key === 'id' || key === 'path') continue;
    if (key === 'constraint') {
      const existing = target.constraint ?? [];
      const added = (value as ElementDefinition['constraint'] ?? []).filter((c) => !existing.some((e) => e.key === c.key));
      target.constraint = [...existing, ...added];
    } else {
      target[key] = clone(value);
    }
  }
}

const pathOf = (id: string): string => id.split('.').map((s) => s.split(':')[0]).join('.');

function splitId(id: string): { parent: string; last: string } {
  const dot = id.lastIndexOf('.');
  if (dot < 0) throw new SnapshotError(`element id ${id} has no parent`);
  return { parent: id.slice(0, dot), last: id.slice(dot + 1) };
}

class Builder {
  constructor(
    private readonly list: ElementDefinition[],
    private readonly source: StructureSource,
    private readonly url: string,
  ) {}

  private indexOf(id: string): number {
    return this.list.findIndex((e) => e.id === id);
  }

  /** Index just past `id` and everything under it (children, slices and their children). */
  private endOf(id: string): number {
    let i = this.indexOf(id) + 1;
    while (i < this.list.length && (this.list[i]?.id ?? '').match(new RegExp(`^${escape(id)}[.:]`))) i++;
    return i;
  }

  ensure(id: string): number {
    const found = this.indexOf(id);
    if (found >= 0) return found;
    const { parent, last } = splitId(id);
    const colon = last.indexOf(':');
    if (colon >= 0) return this.addSlice(parent, last.slice(0, colon), last.slice(colon + 1));
    const parentIndex = this.ensure(parent);
    const choice = this.choiceAlias(parent, last);
    if (choice >= 0) return choice;
    if (!this.list.some((e) => e.id?.startsWith(`${parent}.`))) this.expand(parentIndex);
    const after = this.indexOf(id);
    if (after < 0) throw new SnapshotError(`${this.url}: no element ${pathOf(id)} in the base definition`);
    return after;
  }

  /** `Observation.valueQuantity` names `Observation.value[x]` restricted to Quantity (R4 profiling.html#choice). */
  private choiceAlias(parent: string, last: string): number {
    for (let i = 0; i < this.list.length; i++) {
      const e = this.list[i];
      const name = e?.id?.startsWith(`${parent}.`) ? e.id.slice(parent.length + 1) : undefined;
      if (!e || !name?.endsWith('[x]')) continue;
      const stem = name.slice(0, -3);
      if (last.startsWith(stem) && e.type?.some((t) => stem + t.code.charAt(0).toUpperCase() + t.code.slice(1) === last)) return i;
    }
    return -1;
  }

  /** Inserts the children of the element at `index` from its type (or contentReference). */
  private expand(index: number): void {
    const element = this.list[index];
    if (!element?.id) throw new SnapshotError(`${this.url}: cannot expand an element without id`);
    const children = element.contentReference
      ? this.contentChildren(element.contentReference)
      : this.typeChildren(element);
    const rebased = children.elements.map((c) => {
      const copy = clone(c);
      copy.id = element.id + (c.id ?? c.path).slice(children.prefix.length);
      copy.path = element.path + c.path.slice(children.prefix.length);
      return copy;
    });
    this.list.splice(index + 1, 0, ...rebased);
  }

  private typeChildren(element: ElementDefinition): { prefix: string; elements: ElementDefinition[] } {
    const types = element.type ?? [];
    if (types.length !== 1 || !types[0]) throw new SnapshotError(`${this.url}: ${element.path} must have exactly one type to constrain its children`);
    const url = types[0].profile?.[0] ?? types[0].code;
    const sd = this.source.structure(url);
    const elements = sd?.snapshot?.element;
    if (!sd || !elements?.[0]) throw new SnapshotError(`${this.url}: unknown type ${url} of ${element.path}`);
    return { prefix: elements[0].id ?? elements[0].path, elements: elements.slice(1) };
  }

  private contentChildren(ref: string): { prefix: string; elements: ElementDefinition[] } {
    const id = ref.replace(/^.*#/, '');
    return { prefix: id, elements: this.list.filter((e) => e.id?.startsWith(`${id}.`) && !e.id.includes(':')) };
  }

  private addSlice(parent: string, name: string, sliceName: string): number {
    if (sliceName.includes('/')) throw new SnapshotError(`${this.url}: re-slicing (${sliceName}) is not supported`);
    const slicedId = `${parent}.${name}`;
    const slicedIndex = this.ensure(slicedId);
    const sliced = this.list[slicedIndex];
    if (!sliced) throw new SnapshotError(`${this.url}: no element ${slicedId}`);
    const family = this.list.filter((e) => e.id?.startsWith(`${slicedId}.`));
    const head = clone(sliced);
    delete head.slicing;
    head.id = `${slicedId}:${sliceName}`;
    head.sliceName = sliceName;
    head.min = 0; // a slice is optional unless the differential says otherwise
    const copies = family.map((e) => ({ ...clone(e), id: `${slicedId}:${sliceName}${(e.id ?? '').slice(slicedId.length)}` }));
    const at = this.endOf(slicedId);
    this.list.splice(at, 0, head, ...copies);
    return at;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Differential element id: given, or built from path and sliceName (R4 elementdefinition.html#id). */
function diffId(e: ElementDefinition): string {
  if (e.id) return e.id;
  return e.sliceName ? `${e.path}:${e.sliceName}` : e.path;
}

export function generateSnapshot(sd: StructureDefinition, source: StructureSource): StructureDefinition {
  if (!sd.baseDefinition) throw new SnapshotError(`${sd.url}: a differential needs a baseDefinition`);
  const base = source.structure(sd.baseDefinition);
  const baseElements = base?.snapshot?.element;
  if (!baseElements) throw new SnapshotError(`${sd.url}: base ${sd.baseDefinition} is unknown or has no snapshot`);
  const list = clone(baseElements);
  const builder = new Builder(list, source, sd.url);
  for (const d of sd.differential?.element ?? []) {
    const id = diffId(d);
    // An element's id is its path with slice names (elementdefinition.html#id): they must agree.
    if (d.id && d.path && d.id.split('.').map((part) => part.split(':')[0]).join('.') !== d.path) {
      throw new SnapshotError(`${sd.url}: element id ${d.id} does not match its path ${d.path}`);
    }
    const target = list[builder.ensure(id)];
    if (target) merge(target, d);
  }
  return { ...sd, snapshot: { element: list } };
}
