import { Issue, IssueType, OperationOutcomeError, Severity } from './operation-outcome';

interface ErrorDefinition {
  status: number;
  type: IssueType;
  severity?: Severity;
  en: string;
  id: string;
}

/**
 * Every error the gateway answers with, in one table: code → HTTP status, FHIR issue type and
 * the message in English and Bahasa Indonesia. `{name}` placeholders are filled from params.
 * Vendors key their handling on the code (OperationOutcome.issue.details.coding), never on text.
 */
export const ERRORS = {
  'HTTP-BODY-MALFORMED': { status: 400, type: 'structure', en: 'The request body is not valid JSON: {reason}', id: 'Isi permintaan bukan JSON yang valid: {reason}' },
  'HTTP-BODY-TOO-LARGE': { status: 413, type: 'too-long', en: 'The request body is larger than the limit of {limit}', id: 'Ukuran isi permintaan melebihi batas {limit}' },
  'HTTP-BODY-TOO-DEEP': { status: 400, type: 'structure', en: 'The request body is nested deeper than {limit} levels', id: 'Struktur JSON terlalu dalam (lebih dari {limit} tingkat)' },
  'HTTP-BODY-FORBIDDEN-KEY': { status: 400, type: 'security', en: 'The key "{key}" is not allowed in request bodies', id: 'Kunci "{key}" tidak diperbolehkan dalam isi permintaan' },
  'HTTP-BODY-NOT-OBJECT': { status: 422, type: 'structure', en: 'The request body must be a JSON object', id: 'Isi permintaan harus berupa objek JSON' },
  'HTTP-MEDIA-TYPE': { status: 415, type: 'not-supported', en: 'Content-Type must be application/json or application/fhir+json, not "{type}"', id: 'Content-Type harus application/json atau application/fhir+json, bukan "{type}"' },
  'HTTP-NOT-FOUND': { status: 404, type: 'not-found', en: 'No route for {method} {path}', id: 'Alamat {method} {path} tidak ditemukan' },
  'HTTP-METHOD': { status: 405, type: 'not-supported', en: 'Method {method} is not allowed on {path}', id: 'Metode {method} tidak diizinkan pada {path}' },
  'HTTP-INTERNAL': { status: 500, type: 'exception', en: 'Internal error (request id {requestId}); nothing was stored', id: 'Terjadi kesalahan internal (id permintaan {requestId}); tidak ada data yang disimpan' },
  'HTTP-UNAVAILABLE': { status: 503, type: 'transient', en: 'The service is not ready: {reason}', id: 'Layanan belum siap: {reason}' },
  'SCHEMA-REQUIRED': { status: 422, type: 'required', en: 'Missing required field "{field}"', id: 'Kolom wajib "{field}" tidak diisi' },
  'SCHEMA-UNKNOWN-FIELD': { status: 422, type: 'structure', en: 'Unknown field "{field}"', id: 'Kolom "{field}" tidak dikenal' },
  'SCHEMA-TYPE': { status: 422, type: 'structure', en: 'Wrong type: expected {expected}', id: 'Tipe data salah: seharusnya {expected}' },
  'SCHEMA-ENUM': { status: 422, type: 'code-invalid', en: 'Value is not one of the allowed codes: {allowed}', id: 'Nilai bukan salah satu kode yang diizinkan: {allowed}' },
  'SCHEMA-FORMAT': { status: 422, type: 'value', en: 'Value does not match the expected format: {detail}', id: 'Format nilai tidak sesuai: {detail}' },
  'SCHEMA-RANGE': { status: 422, type: 'value', en: 'Value is out of range: {detail}', id: 'Nilai di luar rentang: {detail}' },
  'SCHEMA-OTHER': { status: 422, type: 'invalid', en: '{detail}', id: '{detail}' },
  'ILP-ITEM-UNKNOWN': { status: 422, type: 'code-invalid', en: 'Unknown screening item "{code}"; see GET /ilp/v1/catalogue', id: 'Item skrining "{code}" tidak dikenal; lihat GET /ilp/v1/catalogue' },
  'ILP-SCREENING-UNKNOWN': { status: 422, type: 'code-invalid', en: 'Unknown screening type "{type}"; see GET /ilp/v1/catalogue', id: 'Jenis skrining "{type}" tidak dikenal; lihat GET /ilp/v1/catalogue' },
  'ILP-ITEM-IMPLAUSIBLE': { status: 422, type: 'value', en: '{item} value {value} {unit} is outside the plausible range {min}–{max} {unit}', id: 'Nilai {item} {value} {unit} di luar rentang wajar {min}–{max} {unit}' },
  'ILP-ITEM-DUPLICATE': { status: 422, type: 'duplicate', en: 'Screening item "{code}" appears more than once in this visit', id: 'Item skrining "{code}" dikirim lebih dari sekali dalam kunjungan ini' },
  'ILP-ITEM-NOT-IN-SCREENING': { status: 422, type: 'business-rule', en: 'Item "{code}" does not belong to screening "{type}" (allowed: {allowed})', id: 'Item "{code}" bukan bagian dari skrining "{type}" (yang diizinkan: {allowed})' },
  'ILP-ITEM-DERIVED': { status: 422, type: 'business-rule', en: 'Item "{code}" is computed by the gateway from {from}; do not send it', id: 'Item "{code}" dihitung oleh gateway dari {from}; jangan dikirim' },
  'ILP-NIK-INVALID': { status: 422, type: 'value', en: 'NIK must be 16 digits starting with a valid province code; got {detail}', id: 'NIK harus 16 digit dan diawali kode provinsi yang valid; diterima {detail}' },
  'ILP-VILLAGE-INVALID': { status: 422, type: 'value', en: 'Village code must be a 10-digit Kemendagri code (province-city-district-village): {detail}', id: 'Kode desa/kelurahan harus 10 digit kode Kemendagri (provinsi-kabupaten/kota-kecamatan-desa): {detail}' },
  'ILP-TIME-NO-OFFSET': { status: 422, type: 'value', en: 'Date-time must include a UTC offset (for example +07:00 for WIB): {value}', id: 'Tanggal-waktu harus mencantumkan zona waktu (misalnya +07:00 untuk WIB): {value}' },
  'ILP-TIME-INVALID': { status: 422, type: 'value', en: 'Not a valid date-time: {value}', id: 'Tanggal-waktu tidak valid: {value}' },
  'ILP-DATE-INVALID': { status: 422, type: 'value', en: 'Not a valid calendar date (YYYY-MM-DD): {value}', id: 'Tanggal tidak valid (YYYY-MM-DD): {value}' },
  'ILP-TIME-FUTURE': { status: 422, type: 'value', en: 'Date-time {value} is in the future', id: 'Tanggal-waktu {value} berada di masa depan' },
  'ILP-TIME-TOO-OLD': { status: 422, type: 'value', en: 'Date-time {value} is before {limit}, which SATUSEHAT refuses (RuleNumber: 10132)', id: 'Tanggal-waktu {value} sebelum {limit}, yang ditolak SATUSEHAT (RuleNumber: 10132)' },
  'ILP-TIME-ORDER': { status: 422, type: 'value', en: 'end ({end}) must be after start ({start})', id: 'Waktu selesai ({end}) harus setelah waktu mulai ({start})' },
  'ILP-BIRTHDATE-AFTER-VISIT': { status: 422, type: 'value', en: 'birthDate {birthDate} is after the visit start', id: 'Tanggal lahir {birthDate} setelah waktu kunjungan' },
  'ILP-ICD10-INVALID': { status: 422, type: 'code-invalid', en: 'Not an ICD-10 code: {code}', id: 'Bukan kode ICD-10: {code}' },
  'ILP-DIAGNOSIS-DUPLICATE': { status: 422, type: 'duplicate', en: 'Diagnosis {code} appears more than once', id: 'Diagnosis {code} dikirim lebih dari sekali' },
  'ILP-DUE-BEFORE-VISIT': { status: 422, type: 'value', en: 'Care plan activity due date {due} is before the visit', id: 'Tanggal tindak lanjut {due} sebelum tanggal kunjungan' },
  'ILP-VISIT-ORDINAL': { status: 422, type: 'code-invalid', en: 'visitOrdinal "{ordinal}" is not valid for visitType "{visitType}" (allowed: {allowed})', id: 'visitOrdinal "{ordinal}" tidak sesuai untuk visitType "{visitType}" (yang diizinkan: {allowed})' },
  'ILP-PAYLOAD-CONFLICT': { status: 409, type: 'conflict', en: 'Submission {submissionId} is being changed by another request; retry', id: 'Kiriman {submissionId} sedang diubah oleh permintaan lain; kirim ulang' },
  'ILP-SUBMISSION-NOT-FOUND': { status: 404, type: 'not-found', en: 'No submission with id {id}', id: 'Kiriman dengan id {id} tidak ditemukan' },
  'FHIR-STRUCTURE': { status: 422, type: 'structure', en: 'Not valid FHIR R4: {detail}', id: 'Tidak sesuai struktur FHIR R4: {detail}' },
  // Warnings (never block a submission).
  'WARN-INTERPRETATION-DISAGREES': { status: 200, type: 'business-rule', severity: 'warning', en: 'Vendor interpretation "{vendor}" for {item} differs from the catalogue threshold result "{computed}" ({rule}); the vendor value is kept', id: 'Interpretasi vendor "{vendor}" untuk {item} berbeda dengan hasil ambang katalog "{computed}" ({rule}); nilai vendor dipakai' },
  'WARN-NIK-BIRTHDATE': { status: 200, type: 'business-rule', severity: 'warning', en: 'The NIK birth-date segment ({segment}) does not match birthDate {birthDate} and gender {gender}', id: 'Segmen tanggal lahir pada NIK ({segment}) tidak cocok dengan tanggal lahir {birthDate} dan jenis kelamin {gender}' },
  'WARN-LIFECYCLE-AGE': { status: 200, type: 'business-rule', severity: 'warning', en: 'Life-cycle group "{group}" does not fit age {age} at the visit', id: 'Kelompok siklus hidup "{group}" tidak sesuai dengan usia {age} saat kunjungan' },
  'WARN-ITEM-NOT-ELIGIBLE': { status: 200, type: 'business-rule', severity: 'warning', en: 'Item "{code}" is not part of the ILP package for the life-cycle groups of this visit ({groups})', id: 'Item "{code}" bukan bagian dari paket ILP untuk kelompok siklus hidup kunjungan ini ({groups})' },
  'WARN-ITEM-CLUSTER': { status: 200, type: 'business-rule', severity: 'warning', en: 'Item "{code}" is normally delivered by cluster {clusters}, not cluster {cluster}', id: 'Item "{code}" biasanya dilayani klaster {clusters}, bukan klaster {cluster}' },
} satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;
export type Params = Record<string, string | number | boolean | undefined>;

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

/** Builds an issue from the catalogue. */
export function issue(code: ErrorCode, params: Params = {}, expression?: string): Issue {
  const def: ErrorDefinition = ERRORS[code];
  const out: Issue = {
    severity: def.severity ?? 'error',
    code: def.type,
    errorCode: code,
    message: { en: fill(def.en, params), id: fill(def.id, params) },
  };
  if (expression) out.expression = expression;
  return out;
}

export function statusOf(code: ErrorCode): number {
  return ERRORS[code].status;
}

/** Throws an OperationOutcomeError for one catalogue error. */
export function fail(code: ErrorCode, params: Params = {}, expression?: string): never {
  throw new OperationOutcomeError(statusOf(code), [issue(code, params, expression)]);
}
