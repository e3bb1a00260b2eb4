import { Request, Response, Router } from 'express';
import { requireJson } from './body';
import type { ValidateRequest, ValidateResponse } from '../validation/operation';

/**
 * `POST /fhir/$validate` and `POST /fhir/{type}/$validate` (R4 resource-operation-validate.html).
 * Thin: the operation is validation/operation.ts; this only maps the request and answers
 * application/fhir+json. Mounted at /fhir before the FHIR REST router.
 */
export interface ValidateRouteDeps {
  validate(req: ValidateRequest): ValidateResponse;
}

export function validateRouter(deps: ValidateRouteDeps): Router {
  const router = Router();
  const handle = (type: string | undefined) => (req: Request, res: Response): void => {
    const profile = typeof req.query.profile === 'string' ? req.query.profile : undefined;
    const mode = typeof req.query.mode === 'string' ? req.query.mode : undefined;
    const request: ValidateRequest = { body: req.body as unknown };
    if (type !== undefined) request.type = type;
    if (profile !== undefined) request.profile = profile;
    if (mode !== undefined) request.mode = mode;
    const answer = deps.validate(request);
    res.status(answer.status).type('application/fhir+json').send(JSON.stringify(answer.outcome));
  };
  router.post('/\\$validate', requireJson, handle(undefined));
  router.post('/:type/\\$validate', requireJson, (req, res) => handle(String(req.params.type))(req, res));
  return router;
}
