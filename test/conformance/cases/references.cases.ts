import { type Case, baseObservation, basePatient, ptm, withChange } from '../support';

/** Reference target types (references.html; ElementDefinition.type.targetProfile). */
const obs = baseObservation;

export const referenceCases: Case[] = [
  { name: 'Observation.subject to a Practitioner (allowed: Patient, Group, Device, Location)', resource: withChange(obs(), 'subject', { reference: 'Practitioner/1' }), valid: false, errors: ['Observation.subject'] },
  { name: 'absolute URL to a Practitioner', resource: withChange(obs(), 'subject', { reference: 'https://fhir.example.org/r4/Practitioner/1' }), valid: false, errors: ['Observation.subject'] },
  { name: 'versioned reference to a Medication', resource: withChange(obs(), 'subject', { reference: 'Medication/1/_history/2' }), valid: false, errors: ['Observation.subject'] },
  { name: 'Reference.type names a Device where an Encounter is expected', resource: withChange(obs(), 'encounter', { type: 'Device', identifier: { value: 'x' } }), valid: false, errors: ['Observation.encounter'] },
  { name: 'conditional reference to an Organization in Observation.subject', resource: withChange(obs(), 'subject', { reference: 'Organization?identifier=x|1' }), valid: false, errors: ['Observation.subject'] },
  { name: 'valid: conditional reference to a Patient', resource: withChange(obs(), 'subject', { reference: 'Patient?identifier=https://fhir.kemkes.go.id/id/nik|9271060312000001' }), valid: true },
  { name: 'valid: identifier-only reference (type unknown, not judged)', resource: withChange(obs(), 'subject', { identifier: { system: 'https://fhir.kemkes.go.id/id/nik', value: '9271060312000001' } }), valid: true },
  { name: 'valid: reference to a Group', resource: withChange(obs(), 'subject', { reference: 'Group/g1' }), valid: true },
  {
    name: 'urn:uuid reference resolved in the Bundle to an Encounter where a Patient is expected',
    resource: {
      resourceType: 'Bundle', type: 'collection', entry: [
        { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' } } },
        { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000002', resource: withChange(obs(), 'subject', { reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' }) },
      ],
    },
    valid: false, errors: ['Bundle.entry[1].resource.subject'],
  },
  {
    name: 'valid: urn:uuid reference resolved in the Bundle to a Patient',
    resource: {
      resourceType: 'Bundle', type: 'collection', entry: [
        { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000001', resource: basePatient() },
        { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000002', resource: withChange(obs(), 'subject', { reference: 'urn:uuid:00000000-0000-4000-8000-000000000001' }) },
      ],
    },
    valid: true,
  },
  { name: 'contained reference to a contained Organization where a Patient is expected', resource: withChange(withChange(obs(), 'contained', [{ resourceType: 'Organization', id: 'o1', name: 'Puskesmas' }]), 'subject', { reference: '#o1' }), valid: false, errors: ['Observation.subject'] },
  { name: 'ILP: Observation.subject to a Group (ILP allows only Patient)', validator: 'ilp', resource: withChange(ptm('Observation', '8480-6'), 'subject', { reference: 'Group/g1' }), valid: false, errors: ['Observation.subject'] },
  { name: 'ILP: Encounter.serviceProvider to a Practitioner', validator: 'ilp', resource: withChange(ptm('Encounter'), 'serviceProvider', { reference: 'Practitioner/1' }), valid: false, errors: ['Encounter.serviceProvider'] },
  { name: 'ILP: Observation.encounter to an EpisodeOfCare', validator: 'ilp', resource: withChange(ptm('Observation', '8480-6'), 'encounter', { reference: 'EpisodeOfCare/e1' }), valid: false, errors: ['Observation.encounter'] },
];
