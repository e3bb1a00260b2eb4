import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GrowthInput, type GrowthZScores, growthZScores } from '../../../src/growth';

// The oracle: test/fixtures/growth/who-oracle.tsv, computed by WHO's own reference implementations
// (R packages anthro 1.1.0.9000 @ b776d8a and anthroplus 1.0.0.9000 @ 799a7de, run from their GitHub
// source under R 4.2.2 by test/fixtures/growth/who-oracle.R from who-oracle-cases.tsv). An empty
// expected cell means WHO's package computes no z-score for that index (age range, table range,
// oedema, missing measurement): the engine must leave that index out too.

const INDICES = ['weightForAge', 'heightForAge', 'weightForHeight', 'bmiForAge', 'headCircumferenceForAge', 'muacForAge'] as const;
type Index = (typeof INDICES)[number];

interface OracleCase {
  id: string;
  note: string;
  input: GrowthInput;
  expected: Partial<Record<Index, { z: number; flagged: boolean }>>;
}

function readOracle(): OracleCase[] {
  const [header, ...lines] = readFileSync(join(__dirname, '../../fixtures/growth/who-oracle.tsv'), 'utf8').trimEnd().split('\n');
  const columns = (header ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const cell = (name: string): string => {
      const i = columns.indexOf(name);
      if (i < 0) throw new Error(`who-oracle.tsv has no column ${name}`);
      return cells[i] ?? '';
    };
    const num = (name: string): number | undefined => (cell(name) === '' ? undefined : Number(cell(name)));
    const measured = cell('measured');
    const input: GrowthInput = {
      sex: cell('sex') === 'male' ? 'male' : 'female',
      ageDays: Number(cell('ageDays')),
      weightKg: num('weightKg'),
      lengthOrHeightCm: num('lengthOrHeightCm'),
      measured: measured === 'recumbent' || measured === 'standing' ? measured : undefined,
      headCircumferenceCm: num('headCircumferenceCm'),
      muacCm: num('muacCm'),
      oedema: cell('oedema') === 'yes',
    };
    const expected: OracleCase['expected'] = {};
    for (const index of INDICES) {
      const z = num(index);
      if (z !== undefined) expected[index] = { z, flagged: cell(`${index}Flag`) === '1' };
    }
    return { id: cell('id'), note: cell('note'), input, expected };
  });
}

const cases = readOracle();
const withIndex = (index: Index): OracleCase[] => cases.filter((c) => c.expected[index] !== undefined);

describe('the oracle covers what issue 9 asks for', () => {
  test('at least 40 cases', () => expect(cases.length).toBeGreaterThanOrEqual(40));

  test.each(INDICES)('%s: computed for both sexes, flagged at least once, absent at least once', (index) => {
    expect(withIndex(index).filter((c) => c.input.sex === 'male').length).toBeGreaterThanOrEqual(3);
    expect(withIndex(index).filter((c) => c.input.sex === 'female').length).toBeGreaterThanOrEqual(3);
    expect(withIndex(index).some((c) => c.expected[index]?.flagged)).toBe(true);
    expect(cases.some((c) => c.expected[index] === undefined)).toBe(true);
  });

  test('the age edges: 0, 730, 731, 1826 days, 61 months, 19 years and just past it', () => {
    const ages = new Set(cases.map((c) => c.input.ageDays));
    for (const days of [0, 730, 731, 1826, 1827, 1857, 6939, 6940]) expect(ages).toContain(days);
  });

  test('beyond ±3 SD on both sides for the restricted indices, and oedema', () => {
    for (const index of ['weightForAge', 'weightForHeight', 'bmiForAge', 'muacForAge'] as const) {
      expect(withIndex(index).some((c) => (c.expected[index]?.z ?? 0) > 3)).toBe(true);
      expect(withIndex(index).some((c) => (c.expected[index]?.z ?? 0) < -3)).toBe(true);
    }
    expect(cases.filter((c) => c.input.oedema).length).toBeGreaterThanOrEqual(2);
  });

  test('lengths off the 0.1 cm grid (interpolated weight-for-length/height)', () => {
    const offGrid = withIndex('weightForHeight').filter((c) => Math.abs((c.input.lengthOrHeightCm ?? 0) * 10 - Math.round((c.input.lengthOrHeightCm ?? 0) * 10)) > 1e-6);
    expect(offGrid.length).toBeGreaterThanOrEqual(3);
  });
});

describe('growthZScores agrees with WHO anthro/anthroplus within 0.01, with the same flags', () => {
  test.each(cases.map((c) => [c.id, c.note, c] as const))('%s (%s)', (_id, _note, c) => {
    const actual: GrowthZScores = growthZScores(c.input);
    for (const index of INDICES) {
      const want = c.expected[index];
      const got = actual[index];
      if (want === undefined) {
        expect({ index, got }).toEqual({ index, got: undefined });
        continue;
      }
      expect({ index, present: got !== undefined }).toEqual({ index, present: true });
      expect({ index, off: Math.abs((got?.z ?? NaN) - want.z) <= 0.01 + 1e-9 }).toEqual({ index, off: true });
      expect({ index, flagged: got?.flagged }).toEqual({ index, flagged: want.flagged });
    }
  });
});
