import type { Catalogue, CatalogueItem, ValueSpec } from '../catalog/types';
import { LIFE_CYCLES } from '../catalog/types';
import { ACTIVITY_KINDS, CLUSTERS, DIAGNOSIS_STATUSES, PRACTITIONER_ROLES, SETTINGS, VISIT_TYPES } from '../catalog/vocabulary';

type JsonSchema = Record<string, unknown>;

export const SUBMISSION_SCHEMA_ID = 'https://ilp-gateway.github.io/schema/ilp-submission.json';

const FLAGS = ['N', 'A', 'AA', 'H', 'HH', 'L', 'LL', 'POS', 'NEG', 'IND'];
const text = (max: number, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', minLength: 1, maxLength: max, ...extra });
const dateTime = { type: 'string', maxLength: 35, description: 'ISO 8601 date-time with a UTC offset, e.g. 2024-07-29T08:15:00+07:00' };
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' };

function valueSchema(spec: ValueSpec): JsonSchema {
  switch (spec.type) {
    case 'quantity':
      return { type: 'number', minimum: spec.min, maximum: spec.max, description: `${spec.unit.display} (UCUM ${spec.unit.code})` };
    case 'integer':
      return { type: 'integer', minimum: spec.min, maximum: spec.max };
    case 'boolean':
      return { type: 'boolean' };
    case 'coded':
      return { type: 'string', enum: spec.options.map((o) => o.value) };
    case 'snellen':
      return { type: 'string', pattern: '^[1-9]\\d?(\\.\\d{1,2})?/[1-9]\\d{0,2}(\\.\\d{1,2})?$', description: 'Snellen fraction, e.g. 6/12' };
  }
}

function itemSchema(item: CatalogueItem): JsonSchema {
  return {
    type: 'object',
    title: item.name.en,
    description: `${item.name.id}. FHIR: ${item.codings.map((c) => `${c.system}|${c.code}`).join(', ')}`,
    required: ['code', 'value'],
    additionalProperties: false,
    properties: {
      code: { const: item.code },
      value: valueSchema(item.value),
      interpretation: { type: 'string', enum: FLAGS, description: 'Your own interpretation (v3 ObservationInterpretation); kept when it differs from the catalogue, with a warning' },
      time: { ...dateTime, description: 'When it was measured, if not at the visit start' },
      method: text(200, { description: 'Method or device, e.g. "tensimeter digital"' }),
    },
  };
}

/**
 * The intake request schema (JSON Schema 2020-12), generated from the catalogue and the
 * vocabulary. Items use a `code` discriminator so an error names the item's own value rules.
 */
export function buildSubmissionSchema(catalogue: Catalogue): JsonSchema {
  const vendorItems = [...catalogue.items.values()].filter((i) => !i.derived);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SUBMISSION_SCHEMA_ID,
    title: 'ILP submission (one visit)',
    type: 'object',
    additionalProperties: false,
    // locationId is required: SATUSEHAT refuses an Encounter without location.location (RuleNumber 10120).
    required: ['submissionId', 'source', 'organizationId', 'setting', 'locationId', 'cluster', 'lifeCycle', 'visitType', 'start', 'end', 'practitioner', 'patient', 'screenings'],
    properties: {
      submissionId: text(64, { pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$', description: "Your own id of the visit; unique per organisation. Re-sending it updates the same visit" }),
      source: {
        type: 'object', additionalProperties: false, required: ['system'],
        properties: { system: text(100), version: text(40) },
      },
      organizationId: { type: 'string', pattern: '^\\d{6,12}$', description: 'SATUSEHAT Organization id of the Puskesmas' },
      setting: { type: 'string', enum: SETTINGS.map((s) => s.code) },
      locationId: text(64, { pattern: '^[A-Za-z0-9-]+$', description: 'SATUSEHAT Location id' }),
      cluster: { type: 'integer', enum: CLUSTERS.map((c) => c.code) },
      lifeCycle: { type: 'array', minItems: 1, maxItems: LIFE_CYCLES.length, uniqueItems: true, items: { type: 'string', enum: [...LIFE_CYCLES] } },
      visitType: { type: 'string', enum: VISIT_TYPES.map((v) => v.code) },
      visitOrdinal: { type: 'string', enum: [...new Set(VISIT_TYPES.flatMap((v) => v.ordinals))] },
      start: dateTime,
      end: dateTime,
      practitioner: {
        type: 'object', additionalProperties: false, required: ['ihsNumber', 'name', 'role'],
        properties: {
          ihsNumber: { type: 'string', pattern: '^N?\\d{8,12}$', description: 'SATUSEHAT Practitioner id (IHS number)' },
          name: text(200),
          role: { type: 'string', enum: [...PRACTITIONER_ROLES] },
        },
      },
      recorder: {
        type: 'object', additionalProperties: false, required: ['name', 'role'],
        description: 'Who recorded the visit when not the practitioner (a Posyandu kader): practitioner stays the responsible health worker',
        properties: {
          name: text(200),
          role: { type: 'string', enum: [...PRACTITIONER_ROLES] },
          nik: { type: 'string', pattern: '^\\d{16}$' },
        },
      },
      patient: {
        // nik, or motherNik + multipleBirth for a newborn without a NIK yet: checked in normalise.ts
        // so the answer names patient.nik rather than an anyOf branch.
        type: 'object', additionalProperties: false, required: ['name', 'birthDate', 'gender', 'address'],
        properties: {
          nik: { type: 'string', description: '16-digit NIK (KTP). Required unless motherNik and multipleBirth identify a newborn', maxLength: 32 },
          motherNik: { type: 'string', description: "Newborn or infant without a NIK yet: the mother's 16-digit NIK (SATUSEHAT nik-ibu)", maxLength: 32 },
          multipleBirth: { type: 'integer', minimum: 1, maximum: 10, description: 'Birth order of this child in its birth (1 singleton, 2 second twin, …); required with motherNik' },
          ihsNumber: { type: 'string', pattern: '^P\\d{11}$' },
          name: text(200),
          birthDate: date,
          gender: { type: 'string', enum: ['male', 'female'] },
          phone: { type: 'string', pattern: '^\\+?[0-9][0-9 -]{5,19}$' },
          address: {
            type: 'object', additionalProperties: false, required: ['villageCode'],
            properties: {
              line: text(300),
              villageCode: { type: 'string', maxLength: 32, description: '10-digit Kemendagri desa/kelurahan code, no dots' },
              rt: { type: 'string', pattern: '^\\d{1,3}$' },
              rw: { type: 'string', pattern: '^\\d{1,3}$' },
            },
          },
        },
      },
      screenings: {
        type: 'array', minItems: 1, maxItems: 40,
        items: {
          type: 'object', additionalProperties: false, required: ['type', 'items'],
          properties: {
            type: { type: 'string', enum: [...catalogue.screenings.keys()] },
            items: {
              type: 'array', minItems: 1, maxItems: 60,
              items: { type: 'object', required: ['code'], properties: { code: { type: 'string' } }, discriminator: { propertyName: 'code' }, oneOf: vendorItems.map(itemSchema) },
            },
          },
        },
      },
      diagnoses: {
        type: 'array', maxItems: 30,
        items: {
          type: 'object', additionalProperties: false, required: ['icd10', 'status'],
          properties: { icd10: { type: 'string', maxLength: 10 }, status: { type: 'string', enum: [...DIAGNOSIS_STATUSES] }, note: text(1000) },
        },
      },
      carePlan: {
        type: 'object', additionalProperties: false, required: ['activities'],
        properties: {
          activities: {
            type: 'array', minItems: 1, maxItems: 30,
            items: {
              type: 'object', additionalProperties: false, required: ['kind', 'description'],
              properties: { kind: { type: 'string', enum: ACTIVITY_KINDS.map((k) => k.code) }, description: text(1000), due: date },
            },
          },
        },
      },
      immunizations: {
        type: 'array', maxItems: 30,
        description: 'Vaccine doses (KIA short names: HB0, BCG, OPV1–OPV4, IPV1, IPV2, DPT-HB-HIB1–4, PCV1–3, RV1–3, MR1, MR2, JE, TD, HPV1, HPV2; case-insensitive)',
        items: {
          type: 'object', additionalProperties: false, required: ['vaccine', 'date'],
          properties: {
            vaccine: text(20),
            date: { type: 'string', maxLength: 35, description: 'YYYY-MM-DD, or a date-time with offset' },
            doseNumber: { type: 'integer', minimum: 1, maximum: 10 },
            lotNumber: text(40),
          },
        },
      },
      note: text(2000),
    },
  };
}
