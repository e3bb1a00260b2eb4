import type { ErrorRequestHandler, RequestHandler } from 'express';
import { Issue, Logger, OperationOutcomeError, issue, operationOutcome } from '../kernel';
import { requestId } from './request-context';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  message?: string;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return typeof err === 'object' && err !== null && typeof (err as BodyParserError).type === 'string' && typeof (err as BodyParserError).status === 'number';
}

function fromBodyParser(err: BodyParserError): OperationOutcomeError {
  switch (err.type) {
    case 'entity.too.large':
      return new OperationOutcomeError(413, [issue('HTTP-BODY-TOO-LARGE', { limit: `${err.limit ?? '?'} bytes` })]);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new OperationOutcomeError(415, [issue('HTTP-MEDIA-TYPE', { type: err.message ?? 'unsupported charset' })]);
    default:
      // entity.parse.failed, request.aborted, request.size.invalid, stream.encoding.set …
      return new OperationOutcomeError(400, [issue('HTTP-BODY-MALFORMED', { reason: (err.message ?? 'unreadable').slice(0, 200) })]);
  }
}

/** A RangeError from JSON.parse on absurd nesting is a bad request, not our failure. */
function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

/**
 * The one error handler: every error leaves as an application/fhir+json OperationOutcome.
 * Unknown errors are logged with the request id and answered 500 without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let oo: OperationOutcomeError;
    if (err instanceof OperationOutcomeError) oo = err;
    else if (isBodyParserError(err)) oo = fromBodyParser(err);
    else if (isStackOverflow(err)) oo = new OperationOutcomeError(400, [issue('HTTP-BODY-TOO-DEEP', { limit: 'the parser' })]);
    else {
      const id = requestId(res);
      logger.error({ error: err, requestId: id, method: req.method, path: req.path }, 'unhandled error');
      oo = new OperationOutcomeError(500, [issue('HTTP-INTERNAL', { requestId: id })]);
    }
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(oo.headers)) res.setHeader(name, value);
    res.status(oo.status).type('application/fhir+json').json(operationOutcome(oo.issues as Issue[]));
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new OperationOutcomeError(404, [issue('HTTP-NOT-FOUND', { method: req.method, path: req.path.slice(0, 200) })]));
};
