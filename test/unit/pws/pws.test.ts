import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogue, INDICATORS } from '../../../src/catalog';
import { ageOn, contributionsOf, localDateOf, personKeyOf } from '../../../src/pws/contributions';
import { monthsBefore, parseArea, parsePeriod, yearToDate } from '../../../src/pws/query';
import { INDICATOR_RULES, NOT_COMPUTED, TARGET_GROUPS } from '../../../src/pws/registry';
import { renderPwsMarkdown } from '../../../src/pws/render-docs';
import { pwsScope } from '../../../src/pws/scope';
import { targetsFromCsv, targetsFromJson } from '../../../src/pws/targets';
import { prepareVisit } from '../../../src/pipeline/submit-visit';
import { OperationOutcomeError } from '../../../src/kernel';
import { intakeDeps } from '../../support/intake';
import { example } from '../../support/submissions';

describe('periods and areas', () => {
  test('a month and a year on the local calendar', () => {
    expect(parsePeriod('2026-03')).toEqual({ text: '2026-03', year: 2026, month: 3, from: '2026-03-01', to: '2026-04-01' });
    expect(parsePeriod('2026-12')).toMatchObject({ from: '2026-12-01', to: '2027-01-01' });
    expect(parsePeriod('2026')).toEqual({ text: '2026', year: 2026, from: '2026-01-01', to: '2027-01-01' });
    expect(yearToDate(parsePeriod('2026-03') as never)).toMatchObject({ from: '2026-01-01', to: '2026-04-01' });
    expect(monthsBefore('2026-01-01', 1)).toBe('2025-12-01');
    expect(monthsBefore('2026-03-01', 12)).toBe('2025-03-01');
  });
  test.each(['2026-00', '2026-13', '26', '2026-3', 'x', '', '1999'])('period %p is refused', (p) => {
    expect(parsePeriod(p)).toMatchObject({ errorCode: 'PWS-PERIOD-INVALID', expression: 'period' });
  });
  test('areas are Kemendagri codes of 2, 4, 6 or 10 digits with a known province', () => {
    expect(parseArea('35')).toEqual({ code: '35', level: 'province' });
    expect(parseArea('3508')).toEqual({ code: '3508', level: 'city' });
    expect(parseArea('350801')).toEqual({ code: '350801', level: 'district' });
    expect(parseArea('3508012001')).toEqual({ code: '3508012001', level: 'village' });
    for (const bad of ['3', '350', '35080', '99', '3508010001', '35a8']) expect(parseArea(bad)).toMatchObject({ errorCode: 'PWS-AREA-INVALID' });
  });
});

describe('who sees what', () => {
  test('a vendor sees its own organisations; the ministry everything', () => {
    expect(pwsScope({ organizations: ['10000005'], regions: 'all' }, '35')).toEqual({ areaPrefix: '35', organizations: ['10000005'], regions: 'all' });
    expect(pwsScope({ organizations: 'all', regions: 'all' }, '35')).toEqual({ areaPrefix: '35', organizations: 'all', regions: 'all' });
  });
  test('a district team sees its regions: inside one, the area; above them, only its regions; elsewhere 403', () => {
    const district = { organizations: 'all' as const, regions: ['3508', '3509'] };
    expect(pwsScope(district, '350801')).toMatchObject({ regions: 'all' });
    expect(pwsScope(district, '35')).toMatchObject({ regions: ['3508', '3509'] });
    expect(() => pwsScope(district, '3510')).toThrow(OperationOutcomeError);
    expect(() => pwsScope(district, '92')).toThrow(OperationOutcomeError);
  });
});

describe('contributions of a visit', () => {
  test('local date of an instant on the visit\'s own offset, age in completed days, months and years', () => {
    expect(localDateOf('2026-03-09T17:30:00+00:00', 420)).toBe('2026-03-10');
    expect(localDateOf('2026-03-09T17:30:00+00:00', 0)).toBe('2026-03-09');
    expect(ageOn('2021-03-10', '2026-03-10')).toEqual({ days: 1826, months: 60, years: 5 });
    expect(ageOn('2021-03-10', '2026-03-09')).toEqual({ days: 1825, months: 59, years: 4 });
    expect(ageOn('2026-03-10', '2026-03-10')).toEqual({ days: 0, months: 0, years: 0 });
  });
  test('the person across organisations: NIK, or the mother\'s NIK and birth order', () => {
    expect(personKeyOf({ nik: '3508012345670001' })).toBe('nik:3508012345670001');
    expect(personKeyOf({ motherNik: '3508012345670002', birthDate: '2026-03-01', multipleBirth: 2 })).toBe('ibu:3508012345670002:2026-03-01:2');
    expect(personKeyOf({})).toBeUndefined();
  });
  test('the reference visit: items, bands, ordinal and life cycle as facts, residence village, age at the visit', () => {
    const prepared = prepareVisit(example(), intakeDeps());
    const { rows, aliases } = contributionsOf(prepared.bundle, intakeDeps().catalogue, { organizationId: '10000005', offsetMinutes: prepared.sub.offsetMinutes });
    expect(aliases).toEqual([]);
    const facts = rows.map((r) => r.fact);
    // Written out by hand from docs/examples/ilp-submission.example.json (BP 142/92 at 24 weeks, Hb 10.4, MUAC 24.5).
    expect(facts).toEqual(expect.arrayContaining([
      'item:systolic-bp', 'band:systolic-bp:hipertensi-kehamilan', 'item:diastolic-bp', 'band:diastolic-bp:hipertensi-kehamilan',
      'item:hemoglobin', 'band:hemoglobin:OI000032', 'item:muac', 'band:muac:tidak-kek', 'visit:K2', 'life-cycle:ibu-hamil',
      'value:cough-2-weeks:false', 'band:tb-screening-result:bukan-terduga-tbc',
    ]));
    expect(new Set(facts).size).toBe(facts.length);
    for (const r of rows) {
      expect(r).toMatchObject({ personKey: 'nik:9271060312000001', villageCode: '3508012001', localDate: '2024-07-29', ageYears: 22, sex: 'female', pregnant: true, organizationId: '10000005' });
    }
  });
});

describe('contributions of a FHIR-native visit', () => {
  test('the same facts as the ILP path; the local date from the residence province\'s time zone when sent in UTC', () => {
    const deps = intakeDeps();
    const body = example();
    body.patient.address.villageCode = '9271061001'; // Papua Barat Daya: WIT, UTC+9
    body.start = '2024-07-29T23:30:00+09:00';
    body.end = '2024-07-29T23:50:00+09:00';
    const prepared = prepareVisit(body, deps);
    const ilp = contributionsOf(prepared.bundle, deps.catalogue, { organizationId: 'o', offsetMinutes: prepared.sub.offsetMinutes });
    // The mapped Bundle is in UTC (14:30Z), as a FHIR-native vendor must send it to SATUSEHAT.
    const fhir = contributionsOf(prepared.bundle, deps.catalogue, { organizationId: 'o' });
    expect(fhir).toEqual(ilp);
    expect(new Set(fhir.rows.map((r) => r.localDate))).toEqual(new Set(['2024-07-29']));
    // The same instant for a resident of Jawa Timur (WIB, UTC+7) is still 29 July locally; at 18:00Z it is the 30th.
    const java = contributionsOf({ ...prepared.bundle, entry: prepared.bundle.entry!.map((e) => e.resource?.resourceType === 'Encounter' ? { ...e, resource: { ...e.resource, period: { start: '2024-07-29T18:00:00+00:00' } } } : e) }, deps.catalogue, { organizationId: 'o' });
    expect(java.rows[0]?.localDate).toBe('2024-07-30');
  });
  test('a Bundle that cannot be placed (no Patient, or no residence village) contributes nothing', () => {
    const deps = intakeDeps();
    const prepared = prepareVisit(example(), deps);
    const noPatient = { ...prepared.bundle, entry: prepared.bundle.entry!.filter((e) => e.resource?.resourceType !== 'Patient') };
    expect(contributionsOf(noPatient, deps.catalogue, { organizationId: 'o' })).toEqual({ rows: [], aliases: [] });
  });
});

describe('targets', () => {
  test('JSON: every problem named by its group; good rows kept for the answer', () => {
    expect(targetsFromJson('3508012001', '2026', { balita: 120, 'ibu-hamil': 30 })).toEqual({
      rows: [{ villageCode: '3508012001', year: 2026, group: 'balita', count: 120 }, { villageCode: '3508012001', year: 2026, group: 'ibu-hamil', count: 30 }],
      issues: [],
    });
    const bad = targetsFromJson('350801200', '26', { balita: -1, kucing: 2 });
    expect(bad.issues.map((i) => i.expression)).toEqual(['villageCode', 'year', 'balita', 'kucing']);
  });
  test('CSV: header required, each bad line named, duplicates refused, CRLF and BOM accepted', () => {
    const ok = targetsFromCsv('\uFEFFvillageCode,year,group,count\r\n3508012001,2026,balita,120\r\n\r\n3508012002,2026,bayi,40\r\n');
    expect(ok.issues).toEqual([]);
    expect(ok.rows).toHaveLength(2);
    expect(targetsFromCsv('village,year\n')).toMatchObject({ rows: [], issues: [{ errorCode: 'PWS-TARGET-CSV', expression: 'line 1' }] });
    const bad = targetsFromCsv('villageCode,year,group,count\n3508012001,2026,balita,12.5\n3508012001,2026,balita,3\n3508012001,2026,balita,4\n1,2,3\n');
    expect(bad.issues.map((i) => i.expression)).toEqual(['line 2', 'line 4', 'line 5']);
  });
});

describe('the registry', () => {
  const catalogue = loadCatalogue();
  const bandCodes = (item: string) => new Set(catalogue.items.get(item)?.thresholds.flatMap((t) => t.bands.map((b) => b.category.code)) ?? []);

  test('every indicator code the catalogue tags items with is computed or said not to be', () => {
    const computed = new Set(INDICATOR_RULES.map((r) => r.code));
    for (const i of INDICATORS) expect(computed.has(i.code) || i.code in NOT_COMPUTED).toBe(true);
  });

  test('codes are unique, target groups known, and every item and band a rule names exists in the catalogue', () => {
    expect(new Set(INDICATOR_RULES.map((r) => r.code)).size).toBe(INDICATOR_RULES.length);
    const problems: string[] = [];
    for (const r of INDICATOR_RULES) {
      if ('target' in r.denominator && !TARGET_GROUPS.includes(r.denominator.target)) problems.push(`${r.code}: group ${r.denominator.target}`);
      const populations = [r.numerator, ...('requires' in r.denominator ? [r.denominator] : [])];
      for (const fact of populations.flatMap((p) => p.requires.flatMap((q) => q.anyOf))) {
        const [kind, item, category] = fact.split(':') as [string, string, string | undefined];
        if ((kind === 'item' || kind === 'band' || kind === 'value') && !catalogue.items.has(item)) problems.push(`${r.code}: unknown item ${item}`);
        else if (kind === 'band' && !bandCodes(item).has(category ?? '')) problems.push(`${r.code}: ${item} has no band ${category}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('what a rule cannot count yet is said in both languages, and they differ (no untranslated copy)', () => {
    const said = INDICATOR_RULES.filter((r) => r.notCaptured);
    expect(said.length).toBeGreaterThan(10);
    for (const r of said) {
      expect(r.notCaptured!.en.length).toBeGreaterThan(10);
      expect(r.notCaptured!.id.length).toBeGreaterThan(10);
      expect(r.notCaptured!.id).not.toBe(r.notCaptured!.en);
    }
    // Bahasa Indonesia's own words for "not captured" / "not checked" / "not part of".
    expect(said.every((r) => /belum/.test(r.notCaptured!.id))).toBe(true);
  });
});

describe('docs/pws.md', () => {
  test('is the registry as rendered now (npm run build && npm run docs:pws)', () => {
    expect(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'pws.md'), 'utf8')).toBe(renderPwsMarkdown());
  });
});
