import type { ValidateRequest } from '../../validation/operation';
import { allOk, badRequest } from '../outcomes';
import type { FhirRequest, Handler } from '../types';

/** Maps the HTTP request onto the operation (src/validation/operation.ts); the path's type, if any, must match the resource. */
function validateRequest(req: FhirRequest, type: string | undefined): ValidateRequest {
  const profile = req.query.find(([k]) => k === 'profile')?.[1];
  return { body: req.body, ...(type !== undefined ? { type } : {}), ...(profile !== undefined ? { profile } : {}) };
}

export const validateHandler: Handler = async (req, { type }, deps) => {
  const answer = deps.validateOperation(validateRequest(req, type));
  return [answer.status === 200 ? allOk : badRequest, answer.outcome];
};
