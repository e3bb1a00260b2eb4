import type { OperationDefinition } from 'fhir/r4';
import { fail } from '../kernel';
import { groupExportHandler, patientExportHandler, systemExportHandler } from './export/kickoff';
import { EXPORT_OPERATION, GROUP_EXPORT_OPERATION, PATIENT_EXPORT_OPERATION } from './export/operation';
import { allOk } from './outcomes';
import type { Handler } from './types';
import { validateHandler } from './validate/handler';
import { VALIDATE_OPERATION } from './validate/operation';

/**
 * Every operation this server runs, as data: its OperationDefinition (beside its handler) and the
 * routes it answers. The router (routes.ts) mounts these routes and the CapabilityStatement
 * (capabilities.ts) lists these definitions, so neither can claim what the other does not do.
 * Access: the policy (src/auth/access-policy.ts) gates each path; the export handlers check the
 * read scope of every exported type; $validate needs an authenticated caller (it reads and stores nothing).
 */
export interface Route { method: string; pattern: string; handler: Handler }

export interface Operation {
  definition: OperationDefinition;
  routes: Route[];
}

const getAndPost = (pattern: string, handler: Handler): Route[] => [{ method: 'GET', pattern, handler }, { method: 'POST', pattern, handler }];

export const OPERATIONS: readonly Operation[] = [
  { definition: VALIDATE_OPERATION, routes: [{ method: 'POST', pattern: '/$validate', handler: validateHandler }, { method: 'POST', pattern: '/:type/$validate', handler: validateHandler }] },
  { definition: EXPORT_OPERATION, routes: getAndPost('/$export', systemExportHandler) },
  { definition: PATIENT_EXPORT_OPERATION, routes: getAndPost('/Patient/$export', patientExportHandler) },
  { definition: GROUP_EXPORT_OPERATION, routes: getAndPost('/Group/:id/$export', groupExportHandler) },
];

/** Operations a resource type offers at type or instance level (CapabilityStatement.rest.resource.operation). */
export function operationsOf(type: string): Operation[] {
  return OPERATIONS.filter(({ definition: d }) => (d.type || d.instance) && (d.resource ?? []).some((r) => r === type || r === 'Resource'));
}

/** `GET [base]/OperationDefinition/[id]`: the definitions the CapabilityStatement points to can be read here. */
export const operationDefinitionHandler: Handler = async (_req, { id = '' }) => {
  const found = OPERATIONS.find((o) => o.definition.id === id);
  if (!found) fail('FHIR-OPERATION-UNKNOWN', { id: id.slice(0, 64) });
  return [allOk, found.definition];
};
