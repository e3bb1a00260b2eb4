import type { Catalogue } from '../catalog/types';
import { buildSubmissionSchema } from './schema';

const OO = { $ref: '#/components/schemas/OperationOutcome' };
const RESULTS = { type: 'array', items: { $ref: '#/components/schemas/VisitResult' } };
const fhirJson = (schema: object) => ({ 'application/fhir+json': { schema } });
const errors = {
  '400': { description: 'Malformed JSON, nesting too deep, or a forbidden key', content: fhirJson(OO) },
  '413': { description: 'Body larger than the limit', content: fhirJson(OO) },
  '415': { description: 'Content-Type is not JSON', content: fhirJson(OO) },
  '422': { description: 'Content invalid; every issue names its field in expression', content: fhirJson(OO) },
};

/** OpenAPI 3.1 document of the ILP API; its request schema is the catalogue-generated one. */
export function buildOpenApi(catalogue: Catalogue, version: string): Record<string, unknown> {
  const submission = buildSubmissionSchema(catalogue);
  return {
    openapi: '3.1.0',
    info: {
      title: 'ILP Gateway — ILP intake API',
      version,
      description: 'One standard door for SIMPUS vendors: send one ILP visit as JSON, get standard FHIR R4 relayed to SATUSEHAT. Errors are FHIR OperationOutcomes with issue.expression naming the field; details.text carries the message in Bahasa Indonesia.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      '/ilp/v1/encounters': {
        post: {
          summary: 'Submit one ILP visit',
          description: 'Idempotent by (organizationId, submissionId): re-sending the same payload changes nothing; a changed payload becomes a new version of the same resources.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/IlpSubmission' } } } },
          responses: {
            '202': { description: 'Accepted and stored; relayed asynchronously', headers: { Location: { schema: { type: 'string' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmissionAccepted' } } } },
            ...errors,
          },
        },
      },
      '/ilp/v1/encounters/$validate': {
        post: {
          summary: 'Dry run: the FHIR Bundle that would be produced, and an OperationOutcome; stores nothing',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/IlpSubmission' } } } },
          responses: {
            '200': {
              description: 'Valid: { valid, outcome, results, bundle }',
              content: { 'application/json': { schema: { type: 'object', properties: { valid: { const: true }, outcome: OO, results: RESULTS, bundle: { type: 'object' } } } } },
            },
            ...errors,
          },
        },
      },
      '/ilp/v1/submissions/{id}': {
        get: {
          summary: 'Status of a submission: accepted, relaying, delivered, rejected or failed',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': { description: 'Submission status, with the results computed from its stored Observations', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' }, results: RESULTS } } } } },
            '404': { description: 'Unknown id', content: fhirJson(OO) },
          },
        },
      },
      '/ilp/v1/catalogue': { get: { summary: 'The screening catalogue (items, screenings, thresholds)', responses: { '200': { description: 'Catalogue' } } } },
      '/ilp/v1/schema.json': { get: { summary: 'The intake JSON Schema (2020-12)', responses: { '200': { description: 'JSON Schema' } } } },
    },
    components: {
      schemas: {
        IlpSubmission: submission,
        SubmissionAccepted: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            status: {
              enum: ['accepted', 'relaying', 'delivered', 'rejected', 'failed', 'received', 'refused'],
              description: 'received and refused only with INTAKE_MODE=queued: the visit is kept, not yet written (results computed from the history written at that moment; read the status for the stored ones), or could not be written',
            },
            result: { enum: ['created', 'updated', 'unchanged'] }, version: { type: 'integer', description: 'The stored version; with INTAKE_MODE=queued the one stored so far (0 before the first write)' },
            submissionId: { type: 'string' }, organizationId: { type: 'string' }, results: RESULTS, outcome: OO,
          },
        },
        VisitResult: {
          type: 'object', required: ['item', 'value', 'interpretation'],
          description: 'One Observation the gateway produced (measured or derived: BMI, WHO z-scores, weight gain N/T/O/B), in catalogue item codes',
          properties: {
            item: { type: 'string', description: 'Catalogue item code, e.g. weight-for-age-z' },
            value: { type: ['number', 'boolean', 'string'], description: 'Number for quantities, the option value for coded items (weight-gain: N, T, O or B)' },
            unit: { type: 'string', description: 'UCUM code of a quantity, e.g. kg or {Z-score}' },
            interpretation: {
              type: 'array', description: 'The v3 ObservationInterpretation flag (N, L, LL, H, HH, A), then the category (e.g. Kemkes OI000012 Pendek)',
              items: { type: 'object', required: ['system', 'code'], properties: { system: { type: 'string' }, code: { type: 'string' }, display: { type: 'string' } } },
            },
          },
        },
        OperationOutcome: { type: 'object', required: ['resourceType', 'issue'], properties: { resourceType: { const: 'OperationOutcome' }, issue: { type: 'array' } } },
      },
    },
  };
}
