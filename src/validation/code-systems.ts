import { isValidUcum } from '../catalog/ucum';

/**
 * Code systems too large to ship or expand offline, checked as far as their own rules allow.
 * Each returns undefined when the code is acceptable, else the reason (English).
 */

/** LOINC codes are `n-c`: up to 7 digits, a hyphen and a mod-10 check digit (LOINC Users' Guide §12.5). */
export function checkLoinc(code: string): string | undefined {
  // Answer (LA…) and part (LP…) codes: the form only; their check digits are not documented as mod 10.
  if (/^L[AP]\d{1,7}-\d$/.test(code)) return undefined;
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m?.[1] || m[2] === undefined) return 'not of the form nnnnn-c';
  return loincCheckDigit(m[1]) === Number(m[2]) ? undefined : 'wrong check digit';
}

/** The mod-10 algorithm LOINC uses: double every other digit from the right, sum the digits. */
export function loincCheckDigit(digits: string): number {
  let sum = 0;
  const reversed = [...digits].reverse();
  reversed.forEach((ch, i) => {
    let d = Number(ch);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  });
  return (10 - (sum % 10)) % 10;
}

const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the last digit is the Verhoeff check digit of the others. */
export function verhoeffValid(digits: string): boolean {
  let c = 0;
  [...digits].reverse().forEach((ch, i) => {
    c = VERHOEFF_D[c]?.[VERHOEFF_P[i % 8]?.[Number(ch)] ?? 0] ?? 0;
  });
  return c === 0;
}

/**
 * SNOMED CT identifiers: 6–18 digits, no leading zero, partition identifier (digits 2–3 from the
 * right) 00/10 for concepts, and a Verhoeff check digit (SNOMED CT TIG §6.1 "SCTID"). Post-coordinated
 * expressions are not checked here.
 */
export function checkSnomed(code: string): string | undefined {
  if (!/^[1-9]\d{5,17}$/.test(code)) return 'not a SNOMED CT concept id (6–18 digits, no leading zero)';
  const partition = code.slice(-3, -1);
  if (partition !== '00' && partition !== '10') return `partition ${partition} is not a concept id`;
  return verhoeffValid(code) ? undefined : 'wrong Verhoeff check digit';
}

/** ICD-10 (WHO): a letter, two digits, optionally a dot and one or two further characters. */
export function checkIcd10(code: string): string | undefined {
  return /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$/.test(code) ? undefined : 'not an ICD-10 code (e.g. I10, E11.9)';
}

export function checkUcum(code: string): string | undefined {
  return isValidUcum(code) ? undefined : 'not a valid UCUM expression';
}

/** system → checker, for the systems that cannot be expanded offline. */
export const ALGORITHMIC_SYSTEMS: ReadonlyMap<string, (code: string) => string | undefined> = new Map([
  ['http://loinc.org', checkLoinc],
  ['http://snomed.info/sct', checkSnomed],
  ['http://hl7.org/fhir/sid/icd-10', checkIcd10],
  ['http://unitsofmeasure.org', checkUcum],
]);
