import { deepFreeze } from '../kernel';
import { INDICATORS } from './indicators';
import { ALL_ITEMS } from './items';
import { SCREENINGS } from './screenings';
import type { Catalogue, CatalogueItem, ScreeningType } from './types';
import { validateCatalogue } from './validate';

/**
 * The ILP screening catalogue: one checked, frozen value built once per process. Everything else
 * (intake schema, mapping, interpretation, profiles, PWS tags, docs/catalogue.md) derives from it.
 */

/** Year.month.patch of the clinical content; bump it whenever a code, threshold or follow-up changes. */
export const CATALOGUE_VERSION = '2026.12.0';

export * from './types';
export { derive, FORMULAS } from './derive';
export type { DerivedInput, DerivedValue, Formula, FormulaDefinition } from './derive';
export { INDICATORS } from './indicators';
export type { IndicatorDefinition } from './indicators';
export { interpret, ruleApplies, snellenToDecimal } from './interpret';
export type { InterpretContext, Interpretation } from './interpret';
export { SCREENINGS } from './screenings';
export { validateCatalogue } from './validate';

/** A Map that cannot be changed after construction (Object.freeze does not stop Map.set). */
class FrozenMap<K, V> implements ReadonlyMap<K, V> {
  readonly #map: Map<K, V>;
  constructor(entries: Iterable<readonly [K, V]>) {
    this.#map = new Map(entries);
    Object.freeze(this);
  }
  get size(): number { return this.#map.size; }
  get(key: K): V | undefined { return this.#map.get(key); }
  has(key: K): boolean { return this.#map.has(key); }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void { this.#map.forEach((v, k) => fn(v, k, this)); }
  entries(): MapIterator<[K, V]> { return this.#map.entries(); }
  keys(): MapIterator<K> { return this.#map.keys(); }
  values(): MapIterator<V> { return this.#map.values(); }
  [Symbol.iterator](): MapIterator<[K, V]> { return this.#map[Symbol.iterator](); }
}

/** Thrown when the catalogue data is inconsistent; lists every problem, one per line. */
export class CatalogueError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The screening catalogue has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'CatalogueError';
  }
}

/** Builds a catalogue from explicit lists (checked); loadCatalogue() uses the built-in data. */
export function buildCatalogue(items: readonly CatalogueItem[], screenings: readonly ScreeningType[], version = CATALOGUE_VERSION): Catalogue {
  const problems = validateCatalogue(items, screenings, INDICATORS);
  if (problems.length > 0) throw new CatalogueError(problems);
  return Object.freeze({
    version,
    items: new FrozenMap(items.map((i) => [i.code, deepFreeze(i)] as const)),
    screenings: new FrozenMap(screenings.map((s) => [s.code, deepFreeze(s)] as const)),
  });
}

let loaded: Catalogue | undefined;

/** The built-in catalogue, checked on first use and memoised; throws CatalogueError if inconsistent. */
export function loadCatalogue(): Catalogue {
  loaded ??= buildCatalogue(ALL_ITEMS, SCREENINGS);
  return loaded;
}

export const getItem = (code: string): CatalogueItem | undefined => loadCatalogue().items.get(code);
export const getScreening = (code: string): ScreeningType | undefined => loadCatalogue().screenings.get(code);
