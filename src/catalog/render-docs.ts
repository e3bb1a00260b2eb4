import { ILP, SYSTEMS } from '../fhir/canonical';
import { KEMKES_OBSERVATION_INTERPRETATION } from './codes';
import { loadCatalogue } from './index';
import { INDICATORS } from './indicators';
import type { Band, Catalogue, CatalogueItem, Coding, FollowUp, RuleContext, ScreeningType, ThresholdRule, ValueSpec } from './types';

/**
 * docs/catalogue.md: the catalogue as tables a clinician can review line by line. Ranges are
 * written inclusively at the item's precision, as the guideline tables write them (Tabel 22's
 * "120–129"), although the data stores half-open bands (low ≤ v < high).
 */

const SYSTEM_NAMES: Record<string, string> = {
  [SYSTEMS.loinc]: 'LOINC',
  [SYSTEMS.snomed]: 'SNOMED',
  [SYSTEMS.kemkesClinicalTerm]: 'Kemkes clinical-term',
  [KEMKES_OBSERVATION_INTERPRETATION]: 'Kemkes ObservationInterpretation',
  [ILP.itemCodeSystem]: 'ILP item',
  [ILP.interpretationCodeSystem]: 'ILP interpretation',
  [ILP.answerCodeSystem]: 'ILP answer',
};

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const coding = (c: Coding): string => `${SYSTEM_NAMES[c.system] ?? c.system} \`${c.code}\` ${c.display}`;
const row = (cells: string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: string[][]): string[] =>
  [row(head), `|${head.map(() => '---').join('|')}|`, ...rows.map(row)];

/** Snellen decimals as the fractions on the chart. */
const SNELLEN_NAMES = new Map<number, string>([[1, '6/6'], [0.6, '6/10'], [0.5, '6/12'], [6 / 18, '6/18'], [0.1, '6/60'], [0.05, '3/60']]);
const snellen = (v: number): string => SNELLEN_NAMES.get(v) ?? v.toFixed(3);

function valueText(spec: ValueSpec): string {
  switch (spec.type) {
    case 'quantity': return `quantity, ${spec.unit.code} (${spec.unit.display}), ${spec.decimals} decimal(s)`;
    case 'integer': return `integer${spec.unit ? `, ${spec.unit.code}` : ''}`;
    case 'boolean': return 'boolean (true = yes)';
    case 'snellen': return 'Snellen fraction, e.g. "6/12" (compared as its decimal)';
    case 'coded': return `coded: ${spec.options.map((o) => `\`${o.value}\` = ${o.label} (${coding(o.coding)})`).join('; ')}`;
  }
}

function plausibleText(spec: ValueSpec): string {
  if (spec.type === 'quantity' || spec.type === 'integer') return `${spec.min}–${spec.max}`;
  return spec.type === 'snellen' ? 'any positive fraction' : 'answers listed';
}

const fixed = (v: number, decimals: number): string => v.toFixed(decimals);

/** Band range text: inclusive at the item's precision ("120–129"); Snellen as fractions. */
export function rangeText(band: Band, spec: ValueSpec): string {
  if (band.equals !== undefined) {
    const option = spec.type === 'coded' ? spec.options.find((o) => o.value === band.equals) : undefined;
    return option ? `= ${option.value}` : `= ${String(band.equals)}`;
  }
  if (spec.type === 'snellen') {
    if (band.low === undefined) return band.high === undefined ? 'any' : `worse than ${snellen(band.high)}`;
    return band.high === undefined ? `${snellen(band.low)} or better` : `${snellen(band.low)} to worse than ${snellen(band.high)}`;
  }
  const decimals = spec.type === 'quantity' ? spec.decimals : 0;
  const step = 10 ** -decimals;
  const top = (h: number): string => fixed(h - step, decimals);
  if (band.low === undefined) return band.high === undefined ? 'any' : `≤ ${top(band.high)}`;
  return band.high === undefined ? `≥ ${fixed(band.low, decimals)}` : `${fixed(band.low, decimals)}–${top(band.high)}`;
}

function whenText(when: RuleContext | undefined): string {
  if (!when) return 'always';
  const between = (min: number | undefined, max: number | undefined, unit: string): string | undefined => {
    if (min === undefined && max === undefined) return undefined;
    if (max === undefined) return `${unit} ≥ ${min}`;
    return min === undefined ? `${unit} < ${max}` : `${unit} ${min}–< ${max}`;
  };
  return [
    when.lifeCycle ? `life cycle ${when.lifeCycle.join(' or ')}` : undefined,
    when.sex,
    between(when.minAgeYears, when.maxAgeYears, 'age (years)'),
    between(when.minAgeMonths, when.maxAgeMonths, 'age (months)'),
    between(when.minGestationalWeeks, when.maxGestationalWeeks, 'gestational age (weeks)'),
  ].filter((s) => s !== undefined).join('; ');
}

const followUpText = (f: FollowUp | undefined): string => (f ? `${f.kind}, +${f.dueInDays} d: ${f.description}` : '–');

function ruleSection(rule: ThresholdRule, spec: ValueSpec): string[] {
  const lines = [
    `**Rule \`${rule.id}\`**: applies when ${whenText(rule.when)}.`,
    '',
    `Source: ${rule.source}.`,
  ];
  if (rule.resolution) lines.push('', `Resolution: ${rule.resolution}`);
  if (rule.bands.length === 0) return [...lines, '', 'Not interpreted in this context.', ''];
  const rows = rule.bands.map((b) => [rangeText(b, spec), b.flag, coding(b.category), b.label, followUpText(b.followUp)]);
  return [...lines, '', ...table(['Range', 'Flag', 'Category', 'Label', 'Follow-up'], rows), ''];
}

function itemSection(item: CatalogueItem): string[] {
  const lines = [
    `<a id="${item.code}"></a>`,
    '',
    `### \`${item.code}\`: ${item.name.id} / ${item.name.en}`,
    '',
    `- FHIR code (${item.confidence}): ${item.codings.map(coding).join('; ')}`,
    `- Category: ${item.category}; clusters ${item.clusters.join(', ')}; life cycles ${item.lifeCycles.join(', ')}`,
    `- Value: ${valueText(item.value)}; plausible ${plausibleText(item.value)}`,
  ];
  if (item.bodySite) lines.push(`- Body site: ${coding(item.bodySite)}`);
  if (item.followUpGroup) lines.push(`- Follow-up group: \`${item.followUpGroup}\` (one follow-up per reading: the most urgent of the group's items)`);
  if (item.derived) lines.push(`- Derived by the gateway (vendors must not send it): \`${item.derived.formula}\`(${item.derived.inputs.map((i) => `\`${i}\``).join(', ')})`);
  lines.push(`- Indicators: ${item.indicators.length > 0 ? item.indicators.join(', ') : '–'}`);
  if (item.notes) lines.push(`- Notes: ${item.notes}`);
  lines.push('');
  if (item.thresholds.length === 0) return [...lines, 'No interpretation.', ''];
  return [...lines, ...item.thresholds.flatMap((r) => ruleSection(r, item.value))];
}

function screeningTable(screenings: ScreeningType[]): string[] {
  return table(['Screening', 'Kemkes code', 'Name (id / en)', 'Clusters', 'Items', 'Indicators'], screenings.map((s) => [
    `\`${s.code}\``, s.domainCode, `${s.name.id} / ${s.name.en}`, s.clusters.join(', '), s.items.join(', '), s.indicators.join(', ') || '–',
  ]));
}

function itemTable(items: CatalogueItem[]): string[] {
  return table(['Item', 'Name (id / en)', 'FHIR code', 'Confidence', 'Unit', 'Plausible', 'Rules', 'Indicators'], items.map((i) => [
    `[\`${i.code}\`](#${i.code})`, `${i.name.id} / ${i.name.en}`, i.codings[0] ? coding(i.codings[0]) : '–', i.confidence,
    i.value.type === 'quantity' ? i.value.unit.code : i.value.type, plausibleText(i.value),
    i.thresholds.map((r) => r.id).join(', ') || '–', i.indicators.join(', ') || '–',
  ]));
}

function indicatorTable(items: CatalogueItem[]): string[] {
  return table(['Code', 'Name (id / en)', 'Cluster', 'Rule', 'Items'], INDICATORS.map((ind) => [
    ind.code, `${ind.name.id} / ${ind.name.en}`, String(ind.cluster), ind.rule,
    items.filter((i) => i.indicators.includes(ind.code)).map((i) => i.code).join(', ') || '–',
  ]));
}

/** The whole of docs/catalogue.md. */
export function renderCatalogueMarkdown(cat: Catalogue): string {
  const items = [...cat.items.values()];
  return [
    '# ILP screening catalogue',
    '',
    `Catalogue version **${cat.version}**. Generated from \`src/catalog/\` by \`scripts/gen-catalogue-artifacts.mjs\`: do not edit by hand.`,
    'Judgement calls and guideline gaps are explained in [decision 0002](decisions/0002-threshold-resolutions.md).',
    '',
    '- **Confidence** of the FHIR code: `confident` (verified in a source), `verify` (check against LOINC/SNOMED before going live), `local` (our CodeSystem).',
    '- **Ranges** are inclusive at the item\'s precision. The first rule whose context matches decides; a rule with no bands means "not interpreted".',
    '- **Flags** are v3 ObservationInterpretation codes; the category is the clinical result sent beside it.',
    '',
    '## Screenings',
    '',
    ...screeningTable([...cat.screenings.values()]),
    '',
    '## Items',
    '',
    ...itemTable(items),
    '',
    '## Item details',
    '',
    ...items.flatMap(itemSection),
    '## Indicators',
    '',
    ...indicatorTable(items),
    '',
  ].join('\n');
}

// `node dist/catalog/render-docs.js > docs/catalogue.md` (npm run docs:catalogue).
if (require.main === module) process.stdout.write(renderCatalogueMarkdown(loadCatalogue()));
