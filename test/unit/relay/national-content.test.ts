import type { Bundle, CarePlan, Observation } from 'fhir/r4';
import { buildNationalBundle, type LocalResource } from '../../../src/relay/national-bundle';
import { isNationallyCoded } from '../../../src/relay/national-content';

const ILP_ITEM = 'https://ilp-gateway.github.io/fhir/CodeSystem/ilp-screening-item';
const obs = (id: string, system: string, code: string, extra: Partial<Observation> = {}): LocalResource => ({
  ref: `Observation/${id}`,
  resource: { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system, code }] }, subject: { reference: 'Patient/p1' }, ...extra } as Observation,
});

test('only Observations coded in systems SATUSEHAT accepts (RuleNumber 10010) are national', () => {
  expect(isNationallyCoded(obs('a', 'http://loinc.org', '8480-6').resource)).toBe(true);
  expect(isNationallyCoded(obs('b', 'http://snomed.info/sct', '284473002').resource)).toBe(true);
  expect(isNationallyCoded(obs('c', ILP_ITEM, 'srq20-score').resource)).toBe(false);
  expect(isNationallyCoded({ resourceType: 'Observation', status: 'final', code: { text: 'x' } } as Observation)).toBe(false);
});

test('local-only Observations are left out, and nothing sent refers to them', () => {
  const srq = obs('11111111-1111-4111-8111-111111111111', ILP_ITEM, 'srq20-score');
  const sbp = obs('22222222-2222-4222-8222-222222222222', 'http://loinc.org', '8480-6', {
    interpretation: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H' }] },
      { coding: [{ system: 'https://ilp-gateway.github.io/fhir/CodeSystem/ilp-interpretation', code: 'hipertensi-kehamilan' }] },
    ],
  });
  const plan: LocalResource = {
    ref: 'CarePlan/33333333-3333-4333-8333-333333333333',
    resource: { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' }, activity: [
      { detail: { status: 'scheduled', reasonReference: [{ reference: srq.ref }] } },
      { detail: { status: 'scheduled', reasonReference: [{ reference: sbp.ref }, { reference: srq.ref }] } },
    ] } as CarePlan,
  };
  const { bundle, entries } = buildNationalBundle([srq, sbp, plan], {}, { ref: 'Patient/p1', ihs: 'P02478375538' });
  expect(entries.map((e) => e.ref)).toEqual([sbp.ref, plan.ref]);
  const text = JSON.stringify(bundle);
  expect(text).not.toContain(srq.ref);
  expect(text).not.toContain('ilp-interpretation');
  const sentPlan = (bundle as Bundle).entry![1]!.resource as CarePlan;
  expect(sentPlan.activity![0]!.detail!.reasonReference).toBeUndefined();
  expect(sentPlan.activity![1]!.detail!.reasonReference).toEqual([{ reference: (bundle as Bundle).entry![0]!.fullUrl }]);
});
