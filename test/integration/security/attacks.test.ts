/**
 * Issue 8, tried as an attacker would (authentication ON, real sockets, real database): every
 * attack answers the expected status with an OperationOutcome (or OAuth error) and writes nothing.
 * Table-driven: each row is one attack; the suite counts them (at least 45).
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Bundle } from 'fhir/r4';
import { SignJWT } from 'jose';
import { testDbKind } from '../../support/database';
import { urn } from '../../support/bundles';
import { regionAddress, vendorTransaction } from '../fhir/fhir-support';
import {
  CLIENTS, NIK, ORG_A, ORG_B, ORG_C, SIGNING_KEY, VILLAGE_JAKARTA, VILLAGE_LUMAJANG,
  fingerprint, raw, send, startBench, token, visit, writtenSince, type Answer, type Bench,
} from './security-support';

let b: Bench;
beforeAll(async () => { b = await startBench(); }, 120_000);
afterAll(async () => { await b?.close(); });

type Json = Record<string, unknown>;
const NIK_SYSTEM = 'https://fhir.kemkes.go.id/id/nik';

async function forged(claims: Json, opts: { key?: Uint8Array; alg?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'system/*.read system/*.write ilp/submission.write ilp/submission.read admin', org: ['*'], ...claims })
    .setProtectedHeader({ alg: opts.alg ?? 'HS256', typ: 'at+jwt' })
    .setIssuer('ilp-gateway').setSubject('vendor-b').setIssuedAt(now - 10).setExpirationTime(opts.exp ?? now + 300)
    .sign(opts.key ?? SIGNING_KEY);
}

function unsigned(payload: Json): string {
  const enc = (v: Json): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc({ iss: 'ilp-gateway', sub: 'vendor-b', scope: 'system/*.read admin', org: ['*'], exp: Math.floor(Date.now() / 1000) + 300, ...payload })}.`;
}

/** A transaction by vendor B, with hooks to make it hostile. */
function txB(mutate: (bundle: Bundle) => void = () => undefined, org = ORG_B): Bundle {
  const bundle = vendorTransaction({ nik: '3508015005900001', village: VILLAGE_LUMAJANG, org });
  mutate(bundle);
  return bundle;
}

/** JSON nested `levels` deep, as text (JSON.stringify itself would overflow the test's stack). */
function deep(levels: number): string {
  return `${'{"n":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

interface Attack {
  name: string;
  run: () => Promise<Answer | { status: number; body: unknown }>;
  status: number | number[];
  /** Further checks on the answer (beyond status and nothing written). */
  check?: (a: Answer) => void | Promise<void>;
  code?: string;
}

const t = (client: string): string => b.tokens[client] ?? '';
const get = (client: string | undefined, path: string, headers: Record<string, string> = {}) => () => send(b.url, 'GET', path, client ? t(client) : undefined, undefined, headers);
/** `body` may be a function: built when the attack runs (after the fixtures exist). */
const post = (client: string | undefined, path: string, body: unknown, headers: Record<string, string> = {}) => () =>
  send(b.url, 'POST', path, client ? t(client) : undefined, typeof body === 'function' ? (body as () => unknown)() : body, headers);
const entryIds = (a: Answer): string[] => ((a.body.entry as { resource: { resourceType: string; id: string } }[] | undefined) ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`);
const codeOf = (a: Answer): string | undefined => ((a.body.issue as { details?: { coding?: { code?: string }[] } }[] | undefined)?.[0]?.details?.coding?.[0]?.code);
const ASYNC = { Prefer: 'respond-async' };

const ATTACKS: Attack[] = [
  // --- tokens -----------------------------------------------------------------------------------
  { name: 'no token on a FHIR read', run: get(undefined, '/fhir/Patient'), status: 401, code: 'AUTH-MISSING' },
  { name: 'alg none token', run: () => send(b.url, 'GET', '/fhir/Patient', unsigned({})), status: 401, code: 'AUTH-INVALID' },
  { name: 'HS256 signed with the wrong key', run: async () => send(b.url, 'GET', '/fhir/Patient', await forged({}, { key: Buffer.alloc(32, 1) })), status: 401, code: 'AUTH-INVALID' },
  {
    name: 'HS256 key confusion: signed with a public key as the HMAC secret',
    run: async () => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      return send(b.url, 'GET', '/fhir/Patient', await forged({}, { key: new TextEncoder().encode(pem) }));
    },
    status: 401, code: 'AUTH-INVALID',
  },
  {
    name: 'RS256 token (asymmetric algorithm where HS256 is expected)',
    run: async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({ scope: 'system/*.read', org: ['*'] }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' })
        .setIssuer('ilp-gateway').setSubject('vendor-b').setExpirationTime(now + 300).sign(privateKey);
      return send(b.url, 'GET', '/fhir/Patient', jwt);
    },
    status: 401, code: 'AUTH-INVALID',
  },
  { name: 'expired token (right key)', run: async () => send(b.url, 'GET', '/fhir/Patient', await forged({}, { exp: Math.floor(Date.now() / 1000) - 60 })), status: 401, code: 'AUTH-INVALID' },
  {
    name: 'token payload tampered (organisations widened), signature kept',
    run: async () => {
      const [h, , s] = t('vendor-b').split('.');
      const payload = JSON.parse(Buffer.from(t('vendor-b').split('.')[1] ?? '', 'base64url').toString()) as Json;
      const widened = Buffer.from(JSON.stringify({ ...payload, org: ['*'] })).toString('base64url');
      return send(b.url, 'GET', `/fhir/Patient/${b.ids.patientA}`, `${h}.${widened}.${s}`);
    },
    status: 401, code: 'AUTH-INVALID',
  },
  { name: 'well-signed token with a malformed regions claim is refused, not widened', run: async () => send(b.url, 'GET', '/fhir/Patient', await forged({ reg: '3508' })), status: 401, code: 'AUTH-INVALID' },
  {
    name: 'scope escalation: token request for a scope the client was never granted',
    run: async () => { const r = await token(b.url, 'ministry', 'admin system/*.write'); return { status: r.status, body: r.body }; },
    status: 400, check: (a) => expect(a.body.error).toBe('invalid_scope'),
  },
  {
    name: 'scope escalation: granted subset only, the extra scope does not work',
    run: async () => {
      const r = await token(b.url, 'ministry', 'system/*.read admin');
      expect(r.status).toBe(200);
      expect(String(r.body.scope)).toBe('system/*.read');
      return send(b.url, 'GET', '/admin/v1/submissions', String(r.body.access_token));
    },
    status: 403,
  },
  // --- cross-organisation reads (404, ids do not leak) ------------------------------------------
  { name: 'vendor B reads vendor A Patient', run: () => get('vendor-b', `/fhir/Patient/${b.ids.patientA}`)(), status: 404, code: 'FHIR-RESOURCE-NOT-FOUND' },
  { name: 'vendor B vreads vendor A Patient', run: () => get('vendor-b', `/fhir/Patient/${b.ids.patientA}/_history/1`)(), status: 404 },
  { name: 'vendor B reads vendor A Patient history', run: () => get('vendor-b', `/fhir/Patient/${b.ids.patientA}/_history`)(), status: 404 },
  { name: 'vendor B reads vendor A Encounter', run: () => get('vendor-b', `/fhir/Encounter/${b.ids.encounterA}`)(), status: 404 },
  { name: 'vendor B reads vendor A Encounter history', run: () => get('vendor-b', `/fhir/Encounter/${b.ids.encounterA}/_history`)(), status: 404 },
  { name: 'vendor B reads vendor A submission status', run: () => get('vendor-b', `/ilp/v1/submissions/${b.ids.submissionA}`)(), status: 404 },
  {
    name: 'vendor B searches the shared NIK: only its own Patient',
    run: () => get('vendor-b', `/fhir/Patient?identifier=${encodeURIComponent(`${NIK_SYSTEM}|${NIK}`)}`)(),
    status: 200, check: (a) => expect(entryIds(a)).toEqual([`Patient/${b.ids.patientB}`]),
  },
  {
    name: 'vendor B searches by _id for vendor A Patient: empty',
    run: () => get('vendor-b', `/fhir/Patient?_id=${b.ids.patientA},${b.ids.patientAJkt}&_total=accurate`)(),
    status: 200, check: (a) => { expect(entryIds(a)).toEqual([]); expect(a.body.total).toBe(0); },
  },
  {
    name: 'vendor B _revinclude on vendor A Patient: nothing of A',
    run: () => get('vendor-b', `/fhir/Patient?_id=${b.ids.patientA}&_revinclude=Observation:subject&_revinclude=Encounter:subject`)(),
    status: 200, check: (a) => expect(entryIds(a)).toEqual([]),
  },
  {
    name: 'vendor B _include from Encounters: only its own Patient is included',
    run: () => get('vendor-b', '/fhir/Encounter?_include=Encounter:subject&_count=100')(),
    status: 200, check: (a) => {
      const ids = entryIds(a);
      expect(ids).toContain(`Patient/${b.ids.patientB}`);
      expect(ids).not.toContain(`Patient/${b.ids.patientA}`);
      expect(ids).not.toContain(`Encounter/${b.ids.encounterA}`);
    },
  },
  {
    name: 'vendor B searches Observations by vendor A subject: empty',
    run: () => get('vendor-b', `/fhir/Observation?subject=Patient/${b.ids.patientA}`)(),
    status: 200, check: (a) => expect(entryIds(a)).toEqual([]),
  },
  // --- region escape by a district team (regions ['3508']) --------------------------------------
  { name: 'district reads a Patient living outside its region', run: () => get('district', `/fhir/Patient/${b.ids.patientAJkt}`)(), status: 404 },
  { name: 'district reads that Patient history', run: () => get('district', `/fhir/Patient/${b.ids.patientAJkt}/_history/1`)(), status: 404 },
  { name: 'district reads the submission of that Patient', run: () => get('district', `/ilp/v1/submissions/${b.ids.submissionAJkt}`)(), status: 404 },
  {
    name: 'district searches by the other region village code: empty',
    run: () => get('district', `/fhir/Patient?village=${VILLAGE_JAKARTA}&_total=accurate`)(),
    status: 200, check: (a) => expect(a.body.total).toBe(0),
  },
  {
    name: 'district searches Observations of the other kecamatan: empty',
    run: () => get('district', `/fhir/Observation?district=${VILLAGE_JAKARTA.slice(0, 6)}&_total=accurate`)(),
    status: 200, check: (a) => expect(a.body.total).toBe(0),
  },
  {
    name: 'district searches all Patients: only residents of 3508, of every organisation',
    run: () => get('district', '/fhir/Patient?_count=100')(),
    status: 200, check: (a) => expect(entryIds(a).sort()).toEqual([`Patient/${b.ids.patientA}`, `Patient/${b.ids.patientB}`].sort()),
  },
  // --- writes for another organisation (403, nothing written, nothing queued) -------------------
  { name: 'transaction whose Encounter.serviceProvider is another organisation', run: post('vendor-b', '/fhir', txB(undefined, ORG_A)), status: 403, code: 'AUTH-ORG' },
  { name: 'transaction with X-Organization-Id of another organisation', run: post('vendor-b', '/fhir', txB(), { 'X-Organization-Id': ORG_A }), status: 403, code: 'AUTH-ORG' },
  {
    name: 'transaction whose serviceProvider is not a plain Organization id',
    run: post('vendor-b', '/fhir', txB((bundle) => {
      const enc = bundle.entry?.find((e) => e.resource?.resourceType === 'Encounter')?.resource as { serviceProvider?: { reference: string } };
      if (enc) enc.serviceProvider = { reference: `https://evil.example/Organization/${ORG_B}` };
    })),
    status: 403, code: 'AUTH-ORG',
  },
  {
    name: 'transaction PUT Patient/{id} of a Patient owned by another organisation',
    run: post('vendor-b', '/fhir', () => txB((bundle) => {
      const p = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient');
      if (p?.resource && p.request) {
        p.request = { method: 'PUT', url: `Patient/${b.ids.patientA}` };
        p.resource.id = b.ids.patientA;
      }
    })),
    status: 403, code: 'AUTH-OWNER',
  },
  {
    name: 'transaction Observation attached to another organisation Patient',
    run: post('vendor-b', '/fhir', () => txB((bundle) => {
      for (const e of bundle.entry ?? []) {
        const r = e.resource as { subject?: { reference: string } } | undefined;
        if (r?.subject && e.resource?.resourceType === 'Observation') r.subject = { reference: `Patient/${b.ids.patientA}` };
      }
    })),
    status: 403, code: 'AUTH-OWNER',
  },
  {
    name: 'batch with one entry naming another organisation (the other entries valid)',
    run: post('vendor-b', '/fhir', { ...txB(undefined, ORG_A), type: 'batch' }),
    status: 403, code: 'AUTH-ORG',
  },
  {
    name: 'batch with one entry overwriting another organisation Patient',
    run: post('vendor-b', '/fhir', () => ({
      resourceType: 'Bundle', type: 'batch',
      entry: [{ fullUrl: urn(), request: { method: 'PUT', url: `Patient/${b.ids.patientA}` }, resource: { resourceType: 'Patient', id: b.ids.patientA, identifier: [{ system: NIK_SYSTEM, value: NIK }], name: [{ text: 'Hijacked' }], gender: 'female', birthDate: '2000-03-12', address: regionAddress(VILLAGE_LUMAJANG) } }],
    }), { 'X-Organization-Id': ORG_B }),
    status: 403, code: 'AUTH-OWNER',
  },
  { name: 'vendor of two organisations that does not say which', run: post('vendor-ac', '/fhir', txB((bundle) => { for (const e of bundle.entry ?? []) delete (e.resource as { serviceProvider?: unknown }).serviceProvider; })), status: 422, code: 'FHIR-ORGANIZATION-MISSING' },
  { name: 'vendor of two organisations naming both (header and serviceProvider)', run: post('vendor-ac', '/fhir', txB(undefined, ORG_A), { 'X-Organization-Id': ORG_C }), status: 403, code: 'AUTH-ORG-AMBIGUOUS' },
  { name: 'ILP visit for another organisation', run: post('vendor-b', '/ilp/v1/encounters', visit(ORG_A, NIK, VILLAGE_LUMAJANG, 'Overwritten')), status: 403, code: 'AUTH-ORG' },
  { name: 'read-only ministry client posts a transaction', run: post('ministry', '/fhir', txB()), status: 403, code: 'AUTH-SCOPE' },
  // --- Bulk export: scopes before a job exists --------------------------------------------------
  { name: 'Patient.read only: system export of every type', run: get('patient-reader', '/fhir/$export', ASYNC), status: 403, code: 'AUTH-SCOPE' },
  { name: 'Patient.read only: Patient-level export without _type', run: get('patient-reader', '/fhir/Patient/$export', ASYNC), status: 403, code: 'AUTH-SCOPE' },
  { name: 'Patient.read only: _type=Patient,Observation', run: get('patient-reader', '/fhir/Patient/$export?_type=Patient,Observation', ASYNC), status: 403, code: 'AUTH-SCOPE' },
  { name: 'vendor polls an export status it did not start', run: get('vendor-b', '/fhir/bulkstatus/00000000-0000-4000-8000-000000000000'), status: 404 },
  // --- admin --------------------------------------------------------------------------------------
  { name: 'vendor calls the admin API', run: get('vendor-b', '/admin/v1/submissions'), status: 403 },
  { name: 'admin restricted to one organisation calls the admin API', run: get('org-admin', '/admin/v1/submissions'), status: 403, code: 'AUTH-ADMIN-RESTRICTED' },
  // --- NUL and invalid UTF-16 before SQL -----------------------------------------------------------
  { name: 'NUL in a token parameter (code=%00)', run: get('vendor-b', '/fhir/Observation?code=%00'), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in _id', run: get('vendor-b', '/fhir/Observation?_id=%00'), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in a string parameter (name)', run: get('vendor-b', '/fhir/Patient?name=a%00b'), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in identifier', run: get('vendor-b', `/fhir/Patient?identifier=${encodeURIComponent(NIK_SYSTEM)}%7C%00`), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in a parameter name', run: get('vendor-b', '/fhir/Patient?na%00me=x'), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL as a path id (/fhir/Observation/%00)', run: get('vendor-b', '/fhir/Observation/%00'), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in an ILP submission status id', run: get('vendor-b', '/ilp/v1/submissions/%00'), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in an ILP body string', run: post('vendor-b', '/ilp/v1/encounters', visit(ORG_B, NIK, VILLAGE_LUMAJANG, 'Sari\u0000Dewi')), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'lone surrogate in an ILP body string', run: post('vendor-b', '/ilp/v1/encounters', JSON.stringify(visit(ORG_B, NIK, VILLAGE_LUMAJANG, 'x')).replace('"name":"x"', '"name":"\\ud800x"')), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'lone surrogate in a FHIR transaction', run: post('vendor-b', '/fhir', JSON.stringify(txB()).replace('"Sari Dewi"', '"\\udc00"')), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL in a JSON key of a FHIR transaction', run: post('vendor-b', '/fhir', JSON.stringify(txB()).replace('"resourceType":"Bundle"', '"resourceType":"Bundle","x\\u0000":1')), status: 400, code: 'HTTP-TEXT-INVALID' },
  { name: 'NUL after URL decoding in a conditional create (ifNoneExist identifier=…|%00)', run: post('vendor-b', '/fhir', txB((bundle) => {
    const entry = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient');
    if (!entry?.request) throw new Error('the vendor transaction has no Patient entry');
    entry.request = { method: 'POST', url: 'Patient', ifNoneExist: `identifier=${encodeURIComponent(NIK_SYSTEM)}|%00` };
  })), status: 422, code: 'FHIR-ENTRY-UNSUPPORTED' },
  // --- path tricks ------------------------------------------------------------------------------
  { name: '/FHIR (case) does not reach the FHIR router', run: async () => { const r = await raw(b.url, 'GET', '/FHIR/Patient', t('vendor-b')); return { status: r.status, body: JSON.parse(r.body) as unknown }; }, status: 404 },
  { name: '//fhir (double slash) does not reach the FHIR router past the policy', run: async () => { const r = await raw(b.url, 'GET', '//fhir/Patient', t('vendor-b')); expect(r.body).not.toContain(b.ids.patientA); return { status: r.status, body: {} }; }, status: 404 },
  { name: '%2e%2e to climb from /fhir to /admin', run: async () => { const r = await raw(b.url, 'GET', '/fhir/%2e%2e/admin/v1/submissions', t('vendor-b')); return { status: r.status, body: {} }; }, status: [400, 404] },
  { name: 'raw ../ to climb from /ilp to /admin', run: async () => { const r = await raw(b.url, 'GET', '/ilp/v1/../../admin/v1/submissions', t('vendor-b')); return { status: r.status, body: {} }; }, status: [403, 404] },
  { name: 'matrix parameter ;', run: async () => { const r = await raw(b.url, 'GET', `/fhir/Patient;x=1/${b.ids.patientA}`, t('vendor-b')); expect(r.body).not.toContain('Sari Dewi"'); return { status: r.status, body: {} }; }, status: [400, 404] },
  { name: 'matrix parameter on an id', run: async () => { const r = await raw(b.url, 'GET', `/fhir/Patient/${b.ids.patientA};jsessionid=1`, t('vendor-b')); return { status: r.status, body: {} }; }, status: 404 },
  // --- SQL-looking values -----------------------------------------------------------------------
  { name: "SQL in a string search: ' OR '1'='1", run: get('vendor-b', `/fhir/Patient?name=${encodeURIComponent("' OR '1'='1")}&_total=accurate`), status: 200, check: (a) => expect(a.body.total).toBe(0) },
  { name: 'SQL in _id: 1;DROP TABLE resource', run: get('vendor-b', `/fhir/Patient?_id=${encodeURIComponent('1;DROP TABLE resource')}`), status: [200, 400] },
  { name: 'SQL in identifier: x OR 1=1 --', run: get('vendor-b', `/fhir/Patient?identifier=${encodeURIComponent("x' OR 1=1 --")}&_total=accurate`), status: 200, check: (a) => expect(a.body.total).toBe(0) },
  { name: 'SQL in a path id', run: get('vendor-b', `/fhir/Patient/${encodeURIComponent("x' OR '1'='1")}`), status: [400, 404] },
  { name: 'LIKE wildcards in a string search do not widen it', run: get('vendor-b', '/fhir/Patient?name:contains=%25&_total=accurate'), status: 200, check: (a) => expect(a.body.total).toBe(0) },
  // --- hostile bodies ------------------------------------------------------------------------
  { name: '__proto__ key in an ILP body', run: post('vendor-b', '/ilp/v1/encounters', JSON.stringify(visit(ORG_B, NIK, VILLAGE_LUMAJANG)).replace('{', '{"__proto__":{"admin":true},')), status: 400, code: 'HTTP-BODY-FORBIDDEN-KEY' },
  { name: 'constructor.prototype nested in a FHIR transaction', run: post('vendor-b', '/fhir', JSON.stringify(txB()).replace('"type":"transaction"', '"type":"transaction","meta":{"constructor":{"prototype":{"x":1}}}')), status: 400, code: 'HTTP-BODY-FORBIDDEN-KEY' },
  { name: 'oversized body (over BODY_LIMIT_BYTES)', run: post('vendor-b', '/ilp/v1/encounters', { ...visit(ORG_B, NIK, VILLAGE_LUMAJANG), padding: 'x'.repeat(300_000) }), status: 413, code: 'HTTP-BODY-TOO-LARGE' },
  { name: 'deeply nested body (5,000 levels)', run: post('vendor-b', '/fhir', deep(5000)), status: 400, code: 'HTTP-BODY-TOO-DEEP' },
  { name: 'deeply nested ILP body (100,000 levels)', run: post('vendor-b', '/ilp/v1/encounters', deep(100_000)), status: [400, 413] },
  { name: 'body that is not JSON at all', run: post('vendor-b', '/fhir', '{"resourceType": "Bundle", '), status: 400, code: 'HTTP-BODY-MALFORMED' },
];

test('the suite holds at least 45 attacks', () => {
  expect(ATTACKS.length).toBeGreaterThanOrEqual(45);
  expect(Object.keys(CLIENTS)).toEqual(expect.arrayContaining(['vendor-a', 'vendor-b', 'ministry', 'district']));
});

describe(`attacks on ${testDbKind()}: the status, and nothing written`, () => {
  test.each(ATTACKS.map((a) => [a.name, a] as const))('%s', async (_name, attack) => {
    const before = await fingerprint(b);
    const since = new Date().toISOString();
    const answer = (await attack.run()) as Answer;
    const expected = Array.isArray(attack.status) ? attack.status : [attack.status];
    expect({ expected: expected.includes(answer.status), status: answer.status, body: answer.body }).toMatchObject({ expected: true });
    if (attack.code) expect(codeOf(answer)).toBe(attack.code);
    if (answer.status >= 400 && answer.body && typeof answer.body === 'object' && 'resourceType' in answer.body) expect(answer.body.resourceType).toBe('OperationOutcome');
    await attack.check?.(answer);
    // Give an export worker (woken on every kick-off) the chance to show a job it should not have.
    await new Promise((r) => setTimeout(r, 50));
    expect(await writtenSince(b, since)).toBe(0);
    expect(await fingerprint(b)).toEqual(before);
  });
});
