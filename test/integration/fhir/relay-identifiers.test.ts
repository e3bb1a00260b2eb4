import type { Bundle, Observation } from 'fhir/r4';
import { testDbKind } from '../../support/database';
import { getJson, postJson, startFhirGateway, vendorTransaction } from './fhir-support';

/**
 * Issue 13: a SATUSEHAT-conformant transaction whose Observation has no identifier (optional in
 * SATUSEHAT, satusehat-api.md §3.2) is accepted, and the gateway adds the organisation identifier
 * its relay needs, deterministically from the Bundle identifier and the entry.
 */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
let base: string;

beforeAll(async () => {
  gw = await startFhirGateway();
  base = `${gw.url}/fhir`;
});

afterAll(async () => {
  await gw?.close();
});

function withoutObservationIdentifier(bundle: Bundle): Bundle {
  for (const e of bundle.entry ?? []) if (e.resource?.resourceType === 'Observation') delete (e.resource as Observation).identifier;
  return bundle;
}

describe(`Observation without identifier on ${testDbKind()}`, () => {
  test('is accepted (200), and stored with a sys-ids identifier derived from Bundle.identifier and the entry fullUrl', async () => {
    const bundle = withoutObservationIdentifier(vendorTransaction({ nik: '3174010101901301', village: '3174061003', identifier: 'VISIT-1301' }));
    const obsEntry = bundle.entry?.find((e) => e.resource?.resourceType === 'Observation');
    const local = (obsEntry?.fullUrl ?? '').replace(/^urn:uuid:/, '');
    const res = await postJson(base, bundle);
    expect(res.status).toBe(200);
    const index = bundle.entry?.indexOf(obsEntry as NonNullable<typeof obsEntry>) ?? -1;
    const location = ((res.body as unknown as Bundle).entry?.[index]?.response?.location ?? '').split('/_history')[0];
    const stored = (await getJson(`${base}/${location}`)).body as unknown as Observation;
    expect(stored.identifier).toEqual([{ system: 'http://sys-ids.kemkes.go.id/observation/10000005', value: `VISIT-1301.${local}` }]);
  });

  test('the same Bundle sent again gets the same identifier, so the visit is stored once', async () => {
    const bundle = withoutObservationIdentifier(vendorTransaction({ nik: '3174010101901302', village: '3174061003', identifier: 'VISIT-1302' }));
    const first = await postJson(base, bundle);
    const again = await postJson(base, bundle);
    expect(again.status).toBe(200);
    const locations = (b: unknown): (string | undefined)[] => ((b as Bundle).entry ?? []).map((e) => e.response?.location);
    expect(locations(again.body)).toEqual(locations(first.body));
  });
});
