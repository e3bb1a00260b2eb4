/**
 * A newborn without a NIK at the national patient index (satusehat-api.md §2.2 search mode 3,
 * §2.3 "Patient (Newborn) - Create by Mother's NIK"): the relay's directory finds the child among
 * the mother's children by birth order, or creates it, against the simulator over a real socket.
 */
import type { Patient } from 'fhir/r4';
import { NationalDirectory } from '../../../src/relay/directory';
import { NationalPlatform } from '../../../src/relay/national-platform';
import { TokenCache } from '../../../src/relay/token-cache';
import { createSimulator, type Simulator } from '../../../src/sim/simulator';

let sim: Simulator;
let base: string;
beforeAll(async () => { sim = createSimulator({ lockoutSeconds: 60 }); base = await sim.listen(0); });
afterAll(async () => { await sim.close(); });

const creds = { organizationId: '10000005', clientId: 'sim-10000005', clientSecret: 'sim-secret-10000005' };
const MOTHER = '9104224606000005'; // a sandbox patient (P01654557057)

function platform(): NationalPlatform {
  return new NationalPlatform({ fhirUrl: `${base}/fhir-r4/v1`, tokens: new TokenCache({ authUrl: `${base}/oauth2/v1`, timeoutMs: 5000 }), timeoutMs: 5000 });
}

const baby = (order: number): Patient => ({
  resourceType: 'Patient',
  identifier: [
    { use: 'official', system: 'https://fhir.kemkes.go.id/id/nik-ibu', value: MOTHER },
    { use: 'secondary', system: 'https://ilp-gateway.github.io/fhir/sid/newborn', value: `${MOTHER}-${order}` },
  ],
  name: [{ text: `Bayi Ny. Contoh (${order})` }], gender: 'female', birthDate: '2024-07-28', multipleBirthInteger: order,
  address: [{ use: 'home', country: 'ID', extension: [] }],
});

test('creates the newborn by the mother\'s NIK, then finds it (and its twin separately) by birth order', async () => {
  const first = await new NationalDirectory(platform(), true).patient(creds, baby(1));
  expect(first.ok).toBe(true);
  const ihs1 = first.ok ? first.value : '';
  expect(ihs1).toMatch(/^P\d{11}$/);
  // The local newborn key is not sent to the MPI.
  const stored = (await (await fetch(`${base}/fhir-r4/v1/Patient/${ihs1}`, { headers: { authorization: `Bearer ${await token()}` } })).json()) as Patient;
  expect(stored.identifier?.map((i) => i.system)).not.toContain('https://ilp-gateway.github.io/fhir/sid/newborn');

  // A fresh directory (no cache) finds the same child by search mode 3.
  const again = await new NationalDirectory(platform(), false).patient(creds, baby(1));
  expect(again).toEqual({ ok: true, value: ihs1 });
  const twin = await new NationalDirectory(platform(), true).patient(creds, baby(2));
  expect(twin.ok && twin.value !== ihs1).toBe(true);
});

test('without creating patients, an unknown newborn is reported, not invented', async () => {
  const res = await new NationalDirectory(platform(), false).patient(creds, baby(3));
  expect(res.ok).toBe(false);
});

async function token(): Promise<string> {
  const res = await fetch(`${base}/oauth2/v1/accesstoken?grant_type=client_credentials`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: creds.clientId, client_secret: creds.clientSecret }),
  });
  return String(((await res.json()) as { access_token: string }).access_token);
}
