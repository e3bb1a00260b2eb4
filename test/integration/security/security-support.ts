/**
 * The attacker's bench for test/integration/security: the real gateway on port 0 over a fresh
 * database (PostgreSQL, or PGlite on the second pass), authentication ON with two vendors of two
 * organisations, a vendor of two organisations, a ministry reader, a district team by region, an
 * admin and a restricted admin. Every attack asserts its status AND that nothing was written
 * (fingerprint(): no resource version, submission or outbox row, export job directory is new).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashSecret } from '../../../src/auth/secrets';
import { patientId } from '../../../src/mapping/patient';
import { example, uniqueId, type Json } from '../../support/submissions';
import { startFhirGateway } from '../fhir/fhir-support';

export const ORG_A = '10000005';
export const ORG_B = '10000006';
export const ORG_C = '10000007';
export const NIK = '9271060312000001';
/** Vendor A's second patient, living in Jakarta (outside the district team's region). */
export const NIK_JKT = '3174064101900002';
export const VILLAGE_LUMAJANG = '3508012001';
export const VILLAGE_JAKARTA = '3174031001';
export const SIGNING_KEY = Buffer.alloc(32, 9);

const RW = ['ilp/submission.write', 'ilp/submission.read', 'system/*.read', 'system/*.write'];
export const CLIENTS: Record<string, { organizations: string[]; scopes: string[]; regions?: string[] }> = {
  'vendor-a': { organizations: [ORG_A], scopes: RW },
  'vendor-b': { organizations: [ORG_B], scopes: RW },
  'vendor-ac': { organizations: [ORG_A, ORG_C], scopes: RW },
  ministry: { organizations: ['*'], scopes: ['system/*.read', 'ilp/submission.read'] },
  district: { organizations: ['*'], scopes: ['system/*.read', 'ilp/submission.read'], regions: ['3508'] },
  'patient-reader': { organizations: ['*'], scopes: ['system/Patient.read'] },
  admin: { organizations: ['*'], scopes: ['admin'] },
  'org-admin': { organizations: [ORG_A], scopes: ['admin'] },
};

export interface Bench {
  url: string;
  exportDir: string;
  tokens: Record<string, string>;
  /** Ids of what the fixtures stored. */
  ids: { patientA: string; patientAJkt: string; patientB: string; encounterA: string; encounterB: string; submissionA: string; submissionAJkt: string };
  close(): Promise<void>;
  db: Awaited<ReturnType<typeof startFhirGateway>>['db'];
}

export async function token(url: string, clientId: string, scope?: string): Promise<{ status: number; body: Json }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) });
  const res = await fetch(`${url}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${clientId}:secret-${clientId}`).toString('base64')}` },
    body: form.toString(),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

export function visit(org: string, nik: string, village: string, name = 'Sari Dewi'): Json {
  const s = example();
  s.organizationId = org;
  s.submissionId = uniqueId(`SEC-${org}`);
  s.patient.nik = nik;
  s.patient.name = name;
  s.patient.address.villageCode = village;
  return s;
}

export async function startBench(): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-security-'));
  const file = join(dir, 'clients.json');
  const clients = await Promise.all(Object.entries(CLIENTS).map(async ([clientId, c]) => ({ clientId, secretHash: await hashSecret(`secret-${clientId}`), ...c })));
  writeFileSync(file, JSON.stringify(clients));
  const gw = await startFhirGateway({ AUTH_DISABLED: '0', AUTH_CLIENTS_FILE: file, AUTH_SIGNING_KEY: SIGNING_KEY.toString('base64'), BODY_LIMIT_BYTES: '262144' });
  const tokens: Record<string, string> = {};
  for (const clientId of Object.keys(CLIENTS)) {
    const t = await token(gw.url, clientId);
    if (t.status !== 200) throw new Error(`token for ${clientId}: ${t.status}`);
    tokens[clientId] = String(t.body.access_token);
  }
  const submit = async (client: string, body: Json): Promise<string> => {
    const res = await send(gw.url, 'POST', '/ilp/v1/encounters', tokens[client], body);
    if (res.status !== 202) throw new Error(`fixture visit by ${client}: ${res.status} ${JSON.stringify(res.body)}`);
    return String(res.body.id);
  };
  // The same person (one NIK) visits organisation A and organisation B: each keeps its own Patient.
  const submissionA = await submit('vendor-a', visit(ORG_A, NIK, VILLAGE_LUMAJANG, 'Sari Dewi'));
  const submissionAJkt = await submit('vendor-a', visit(ORG_A, NIK_JKT, VILLAGE_JAKARTA, 'Rina Jakarta'));
  await submit('vendor-b', visit(ORG_B, NIK, VILLAGE_LUMAJANG, 'Sari Dewi (B)'));
  const status = await send(gw.url, 'GET', `/ilp/v1/submissions/${submissionA}`, tokens['vendor-a']);
  const encounterA = ((status.body.resources as { resourceType: string; id: string }[]).find((r) => r.resourceType === 'Encounter'))?.id ?? '';
  const enc = await send(gw.url, 'GET', `/fhir/Encounter?subject=Patient/${patientId(ORG_B, { nik: NIK })}`, tokens['vendor-b']);
  const encounterB = String(((enc.body.entry as { resource: { id: string } }[] | undefined) ?? [])[0]?.resource.id ?? '');
  return {
    url: gw.url,
    exportDir: gw.exportDir,
    db: gw.db,
    tokens,
    ids: {
      patientA: patientId(ORG_A, { nik: NIK }), patientAJkt: patientId(ORG_A, { nik: NIK_JKT }), patientB: patientId(ORG_B, { nik: NIK }),
      encounterA, encounterB, submissionA, submissionAJkt,
    },
    close: async () => {
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer { status: number; body: Json; headers: Headers }

/** A request with a bearer token (or none); bodies are JSON unless a string is given. */
export async function send(url: string, method: string, path: string, bearer: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/fhir+json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: Json = {};
  try {
    parsed = text ? (JSON.parse(text) as Json) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A raw HTTP request: the path goes on the wire exactly as given (fetch would normalise `..` and `//`). */
export function raw(url: string, method: string, path: string, bearer?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const TYPES = ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan'];

/**
 * What exists, seen by an unrestricted reader: resources per type, outbox rows, export job
 * directories. writtenSince() asks for anything stored (any new version) after an instant.
 */
export async function fingerprint(b: Bench): Promise<{ outbox: number; exports: string[]; counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  const admin = await ministryLikeToken(b);
  for (const type of TYPES) {
    const res = await send(b.url, 'GET', `/fhir/${type}?_summary=count`, admin);
    counts[type] = Number(res.body.total ?? -1);
  }
  return { outbox: (await b.db.outbox.list(1_000_000)).length, exports: readdirSync(b.exportDir).sort(), counts };
}

/** Resource versions written at or after `since` (any type): must be 0 after a refused attack. */
export async function writtenSince(b: Bench, since: string): Promise<number> {
  const admin = await ministryLikeToken(b);
  let n = 0;
  for (const type of TYPES) {
    const res = await send(b.url, 'GET', `/fhir/${type}?_lastUpdated=ge${encodeURIComponent(since)}&_summary=count`, admin);
    n += Number(res.body.total ?? 1);
  }
  return n;
}

async function ministryLikeToken(b: Bench): Promise<string> {
  return b.tokens.ministry ?? '';
}
