import { PROVINCE_CODES } from '../catalog/vocabulary';

/**
 * Kemendagri codes (ilp-domain §9.1): province 2 digits, kabupaten/kota +2 (01–69 kabupaten,
 * 71–99 kota), kecamatan +2, desa/kelurahan +4 whose first digit is 1 (kelurahan), 2 (desa) or
 * 3 (desa adat). Returns undefined when valid, else the reason.
 */
export function villageCodeProblem(code: string): string | undefined {
  if (!/^\d{10}$/.test(code)) return `"${code}" is not 10 digits`;
  if (!PROVINCE_CODES.has(code.slice(0, 2))) return `unknown province code ${code.slice(0, 2)}`;
  const city = Number(code.slice(2, 4));
  if (city === 0 || city === 70) return `kabupaten/kota part ${code.slice(2, 4)} is not a valid code (01–69 or 71–99)`;
  if (code.slice(4, 6) === '00') return 'kecamatan part 00 is a placeholder, not a code';
  if (!'123'.includes(code.charAt(6))) return `desa/kelurahan part ${code.slice(6)} must start with 1, 2 or 3`;
  return undefined;
}

/** NIK: 16 digits, starting with a valid province code. */
export function nikProblem(nik: string): string | undefined {
  if (!/^\d{16}$/.test(nik)) return `${nik.length} characters, not 16 digits`;
  if (!PROVINCE_CODES.has(nik.slice(0, 2))) return `unknown province code ${nik.slice(0, 2)}`;
  return undefined;
}

/**
 * The NIK's digits 7–12 are the birth date as DDMMYY, with 40 added to DD for women
 * (Permendagri on NIK structure). A mismatch is only a warning: sandbox NIKs do not follow it.
 */
export function nikMatchesBirth(nik: string, birthDate: string, gender: 'male' | 'female'): boolean {
  const dd = Number(nik.slice(6, 8)) - (gender === 'female' ? 40 : 0);
  const mm = nik.slice(8, 10);
  const yy = nik.slice(10, 12);
  const [y, m, d] = birthDate.split('-');
  return dd === Number(d) && mm === m && yy === y?.slice(2);
}

/** Sub-codes carried in SATUSEHAT's administrativeCode extension. */
export function areaCodes(villageCode: string): { province: string; city: string; district: string; village: string } {
  return { province: villageCode.slice(0, 2), city: villageCode.slice(0, 4), district: villageCode.slice(0, 6), village: villageCode };
}
