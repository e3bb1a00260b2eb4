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
  'HTTP-INTERNAL': { status: 500, type: 'exception', en: 'Internal error (request id {requestId}); sending the same request again is safe', id: 'Terjadi kesalahan internal (id permintaan {requestId}); aman untuk mengirim ulang permintaan yang sama' },
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
  'ILP-LIFECYCLE-SEX': { status: 422, type: 'business-rule', en: 'Life-cycle group "{group}" does not apply to a {gender} patient', id: 'Kelompok siklus hidup "{group}" tidak berlaku untuk pasien {gender}' },
  'ILP-DIAGNOSIS-DUPLICATE': { status: 422, type: 'duplicate', en: 'Diagnosis {code} appears more than once', id: 'Diagnosis {code} dikirim lebih dari sekali' },
  'ILP-DUE-BEFORE-VISIT': { status: 422, type: 'value', en: 'Care plan activity due date {due} is before the visit', id: 'Tanggal tindak lanjut {due} sebelum tanggal kunjungan' },
  'ILP-VISIT-ORDINAL': { status: 422, type: 'code-invalid', en: 'visitOrdinal "{ordinal}" is not valid for visitType "{visitType}" (allowed: {allowed})', id: 'visitOrdinal "{ordinal}" tidak sesuai untuk visitType "{visitType}" (yang diizinkan: {allowed})' },
  'ILP-PAYLOAD-CONFLICT': { status: 409, type: 'conflict', en: 'Submission {submissionId} is being changed by another request; retry', id: 'Kiriman {submissionId} sedang diubah oleh permintaan lain; kirim ulang' },
  'ILP-SUBMISSION-NOT-FOUND': { status: 404, type: 'not-found', en: 'No submission with id {id}', id: 'Kiriman dengan id {id} tidak ditemukan' },
  'FHIR-STRUCTURE': { status: 422, type: 'structure', en: 'Not valid FHIR R4: {detail}', id: 'Tidak sesuai struktur FHIR R4: {detail}' },
  // auth
  'AUTH-MISSING': { status: 401, type: 'login', en: 'Authentication required: send Authorization: Bearer <access token> (POST /auth/token)', id: 'Perlu autentikasi: kirim Authorization: Bearer <token akses> (POST /auth/token)' },
  'AUTH-INVALID': { status: 401, type: 'login', en: 'The access token is invalid or expired', id: 'Token akses tidak valid atau kedaluwarsa' },
  'AUTH-SCOPE': { status: 403, type: 'forbidden', en: 'The access token lacks the scope {scope}', id: 'Token akses tidak memiliki cakupan (scope) {scope}' },
  'AUTH-ORG': { status: 403, type: 'forbidden', en: 'This client may not act for organization {organizationId}', id: 'Klien ini tidak berwenang untuk organisasi {organizationId}' },
  // fhir-rest
  'FHIR-TYPE-UNSUPPORTED': { status: 404, type: 'not-supported', en: 'Resource type {type} is not served here (see GET /fhir/metadata)', id: 'Tipe sumber daya {type} tidak dilayani di sini (lihat GET /fhir/metadata)' },
  'FHIR-RESOURCE-NOT-FOUND': { status: 404, type: 'not-found', en: '{type}/{id} is not known', id: '{type}/{id} tidak ditemukan' },
  'FHIR-RESOURCE-GONE': { status: 410, type: 'not-found', en: '{type}/{id} was deleted', id: '{type}/{id} telah dihapus' },
  'FHIR-SEARCH-PARAM-UNKNOWN': { status: 400, type: 'not-supported', en: 'Unknown search parameter "{param}" for {type} (see GET /fhir/metadata)', id: 'Parameter pencarian "{param}" untuk {type} tidak dikenal (lihat GET /fhir/metadata)' },
  'FHIR-SEARCH-MODIFIER': { status: 400, type: 'not-supported', en: 'Modifier ":{modifier}" is not supported on {param}', id: 'Modifier ":{modifier}" tidak didukung untuk {param}' },
  'FHIR-SEARCH-VALUE': { status: 400, type: 'value', en: 'Invalid value for {param}: {detail}', id: 'Nilai {param} tidak valid: {detail}' },
  'FHIR-BUNDLE-TYPE': { status: 400, type: 'not-supported', en: 'POST /fhir takes a transaction or batch Bundle, not {type}', id: 'POST /fhir menerima Bundle transaction atau batch, bukan {type}' },
  'FHIR-ENTRY-UNSUPPORTED': { status: 422, type: 'not-supported', en: 'Entry {index}: {detail}', id: 'Entri {index}: {detail}' },
  'FHIR-ORGANIZATION-MISSING': { status: 422, type: 'required', en: 'The submitting organization is unknown: give Encounter.serviceProvider (Organization/<id>) or the X-Organization-Id header', id: 'Organisasi pengirim tidak diketahui: isi Encounter.serviceProvider (Organization/<id>) atau header X-Organization-Id' },
  'FHIR-EXPORT-PREFER': { status: 400, type: 'invalid', en: 'Bulk export is asynchronous: send Prefer: respond-async', id: 'Ekspor massal bersifat asinkron: kirim Prefer: respond-async' },
  'FHIR-EXPORT-PARAM': { status: 400, type: 'value', en: 'Invalid $export parameter {param}: {detail}', id: 'Parameter $export {param} tidak valid: {detail}' },
  'FHIR-EXPORT-NOT-FOUND': { status: 404, type: 'not-found', en: 'No export job {id} (finished jobs expire)', id: 'Tugas ekspor {id} tidak ditemukan (tugas yang selesai kedaluwarsa)' },
  'FHIR-EXPORT-FAILED': { status: 500, type: 'exception', en: 'Export job {id} failed: {detail}', id: 'Tugas ekspor {id} gagal: {detail}' },
  // validation
  'VAL-NOT-RESOURCE': { status: 422, type: 'structure', en: 'Not a FHIR resource: a JSON object with a resourceType is required', id: 'Bukan resource FHIR: diperlukan objek JSON dengan resourceType' },
  'VAL-RESOURCE-TYPE': { status: 422, type: 'structure', en: 'Unknown resource type "{type}"', id: 'Jenis resource "{type}" tidak dikenal' },
  'VAL-UNKNOWN-ELEMENT': { status: 422, type: 'structure', en: 'Unknown element "{name}"', id: 'Elemen "{name}" tidak dikenal' },
  'VAL-TYPE': { status: 422, type: 'structure', en: 'Wrong JSON type: expected {expected}, got {actual}', id: 'Tipe JSON salah: seharusnya {expected}, diterima {actual}' },
  'VAL-FORMAT': { status: 422, type: 'value', en: '{value} is not a valid FHIR {type}', id: '{value} bukan {type} FHIR yang valid' },
  'VAL-EMPTY': { status: 422, type: 'invalid', en: 'Empty elements are not allowed (ele-1): leave the element out instead', id: 'Elemen kosong tidak diperbolehkan (ele-1); hapus elemen tersebut' },
  'VAL-ARRAY-EXPECTED': { status: 422, type: 'structure', en: '"{name}" repeats, so it must be a JSON array', id: '"{name}" dapat berulang, jadi harus berupa array JSON' },
  'VAL-ARRAY-UNEXPECTED': { status: 422, type: 'structure', en: '"{name}" does not repeat, so it must not be a JSON array', id: '"{name}" tidak berulang, jadi tidak boleh berupa array JSON' },
  'VAL-MIN': { status: 422, type: 'required', en: '{element}: minimum required = {min}, but only found {count}', id: '{element}: wajib minimal {min}, hanya ditemukan {count}' },
  'VAL-MAX': { status: 422, type: 'structure', en: '{element}: maximum allowed = {max}, but found {count}', id: '{element}: maksimal {max}, ditemukan {count}' },
  'VAL-CHOICE': { status: 422, type: 'structure', en: 'Only one of {names} may be present', id: 'Hanya satu dari {names} yang boleh diisi' },
  'VAL-FIXED': { status: 422, type: 'value', en: 'Value must be exactly {expected}, found {actual}', id: 'Nilai harus tepat {expected}, diterima {actual}' },
  'VAL-PATTERN': { status: 422, type: 'value', en: 'Value must match {expected}, found {actual}', id: 'Nilai harus sesuai pola {expected}, diterima {actual}' },
  'VAL-RANGE': { status: 422, type: 'value', en: 'Value {value} is outside the allowed range {min} .. {max}', id: 'Nilai {value} di luar rentang yang diizinkan {min} .. {max}' },
  'VAL-MAX-LENGTH': { status: 422, type: 'too-long', en: 'Value is longer than {max} characters', id: 'Nilai lebih panjang dari {max} karakter' },
  'VAL-CODE-NOT-IN-VS': { status: 422, type: 'code-invalid', en: 'The code {code} is not in the value set {valueSet} ({strength} binding)', id: 'Kode {code} tidak termasuk dalam value set {valueSet} (binding {strength})' },
  'VAL-CODE-MISSING': { status: 422, type: 'code-invalid', en: 'No code given; a code from the value set {valueSet} is required', id: 'Tidak ada kode; kode dari value set {valueSet} wajib diisi' },
  'VAL-CODE-EXTENSIBLE': { status: 200, type: 'code-invalid', severity: 'warning', en: 'None of the codes is in the value set {valueSet} (extensible binding)', id: 'Tidak ada kode yang termasuk dalam value set {valueSet} (binding extensible)' },
  'VAL-CODE-UNKNOWN': { status: 422, type: 'code-invalid', en: 'Unknown code {code} in the code system {system}', id: 'Kode {code} tidak dikenal dalam sistem kode {system}' },
  'VAL-CODE-FORMAT': { status: 422, type: 'code-invalid', en: '{code} is not a valid code of {system}: {reason}', id: '{code} bukan kode yang valid dari {system}: {reason}' },
  'VAL-INVARIANT': { status: 422, type: 'invariant', en: 'Constraint failed: {key}: {human}', id: 'Aturan {key} tidak terpenuhi: {human}' },
  'VAL-INVARIANT-ERROR': { status: 422, type: 'invariant', en: 'Constraint {key} could not be evaluated: {reason}', id: 'Aturan {key} tidak dapat dievaluasi: {reason}' },
  'VAL-SLICE-UNMATCHED': { status: 422, type: 'structure', en: 'This element does not match any slice of {element} in {profile}, and the slicing is closed', id: 'Elemen ini tidak cocok dengan slice mana pun dari {element} dalam {profile}, dan slicing bersifat tertutup' },
  'VAL-SLICE-MIN': { status: 422, type: 'required', en: 'Slice {slice}: minimum required = {min}, but only found {count}', id: 'Slice {slice}: wajib minimal {min}, hanya ditemukan {count}' },
  'VAL-SLICE-MAX': { status: 422, type: 'structure', en: 'Slice {slice}: maximum allowed = {max}, but found {count}', id: 'Slice {slice}: maksimal {max}, ditemukan {count}' },
  'VAL-REFERENCE-TARGET': { status: 422, type: 'structure', en: 'A reference to {type} is not allowed here (allowed: {allowed})', id: 'Referensi ke {type} tidak diizinkan di sini (yang diizinkan: {allowed})' },
  'VAL-PROFILE-UNKNOWN': { status: 422, type: 'not-supported', severity: 'warning', en: 'Profile {profile} is unknown; the resource was not checked against it', id: 'Profil {profile} tidak dikenal; resource tidak diperiksa terhadap profil ini' },
  'VAL-PROFILE-TYPE': { status: 422, type: 'structure', en: 'Profile {profile} applies to {expected}, not {actual}', id: 'Profil {profile} berlaku untuk {expected}, bukan {actual}' },
  'VAL-PROFILE-INVALID': { status: 422, type: 'processing', en: 'Profile {profile} cannot be used: {reason}', id: 'Profil {profile} tidak dapat digunakan: {reason}' },
  'VAL-EXTENSION-UNKNOWN': { status: 200, type: 'structure', severity: 'warning', en: 'Unknown extension {url}; its content was not checked', id: 'Extension {url} tidak dikenal; isinya tidak diperiksa' },
  'VAL-PARAMETERS': { status: 400, type: 'invalid', en: 'Parameters for $validate: {detail}', id: 'Parameter $validate tidak valid: {detail}' },
  'VAL-TOO-DEEP': { status: 422, type: 'too-costly', severity: 'fatal', en: 'The resource cannot be validated: JSON nested deeper than {limit} levels', id: 'Sumber daya tidak dapat divalidasi: JSON bersarang lebih dari {limit} tingkat' },
  'VAL-JSON': { status: 400, type: 'structure', severity: 'fatal', en: 'The file is not valid JSON: {reason}', id: 'Berkas bukan JSON yang valid: {reason}' },
  // validator modes and reference-grade verdicts (issue 13, docs/decisions/0016)
  'VAL-EXTENSION-NOT-FOUND': { status: 422, type: 'structure', en: 'The extension {url} could not be found, so it is not allowed here', id: 'Extension {url} tidak ditemukan, sehingga tidak diizinkan di sini' },
  'VAL-CODE-UNCHECKED': { status: 200, type: 'informational', severity: 'information', en: 'The code {code} could not be checked offline against {valueSet}', id: 'Kode {code} tidak dapat diperiksa secara offline terhadap {valueSet}' },
  'VAL-VS-UNCHECKED': { status: 200, type: 'informational', severity: 'information', en: 'The value set {valueSet} cannot be expanded offline; the required binding was not checked', id: 'Value set {valueSet} tidak dapat diekspansi secara offline; binding required tidak diperiksa' },
  'VAL-ID-EXTENSION': { status: 422, type: 'structure', en: 'Extensions are not allowed on Resource.id', id: 'Extension tidak diizinkan pada Resource.id' },
  'VAL-TOO-LONG': { status: 422, type: 'too-long', en: 'The value is longer than the permitted maximum of 1 MB (1048576 bytes)', id: 'Nilai lebih panjang dari batas maksimum 1 MB (1048576 byte)' },
  'VAL-XHTML': { status: 422, type: 'value', en: 'The narrative contains {what}, which is not allowed in FHIR XHTML', id: 'Narasi berisi {what}, yang tidak diizinkan dalam XHTML FHIR' },
  'VAL-URL-ABSOLUTE': { status: 422, type: 'value', en: '{what} must be an absolute URL, not "{value}"', id: '{what} harus berupa URL absolut, bukan "{value}"' },
  'VAL-UUID': { status: 422, type: 'value', en: 'UUIDs must be valid and lowercase ({value})', id: 'UUID harus valid dan huruf kecil ({value})' },
  'VAL-CODING-VALUESET': { status: 422, type: 'value', en: 'The Coding references a value set, not a code system ({value})', id: 'Coding merujuk ke value set, bukan sistem kode ({value})' },
  'VAL-BUNDLE-LINK': { status: 422, type: 'invalid', en: 'The link relation "{relation}" can only occur once', id: 'Relasi link "{relation}" hanya boleh muncul sekali' },
  'VAL-BUNDLE-SEARCH-ID': { status: 422, type: 'invalid', en: 'Search results must have ids', id: 'Hasil pencarian harus memiliki id' },
  'VAL-BUNDLE-OUTCOME': { status: 422, type: 'invalid', en: 'An entry with search.mode "outcome" must be an OperationOutcome, not a {type}', id: 'Entri dengan search.mode "outcome" harus berupa OperationOutcome, bukan {type}' },
  'VAL-EXTENSION-CONTEXT': { status: 422, type: 'structure', en: 'The extension {url} is not allowed here ({path}; allowed: {allowed})', id: 'Extension {url} tidak diizinkan di sini ({path}; yang diizinkan: {allowed})' },
  'VAL-ATTACHMENT-SIZE': { status: 422, type: 'value', en: 'The stated attachment size {size} does not match the size of its data ({actual} bytes)', id: 'Ukuran lampiran yang dinyatakan {size} tidak sama dengan ukuran datanya ({actual} byte)' },
  'VAL-SNAPSHOT': { status: 422, type: 'processing', en: 'No snapshot can be generated from the differential: {reason}', id: 'Snapshot tidak dapat dibuat dari differential: {reason}' },
  'VAL-CS-SUPPLEMENT': { status: 422, type: 'business-rule', en: 'A CodeSystem supplement SHALL have content "supplement"', id: 'Suplemen CodeSystem harus memiliki content "supplement"' },
  'VAL-CS-PROPERTY': { status: 422, type: 'business-rule', en: 'CodeSystem property: {detail}', id: 'Properti CodeSystem: {detail}' },
  'VAL-VS-RULE': { status: 422, type: 'business-rule', en: 'ValueSet: {detail}', id: 'ValueSet: {detail}' },
  'VAL-BUNDLE-REFERENCE': { status: 422, type: 'not-found', en: 'The reference {reference} {problem} in this document Bundle', id: 'Referensi {reference} {problem} dalam Bundle dokumen ini' },
  'VAL-SEARCH-PARAM-TYPE': { status: 422, type: 'business-rule', en: 'The SearchParameter {definition} is of type {defined}, not {type}', id: 'SearchParameter {definition} bertipe {defined}, bukan {type}' },
  'VAL-MODE': { status: 400, type: 'invalid', en: 'Unknown validation mode "{mode}" (r4 or ilp)', id: 'Mode validasi "{mode}" tidak dikenal (r4 atau ilp)' },
  // relay
  'RELAY-PATIENT-UNKNOWN': { status: 422, type: 'not-found', en: 'The patient is not in the national patient index (MPI) and creating patients is disabled (RELAY_CREATE_PATIENTS=0)', id: 'Pasien belum terdaftar di indeks pasien nasional (MPI) dan pembuatan pasien dinonaktifkan (RELAY_CREATE_PATIENTS=0)' },
  'RELAY-PATIENT-CREATE': { status: 422, type: 'business-rule', en: 'The national patient index refused to create the patient: {detail}', id: 'Indeks pasien nasional menolak membuat pasien: {detail}' },
  'RELAY-PRACTITIONER-UNKNOWN': { status: 422, type: 'not-found', en: 'Practitioner {ihs} is not known to the national platform', id: 'Tenaga kesehatan {ihs} tidak dikenal oleh platform nasional' },
  'RELAY-ATTEMPTS-EXHAUSTED': { status: 503, type: 'transient', en: 'Gave up after {attempts} attempts; last error: {error}', id: 'Dihentikan setelah {attempts} percobaan; galat terakhir: {error}' },
  'RELAY-DUPLICATE-UNRESOLVED': { status: 409, type: 'duplicate', en: 'The national platform reports a duplicate, but {reference} could not be found by its identifier', id: 'Platform nasional melaporkan duplikat, tetapi {reference} tidak ditemukan berdasarkan identifier-nya' },
  'RELAY-NO-ENCOUNTER': { status: 422, type: 'structure', en: 'The submission has no Encounter to relay', id: 'Kiriman tidak memiliki Encounter untuk dikirim' },
  'ADMIN-UNAUTHORIZED': { status: 401, type: 'login', en: 'Admin endpoints need Authorization: Bearer <ADMIN_TOKEN>', id: 'Endpoint admin memerlukan Authorization: Bearer <ADMIN_TOKEN>' },
  'ADMIN-BAD-REQUEST': { status: 400, type: 'invalid', en: '{detail}', id: '{detail}' },
  'ADMIN-NO-CREDENTIALS-KEY': { status: 409, type: 'security', en: 'Credentials cannot be stored without CREDENTIALS_KEY (32 bytes, base64): secrets are encrypted at rest', id: 'Kredensial tidak dapat disimpan tanpa CREDENTIALS_KEY (32 byte, base64): rahasia dienkripsi saat disimpan' },
  'ADMIN-NOT-FOUND': { status: 404, type: 'not-found', en: '{what} not found', id: '{what} tidak ditemukan' },
  // auth-clients (issue #8: clients in the database, abuse limits)
  'AUTH-CLIENT-REVOKED': { status: 401, type: 'login', en: 'The client of this access token has been revoked', id: 'Klien pemilik token akses ini telah dicabut' },
  'AUTH-RATE-LIMIT': { status: 429, type: 'throttled', en: 'Too many requests from this client; retry after {seconds} s', id: 'Terlalu banyak permintaan dari klien ini; coba lagi setelah {seconds} detik' },
  'ADMIN-CLIENT-EXISTS': { status: 409, type: 'duplicate', en: 'API client {clientId} already exists (client ids are never reused, not even after revocation)', id: 'Klien API {clientId} sudah ada (id klien tidak pernah dipakai ulang, juga setelah dicabut)' },
  'ADMIN-CLIENT-CONFLICT': { status: 409, type: 'conflict', en: 'API client {clientId}: {detail}', id: 'Klien API {clientId}: {detail}' },
  // Warnings (never block a submission).
  'WARN-INTERPRETATION-DISAGREES': { status: 200, type: 'business-rule', severity: 'warning', en: 'Vendor interpretation "{vendor}" for {item} differs from the catalogue threshold result "{computed}" ({rule}); the vendor value is kept', id: 'Interpretasi vendor "{vendor}" untuk {item} berbeda dengan hasil ambang katalog "{computed}" ({rule}); nilai vendor dipakai' },
  'WARN-NIK-BIRTHDATE': { status: 200, type: 'business-rule', severity: 'warning', en: 'The NIK birth-date segment ({segment}) does not match birthDate {birthDate} and gender {gender}', id: 'Segmen tanggal lahir pada NIK ({segment}) tidak cocok dengan tanggal lahir {birthDate} dan jenis kelamin {gender}' },
  'WARN-LIFECYCLE-AGE': { status: 200, type: 'business-rule', severity: 'warning', en: 'Life-cycle group "{group}" does not fit age {age} at the visit', id: 'Kelompok siklus hidup "{group}" tidak sesuai dengan usia {age} saat kunjungan' },
  'WARN-ITEM-NOT-ELIGIBLE': { status: 200, type: 'business-rule', severity: 'warning', en: 'Item "{code}" is not part of the ILP package for the life-cycle groups of this visit ({groups})', id: 'Item "{code}" bukan bagian dari paket ILP untuk kelompok siklus hidup kunjungan ini ({groups})' },
  'WARN-ITEM-CLUSTER': { status: 200, type: 'business-rule', severity: 'warning', en: 'Item "{code}" is normally delivered by cluster {clusters}, not cluster {cluster}', id: 'Item "{code}" biasanya dilayani klaster {clusters}, bukan klaster {cluster}' },
  // ── Village monitoring (PWS) ──────────────────────────────────────────────────────────────
  'PWS-AREA-INVALID': { status: 400, type: 'value', en: 'Parameter area "{area}" is not a Kemendagri code: {detail}', id: 'Parameter area "{area}" bukan kode Kemendagri: {detail}' },
  'PWS-AREA-REQUIRED': { status: 400, type: 'required', en: 'Parameter area (Kemendagri code of 2, 4, 6 or 10 digits) is required', id: 'Parameter area (kode Kemendagri 2, 4, 6 atau 10 digit) wajib diisi' },
  'PWS-AREA-FORBIDDEN': { status: 403, type: 'forbidden', en: 'This client may not see area {area}', id: 'Klien ini tidak berwenang melihat wilayah {area}' },
  'PWS-PARAM-INVALID': { status: 400, type: 'value', en: 'Parameter {name} must be given once, as text', id: 'Parameter {name} harus diberikan sekali, sebagai teks' },
  'PWS-PERIOD-INVALID': { status: 400, type: 'value', en: 'Parameter period "{period}" must be YYYY-MM or YYYY', id: 'Parameter period "{period}" harus YYYY-MM atau YYYY' },
  'PWS-INDICATOR-UNKNOWN': { status: 400, type: 'code-invalid', en: 'Unknown indicator "{code}"; see GET /pws/v1/registry', id: 'Indikator "{code}" tidak dikenal; lihat GET /pws/v1/registry' },
  'PWS-LEVEL-INVALID': { status: 400, type: 'value', en: 'Parameter level must be "village" or absent', id: 'Parameter level harus "village" atau dikosongkan' },
  'PWS-TARGET-INVALID': { status: 422, type: 'value', en: 'Invalid target: {detail}', id: 'Sasaran tidak valid: {detail}' },
  'PWS-TARGET-GROUP': { status: 422, type: 'code-invalid', en: 'Unknown target group "{group}" (allowed: {allowed})', id: 'Kelompok sasaran "{group}" tidak dikenal (yang diizinkan: {allowed})' },
  'PWS-TARGET-CSV': { status: 422, type: 'value', en: 'Target CSV line {line}: {detail}; nothing was loaded', id: 'CSV sasaran baris {line}: {detail}; tidak ada data yang dimuat' },
  'PWS-MEASURE-PERIOD': { status: 400, type: 'value', en: 'periodStart {start} and periodEnd {end} must be dates in one calendar year, start before end', id: 'periodStart {start} dan periodEnd {end} harus tanggal dalam satu tahun kalender, awal sebelum akhir' },
  'PWS-MEDIA-TYPE': { status: 415, type: 'not-supported', en: 'Targets are uploaded as text/csv or application/json, not "{type}"', id: 'Sasaran diunggah sebagai text/csv atau application/json, bukan "{type}"' },
  // security-core (issue 8): tenant isolation, district regions, hardening
  'AUTH-ORG-AMBIGUOUS': { status: 403, type: 'forbidden', en: 'The request names several organizations ({organizations}); one request writes for one organization', id: 'Permintaan menyebut beberapa organisasi ({organizations}); satu permintaan hanya untuk satu organisasi' },
  'AUTH-ADMIN-RESTRICTED': { status: 403, type: 'forbidden', en: 'Admin actions need a client that is not restricted to organizations or regions', id: 'Tindakan admin memerlukan klien yang tidak dibatasi organisasi atau wilayah' },
  'AUTH-REGION-READ-ONLY': { status: 403, type: 'forbidden', en: 'A region-restricted (district) client may read but not write', id: 'Klien dengan batas wilayah (kabupaten/kota) hanya boleh membaca, tidak menulis' },
  'AUTH-OWNER': { status: 403, type: 'forbidden', en: '{reference} belongs to another organization and cannot be written or referenced by {organizationId}', id: '{reference} milik organisasi lain dan tidak dapat ditulis atau dirujuk oleh {organizationId}' },
  'HTTP-TEXT-INVALID': { status: 400, type: 'invalid', en: 'The {where} contains a NUL character or invalid UTF-16 (a lone surrogate), which is never valid text', id: '{where} berisi karakter NUL atau UTF-16 tidak valid (surrogate tunggal), yang bukan teks yang sah' },
  // fhir-http (issue 13): HTTP conventions of FHIR R4 http.html / search.html, and the store's Bundle errors (were store/store-errors.ts)
  'STORE-ENTRY-UNSUPPORTED': { status: 422, type: 'not-supported', en: 'The Bundle cannot be stored: {detail}', id: 'Bundle tidak dapat disimpan: {detail}' },
  'STORE-CONDITIONAL-MULTIPLE': { status: 412, type: 'duplicate', en: 'The conditional update {url} matches more than one resource', id: 'Pembaruan bersyarat {url} cocok dengan lebih dari satu sumber daya' },
  'STORE-TEXT-NUL': { status: 422, type: 'value', en: 'Text may not contain the NUL character (U+0000)', id: 'Teks tidak boleh mengandung karakter NUL (U+0000)' },
  'STORE-VERSION-CONFLICT': { status: 412, type: 'conflict', en: 'Entry {index}: {target} is at version {current}, not the version {expected} named by ifMatch', id: 'Entri {index}: {target} berada pada versi {current}, bukan versi {expected} yang disebut ifMatch' },
  'FHIR-IF-MATCH': { status: 400, type: 'invalid', en: 'ifMatch must be a version ETag such as W/"3", not "{value}"', id: 'ifMatch harus berupa ETag versi seperti W/"3", bukan "{value}"' },
  'FHIR-NOT-ACCEPTABLE': { status: 406, type: 'not-supported', en: 'This server answers application/fhir+json only, not {format}', id: 'Server ini hanya menjawab dalam application/fhir+json, bukan {format}' },
  'FHIR-NOTHING-TO-RELAY': { status: 422, type: 'business-rule', en: 'Nothing to relay to SATUSEHAT: a stored {kind} must carry the Encounter of its visit ({detail})', id: 'Tidak ada yang dapat dikirim ke SATUSEHAT: {kind} yang disimpan harus memuat Encounter kunjungannya ({detail})' },
  'FHIR-SEARCH-PARAM-IGNORED': { status: 200, type: 'not-supported', severity: 'warning', en: 'Unknown search parameter "{param}" for {type} was ignored (Prefer: handling=lenient)', id: 'Parameter pencarian "{param}" untuk {type} tidak dikenal dan diabaikan (Prefer: handling=lenient)' },
  'FHIR-SUMMARY': { status: 400, type: 'value', en: 'Invalid {param}: {detail}', id: '{param} tidak valid: {detail}' },
  'FHIR-EXPORT-POLL-TOO-SOON': { status: 429, type: 'transient', en: 'Export job {id} was polled too soon: wait {seconds} s between status requests (Retry-After)', id: 'Status tugas ekspor {id} diminta terlalu cepat: tunggu {seconds} detik antar permintaan (Retry-After)' },
  'FHIR-OPERATION-UNKNOWN': { status: 404, type: 'not-found', en: 'No OperationDefinition {id} (see GET /fhir/metadata)', id: 'OperationDefinition {id} tidak ditemukan (lihat GET /fhir/metadata)' },
  // audit trail (issue #8, docs/decisions/0012-audit-trail.md)
  'AUDIT-BACKLOG': { status: 503, type: 'transient', en: 'The audit trail cannot be written fast enough; retry shortly (personal data is not served unaudited)', id: 'Jejak audit tidak dapat ditulis cukup cepat; coba lagi sebentar (data pribadi tidak dilayani tanpa audit)' },
  'AUDIT-READ-FORBIDDEN': { status: 403, type: 'forbidden', en: 'Reading audit events requires the scope system/AuditEvent.read or admin', id: 'Membaca peristiwa audit memerlukan cakupan (scope) system/AuditEvent.read atau admin' },
  // posyandu: newborns, growth, weight gain, immunisation (issue 9)
  'ILP-LENGTH-AGE': { status: 422, type: 'business-rule', en: 'A recumbent length (body-length) is not accepted for a child over 5 years ({age}); send the standing height as body-height', id: 'Panjang badan berbaring (body-length) tidak diterima untuk anak di atas 5 tahun ({age}); kirim tinggi badan berdiri sebagai body-height' },
  'ILP-VACCINE-UNKNOWN': { status: 422, type: 'code-invalid', en: 'Unknown vaccine "{vaccine}" (allowed: {allowed})', id: 'Vaksin "{vaccine}" tidak dikenal (yang diizinkan: {allowed})' },
  'ILP-VACCINE-DOSE': { status: 422, type: 'value', en: 'doseNumber {dose} does not fit vaccine {vaccine} (expected {expected})', id: 'doseNumber {dose} tidak sesuai untuk vaksin {vaccine} (seharusnya {expected})' },
  'ILP-VACCINE-DATE': { status: 422, type: 'value', en: 'Vaccination date {date} is {problem}', id: 'Tanggal imunisasi {date} {problem}' },
  'ILP-VACCINE-DUPLICATE': { status: 422, type: 'duplicate', en: 'Vaccine {vaccine} appears more than once in this visit', id: 'Vaksin {vaccine} dikirim lebih dari sekali dalam kunjungan ini' },
  'WARN-Z-SCORE-FLAGGED': { status: 200, type: 'business-rule', severity: 'warning', en: '{item} = {z} is beyond the WHO plausibility limits: probably a measurement error; check {inputs} (recorded without a category)', id: '{item} = {z} di luar batas kewajaran WHO: kemungkinan salah ukur; periksa {inputs} (dicatat tanpa kategori)' },
  // write path: NDJSON bulk import (issue 12)
  'IMPORT-MEDIA-TYPE': { status: 415, type: 'not-supported', en: 'Content-Type must be application/x-ndjson (one ILP submission per line), not "{type}"', id: 'Content-Type harus application/x-ndjson (satu kiriman ILP per baris), bukan "{type}"' },
  'IMPORT-LINE-TOO-LONG': { status: 413, type: 'too-long', en: 'Line {line} is longer than the limit of {limit} bytes; it was skipped', id: 'Baris {line} lebih panjang dari batas {limit} byte; baris ini dilewati' },
  'IMPORT-TOO-LARGE': { status: 413, type: 'too-long', en: 'The import is larger than the limit of {limit} bytes: nothing from line {line} on was read; send the rest in another import', id: 'Impor melebihi batas {limit} byte: baris {line} dan seterusnya tidak dibaca; kirim sisanya dalam impor lain' },
  // --- validator ---
  'VAL-EXAMPLE-URL': { status: 422, type: 'value', en: 'Example URLs are not allowed in this context ({value})', id: 'URL contoh tidak diizinkan dalam konteks ini ({value})' },
  'VAL-HTML-IN-STRING': { status: 422, type: 'security', en: 'The string value contains text that looks like embedded HTML tags, which are not allowed for security reasons in this context', id: 'Nilai string berisi teks yang tampak seperti tag HTML, yang tidak diizinkan demi keamanan dalam konteks ini' },
  'VAL-HTML-IN-MARKDOWN': { status: 422, type: 'value', en: 'The markdown contains content that appears to be an embedded HTML tag starting at "{start}"', id: 'Markdown berisi konten yang tampak seperti tag HTML, mulai dari "{start}"' },
  'VAL-EXPERIMENTAL': { status: 422, type: 'business-rule', en: 'Experimental content is not allowed in this context', id: 'Konten eksperimental tidak diizinkan dalam konteks ini' },
  'VAL-PUBLICATION-WG': { status: 422, type: 'business-rule', en: 'When HL7 is publishing a resource, the owning committee must be stated using the http://hl7.org/fhir/StructureDefinition/structuredefinition-wg extension', id: 'Bila HL7 menerbitkan resource, komite pemiliknya harus dinyatakan dengan extension http://hl7.org/fhir/StructureDefinition/structuredefinition-wg' },
  'VAL-REFERENCE-UNRESOLVED': { status: 422, type: 'not-found', en: 'Unable to resolve resource with reference "{reference}"', id: 'Resource dengan referensi "{reference}" tidak dapat ditemukan' },
  'VAL-JSON-COMMENT': { status: 400, type: 'structure', en: 'Comments are not allowed in JSON', id: 'Komentar tidak diizinkan dalam JSON' },
  'VAL-JSON-SYNTAX': { status: 400, type: 'structure', en: 'JSON syntax: {problem}', id: 'Sintaks JSON: {problem}' },
  'VAL-CONTAINED-UNREFERENCED': { status: 422, type: 'structure', en: 'The contained resource "{id}" is not referenced from elsewhere in the containing resource nor does it refer to the containing resource (dom-3)', id: 'Resource contained "{id}" tidak dirujuk dari bagian lain resource penampungnya dan tidak merujuk ke resource penampungnya (dom-3)' },
  'VAL-VITAL-SIGNS': { status: 200, type: 'informational', severity: 'information', en: 'This Observation carries the {system} code {code}, so it is validated against the vital signs profile {profile} (R4 observation-vitalsigns.html)', id: 'Observation ini membawa kode {system} {code}, sehingga divalidasi terhadap profil tanda vital {profile} (R4 observation-vitalsigns.html)' },
  'VAL-SEARCH-PARAM-EXPRESSION': { status: 422, type: 'business-rule', en: 'The search expression "{expression}" starts from {name}, which is not one of its base types ({bases})', id: 'Ekspresi pencarian "{expression}" berawal dari {name}, yang bukan salah satu tipe dasarnya ({bases})' },
  'VAL-SEARCH-PARAM-BASE': { status: 422, type: 'business-rule', en: 'The resource type {type} is not listed as a base in the SearchParameter this is derived from ({definition})', id: 'Tipe resource {type} tidak tercantum sebagai base pada SearchParameter asalnya ({definition})' },
  'VAL-CS-COUNT': { status: 422, type: 'business-rule', en: 'The code system is complete, but the number of concepts ({count}) does not match the stated total ({stated})', id: 'Code system lengkap, tetapi jumlah konsep ({count}) tidak sama dengan jumlah yang dinyatakan ({stated})' },
  'VAL-CS-SUPPLEMENT-CODE': { status: 422, type: 'business-rule', en: 'The code {code} is not a code of the base code system {system}, so it is not valid in the supplement', id: 'Kode {code} bukan kode dari code system dasar {system}, sehingga tidak valid dalam supplement' },
  'VAL-EXTENSION-URL-MISSING': { status: 422, type: 'structure', en: 'Extension.url is required in order to identify, use and validate the extension', id: 'Extension.url wajib ada untuk mengenali, memakai, dan memvalidasi extension' },
  'VAL-EXTENSION-VERSION': { status: 422, type: 'structure', en: 'The extension URL must not contain a version ({url})', id: 'URL extension tidak boleh memuat versi ({url})' },
  'VAL-BUNDLE-FULLURL-ID': { status: 422, type: 'invalid', en: 'The fullUrl {fullUrl} looks like a RESTful server URL, so it must end with the type and id of its resource ({expected})', id: 'fullUrl {fullUrl} tampak seperti URL server RESTful, sehingga harus diakhiri tipe dan id resource-nya ({expected})' },
  'VAL-REFERENCE-FORM': { status: 422, type: 'invalid', en: 'Relative references must be of the form Type/id, not "{reference}"', id: 'Referensi relatif harus berbentuk Type/id, bukan "{reference}"' },
  'VAL-BUNDLE-NO-FULLURL': { status: 422, type: 'invalid', en: 'Bundle entry missing fullUrl (its resource has relative references, which resolve against it)', id: 'Entry Bundle tanpa fullUrl (resource-nya memuat referensi relatif, yang diselesaikan terhadap fullUrl)' },
  'VAL-BUNDLE-RELATIVE-NO-FULLURL': { status: 422, type: 'invalid', en: 'The relative reference {reference} appears inside a Bundle entry that has no fullUrl', id: 'Referensi relatif {reference} berada dalam entry Bundle yang tidak memiliki fullUrl' },
  // --- pws-job ---
  'PWS-REPORT-PERIOD': { status: 400, type: 'value', en: 'Parameter period "{period}" must be a month (YYYY-MM) that is over in every Indonesian time zone', id: 'Parameter period "{period}" harus bulan (YYYY-MM) yang sudah berakhir di semua zona waktu Indonesia' },
  'PWS-REPORT-BUSY': { status: 409, type: 'conflict', en: 'The MeasureReports of {period} are being computed by another worker ({worker}); try again when it finished', id: 'MeasureReport bulan {period} sedang dihitung oleh worker lain ({worker}); coba lagi setelah selesai' },
  'PWS-REPORT-BODY': { status: 400, type: 'invalid', en: 'Invalid request: {detail}', id: 'Permintaan tidak valid: {detail}' },
  // --- console-ops ---
  'OPS-BAD-QUERY': { status: 400, type: 'invalid', en: 'Invalid {param}: {detail}', id: '{param} tidak valid: {detail}' },
  'OPS-NOT-FOUND': { status: 404, type: 'not-found', en: '{what} not found', id: '{what} tidak ditemukan' },
  'OPS-REGION-RESTRICTED': { status: 403, type: 'forbidden', en: 'The operations console shows vendor payloads and relay state per organization: a region-restricted (district) client cannot use it', id: 'Konsol operasional menampilkan isi kiriman vendor dan status relay per organisasi: klien dengan batas wilayah (kabupaten/kota) tidak dapat menggunakannya' },
  'OPS-RESEND-REASON': { status: 400, type: 'required', en: 'A re-send needs a reason of 1 to {max} characters (it is kept in the relay events and the audit trail)', id: 'Pengiriman ulang memerlukan alasan sepanjang 1 sampai {max} karakter (disimpan dalam riwayat relay dan jejak audit)' },
  'OPS-RESEND-IDS': { status: 400, type: 'invalid', en: '"ids" must list 1 to {max} submission ids', id: '"ids" harus berisi 1 sampai {max} id kiriman' },
} satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;
export type Params = Record<string, string | number | boolean | undefined>;

/**
 * A template split once at its `{name}` placeholders: literal text at even indexes, names at odd
 * ones. The validator reports some issues on nearly every resource (an extensible binding not met),
 * and a regular-expression replace with a callback per message cost more than the check itself.
 */
const compiledTemplates = new Map<string, string[]>();

function compileTemplate(template: string): string[] {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    parts = template.split(/\{(\w+)\}/);
    compiledTemplates.set(template, parts);
  }
  return parts;
}

/** `{name}` → String(params.name); a placeholder without a value stays as it is. */
function fill(template: string, params: Params): string {
  const parts = compileTemplate(template);
  let out = parts[0] ?? '';
  for (let i = 1; i < parts.length; i += 2) {
    const key = parts[i] ?? '';
    const value = params[key];
    out += (value === undefined ? `{${key}}` : String(value)) + (parts[i + 1] ?? '');
  }
  return out;
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
