import type { Resource } from 'fhir/r4';
import { buildNationalBundle, idsFromResponse } from '../../../src/relay/national-bundle';
import { CredentialVault } from '../../../src/relay/credentials';

const ENC = 'Encounter/2b1c8a3e-1111-4a4a-8a8a-000000000001';
const OBS = 'Observation/2b1c8a3e-1111-4a4a-8a8a-000000000002';
const PAT = 'Patient/2b1c8a3e-1111-4a4a-8a8a-000000000003';

const resources = [
  { ref: OBS, resource: { resourceType: 'Observation', id: OBS.split('/')[1], meta: { versionId: '1' }, code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, identifier: [{ system: 'http://sys-ids.kemkes.go.id/observation/10000005', value: 'V1.sbp' }], subject: { reference: PAT }, encounter: { reference: ENC }, performer: [{ reference: 'Practitioner/10009880728' }] } as Resource },
  { ref: PAT, resource: { resourceType: 'Patient', id: PAT.split('/')[1] } as Resource },
  { ref: ENC, resource: { resourceType: 'Encounter', id: ENC.split('/')[1], identifier: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/episodeofcare/ANC', value: 'K2' }, { system: 'http://sys-ids.kemkes.go.id/encounter/10000005', value: 'V1' }], subject: { reference: PAT } } as Resource },
];

describe('the SATUSEHAT transaction Bundle of a stored visit (satusehat-api.md §5.4)', () => {
  test('new visit: POST entries with urn:uuid fullUrls, Encounter first, Patient resolved to its IHS number, local meta dropped', () => {
    const { bundle, entries } = buildNationalBundle(resources, {}, { ref: PAT, ihs: 'P02478375538' });
    expect(entries.map((e) => [e.ref, e.method])).toEqual([[ENC, 'POST'], [OBS, 'POST']]);
    expect(entries[0]?.identifier).toEqual({ system: 'http://sys-ids.kemkes.go.id/encounter/10000005', value: 'V1' });
    const [enc, obs] = bundle.entry ?? [];
    expect(enc?.request).toEqual({ method: 'POST', url: 'Encounter' });
    expect(enc?.fullUrl).toBe(`urn:uuid:${ENC.split('/')[1]}`);
    expect(obs?.resource).toEqual({
      resourceType: 'Observation', code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, identifier: [{ system: 'http://sys-ids.kemkes.go.id/observation/10000005', value: 'V1.sbp' }],
      subject: { reference: 'Patient/P02478375538' }, encounter: { reference: enc?.fullUrl }, performer: [{ reference: 'Practitioner/10009880728' }],
    });
    expect(JSON.stringify(bundle)).not.toContain('"meta"');
  });

  test('updated visit: resources the platform holds are PUT to their national ids, and references use them', () => {
    const { bundle, entries } = buildNationalBundle(resources, { [ENC]: 'nat-enc' }, { ref: PAT, ihs: 'P1' });
    expect(entries.map((e) => e.method)).toEqual(['PUT', 'POST']);
    expect(bundle.entry?.[0]?.request).toEqual({ method: 'PUT', url: 'Encounter/nat-enc' });
    expect(bundle.entry?.[0]?.resource?.id).toBe('nat-enc');
    expect((bundle.entry?.[1]?.resource as { encounter: { reference: string } }).encounter.reference).toBe('Encounter/nat-enc');
  });

  test('ids come back by position from resourceID, or from location when resourceID is absent', () => {
    const { entries } = buildNationalBundle(resources, {}, { ref: PAT, ihs: 'P1' });
    const ids = idsFromResponse(entries, { entry: [{ response: { resourceID: 'e1' } }, { response: { location: 'https://x/fhir-r4/v1/Observation/o1/_history/abc' } }] });
    expect(ids).toEqual({ [ENC]: 'e1', [OBS]: 'o1' });
    expect(idsFromResponse(entries, { entry: [{ response: { resourceID: 'e1' } }] })).toBeUndefined();
  });
});

describe('credential vault (AES-256-GCM)', () => {
  const vault = CredentialVault.fromBase64(Buffer.alloc(32, 7).toString('base64'));
  test('round trip; a different organisation, client or key does not open it; tampering is detected', () => {
    const sealed = vault.seal('10000005', 'client', 's3cret');
    expect(sealed).not.toContain('s3cret');
    expect(vault.open('10000005', 'client', sealed)).toBe('s3cret');
    expect(() => vault.open('10000006', 'client', sealed)).toThrow();
    expect(() => vault.open('10000005', 'other', sealed)).toThrow();
    expect(() => CredentialVault.fromBase64(Buffer.alloc(32, 8).toString('base64')).open('10000005', 'client', sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('x').toString('base64url');
    expect(() => vault.open('10000005', 'client', parts.join('.'))).toThrow();
    expect(vault.seal('10000005', 'client', 's3cret')).not.toBe(sealed);
  });
  test('refuses a key that is not 32 bytes', () => {
    expect(() => CredentialVault.fromBase64(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
