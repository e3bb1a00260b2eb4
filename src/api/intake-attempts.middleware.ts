import type { Request, RequestHandler, Response } from 'express';
import { mayActFor } from '../auth/access-decision';
import type { Principal } from '../auth/tokens';
import type { Logger } from '../kernel';
import { attemptFrom, isRecordedRefusal, namedOrganization } from '../ops/intake-attempts';
import type { OpsTrail } from '../ops/trail';
import type { StoredVersion } from '../fhir-rest/types';
import type { AttemptEndpoint } from '../store/ops-ports';

/**
 * The intake-attempt hook (issue 11 item 3). On the intake endpoints it keeps a reference to the
 * answer body (res.json) and, once the answer has been sent ('finish'), queues a refused
 * request's attempt, or the client of an accepted ILP version. Nothing runs on the request's path
 * but a function wrapper; a failure here is logged and never reaches the client.
 */
export interface IntakeAttemptDeps {
  trail: OpsTrail;
  logger: Logger;
  /**
   * INTAKE_MODE=queued: an accepted ILP visit has no version yet; its client travels with its queue
   * row and is written with the version (intake_queue.client_id), so nothing is attributed here.
   */
  queued?: boolean;
}

function endpointOf(method: string, path: string): AttemptEndpoint | undefined {
  if (method !== 'POST') return undefined;
  if (path === '/ilp/v1/encounters') return 'ilp';
  if (path === '/ilp/v1/encounters/$import') return 'ilp-import';
  if (path === '/fhir' || path === '/fhir/') return 'fhir';
  return undefined;
}

function principal(res: Response): Principal | undefined {
  const p = res.locals.principal as Principal | undefined;
  return p && typeof p.clientId === 'string' && Array.isArray(p.organizations) ? p : undefined;
}

/** The organisation a refusal is filed under: the one named, if the caller may act for it; else the caller's only one. */
export function attemptOrganization(p: Principal | undefined, body: unknown, header: string | undefined): string | undefined {
  const named = namedOrganization(body, header);
  if (p && named && mayActFor(p, named)) return named;
  const own = p?.organizations.filter((o) => o !== '*') ?? [];
  return own.length === 1 && !p?.organizations.includes('*') ? own[0] : undefined;
}

function onFinish(req: Request, res: Response, endpoint: AttemptEndpoint, answer: unknown, deps: IntakeAttemptDeps): void {
  const p = principal(res);
  if (!p) return; // unauthenticated (401) or refused before a principal: nobody to attribute it to
  if (res.statusCode === 202 && endpoint === 'ilp') {
    const a = answer as { id?: unknown; version?: unknown; result?: unknown } | undefined;
    if (!deps.queued && typeof a?.id === 'string' && typeof a.version === 'number' && a.result !== 'unchanged') {
      deps.trail.attribution.push({ submissionPk: a.id, version: a.version, clientId: p.clientId });
    }
    return;
  }
  if (res.statusCode === 200 && endpoint === 'fhir') {
    // A transaction, or a batch's writes (src/fhir-rest/stored-versions.ts).
    for (const v of (res.locals.storedVersions as StoredVersion[] | undefined) ?? []) deps.trail.attribution.push({ ...v, clientId: p.clientId });
    return;
  }
  if (!isRecordedRefusal(res.statusCode)) return;
  const body: unknown = req.body;
  const organizationId = attemptOrganization(p, body, req.header('x-organization-id'));
  const bytes = Number(req.headers['content-length'] ?? NaN);
  deps.trail.attempts.push(attemptFrom({
    endpoint, status: res.statusCode, answer, at: new Date().toISOString(), payloadMaxBytes: deps.trail.payloadMaxBytes(p.clientId),
    clientId: p.clientId, ...(organizationId ? { organizationId } : {}),
    // $import bodies are streamed, never parsed whole: only the per-line hook sees their content.
    ...(endpoint !== 'ilp-import' && body !== undefined && typeof body === 'object' ? { body } : {}),
    ...(Number.isFinite(bytes) ? { bodyBytes: bytes } : {}),
  }));
}

export function intakeAttempts(deps: IntakeAttemptDeps): RequestHandler {
  return (req, res, next) => {
    const endpoint = endpointOf(req.method, req.path);
    if (!endpoint) return next();
    let answer: unknown;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      answer = body;
      return json(body);
    };
    res.on('finish', () => {
      try {
        onFinish(req, res, endpoint, answer, deps);
      } catch (err) {
        deps.logger.warn({ err }, 'intake attempt not recorded');
      }
    });
    next();
  };
}

/** One $import result line: a refusal is an attempt; an accepted line attributes its version to the client. */
export function importLineObserver(deps: IntakeAttemptDeps) {
  return (res: Response, result: { line: number; status: number; id?: string; result?: string; outcome?: unknown }): void => {
    try {
      const p = principal(res);
      if (!p) return;
      if (result.status === 202) {
        // A created visit is version 1; an updated one is the submission's current version.
        if (!deps.queued && result.id && result.result !== 'unchanged') deps.trail.attribution.push({ submissionPk: result.id, version: result.result === 'created' ? 1 : null, clientId: p.clientId });
        return;
      }
      if (!isRecordedRefusal(result.status)) return;
      const organizationId = attemptOrganization(p, undefined, undefined);
      deps.trail.attempts.push(attemptFrom({
        endpoint: 'ilp-import', status: result.status, answer: result.outcome, at: new Date().toISOString(), line: result.line,
        payloadMaxBytes: deps.trail.payloadMaxBytes(p.clientId), clientId: p.clientId, ...(organizationId ? { organizationId } : {}),
      }));
    } catch (err) {
      deps.logger.warn({ err }, 'intake attempt not recorded');
    }
  };
}
