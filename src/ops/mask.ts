/**
 * Masking of vendor payloads for the operations console (docs/decisions/0021-operations.md). Pure.
 *
 * - `maskPersonalData` (what an intake attempt keeps): NIK (and the mother's NIK, any `*nik*` key,
 *   FHIR identifiers whose system names a NIK), names, phone numbers / telecom / e-mail, and
 *   addresses (lines, RT/RW, text; the Kemendagri area codes stay: they are areas, and wrong codes
 *   are among the commonest refusals), plus any 16-digit number anywhere, also inside free text (a
 *   NIK in the wrong place), and mobile numbers. Narrative (`text.div`) is dropped.
 * - `maskNik`: only the NIK rules, for the transaction log when the viewer may not see NIKs.
 *
 * A masked string keeps its length (`****************` for 16 characters, so "NIK has 15 digits" is
 * still visible) and nothing else; a masked number becomes a string of as many `*` as it has digits.
 */
export interface MaskRules {
  names: boolean;
  phones: boolean;
  addresses: boolean;
}

const ALL: MaskRules = { names: true, phones: true, addresses: true };
const NIK_ONLY: MaskRules = { names: false, phones: false, addresses: false };

const NIK_KEY = /nik/i;
// English (FHIR, ILP JSON) and the Indonesian keys SIMPUS payloads use (nama, nama_ibu, namaLengkap), any case.
const NAME_KEY = /^(name|[a-z]+name|given|family|prefix|suffix|nama([_-]?[a-z]+)?)$/i;
const PHONE_KEY = /phone|telecom|mobile|email|fax|^(no[_-]?)?(telp|telepon|hp|wa|ponsel)$/i;
const ADDRESS_KEY = /^(address(es)?|alamat([_-]?[a-z]+)?)$/i;
/** Inside an address, what stays: area codes and structure. */
const ADDRESS_KEEP = /^(url|[a-z]*[cC]ode|use|type|country|system)$/;
const SIXTEEN_DIGITS = /^\s*\d(?:[\s.-]?\d){14,16}\s*$/;
const PHONE_SHAPED = /^\s*(\+?62|0)8[\d\s-]{7,14}\s*$/;
const NIK_SYSTEM = /nik/i;

export function maskString(s: string): string {
  return '*'.repeat(Math.min(Math.max(s.length, 1), 64));
}

function maskLeaf(value: unknown): unknown {
  if (typeof value === 'string') return maskString(value);
  if (typeof value === 'number') return maskString(String(Math.trunc(Math.abs(value))));
  return value;
}

/** Every leaf string and number below `value` masked (names, phones). */
function maskAll(value: unknown, keep?: RegExp): unknown {
  if (Array.isArray(value)) return value.map((v) => maskAll(v, keep));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = keep?.test(k) ? walk(v, ALL) : maskAll(v, keep);
    return out;
  }
  return maskLeaf(value);
}

function isNikIdentifier(o: Record<string, unknown>): boolean {
  return typeof o.system === 'string' && NIK_SYSTEM.test(o.system) && 'value' in o;
}

function maskEntry(key: string, value: unknown, rules: MaskRules): unknown {
  if (NIK_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) return maskLeaf(value);
  if (rules.names && NAME_KEY.test(key)) return maskAll(value);
  if (rules.phones && PHONE_KEY.test(key)) return maskAll(value);
  if (rules.addresses && ADDRESS_KEY.test(key)) return maskAll(value, ADDRESS_KEEP);
  if (rules.names && key === 'div') return '';
  return walk(value, rules);
}

/** NIKs (and, with `phones`, mobile numbers) written inside free text (a note, a description). */
// 15 to 17 digits, also written in groups (3174 0101 0190 0001, 3174-0101-…): a NIK mistyped or spaced.
const EMBEDDED_NIK = /(?<!\d)\d(?:[\s.-]?\d){14,16}(?!\d)/g;
const EMBEDDED_PHONE = /(?<!\d)(\+?62|0)8\d{7,12}(?!\d)/g;

function maskText(value: string, rules: MaskRules): string {
  if (SIXTEEN_DIGITS.test(value) || (rules.phones && PHONE_SHAPED.test(value))) return maskString(value);
  const out = value.replace(EMBEDDED_NIK, (m) => maskString(m));
  return rules.phones ? out.replace(EMBEDDED_PHONE, (m) => maskString(m)) : out;
}

function walk(value: unknown, rules: MaskRules): unknown {
  if (typeof value === 'string') return maskText(value, rules);
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) >= 1e15 && Math.abs(value) < 1e16 ? maskLeaf(value) : value;
  if (Array.isArray(value)) return value.map((v) => walk(v, rules));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const nikIdentifier = isNikIdentifier(o);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = nikIdentifier && k === 'value' ? maskLeaf(v) : maskEntry(k, v, rules);
  return out;
}

/** What an intake attempt may keep of a refused payload. */
export function maskPersonalData(value: unknown): unknown {
  return walk(value, ALL);
}

/** The payload with NIKs masked and everything else as stored (transaction log, viewer without NIK rights). */
export function maskNik(value: unknown): unknown {
  return walk(value, NIK_ONLY);
}

/**
 * Free text that came back to the vendor (diagnostics, an operator's reason): digit runs of 8 or
 * more (NIK, phone, IHS numbers) masked. Catalogue messages quote values ("got 92710603…").
 */
export function scrubText(text: string, max = 500): string {
  return text.replace(/\+?\d[\d-]{7,}/g, (m) => maskString(m)).slice(0, max);
}
