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
  const index = valueIndexOf(sliced, discriminators, ctx);
  const counts = new Map<ElementNode, number>();
  for (const item of items) {
    const slice = index
      ? indexedSlice(index, item.value, discriminators[0]?.path ?? '')
      : sliced.slices.find((s) => discriminators.length > 0 && discriminators.every((d) => matches(item.value, s, d, type, ctx, walk)));
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
    if (n < slice.min) ctx.issues.push(issue('VAL-SLICE-MIN', { slice: sliceLabel(sliced, slice), min: slice.min, count: n }, path));
    if (n > slice.max) ctx.issues.push(issue('VAL-SLICE-MAX', { slice: sliceLabel(sliced, slice), max: slice.max, count: n }, path));
  }
}

const sliceLabel = (sliced: ElementNode, slice: ElementNode): string => `${sliced.path}:${slice.sliceName ?? ''}`;

/** A slice in an index, with its place in the slicing (the first matching slice wins). */
interface Indexed {
  slice: ElementNode;
  order: number;
}

/**
 * For a slicing by one value or pattern discriminator where every slice requires a primitive there
 * (extensions by url, identifiers by system): that value → its first slice, so an item finds its
 * slice by lookup instead of being matched against each slice in turn. A primitive matches only
 * itself by both deepEqual and matchesPattern, so the lookup answers as the matching would. null
 * for every other slicing (then each slice is tried in order). Per sliced element, as expectedCache.
 */
const valueIndexes = new WeakMap<ElementNode, Map<unknown, Indexed> | null>();

function valueIndexOf(sliced: ElementNode, discriminators: readonly Discriminator[], ctx: WalkContext): Map<unknown, Indexed> | null {
  const hit = valueIndexes.get(sliced);
  if (hit !== undefined) return hit;
  const d = discriminators.length === 1 ? discriminators[0] : undefined;
  let index: Map<unknown, Indexed> | null = null;
  if (d && (d.type === 'value' || d.type === 'pattern')) {
    index = new Map();
    for (const [order, slice] of sliced.slices.entries()) {
      const expected = cachedExpectedAt(slice, d.path, ctx);
      if (expected === undefined) continue; // nothing required there: the slice never matches
      if (typeof expected.value === 'object' && expected.value !== null) {
        index = null;
        break;
      }
      if (!index.has(expected.value)) index.set(expected.value, { slice, order });
    }
  }
  valueIndexes.set(sliced, index);
  return index;
}

function indexedSlice(index: Map<unknown, Indexed>, value: unknown, path: string): ElementNode | undefined {
  let best: Indexed | undefined;
  for (const v of valuesAt(value, path)) {
    const hit = index.get(v);
    if (hit && (!best || hit.order < best.order)) best = hit;
  }
  return best?.slice;
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

/** Parsed discriminator paths: a profile has a handful, and each is matched against every item. */
const parsedPaths = new Map<string, readonly Segment[]>();

function segments(path: string): readonly Segment[] {
  let hit = parsedPaths.get(path);
  if (!hit) {
    hit = path === '$this' ? [] : path.split('.').map((s): Segment => {
      const ext = /^extension\('([^']*)'\)$/.exec(s);
      return ext?.[1] !== undefined ? { kind: 'extension', url: ext[1] } : { kind: 'name', name: s };
    });
    parsedPaths.set(path, hit);
  }
  return hit;
}

/** The values at a discriminator path (read only: it may be the item's own array). */
function valuesAt(value: unknown, path: string): readonly unknown[] {
  const parsed = segments(path);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (only?.kind === 'name') {
    // One name (`system`, `url`, `code`), the usual discriminator: no intermediate lists.
    const raw = isObj(value) ? value[only.name] : undefined;
    return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  }
  let current: unknown[] = [value];
  for (const seg of parsed) {
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

type Expected = { value: unknown; pattern: boolean } | undefined;

/**
 * expectedAt per slice and discriminator path: it depends on the compiled definitions only (a new
 * compile after Registry.add makes new nodes, so nothing stale is kept), and was worked out again
 * for every item against every slice.
 */
const expectedCache = new WeakMap<ElementNode, Map<string, Expected>>();

function cachedExpectedAt(slice: ElementNode, path: string, ctx: WalkContext): Expected {
  let byPath = expectedCache.get(slice);
  if (!byPath) {
    byPath = new Map();
    expectedCache.set(slice, byPath);
  }
  if (byPath.has(path)) return byPath.get(path);
  const expected = expectedAt(slice, path, ctx);
  byPath.set(path, expected);
  return expected;
}

/** The value a slice requires at `path`: its fixed or pattern value, or an extension profile's url. */
function expectedAt(slice: ElementNode, path: string, ctx: WalkContext): Expected {
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
      const expected = cachedExpectedAt(slice, d.path, ctx);
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
