import type { OperationDefinition, OperationDefinitionParameter } from 'fhir/r4';

/**
 * $export as this server runs it, one OperationDefinition per level as the Bulk Data Access IG
 * 2.0.0 publishes them (OperationDefinition-export, -patient-export, -group-export): the
 * parameters below are the ones kickoff.ts accepts; `patient`, `_elements` and
 * `includeAssociatedData` are refused with 400 rather than ignored.
 */
const PARAMETERS: OperationDefinitionParameter[] = [
  { name: '_outputFormat', use: 'in', min: 0, max: '1', type: 'string', documentation: 'application/fhir+ndjson (also application/ndjson, ndjson)' },
  { name: '_since', use: 'in', min: 0, max: '1', type: 'instant', documentation: 'Only resources changed after this instant' },
  { name: '_type', use: 'in', min: 0, max: '*', type: 'string', documentation: 'Comma-separated resource types (default: all served types)' },
  { name: '_typeFilter', use: 'in', min: 0, max: '*', type: 'string', documentation: 'Type?search-parameters, using the search parameters of GET [type] (region codes included)' },
];

function exportDefinition(id: string, name: string, level: Pick<OperationDefinition, 'system' | 'type' | 'instance' | 'resource'>, description: string): OperationDefinition {
  return {
    resourceType: 'OperationDefinition',
    id,
    url: `http://hl7.org/fhir/uv/bulkdata/OperationDefinition/${id}`,
    version: '2.0.0',
    name,
    status: 'active',
    kind: 'operation',
    description,
    affectsState: false,
    code: 'export',
    ...level,
    parameter: PARAMETERS,
  };
}

export const EXPORT_OPERATION = exportDefinition('export', 'BulkDataExport', { system: true, type: false, instance: false },
  'Exports every served resource type as NDJSON (asynchronous: Prefer: respond-async)');
export const PATIENT_EXPORT_OPERATION = exportDefinition('patient-export', 'PatientLevelExport', { resource: ['Patient'], system: false, type: true, instance: false },
  'Exports the resources of all patients (the Patient compartment) as NDJSON');
export const GROUP_EXPORT_OPERATION = exportDefinition('group-export', 'GroupLevelExport', { resource: ['Group'], system: false, type: false, instance: true },
  'Exports the resources of the patients a Group names (Group.member.entity) as NDJSON');

export const NDJSON = 'application/fhir+ndjson';
export const OUTPUT_FORMATS = new Set([NDJSON, 'application/ndjson', 'ndjson']);
