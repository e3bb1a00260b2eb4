import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceOperation, CapabilityStatementRestResourceSearchParam } from 'fhir/r4';
import { SEARCHABLE_TYPES, searchParamsOf } from '../fhir/search-parameters';
import { OPERATIONS, operationsOf } from './operations';
import { AUDIT_EVENT_RESOURCE } from './audit-event';
import { allOk } from './outcomes';
import type { Handler } from './types';

/**
 * The CapabilityStatement, generated from the same registries the server runs on (search
 * parameters, served types, operations), so it cannot claim what the server does not do
 * (FHIR R4 capabilitystatement.html). Organization and Location are absent: they are not stored.
 * There is no create or update interaction: resources are written by transaction or batch only
 * (each write becomes a visit to relay), so conditional create and update are claimed nowhere
 * here; the transaction entries that use them are described in rest.documentation.
 */

function operations(type: string): CapabilityStatementRestResourceOperation[] {
  return operationsOf(type).map(({ definition: d }) => ({ name: d.code, definition: d.url ?? '' }));
}

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
    searchInclude: includes(type, false),
    searchRevInclude: includes(type, true),
    searchParam: searchParams(type),
    operation: operations(type),
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
    // Full media types only (BCP-13, the required binding of format); R4's shorthand "json" is not one.
    format: ['application/fhir+json', 'application/json'],
    rest: [{
      mode: 'server',
      documentation: 'Writes: POST [base] with a transaction or batch Bundle (entries POST, conditional create by ifNoneExist=identifier, ' +
        'PUT Type/id, conditional update PUT Type?identifier=, ifMatch); batch entries may also GET (read, vread, history, search). ' +
        'A transaction must carry the Encounter of its visit (it is relayed to SATUSEHAT). ' +
        'Dates without a UTC offset are searched as UTC. Unknown search parameters are refused (400) unless Prefer: handling=lenient. ' +
        'Region parameters (province, city, district, village) use Kemendagri codes of the patient address (administrativeCode); ' +
        'on MeasureReport (the monthly village reports the gateway computes; read-only) those of the village it is about.',
      security: {
        cors: false,
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        description: 'OAuth2 bearer access tokens (SMART Backend Services); Bulk Data output requires the token too.',
      },
      resource: [
        ...SEARCHABLE_TYPES.map(searchable),
        AUDIT_EVENT_RESOURCE,
        { type: 'Group', interaction: [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }], versioning: 'versioned', readHistory: true, operation: operations('Group') },
      ],
      interaction: [{ code: 'transaction' }, { code: 'batch' }],
      operation: OPERATIONS.filter((o) => o.definition.system).map(({ definition: d }) => ({ name: d.code, definition: d.url ?? '' })),
    }],
  };
}

export const metadataHandler: Handler = async (req, _params, deps) => [allOk, capabilityStatement(deps.version, req.baseUrl)];
