import { FORMULAS, type FormulaDefinition } from './derive';
import type { IndicatorDefinition } from './indicators';
import type { CatalogueItem, Coding, ScreeningType } from './types';
import { KEBAB, validateItem } from './validate-item';

/**
 * Consistency checks for a whole catalogue. Pure: it takes any item, screening and indicator lists,
 * so tests can hand it a broken catalogue. Returns every problem found (empty = consistent).
 */
export function validateCatalogue(
  items: readonly CatalogueItem[],
  screenings: readonly ScreeningType[],
  indicators: readonly IndicatorDefinition[],
  formulas: Readonly<Record<string, FormulaDefinition>> = FORMULAS,
): string[] {
  const indicatorCodes = new Set(indicators.map((i) => i.code));
  const ctx = {
    itemCodes: new Set(items.map((i) => i.code)),
    derivedCodes: new Set(items.filter((i) => i.derived).map((i) => i.code)),
    indicatorCodes,
    formulas,
  };
  return [
    ...duplicates(items.map((i) => i.code)).map((c) => `item "${c}": code is used more than once`),
    ...items.flatMap((item) => validateItem(item, ctx)),
    ...checkScreenings(screenings, ctx.itemCodes, indicatorCodes),
    ...orphanItems(items, screenings),
    ...checkIndicators(indicators),
    ...displayConflicts(items),
  ];
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return [...new Set(values.filter((v) => (seen.has(v) ? true : (seen.add(v), false))))];
}

function checkScreenings(screenings: readonly ScreeningType[], itemCodes: ReadonlySet<string>, indicatorCodes: ReadonlySet<string>): string[] {
  const problems = duplicates(screenings.map((s) => s.code)).map((c) => `screening "${c}": code is used more than once`);
  for (const s of screenings) {
    const report = (m: string): number => problems.push(`screening "${s.code}": ${m}`);
    if (!KEBAB.test(s.code)) report('code must be kebab-case');
    if (!s.name.en || !s.name.id || !s.domainCode) report('needs name en/id and a domainCode');
    if (s.clusters.length === 0 || s.clusters.some((c) => ![1, 2, 3, 4, 5].includes(c))) report('clusters must list 1–5');
    if (s.items.length === 0) report('lists no items');
    for (const code of duplicates(s.items)) report(`item "${code}" is listed twice`);
    for (const code of s.items) if (!itemCodes.has(code)) report(`unknown item "${code}"`);
    for (const tag of s.indicators) if (!indicatorCodes.has(tag)) report(`unknown indicator "${tag}"`);
  }
  return problems;
}

/** An item no screening lists can never be sent. */
function orphanItems(items: readonly CatalogueItem[], screenings: readonly ScreeningType[]): string[] {
  const listed = new Set(screenings.flatMap((s) => s.items));
  return items.filter((i) => !listed.has(i.code)).map((i) => `item "${i.code}": no screening lists it`);
}

const INDICATOR_CODE = /^(SPM-\d{2}|PWS-K[1-5](-[A-Z0-9]+)+)$/;

function checkIndicators(indicators: readonly IndicatorDefinition[]): string[] {
  const problems = duplicates(indicators.map((i) => i.code)).map((c) => `indicator "${c}": code is used more than once`);
  for (const i of indicators) {
    if (!INDICATOR_CODE.test(i.code) || !i.code.startsWith(i.kind)) problems.push(`indicator "${i.code}": code must be SPM-nn or PWS-K<cluster>-… matching its kind`);
    if (!i.name.en || !i.name.id || !i.rule) problems.push(`indicator "${i.code}": needs name en/id and a rule`);
  }
  return problems;
}

function allCodings(item: CatalogueItem): Coding[] {
  const answers = item.value.type === 'coded' ? item.value.options.map((o) => o.coding) : [];
  const categories = item.thresholds.flatMap((r) => r.bands.map((b) => b.category));
  return [...item.codings, ...(item.bodySite ? [item.bodySite] : []), ...answers, ...categories];
}

/** One code, one display: the published CodeSystems and the Observations must agree. */
function displayConflicts(items: readonly CatalogueItem[]): string[] {
  const seen = new Map<string, { display: string; item: string }>();
  const problems: string[] = [];
  for (const item of items) {
    for (const c of allCodings(item)) {
      const key = `${c.system}|${c.code}`;
      const first = seen.get(key);
      if (!first) seen.set(key, { display: c.display, item: item.code });
      else if (first.display !== c.display) {
        problems.push(`item "${item.code}": ${key} is displayed "${c.display}" but "${first.display}" in item "${first.item}"`);
      }
    }
  }
  return problems;
}
