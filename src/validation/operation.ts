import type { OperationOutcome } from 'fhir/r4';
import { type Issue, hasErrors, issue, operationOutcome } from '../kernel';
import { isObj, type Json } from './context';
import type { Validator } from './engine';
import { isValidationMode, modeOptions, type ValidationMode } from './modes';

/**
 * The FHIR `$validate` operation (R4 resource-operation-validate.html) without HTTP: the body is
 * the resource itself or a Parameters resource with `resource` and optionally `profile` and
 * `mode`; a profile and the mode may also come as the `profile` and `mode` query parameters.
 * `mode` is `ilp` (default, the intake's rules) or `r4` (base R4 + meta.profile + profile), as
 * documented in its OperationDefinition (src/fhir-rest/validate/operation.ts). The answer is 200 with an OperationOutcome
 * whether or not the resource is valid (the operation itself succeeded); 400 when the request
 * cannot be understood. `valid` is for callers that want the verdict without reading issues.
 */

export const VALIDATE_OPERATION_DEFINITION = 'http://hl7.org/fhir/OperationDefinition/Resource-validate';

export interface ValidateRequest {
  /** The resource type from the path (`/fhir/Observation/$validate`), if any. */
  type?: string;
  body: unknown;
  /** `?profile=` */
  profile?: string;
  /** `?mode=`: r4 or ilp (anything else is a 400). */
  mode?: string;
}

export interface ValidateResponse {
  status: 200 | 400;
  valid: boolean;
  outcome: OperationOutcome;
}

function parameterValue(p: Json): unknown {
  for (const key of ['valueUri', 'valueCanonical', 'valueUrl', 'valueString']) if (typeof p[key] === 'string') return p[key];
  return undefined;
}

interface Parsed {
  resource?: unknown;
  profile?: string;
  mode?: string;
  problem?: string;
}

function parse(body: unknown): Parsed {
  if (!isObj(body) || body.resourceType !== 'Parameters') return { resource: body };
  const params = Array.isArray(body.parameter) ? body.parameter.filter(isObj) : [];
  const resource = params.find((p) => p.name === 'resource')?.resource;
  const profile = params.find((p) => p.name === 'profile');
  const out: Parsed = {};
  if (resource === undefined) out.problem = 'a parameter "resource" with the resource to validate is required';
  else out.resource = resource;
  if (profile) {
    const url = parameterValue(profile);
    if (typeof url === 'string') out.profile = url;
    else out.problem = 'the "profile" parameter must be a valueUri or valueCanonical';
  }
  const mode = params.find((p) => p.name === 'mode');
  if (mode) {
    const code = typeof mode.valueCode === 'string' ? mode.valueCode : typeof mode.valueString === 'string' ? mode.valueString : undefined;
    if (code === undefined) out.problem = 'the "mode" parameter must be a valueCode (r4 or ilp)';
    else out.mode = code;
  }
  return out;
}

const badRequest = (detail: string): ValidateResponse => ({
  status: 400, valid: false, outcome: operationOutcome([issue('VAL-PARAMETERS', { detail })]),
});

export function validateOperation(validator: Validator, req: ValidateRequest): ValidateResponse {
  const parsed = parse(req.body);
  if (parsed.problem) return badRequest(parsed.problem);
  const resource = parsed.resource;
  const actual = isObj(resource) ? resource.resourceType : undefined;
  if (req.type !== undefined && actual !== undefined && actual !== req.type) {
    return badRequest(`the resource is a ${String(actual)}, but the URL names ${req.type}`);
  }
  const requested = parsed.mode ?? req.mode ?? 'ilp';
  if (!isValidationMode(requested)) {
    return { status: 400, valid: false, outcome: operationOutcome([issue('VAL-MODE', { mode: requested })]) };
  }
  const mode: ValidationMode = requested;
  const profiles = [parsed.profile, req.profile].filter((p): p is string => typeof p === 'string' && p !== '');
  for (const p of profiles) {
    const { structure, error } = validator.registry.tryCompile(p);
    if (!structure) return badRequest(error ? `profile ${p} cannot be used: ${error}` : `unknown profile ${p}`);
  }
  const issues: Issue[] = validator.validate(resource, { profiles, ...modeOptions(mode) });
  return { status: 200, valid: !hasErrors(issues), outcome: operationOutcome(issues) };
}
