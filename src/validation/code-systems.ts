import { createRequire } from 'node:module';
import { isValidUcum } from '../catalog/ucum';
import { ISO_4217 } from './data/iso4217';

/**
 * Code systems too large to ship or expand offline, checked as far as their own rules allow.
 * Each returns undefined when the code is acceptable, `UNCONFIRMED` when its form is right but we
 * cannot confirm it exists (reported as information, not error), else the reason (English).
 */

export const UNCONFIRMED = null;
export type CodeVerdict = string | undefined | typeof UNCONFIRMED;

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
  // From the right, by index (every Observation.code runs this: no reversed copy of the digits).
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits.charAt(digits.length - 1 - i));
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
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
  for (let i = 0; i < digits.length; i++) {
    const ch = digits.charAt(digits.length - 1 - i);
    c = VERHOEFF_D[c]?.[VERHOEFF_P[i % 8]?.[Number(ch)] ?? 0] ?? 0;
  }
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

/** Registered top-level media types (RFC 6838 §4.2.7 and IANA's media-types registry). */
const MEDIA_TOP = new Set(['application', 'audio', 'example', 'font', 'haptics', 'image', 'message', 'model', 'multipart', 'text', 'video']);
/** RFC 6838 §4.2 restricted-name. */
const RESTRICTED_NAME = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

let mimeDb: ReadonlySet<string> | undefined;
/** The IANA media types as listed by the `mime-db` package (lower case). */
function knownMediaTypes(): ReadonlySet<string> {
  mimeDb ??= new Set(Object.keys(createRequire(__filename)('mime-db') as Record<string, unknown>));
  return mimeDb;
}

/**
 * BCP 13 media types (urn:ietf:bcp:13; R4 ValueSet mimetypes): `type/subtype` with optional
 * `;name=value` parameters (RFC 6838 §4.2, RFC 2045 §5.1). A well-formed type that `mime-db` does
 * not list is unconfirmed (the IANA registry grows; vendor trees are legal), not an error.
 */
export function checkMimeType(code: string): CodeVerdict {
  const [essence = '', ...params] = code.split(';');
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(essence.trim());
  if (!m?.[1] || !m[2]) return 'not a media type (type/subtype)';
  const [type, subtype] = [m[1].toLowerCase(), m[2]];
  if (!MEDIA_TOP.has(type)) return `"${type}" is not a registered top-level media type`;
  if (!RESTRICTED_NAME.test(subtype)) return 'the subtype is not a valid name (RFC 6838 §4.2)';
  if (params.some((p) => !/^\s*[A-Za-z0-9!#$&^_.+-]+=\S+\s*$/.test(p))) return 'a parameter is not name=value';
  return knownMediaTypes().has(`${type}/${subtype.toLowerCase()}`) ? undefined : UNCONFIRMED;
}

/** ISO 4217 alphabetic currency codes (data/iso4217.ts). */
export function checkCurrency(code: string): CodeVerdict {
  if (!/^[A-Z]{3}$/.test(code)) return 'not an ISO 4217 code (three capital letters)';
  return ISO_4217.has(code) ? undefined : 'not an ISO 4217 currency code';
}

/**
 * BCP 47 language tags (urn:ietf:bcp:47), by the syntax of RFC 5646 §2.1 (language, extlang,
 * script, region, variants, extensions, private use; grandfathered `i-` tags); the subtags are
 * not looked up in the IANA registry, so a well-formed tag is accepted.
 */
const BCP47 = new RegExp(
  '^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\\d{3}))?(?:-(?:[a-z\\d]{5,8}|\\d[a-z\\d]{3}))*' +
  '(?:-[\\da-wyz](?:-[a-z\\d]{2,8})+)*(?:-x(?:-[a-z\\d]{1,8})+)?|x(?:-[a-z\\d]{1,8})+|i-[a-z]{2,8})$', 'i');
export function checkLanguage(code: string): CodeVerdict {
  return BCP47.test(code) ? undefined : 'not a BCP 47 language tag (RFC 5646)';
}

/** system → checker, for the systems that cannot be expanded offline. */
export const ALGORITHMIC_SYSTEMS: ReadonlyMap<string, (code: string) => CodeVerdict> = new Map([
  ['urn:ietf:bcp:13', checkMimeType],
  ['urn:iso:std:iso:4217', checkCurrency],
  ['urn:ietf:bcp:47', checkLanguage],
  ['http://loinc.org', checkLoinc],
  ['http://snomed.info/sct', checkSnomed],
  ['http://hl7.org/fhir/sid/icd-10', checkIcd10],
  ['http://unitsofmeasure.org', checkUcum],
]);
