import { randomUUID } from 'node:crypto';
import type { Observation } from 'fhir/r4';
import { bundleSubmission, put, submissionId, transaction } from '../../support/bundles';
import { testDbKind } from '../../support/database';
import { getJson, link, searchIds, startFhirGateway } from './fhir-support';

/** Paging over more than 1,000 matches (search.html#paging): next/previous links, no duplicates, nothing lost. */
let gw: Awaited<ReturnType<typeof startFhirGateway>>;
const N = 1050;

beforeAll(async () => {
  gw = await startFhirGateway();
  // Stored directly through the store in one transaction: fast, and indexed exactly as intake does.
  const observations = Array.from({ length: N }, (_, i): Observation & { id: string } => ({
    resourceType: 'Observation', id: randomUUID(), status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
    subject: { reference: 'Patient/paging-patient' },
    effectiveDateTime: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    valueQuantity: { value: 40 + (i % 50), unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
  }));
  await gw.db.submissions.saveSubmission(bundleSubmission(transaction(observations.map((o) => put(o))), submissionId('PAGING')));
});

afterAll(async () => {
  await gw?.close();
});

test(`walking next links over ${N} Observations returns each exactly once (${testDbKind()})`, async () => {
  let url: string | undefined = `${gw.url}/fhir/Observation?code=29463-7&_count=200&_total=accurate`;
  const seen: string[] = [];
  let pages = 0;
  while (url) {
    const page = await getJson(url);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(N);
    seen.push(...searchIds(page.body));
    url = link(page.body, 'next');
    pages += 1;
  }
  expect(pages).toBe(6);
  expect(seen).toHaveLength(N);
  expect(new Set(seen).size).toBe(N);
});

test('links are absolute, keep the query, and previous goes back one page', async () => {
  const second = await getJson(`${gw.url}/fhir/Observation?code=29463-7&_count=100&_sort=-date&_offset=100`);
  const self = link(second.body, 'self') ?? '';
  expect(self.startsWith(`${gw.url}/fhir/Observation?`)).toBe(true);
  expect(self).toContain('_sort=-date');
  const previous = await getJson(link(second.body, 'previous') ?? '');
  const first = await getJson(`${gw.url}/fhir/Observation?code=29463-7&_count=100&_sort=-date`);
  expect(searchIds(previous.body)).toEqual(searchIds(first.body));
  expect(link(first.body, 'previous')).toBeUndefined();
  // Sorted newest first: the first entry is the last minute written.
  const entries = first.body.entry as { resource: Observation }[];
  expect(entries[0]?.resource.effectiveDateTime).toBe(new Date(Date.UTC(2025, 0, 1) + (N - 1) * 60_000).toISOString());
});

test('_count defaults to 20 and is capped at 1000', async () => {
  const defaults = await getJson(`${gw.url}/fhir/Observation?code=29463-7`);
  expect(searchIds(defaults.body)).toHaveLength(20);
  expect(defaults.body.total).toBeUndefined();
  const capped = await getJson(`${gw.url}/fhir/Observation?code=29463-7&_count=5000`);
  expect(searchIds(capped.body)).toHaveLength(1000);
  expect(link(capped.body, 'next')).toContain('_offset=1000');
});

test('_count=0 is count-only: a total, no entries and no next link (a next link to itself would page forever)', async () => {
  const page = await getJson(`${gw.url}/fhir/Observation?code=29463-7&_count=0`);
  expect(page.status).toBe(200);
  expect(page.body.total).toBe(N);
  expect(page.body.entry).toBeUndefined();
  expect(link(page.body, 'next')).toBeUndefined();
});
