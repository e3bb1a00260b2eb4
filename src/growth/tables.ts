import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The WHO LMS tables, read once when this module is first imported (never at call time), from the
 * files WHO distributes with its reference implementations, kept verbatim in ./data (see its
 * README.md for source and citation). scripts/build.mjs copies them next to the compiled module.
 */

/** Box-Cox power, median and coefficient of variation at one key (age or length/height) for one sex. */
export interface Lms {
  readonly l: number;
  readonly m: number;
  readonly s: number;
}

/** 1 = male, 2 = female: the coding of WHO's files. */
export type SexCode = 1 | 2;

/**
 * One table: rows keyed by an integer grid index per sex. Age tables use the age itself (days or
 * months); length/height tables use tenths of a centimetre (45.1 cm → 451), so a lookup never
 * compares floating-point keys.
 */
export interface LmsTable {
  readonly name: string;
  row(sex: SexCode, index: number): Lms | undefined;
}

const DATA_DIR = join(__dirname, 'data');

function parseTable(file: string, keyToIndex: (key: number) => number): LmsTable {
  const text = readFileSync(join(DATA_DIR, file), 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines.shift() ?? '').split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`growth table ${file}: no column ${name}`);
    return i;
  };
  const [sexCol, lCol, mCol, sCol] = [col('sex'), col('l'), col('m'), col('s')];
  const keyCol = header.findIndex((h) => h === 'age' || h === 'length' || h === 'height');
  if (keyCol < 0) throw new Error(`growth table ${file}: no key column`);
  const rows: Record<SexCode, Map<number, Lms>> = { 1: new Map(), 2: new Map() };
  for (const line of lines) {
    const cells = line.split('\t').map((c) => Number(c));
    const [sex, key, l, m, s] = [cells[sexCol], cells[keyCol], cells[lCol], cells[mCol], cells[sCol]];
    if ((sex !== 1 && sex !== 2) || [key, l, m, s].some((v) => v === undefined || !Number.isFinite(v))) {
      throw new Error(`growth table ${file}: malformed row "${line}"`);
    }
    rows[sex].set(keyToIndex(key as number), { l: l as number, m: m as number, s: s as number });
  }
  return { name: file, row: (sex, index) => rows[sex].get(index) };
}

const byInteger = (key: number): number => key;
const byTenth = (key: number): number => Math.round(key * 10);

/** WHO Child Growth Standards (2006/2007), keyed by age in days 0–1826 (arm circumference from 91). */
export const WEIGHT_FOR_AGE = parseTable('weianthro.txt', byInteger);
export const LENGTH_FOR_AGE = parseTable('lenanthro.txt', byInteger);
export const BMI_FOR_AGE = parseTable('bmianthro.txt', byInteger);
export const HEAD_CIRCUMFERENCE_FOR_AGE = parseTable('hcanthro.txt', byInteger);
export const ARM_CIRCUMFERENCE_FOR_AGE = parseTable('acanthro.txt', byInteger);
/** Keyed by length (45–110 cm) / height (65–120 cm) in tenths of a centimetre. */
export const WEIGHT_FOR_LENGTH = parseTable('wflanthro.txt', byTenth);
export const WEIGHT_FOR_HEIGHT = parseTable('wfhanthro.txt', byTenth);

/** WHO Growth Reference 2007 (5–19 years), keyed by age in whole months. */
export const BMI_FOR_AGE_2007 = parseTable('bfawho2007.txt', byInteger);
export const HEIGHT_FOR_AGE_2007 = parseTable('hfawho2007.txt', byInteger);
export const WEIGHT_FOR_AGE_2007 = parseTable('wfawho2007.txt', byInteger);
