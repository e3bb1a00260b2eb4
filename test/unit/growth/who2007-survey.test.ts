import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAYS_PER_MONTH, growthZScores } from '../../../src/growth';

// A second, independent oracle for the 5–19-year reference: the survey anthroplus tests itself
// against (test/fixtures/growth/README.md), with the z-scores of WHO's earlier implementation of
// the WHO 2007 reference. As in anthroplus's test, the reference's age limits were exclusive and
// anthroplus's are inclusive, so scores past 228 months (height, BMI) and 120 months (weight) are
// expected absent. The survey gives age in months (2 decimals), passed as days = months × 30.4375.

interface Row { id: string; sex: 'male' | 'female'; months: number; weight?: number; height?: number; oedema: boolean; want: Record<'zhfa' | 'zwfa' | 'zbfa', number | undefined>; flag: Record<'fhfa' | 'fwfa' | 'fbfa', string> }

function rows(): Row[] {
  const [header, ...lines] = readFileSync(join(__dirname, '../../fixtures/growth/anthroplus-survey-who2007-z.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = (header ?? '').split(',').map((c) => c.replace(/"/g, ''));
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.replace(/"/g, ''));
    const cell = (name: string): string => {
      const i = cols.indexOf(name);
      if (i < 0) throw new Error(`survey has no column ${name}`);
      return cells[i] ?? '';
    };
    const num = (name: string): number | undefined => (cell(name) === '' || cell(name) === 'NA' ? undefined : Number(cell(name)));
    const months = Number(cell('agemons'));
    return {
      id: cell('id'), sex: cell('sex') === '1' ? 'male' : 'female', months, weight: num('weight'), height: num('height'), oedema: cell('oedema') === 'y',
      want: { zhfa: months > 228 ? undefined : num('zhfa'), zwfa: months > 120 ? undefined : num('zwfa'), zbfa: months > 228 ? undefined : num('zbfa') },
      flag: { fhfa: cell('fhfa'), fwfa: cell('fwfa'), fbfa: cell('fbfa') },
    };
  });
}

const survey = rows();
const INDEX = { zhfa: 'heightForAge', zwfa: 'weightForAge', zbfa: 'bmiForAge' } as const;

test('the survey is there and large (933 children, > 2000 z-scores)', () => {
  expect(survey.length).toBe(933);
  expect(survey.flatMap((r) => Object.values(r.want).filter((z) => z !== undefined)).length).toBeGreaterThan(2000);
});

test('every z-score agrees within 0.01, the same indices are present, and the flags agree where the reference gives one', () => {
  const disagreements: string[] = [];
  for (const r of survey) {
    const got = growthZScores({ sex: r.sex, ageDays: r.months * DAYS_PER_MONTH, weightKg: r.weight, lengthOrHeightCm: r.height, measured: 'standing', oedema: r.oedema });
    for (const [col, index] of Object.entries(INDEX) as [keyof typeof INDEX, (typeof INDEX)[keyof typeof INDEX]][]) {
      const want = r.want[col];
      const z = got[index];
      if (want === undefined || z === undefined) {
        if (want !== z?.z) disagreements.push(`${r.id} ${col}: want ${want}, got ${z?.z}`);
        continue;
      }
      if (Math.abs(z.z - want) > 0.01 + 1e-9) disagreements.push(`${r.id} ${col}: want ${want}, got ${z.z}`);
      const flagCol = `f${col.slice(1)}` as keyof Row['flag'];
      // Five BMI z-scores above +5 have no flag in the reference file; anthroplus flags |z| > 5.
      const wantFlag = r.flag[flagCol] === '' ? Math.abs(want) > 5 : r.flag[flagCol] === '1';
      if (z.flagged !== wantFlag) disagreements.push(`${r.id} ${col}: flag want ${wantFlag}, got ${z.flagged}`);
    }
  }
  expect(disagreements).toEqual([]);
});
