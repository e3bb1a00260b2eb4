import type { YearPopulation } from '../store/pws-ports';
import { INDICATOR_RULES, type IndicatorRule, type Population } from './registry';

/**
 * Every population of the registry (numerators, and denominators that count people) in the form
 * the store counts per calendar year ahead of time (src/store/pws-year.ts): the same fields as the
 * engine's query (engine.ts queryOf), without the period. Given to the store at composition
 * (src/store/open-database.ts), so that the store decides nothing about indicators itself.
 */
export function yearPopulations(rules: readonly IndicatorRule[] = INDICATOR_RULES): YearPopulation[] {
  const of = (p: Population): YearPopulation => ({
    requirements: p.requires.map((r) => ({ facts: r.anyOf, minDates: r.minDates ?? 1 })),
    ...(p.age ? { age: p.age } : {}),
    ...(p.sex ? { sex: p.sex } : {}),
    ...(p.pregnant ? { pregnant: true } : {}),
    lookbackMonths: p.lookbackMonths ?? 0,
  });
  return rules.flatMap((r) => ['target' in r.denominator ? [] : [of(r.denominator)], [of(r.numerator)]].flat());
}
