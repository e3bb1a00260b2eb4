import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Kemendagri area names (province → kabupaten/kota → kecamatan → desa/kelurahan) from the MIT
 * package idn-area-data (its CSVs follow Kepmendagri 300.2.2-2138/2025). Codes there are dotted
 * (35.08.01.2001); the gateway's are the same digits without dots (3508012001). Loaded once, on
 * the first console page that needs a name (about 84,000 villages, a few MB in memory).
 */
export interface AreaTable {
  name(code: string): string | undefined;
  /** The next level's codes under `code` ('' = the provinces), sorted. */
  children(code: string): string[];
}

const LEVEL_FILES = ['provinces.csv', 'regencies.csv', 'districts.csv', 'villages.csv'];

/** RFC 4180 lines of `code,parent?,name`: the name is the last field and may be quoted. */
function parseLine(line: string): { code: string; name: string } | undefined {
  const comma = line.indexOf(',');
  if (comma <= 0) return undefined;
  const code = line.slice(0, comma).replace(/\./g, '');
  const rest = line.slice(comma + 1);
  // provinces.csv: code,name; the others: code,parent_code,name.
  const nameField = /^\d[\d.]*,/.test(rest) ? rest.slice(rest.indexOf(',') + 1) : rest;
  const name = nameField.startsWith('"') ? nameField.slice(1, -1).replace(/""/g, '"') : nameField;
  return /^\d+$/.test(code) ? { code, name: name.trim() } : undefined;
}

export function loadAreaTable(dataDir = join(dirname(require.resolve('idn-area-data')), '..', 'data')): AreaTable {
  const names = new Map<string, string>();
  const children = new Map<string, string[]>();
  for (const file of LEVEL_FILES) {
    const lines = readFileSync(join(dataDir, file), 'utf8').split(/\r?\n/).slice(1);
    for (const line of lines) {
      const row = parseLine(line);
      if (!row) continue;
      names.set(row.code, row.name);
      const parent = row.code.length === 2 ? '' : row.code.slice(0, row.code.length === 10 ? 6 : row.code.length - 2);
      const list = children.get(parent) ?? [];
      list.push(row.code);
      children.set(parent, list);
    }
  }
  for (const list of children.values()) list.sort();
  return { name: (code) => names.get(code), children: (code) => children.get(code) ?? [] };
}

let shared: AreaTable | undefined;

/** The package's table, loaded on first use. */
export function areaTable(): AreaTable {
  shared ??= loadAreaTable();
  return shared;
}

/** The chain of ancestors of a code, top first, itself last: 3508012001 → 35, 3508, 350801, 3508012001. */
export function ancestry(code: string): string[] {
  return [2, 4, 6, 10].filter((n) => n <= code.length).map((n) => code.slice(0, n));
}

/** The code length of the level below (10 after a kecamatan), undefined below a village. */
export function childLength(code: string): number | undefined {
  return ({ 0: 2, 2: 4, 4: 6, 6: 10 } as Record<number, number>)[code.length];
}
