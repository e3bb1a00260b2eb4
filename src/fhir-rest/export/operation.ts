import type { OperationDefinition } from 'fhir/r4';

/**
 * $export as this server runs it (Bulk Data Access IG 2.0.0, OperationDefinition-export): the
 * parameters below are the ones kickoff.ts accepts; `patient`, `_elements` and
 * `includeAssociatedData` are refused with 400 rather than ignored.
 */
export const EXPORT_OPERATION: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'export',
  url: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export',
  version: '2.0.0',
  name: 'BulkDataExport',
  status: 'active',
  kind: 'operation',
  code: 'export',
  resource: ['Patient', 'Group'],
  system: true,
  type: true,
  instance: true,
  affectsState: false,
  parameter: [
    { name: '_outputFormat', use: 'in', min: 0, max: '1', type: 'string', documentation: 'application/fhir+ndjson (also application/ndjson, ndjson)' },
    { name: '_since', use: 'in', min: 0, max: '1', type: 'instant', documentation: 'Only resources changed after this instant' },
    { name: '_type', use: 'in', min: 0, max: '*', type: 'string', documentation: 'Comma-separated resource types (default: all served types)' },
    { name: '_typeFilter', use: 'in', min: 0, max: '*', type: 'string', documentation: 'Type?search-parameters, using the search parameters of GET [type] (region codes included)' },
  ],
};

export const NDJSON = 'application/fhir+ndjson';
export const OUTPUT_FORMATS = new Set([NDJSON, 'application/ndjson', 'ndjson']);
