import { loadCatalogue } from '../catalog';
import { INDICATOR_RULES, NOT_COMPUTED, TARGET_GROUPS, type AgeRule, type IndicatorRule, type Population } from './registry';

/**
 * docs/pws.md: every indicator with its rule, source and what is not captured yet, for a district
 * health officer. Generated from the registry (npm run docs:pws) so the page never disagrees
 * with what the gateway counts; a test compares it with a fresh rendering.
 */

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function ageText(a: AgeRule | undefined): string {
  if (!a) return 'all ages';
  const unit = { days: 'days', months: 'months', years: 'years' }[a.unit];
  const band = a.min !== undefined && a.max !== undefined ? `${a.min}–${a.max - 1} ${unit}` : a.min !== undefined ? `≥ ${a.min} ${unit}` : `< ${a.max} ${unit}`;
  return a.perFact ? `each visit or dose at ${band}` : band;
}

function factText(fact: string, itemName: (code: string) => string): string {
  const [kind, a, b] = fact.split(':') as [string, string, string | undefined];
  switch (kind) {
    case 'item': return `${itemName(a)} measured`;
    case 'band': return `${itemName(a)} = \`${b}\``;
    case 'value': return `${itemName(a)} answer \`${b}\``;
    case 'visit': return `visit ${a}`;
    case 'vaccine': return a;
    case 'life-cycle': return `life cycle ${a}`;
    default: return fact;
  }
}

function populationText(p: Population, itemName: (code: string) => string): string {
  const reqs = p.requires.map((r) => {
    const any = [...new Set(r.anyOf.map((f) => factText(f, itemName)))].join(' or ');
    return (r.minDates ?? 1) > 1 ? `${any} on ≥ ${r.minDates} days` : any;
  });
  const who = [ageText(p.age), ...(p.sex ? [p.sex] : []), ...(p.pregnant ? ['pregnant (visit in ibu-hamil)'] : [])].join(', ');
  const look = p.lookbackMonths ? `; facts up to ${p.lookbackMonths} month(s) before the period count toward completion` : '';
  return `${who}: ${reqs.join(' **and** ')}${look}`;
}

function indicatorRows(rules: readonly IndicatorRule[], itemName: (code: string) => string): string[] {
  return rules.map((r) => {
    const den = 'target' in r.denominator ? `sasaran \`${r.denominator.target}\`` : populationText(r.denominator, itemName);
    return `| \`${r.code}\` | ${cell(r.name.id)}<br>${cell(r.name.en)} | ${r.period} | ${cell(r.numerator.text.en)}<br><small>${cell(populationText(r.numerator, itemName))}</small> | ${cell(r.denominator.text.en)}<br><small>${cell(den)}</small> | ${r.programTarget ?? ''} | ${cell(r.source)} | ${r.notCaptured ? `${cell(r.notCaptured.en)}<br><small>${cell(r.notCaptured.id)}</small>` : ''} |`;
  });
}

/** The monthly village MeasureReports (src/pws/report-job.ts): what is stored, when, and who sees it. */
function monthlyReportSection(): string[] {
  return [
    '## Monthly MeasureReports per village',
    '',
    'After a month is over in every time zone (00:00 WIB on the 1st), the gateway stores, for every village with visits',
    'or a sasaran and for every indicator below, a FHIR `MeasureReport` (summary) with the same numerator, denominator and',
    'value as `GET /fhir/Measure/{code}/$evaluate-measure` for that village and month. Its id is',
    '`pws-{code}-{villageCode}-{YYYY-MM}`; the subject is the village\'s Kemendagri code. During the grace window after',
    'the month (`PWS_REPORTS_GRACE_DAYS`, 10 days by default) the month is recomputed daily, so visits that arrive late',
    'are in it; a report whose figures changed gets a new version (its history keeps the earlier figures), one whose',
    'figures did not change stays as it is.',
    '',
    'The ministry and district teams pull them with `GET /fhir/MeasureReport?measure=Measure/{code}&period=YYYY-MM&city=3508`',
    '(also `province`, `district`, `village`) or Bulk `GET /fhir/$export?_type=MeasureReport`; see docs/ministry-guide.md.',
    'They count every organisation\'s visits, so they are shown to accounts not limited to organisations (the ministry, and',
    'district teams for their own regions); a SIMPUS vendor account sees its own figures on `/pws/v1/indicators` and',
    '`$evaluate-measure` instead.',
    '',
  ];
}

export function renderPwsMarkdown(): string {
  const catalogue = loadCatalogue();
  const itemName = (code: string): string => catalogue.items.get(code)?.name.en.toLowerCase() ?? code;
  const head = '| code | name | period | numerator | denominator | target % | source | not captured yet |\n|---|---|---|---|---|---|---|---|';
  const byKind = (kind: 'PWS' | 'SPM') => INDICATOR_RULES.filter((r) => r.kind === kind);
  return [
    '# Village monitoring (PWS): what the gateway counts',
    '',
    '<!-- Generated from src/pws/registry.ts by `npm run docs:pws`; do not edit by hand. -->',
    '',
    'For district and Puskesmas health officers. Every figure on `GET /pws/v1/indicators`, in the CSV and in the',
    'MeasureReports is counted from the visits the gateway received, with these rules:',
    '',
    '- **People, not visits.** A person seen twice in the period counts once. A person is their NIK; a newborn without',
    '  a NIK is its mother\'s NIK and birth order, and becomes the same person once a visit brings the child\'s own NIK.',
    '  Records of the same NIK from different Puskesmas are one person.',
    '- **Where they live, not where they were served.** The village is the patient\'s address (Kemendagri code) at the',
    '  time of the visit. Someone who moves keeps their earlier visits counted in the village they lived in then.',
    '- **Age at the visit**, in completed days, months or years, on the local calendar of the visit (WIB, WITA or WIT',
    '  as the SIMPUS sent it). "Under five" is 0–59 months: a child on its fifth birthday no longer counts.',
    '  The age group is decided **per person**: someone is in the group when one of their services of the rule in the',
    '  period was at an age in the group, and then all their services of the period count (SPM-04: a child weighed at',
    '  58, 59, 60 and 61 months has all four weighings). Where the rule is a deadline ("KN3 by 28 days", "every basic',
    '  dose before 12 months") each visit or dose must be within it; the tables say "each visit or dose at …".',
    '- **Periods** are calendar months (`YYYY-MM`) or years (`YYYY`) by the visit\'s local date. A month also shows the',
    '  cumulative year-to-date figure (PWS *kumulatif*) and, for indicators with a programme target, the linear target',
    '  line of the PWS chart: target × month ÷ 12. Indicators whose period is the **year** (the SPM services, annual',
    '  screenings) asked for a month are counted **from 1 January to the end of that month** (year to date), never the',
    '  month alone: `countedPeriod` in the API, `counted_period` in the CSV and the MeasureReport\'s period say so.',
    '- **Denominators** are either a *sasaran* (target) the district enters per village and year, or the people measured',
    '  in the same period (for example "residents ≥ 15 with blood pressure measured"). Coverage against a sasaran uses the',
    '  year\'s sasaran for months too (the PWS convention). Without a sasaran the value is empty and `targetMissing` says',
    '  which group to enter.',
    '- **Areas**: a kecamatan, kabupaten/kota or province adds up its villages as distinct people (not an average of',
    '  percentages). You see only the villages and organisations your account is allowed.',
    '- **A Puskesmas\'s own view** (an account limited to its organisations) counts the people it served: a person',
    '  counts when the Puskesmas recorded one of the indicator\'s services for them in the period, and whether they',
    '  completed the series (KN lengkap, KF lengkap, IDL, SPM-04) is judged on all their visits in the area, at any',
    '  Puskesmas. A newborn with KN1 at Puskesmas A and KN2–KN3 at B is complete for A, for B and for the district',
    '  (once). Only the counts are shared, never whose visits they were.',
    '- **A changed visit replaces what it counted** (the SIMPUS re-sends it with the same submissionId); a visit that',
    '  arrives late counts in the month it happened.',
    '',
    '## Entering targets (sasaran)',
    '',
    '`PUT /pws/v1/targets/{villageCode}/{year}` with `{ "<group>": count }`, or a CSV for a whole district',
    '(`POST /pws/v1/targets`, `Content-Type: text/csv`, first line `villageCode,year,group,count`). A file with any bad line',
    'is refused whole, naming each line. Groups:',
    '',
    TARGET_GROUPS.map((g) => `\`${g}\``).join(', ') + '.',
    '',
    ...monthlyReportSection(),
    ...yearTablesSection(),
    '## PWS indicators',
    '',
    head,
    ...indicatorRows(byKind('PWS'), itemName),
    '',
    '## SPM services (per person per year)',
    '',
    head,
    ...indicatorRows(byKind('SPM'), itemName),
    '',
    '## Not computed',
    '',
    ...Object.entries(NOT_COMPUTED).map(([code, why]) => `- \`${code}\`: ${why}`),
    '',
  ].join('\n');
}

/** How whole years are counted fast (src/store/pws-year.ts): for the officer, what it changes (nothing in the figures) and when it is not used. */
function yearTablesSection(): string[] {
  return [
    '## How a whole year is counted',
    '',
    'A year (`period=YYYY`) asked by an account that sees every organisation (the ministry, a district team, with or',
    'without region limits) is read from year tables the gateway updates in the same transaction as each visit: for',
    'every indicator\'s population and calendar year, who met it and their village, and how many per village. A person',
    'whose visits of that year (and of the months before it that a rule looks back on, up to 12) all give the same',
    'village of residence is counted from these tables. A person recorded in two or more villages in that time (a move,',
    'or a corrected address) is counted from their visits when the figure is asked, so they count once in an area',
    'holding both villages and once in each of two areas that do not. The figures are the same as counting every visit',
    '(checked on randomised visits, moves, changed and late visits: `test/integration/pws/year-members.test.ts`); only',
    'the time differs (a province year in about 0.1 s instead of 2 s at a million Observations, docs/performance.md).',
    '',
    'Counted from the visits as before: months and year-to-date figures, and the view of an account limited to its',
    'organisations (people served, judged on all their visits). When a release changes an indicator\'s rule, the',
    'gateway rebuilds the year tables from the stored visits at start-up, before it serves (the log says how long:',
    'minutes per million stored Observations); restart every gateway of one database on the new release together.',
    '',
  ];
}

if (require.main === module) process.stdout.write(renderPwsMarkdown());
