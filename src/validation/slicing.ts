import { issue } from '../kernel';
import { isObj, quietContext, type WalkContext } from './context';
import type { Discriminator, ElementNode } from './model';
import { deepEqual, matchesPattern } from './values';
import { hasErrors } from '../kernel';

/** The walker's entry points, passed in (walk.ts imports this module, not the other way round). */
export interface Walkers {
  element(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): void;
  item(value: unknown, node: ElementNode, type: string, path: string, ctx: WalkContext): void;
}

/**
 * Slicing (R4 profiling.html#slicing): each item of a sliced element is matched to a slice by the
 * discriminators (value, pattern, type, exists, profile), validated against that slice, and each
 * slice's cardinality is checked. An item matching no slice is validated against the base element
 * and, when the slicing is closed, reported. Discriminator paths follow FHIRPath's restricted
 * subset: names, `$this`, `extension('url')`; `resolve()` is not supported (the item then matches
 * no slice by that discriminator).
 */

interface Item {
  value: unknown;
  path: string;
}

export function walkSlices(items: Item[], sliced: ElementNode, type: string, path: string, ctx: WalkContext, walk: Walkers): void {
  const discriminators = sliced.slicing?.discriminator ?? [];
  const counts = new Map<ElementNode, number>();
  for (const item of items) {
    const slice = sliced.slices.find((s) => discriminators.length > 0 && discriminators.every((d) => matches(item.value, s, d, type, ctx, walk)));
    if (slice) {
      counts.set(slice, (counts.get(slice) ?? 0) + 1);
      walk.element(item.value, slice, sliceType(slice, type), item.path, ctx);
      continue;
    }
    if (sliced.slicing?.rules === 'closed') {
      ctx.issues.push(issue('VAL-SLICE-UNMATCHED', { element: sliced.path, profile: ctx.profile }, item.path));
    }
    walk.item(item.value, sliced, type, item.path, ctx);
  }
  for (const slice of sliced.slices) {
    const n = counts.get(slice) ?? 0;
    const name = `${sliced.path}:${slice.sliceName ?? ''}`;
    if (n < slice.min) ctx.issues.push(issue('VAL-SLICE-MIN', { slice: name, min: slice.min, count: n }, path));
    if (n > slice.max) ctx.issues.push(issue('VAL-SLICE-MAX', { slice: name, max: slice.max, count: n }, path));
  }
}

function sliceType(slice: ElementNode, type: string): string {
  return slice.types.some((t) => t.code === type) ? type : (slice.types[0]?.code ?? type);
}

/** The element definition at a discriminator path under a slice (its own children or its type's). */
function nodeAt(slice: ElementNode, path: string, ctx: WalkContext): ElementNode | undefined {
  let node: ElementNode | undefined = slice;
  for (const seg of segments(path)) {
    if (!node || seg.kind === 'extension') return undefined;
    const def: ElementNode | undefined = node.children.length > 0 ? node : ctx.registry.compile(node.types[0]?.profile?.[0] ?? node.types[0]?.code ?? '')?.root;
    node = def?.byKey.get(seg.name)?.node;
  }
  return node;
}

type Segment = { kind: 'name'; name: string } | { kind: 'extension'; url: string };

function segments(path: string): Segment[] {
  if (path === '$this') return [];
  return path.split('.').map((s): Segment => {
    const ext = /^extension\('([^']*)'\)$/.exec(s);
    return ext?.[1] !== undefined ? { kind: 'extension', url: ext[1] } : { kind: 'name', name: s };
  });
}

function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const seg of segments(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (!isObj(v)) continue;
      const raw = seg.kind === 'extension' ? v.extension : v[seg.name];
      const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      next.push(...(seg.kind === 'extension' ? list.filter((e) => isObj(e) && e.url === seg.url) : list));
    }
    current = next;
  }
  return current;
}

/** The value a slice requires at `path`: its fixed or pattern value, or an extension profile's url. */
function expectedAt(slice: ElementNode, path: string, ctx: WalkContext): { value: unknown; pattern: boolean } | undefined {
  const node = nodeAt(slice, path, ctx);
  if (node?.fixed !== undefined) return { value: node.fixed, pattern: false };
  if (node?.pattern !== undefined) return { value: node.pattern, pattern: true };
  const extProfile = slice.types.find((t) => t.code === 'Extension')?.profile?.[0];
  if (path === 'url' && extProfile) return { value: extProfile, pattern: false };
  // The path runs through a sliced element whose slice fixes the value (bp: component:SystolicBP by
  // code.coding.code, fixed in code.coding:SBPCode.code): a required slice's value is the one to match.
  for (const n of throughSlices(slice, path, ctx)) {
    if (n.fixed !== undefined) return { value: n.fixed, pattern: false };
    if (n.pattern !== undefined) return { value: n.pattern, pattern: true };
  }
  return undefined;
}

/** The element definitions at `path` under a slice, following every required slice (min ≥ 1) of a sliced element on the way. */
function throughSlices(slice: ElementNode, path: string, ctx: WalkContext): ElementNode[] {
  let current: ElementNode[] = [slice];
  for (const seg of segments(path)) {
    if (seg.kind === 'extension') return [];
    const next: ElementNode[] = [];
    for (const node of current) {
      const def: ElementNode | undefined = node.children.length > 0 ? node : ctx.registry.compile(node.types[0]?.profile?.[0] ?? node.types[0]?.code ?? '')?.root;
      const child = def?.byKey.get(seg.name)?.node;
      if (child) next.push(child, ...child.slices.filter((s) => s.min >= 1));
    }
    current = next;
  }
  return current;
}

function matches(value: unknown, slice: ElementNode, d: Discriminator, type: string, ctx: WalkContext, walk: Walkers): boolean {
  switch (d.type) {
    case 'value':
    case 'pattern': {
      const expected = expectedAt(slice, d.path, ctx);
      if (!expected) return false;
      return valuesAt(value, d.path).some((v) => (expected.pattern ? matchesPattern(v, expected.value) : deepEqual(v, expected.value)));
    }
    case 'exists': {
      const node = nodeAt(slice, d.path, ctx);
      const exists = valuesAt(value, d.path).length > 0;
      return node ? (node.min >= 1 ? exists : node.max === 0 ? !exists : true) : false;
    }
    case 'type': {
      const node = nodeAt(slice, d.path, ctx);
      const actual = d.path === '$this' ? type : typeOf(valuesAt(value, d.path)[0]);
      return !!node && node.types.some((t) => t.code === actual);
    }
    case 'profile': {
      const node = nodeAt(slice, d.path, ctx);
      const profiles = node?.types.flatMap((t) => t.profile ?? []) ?? [];
      const target = valuesAt(value, d.path)[0];
      return profiles.some((url) => conformsTo(target, url, ctx, walk));
    }
    default:
      return false;
  }
}

function typeOf(v: unknown): string | undefined {
  return isObj(v) && typeof v.resourceType === 'string' ? v.resourceType : undefined;
}

function conformsTo(value: unknown, url: string, ctx: WalkContext, walk: Walkers): boolean {
  const sd = ctx.registry.compile(url);
  if (!sd || value === undefined) return false;
  const quiet = quietContext(ctx);
  walk.element(value, sd.root, sd.type, 'x', quiet);
  return !hasErrors(quiet.issues);
}
