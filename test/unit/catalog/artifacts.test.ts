import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalogue } from '../../../src/catalog';
import {
  catalogueCodeSystems, codeSystemAnswers, codeSystemClusters, codeSystemInterpretations, codeSystemItems, codeSystemLifeCycles,
} from '../../../src/catalog/artifacts';
import { renderCatalogueMarkdown, rangeText } from '../../../src/catalog/render-docs';
import { ILP } from '../../../src/fhir/canonical';

const ROOT = resolve(__dirname, '../../..');
const cat = loadCatalogue();
const codes = (cs: { concept?: { code: string }[] }): string[] => (cs.concept ?? []).map((c) => c.code);

describe('generated CodeSystems', () => {
  test('every CodeSystem is active, complete and versioned with the catalogue', () => {
    for (const cs of Object.values(catalogueCodeSystems(cat))) {
      expect(cs).toMatchObject({ resourceType: 'CodeSystem', status: 'active', content: 'complete', version: cat.version, caseSensitive: true });
      expect(cs.count).toBe(cs.concept?.length);
      expect(new Set(codes(cs)).size).toBe(cs.concept?.length);
    }
  });

  test('items: every catalogue code, with the Indonesian name as a designation', () => {
    const cs = codeSystemItems(cat);
    expect(cs.url).toBe(ILP.itemCodeSystem);
    expect(codes(cs)).toEqual([...cat.items.keys()]);
    expect(cs.concept?.find((c) => c.code === 'adl-score')?.designation?.[0]).toEqual({ language: 'id', value: 'Skor AKS/ADL (indeks Barthel modifikasi, 0–20)' });
  });

  test('interpretations: only the local result categories', () => {
    const cs = codeSystemInterpretations(cat);
    expect(cs.url).toBe(ILP.interpretationCodeSystem);
    expect(codes(cs)).toEqual(expect.arrayContaining(['gula-darah-belum-terklasifikasi', 'terduga-tbc', 'hipertensi-kehamilan', 'srq20-abnormal']));
    expect(codes(cs)).not.toContain('827069000');
    expect(codes(cs)).not.toContain('OI000046');
    expect(cs.concept?.find((c) => c.code === 'hipertensi-kehamilan')?.definition).toBe('Used by: systolic-bp, diastolic-bp.');
  });

  test('answers: the local coded answers', () => {
    expect(codes(codeSystemAnswers(cat))).toEqual(expect.arrayContaining(['kpsp-meragukan', 'imunisasi-belum-lengkap', 'tbc-terduga']));
    expect(codes(codeSystemAnswers(cat))).not.toContain('77176002');
  });

  test('clusters 1–5 and the fourteen life-cycle groups', () => {
    expect(codes(codeSystemClusters(cat.version))).toEqual(['1', '2', '3', '4', '5']);
    const lifeCycles = codeSystemLifeCycles(cat.version);
    expect(lifeCycles.concept).toHaveLength(14);
    expect(lifeCycles.concept?.find((c) => c.code === 'lansia')?.display).toBe('Lanjut usia (lansia)');
  });
});

describe('docs/catalogue.md', () => {
  const md = renderCatalogueMarkdown(cat);

  test('has a section per item and the guideline sources', () => {
    for (const code of cat.items.keys()) expect(md).toContain(`### \`${code}\``);
    expect(md).toContain('KMK HK.01.07/MENKES/2015/2023 Tabel 22');
    expect(md).toContain('| 120–129 | N | SNOMED `2004005` Normal blood pressure |');
  });

  test('ranges read like the guideline tables', () => {
    const bmi = cat.items.get('bmi');
    const adult = bmi?.thresholds.find((r) => r.id === 'adult');
    if (!bmi || !adult) throw new Error('bmi adult rule missing');
    expect(adult.bands.map((b) => rangeText(b, bmi.value))).toEqual(['≤ 18.4', '18.5–22.9', '23.0–24.9', '25.0–29.9', '≥ 30.0']);
    const va = cat.items.get('visual-acuity-right');
    const bands = va?.thresholds[0]?.bands ?? [];
    expect(va && bands.map((b) => rangeText(b, va.value))).toEqual([
      'worse than 3/60', '3/60 to worse than 6/60', '6/60 to worse than 6/18', '6/18 to worse than 6/12', '6/12 to worse than 6/10', '6/10 or better',
    ]);
  });
});

describe('generated files in the repository are up to date', () => {
  // Regenerate with: npx tsc && node scripts/gen-catalogue-artifacts.mjs
  test('docs/catalogue.md', () => {
    expect(readFileSync(resolve(ROOT, 'docs/catalogue.md'), 'utf8')).toBe(renderCatalogueMarkdown(cat));
  });
  test.each(Object.entries(catalogueCodeSystems(cat)))('profiles/%s', (file, cs) => {
    expect(readFileSync(resolve(ROOT, 'profiles', file), 'utf8')).toBe(`${JSON.stringify(cs, null, 2)}\n`);
  });
});
