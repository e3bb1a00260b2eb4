/**
 * Indonesia's three time zones by province code (Keppres 41/1987: WIB UTC+7, WITA UTC+8, WIT
 * UTC+9), for the local date of a FHIR-native visit sent in UTC as SATUSEHAT requires (RuleNumber
 * 10132). The province is the patient's residence: a visit across a time-zone border is rare.
 */
const WITA = new Set(['51', '52', '53', '63', '64', '65', '71', '72', '73', '74', '75', '76']);
const WIT = new Set(['81', '82', '91', '92', '93', '94', '95', '96']);

export function provinceOffsetMinutes(provinceCode: string): number {
  if (WIT.has(provinceCode)) return 540;
  if (WITA.has(provinceCode)) return 480;
  return 420;
}
