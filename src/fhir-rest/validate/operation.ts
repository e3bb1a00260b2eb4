import type { OperationDefinition } from 'fhir/r4';
import { ILP_BASE } from '../../fhir/canonical';

/**
 * $validate as this server runs it (R4 resource-operation-validate.html): system level
 * (`POST [base]/$validate`) and type level (`POST [base]/[type]/$validate`); the body is the
 * resource or a Parameters resource with `resource` and optionally `profile`. `mode` (create,
 * update, delete) is not taken: the answer is always "is this resource valid?". The parameters
 * below are the ones src/validation/operation.ts reads.
 */
export const VALIDATE_OPERATION: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'validate',
  url: `${ILP_BASE}/OperationDefinition/validate`,
  version: '0.1.0',
  name: 'Validate',
  title: 'Validate a resource against R4 and the ILP profiles',
  status: 'active',
  kind: 'operation',
  description: 'Validates a resource (or a transaction Bundle and its entries) with the gateway\'s profile validator; stores nothing.',
  affectsState: false,
  code: 'validate',
  base: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  resource: ['Resource'],
  system: true,
  type: true,
  instance: false,
  parameter: [
    { name: 'resource', use: 'in', min: 0, max: '1', type: 'Resource', documentation: 'The resource to validate (or send the resource itself as the body)' },
    { name: 'profile', use: 'in', min: 0, max: '1', type: 'uri', documentation: 'A profile to validate against besides meta.profile (also the ?profile= query parameter)' },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'OperationOutcome', documentation: 'All issues found; 200 whether or not the resource is valid' },
  ],
};
