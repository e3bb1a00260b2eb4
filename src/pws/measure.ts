import type { Measure, MeasureReport } from 'fhir/r4';
import { ILP_BASE } from '../fhir/canonical';
import { countedPeriodOf, type Figure } from './engine';
import type { Period } from './query';
import type { IndicatorRule, Population, Text } from './registry';

/** Kemendagri area codes as a FHIR identifier system (the areas are not Location resources here). */
export const AREA_SYSTEM = `${ILP_BASE}/sid/kemendagri-area`;

const POPULATION = 'http://terminology.hl7.org/CodeSystem/measure-population';
const SCORING = 'http://terminology.hl7.org/CodeSystem/measure-scoring';

export const measureUrl = (code: string): string => `${ILP_BASE}/Measure/${code}`;

function population(code: 'numerator' | 'denominator', text: Text, rule: Population | { target: string }): NonNullable<NonNullable<Measure['group']>[number]['population']>[number] {
  return {
    code: { coding: [{ system: POPULATION, code }] },
    description: `${text.en} / ${text.id}`,
    // The rule as the registry states it; the engine evaluates it (no CQL library behind it).
    criteria: { language: 'application/json', expression: JSON.stringify(rule), description: text.en },
  };
}

/** One Measure per indicator, generated from the registry (R4 measure.html, proportion scoring). */
export function measureOf(rule: IndicatorRule, version: string): Measure {
  const { text: nText, ...nRule } = rule.numerator;
  const { text: dText, ...dRule } = rule.denominator;
  return {
    resourceType: 'Measure',
    id: rule.code,
    url: measureUrl(rule.code),
    version,
    name: rule.code.replace(/-/g, '_'),
    title: rule.name.id,
    subtitle: rule.name.en,
    status: 'active',
    experimental: false,
    publisher: 'ILP Gateway',
    description: `${rule.numerator.text.en} / ${rule.denominator.text.en}${rule.notCaptured ? `. Not captured yet: ${rule.notCaptured.en}` : ''}`,
    scoring: { coding: [{ system: SCORING, code: 'proportion' }] },
    improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase' }] },
    relatedArtifact: [{ type: 'citation', citation: rule.source }],
    group: [{ population: [population('numerator', nText, nRule), population('denominator', dText, dRule)] }],
  };
}

/**
 * A summary MeasureReport for one area and period (R4 measurereport.html; `measureScore` in percent).
 * `period` is the period the figure counts: for a year-natural indicator asked for a month, from
 * 1 January (countedPeriodOf), so the report never claims a month for a year-to-date count.
 */
export function measureReportOf(rule: IndicatorRule, area: string, asked: Period, figure: Figure, now: string, id?: string): MeasureReport {
  const period = countedPeriodOf(rule, asked);
  const last = new Date(Date.parse(`${period.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return {
    resourceType: 'MeasureReport',
    ...(id ? { id } : {}),
    status: 'complete',
    type: 'summary',
    measure: measureUrl(rule.code),
    subject: { identifier: { system: AREA_SYSTEM, value: area }, display: `Kemendagri ${area}` },
    date: now,
    period: { start: period.from, end: last },
    improvementNotation: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/measure-improvement-notation', code: 'increase' }] },
    group: [{
      population: [
        { code: { coding: [{ system: POPULATION, code: 'numerator' }] }, count: figure.numerator },
        ...(figure.denominator === null ? [] : [{ code: { coding: [{ system: POPULATION, code: 'denominator' }] }, count: figure.denominator }]),
      ],
      ...(figure.value === null ? {} : { measureScore: { value: figure.value, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }),
    }],
  };
}
