import type { OperationDefinition } from 'fhir/r4';
import { ILP_BASE } from '../fhir/canonical';

/**
 * `$validate` as this server runs it (validation/operation.ts): R4's Resource-validate
 * (resource-operation-validate.html) with the parameters we accept, plus `mode`, which chooses
 * what the resource is validated against (docs/validation.md, docs/decisions/0016). `mode` also
 * exists in R4's definition, with create/update/delete codes; we do not implement those (a
 * resource is validated as content, never for an interaction), and use the parameter for the
 * choice of rules instead, documented here so that a client reading the CapabilityStatement knows.
 */
export const VALIDATE_OPERATION: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'validate',
  url: `${ILP_BASE}/OperationDefinition/validate`,
  version: '0.1.0',
  name: 'Validate',
  title: 'Validate a resource (ILP gateway)',
  status: 'active',
  kind: 'operation',
  description: 'Validates a resource, or a Bundle and its entries. The answer is 200 with an OperationOutcome whether or not the resource is valid; 400 when the request cannot be understood.',
  code: 'validate',
  base: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  resource: ['Resource'],
  system: true,
  type: true,
  instance: false,
  affectsState: false,
  parameter: [
    { name: 'resource', use: 'in', min: 0, max: '1', type: 'Resource', documentation: 'The resource to validate (or send the resource itself as the body).' },
    { name: 'profile', use: 'in', min: 0, max: '1', type: 'uri', documentation: 'A profile (canonical URL) the resource must also conform to; also accepted as the query parameter `profile`.' },
    {
      name: 'mode', use: 'in', min: 0, max: '1', type: 'code',
      documentation: '`ilp` (default): the rules of the gateway\'s intake, with the ILP profiles applied by resource type and Observation code ("would the gateway accept this?"). '
        + '`r4`: base FHIR R4 plus meta.profile plus `profile`, as the HL7 validator checks without an implementation guide (unknown extensions are errors). '
        + 'Also accepted as the query parameter `mode`. R4\'s create/update/delete modes are not supported (400).',
    },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'OperationOutcome', documentation: 'The issues found: severity, code, FHIRPath expression, English diagnostics, Bahasa Indonesia details.text and a stable code in details.coding.' },
  ],
};
