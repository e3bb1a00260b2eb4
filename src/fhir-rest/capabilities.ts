import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceSearchParam } from 'fhir/r4';
import { SEARCHABLE_TYPES, searchParamsOf } from '../fhir/search-parameters';
import { AUDIT_EVENT_RESOURCE } from './audit-event';
import { EXPORT_OPERATION } from './export/operation';
import { allOk } from './outcomes';
import type { Handler } from './types';

/**
 * The CapabilityStatement, generated from the same registries the server runs on (search
 * parameters, served types, operations), so it cannot claim what the server does not do
 * (FHIR R4 capabilitystatement.html). Organization and Location are absent: they are not stored.
 */

const RESULT_PARAMS: CapabilityStatementRestResourceSearchParam[] = [
  { name: '_id', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/Resource-id' },
  { name: '_lastUpdated', type: 'date', definition: 'http://hl7.org/fhir/SearchParameter/Resource-lastUpdated' },
];

function searchParams(type: string): CapabilityStatementRestResourceSearchParam[] {
  const params = searchParamsOf(type).map((p): CapabilityStatementRestResourceSearchParam => ({
    name: p.code,
    definition: p.url,
    type: p.type,
    documentation: p.description.slice(0, 300),
  }));
  return [...RESULT_PARAMS, ...params.sort((a, b) => a.name.localeCompare(b.name))];
}

function includes(type: string, rev: boolean): string[] {
  const out: string[] = [];
  for (const source of SEARCHABLE_TYPES) {
    for (const p of searchParamsOf(source)) {
      if (p.type !== 'reference') continue;
      if (!rev && source === type) out.push(`${source}:${p.code}`);
      if (rev && (p.targets.length === 0 || p.targets.includes(type))) out.push(`${source}:${p.code}`);
    }
  }
  return out;
}

function searchable(type: string): CapabilityStatementRestResource {
  return {
    type,
    interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }, { code: 'search-type' }],
    versioning: 'versioned',
    readHistory: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    searchInclude: includes(type, false),
    searchRevInclude: includes(type, true),
    searchParam: searchParams(type),
    ...(type === 'Patient' ? { operation: [{ name: 'export', definition: EXPORT_OPERATION.url ?? '' }] } : {}),
  };
}

export function capabilityStatement(version: string, baseUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-23',
    kind: 'instance',
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    software: { name: 'ILP Gateway', version },
    implementation: { description: 'ILP Gateway FHIR API (stored ILP visits and FHIR Bundles)', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [{
      mode: 'server',
      documentation: 'Dates without a UTC offset are searched as UTC. Unknown search parameters are refused (400). ' +
        'Region parameters (province, city, district, village) use Kemendagri codes of the patient address (administrativeCode).',
      security: {
        cors: false,
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        description: 'OAuth2 bearer access tokens (SMART Backend Services); Bulk Data output requires the token too.',
      },
      resource: [
        ...SEARCHABLE_TYPES.map(searchable),
        AUDIT_EVENT_RESOURCE,
        { type: 'Group', interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }], versioning: 'versioned', operation: [{ name: 'export', definition: EXPORT_OPERATION.url ?? '' }] },
      ],
      interaction: [{ code: 'transaction' }, { code: 'batch' }],
      operation: [{ name: 'export', definition: EXPORT_OPERATION.url ?? '' }],
    }],
  };
}

export const metadataHandler: Handler = async (req, _params, deps) => [allOk, capabilityStatement(deps.version, req.baseUrl)];
