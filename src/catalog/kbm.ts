/**
 * Kenaikan Berat badan Minimal (KBM): the minimum weight gain, in grams, a child must reach since
 * last month's weighing to count as "naik" (N), by age in completed months at this weighing.
 *
 * Source: the KMS (Kartu Menuju Sehat) / Buku KIA table used by the Posyandu for SKDN N/T
 * (Permenkes 155/2010 Penggunaan KMS bagi Balita; Kemenkes, Standar Pemantauan Pertumbuhan Balita
 * 2006), which the growth-monitoring chapter of the ILP guideline keeps (KMK HK.01.07/MENKES/2015/2023,
 * "naik/tidak naik", ilp-domain §4.2). Confidence `verify`: the table was not in the reference
 * pack, copy checked against the KMS booklet before go-live. Ages 12–60 months: 200 g.
 */
export const KBM_GRAMS_BY_AGE_MONTHS: Readonly<Record<number, number>> = {
  1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 9: 300, 10: 300, 11: 200,
};

/** KBM in grams for a child of `ageMonths` completed months (0–60); 200 g from 11 months on. */
export function kbmGrams(ageMonths: number): number {
  if (ageMonths < 1) return KBM_GRAMS_BY_AGE_MONTHS[1] ?? 800;
  return KBM_GRAMS_BY_AGE_MONTHS[ageMonths] ?? 200;
}
