import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { classify, type AuditKind } from '../audit/classify';
import { SUBMISSION_SYSTEM, interaction } from '../audit/codes';
import { TouchedSet, addAnswer, addRequestPatients } from '../audit/entities';
import { buildAuditEvent } from '../audit/event';
import { redactQuery } from '../audit/query';
import { compactForStorage } from '../audit/stored';
import type { AuditRecorder } from '../audit/recorder';
import type { AuditRow } from '../store/audit-ports';
import { fail, type Logger } from '../kernel';

/**
 * The audit hook (issue #8 item 5): runs before authentication, so refusals (401, 403) are
 * recorded too; builds the AuditEvent when the response is done, off the request's critical path.
 * Routers add what only they know through `noteAudit` (the FHIR answer, the resources an ILP visit
 * wrote); everything else comes from the method, the path, the status and the principal.
 */
export interface AuditNotes {
  /** A FHIR answer (resource or Bundle): the resources it names become entities. */
  answer?: unknown;
  /** Resources written or read, as `Type/id` pairs (ILP visits and their status). */
  resources?: readonly { resourceType: string; id: string }[];
  /** An ILP re-send that changed the visit is an update, not a create. */
  update?: boolean;
  /** Objects without a FHIR reference the handler acted on (submissions a re-send named). */
  identifiers?: readonly { system: string; value: string }[];
  /** Why an operator acted (a re-send's mandatory reason, already scrubbed): AuditEvent.purposeOfEvent.text. */
  reason?: string;
}

export function noteAudit(res: Response, notes: AuditNotes): void {
  res.locals.audit = { ...(res.locals.audit as AuditNotes | undefined), ...notes };
}

export interface AuditTrailDeps {
  recorder: AuditRecorder;
  logger: Logger;
  observer: string;
  /** Token requests: the client id a failed attempt named is recorded only when it is a registered client (never caller-typed text). */
  knownClient(clientId: string): boolean;
}

function queryPairs(req: Request): [string, string][] {
  const q = req.originalUrl.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(req.originalUrl.slice(q + 1))];
}

/** The caller: the principal authorize() set, the client it authenticated before a scope refusal, or the client a token request named. */
function clientOf(req: Request, res: Response, deps: AuditTrailDeps): string | undefined {
  const p = res.locals.principal as { clientId?: unknown } | undefined;
  if (typeof p?.clientId === 'string') return p.clientId;
  if (typeof res.locals.authenticatedClientId === 'string') return res.locals.authenticatedClientId;
  if (req.path !== '/auth/token') return undefined;
  const form = req.body as Record<string, unknown> | undefined;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.header('authorization') ?? '')?.[1];
  const named = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : form?.client_id;
  return typeof named === 'string' && deps.knownClient(named) ? named : undefined;
}

function subtypesOf(kind: AuditKind, req: Request, notes: AuditNotes | undefined): AuditKind['subtypes'] {
  if (kind.bundleRequest) {
    const type = (req.body as { type?: unknown } | undefined)?.type;
    return type === 'transaction' || type === 'batch' ? [interaction(type)] : [];
  }
  if (notes?.update && kind.subtypes[0]?.code === 'create') return [interaction('update'), ...kind.subtypes.slice(1)];
  return kind.subtypes;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path's object, and the submissions an admin re-queue names in its body (ids only; the reason text is not kept). */
function identifiersOf(kind: AuditKind, req: Request): { system: string; value: string }[] {
  const out = kind.identifier ? [kind.identifier] : [];
  if (kind.subtypes[0]?.code !== 'admin-requeue') return out;
  const ids = (req.body as { ids?: unknown } | undefined)?.ids;
  if (!Array.isArray(ids)) return out;
  for (const id of ids.slice(0, 1000)) if (typeof id === 'string' && UUID.test(id)) out.push({ system: SUBMISSION_SYSTEM, value: id });
  return out;
}

function rowOf(kind: AuditKind, req: Request, res: Response, started: string, deps: AuditTrailDeps): AuditRow {
  const notes = res.locals.audit as AuditNotes | undefined;
  const touched = new TouchedSet();
  if (kind.reference) touched.add(kind.reference.type, kind.reference.id);
  for (const r of notes?.resources ?? []) touched.add(r.resourceType, r.id);
  addAnswer(touched, notes?.answer);
  if (kind.bundleRequest) addRequestPatients(touched, req.body);
  const clientId = clientOf(req, res, deps);
  const subtypes = subtypesOf(kind, req, notes);
  const query = kind.query ? queryPairs(req) : [];
  const event = buildAuditEvent({
    id: randomUUID(), started, recorded: new Date().toISOString(),
    type: kind.type, subtypes, action: notes?.update ? 'U' : kind.action,
    status: res.statusCode, completed: res.writableFinished,
    ...(clientId ? { clientId } : {}), ...(req.ip ? { address: req.ip } : {}),
    touched: touched.result(), identifiers: [...identifiersOf(kind, req), ...(notes?.identifiers ?? [])],
    ...(notes?.reason ? { reason: notes.reason } : {}),
    ...(kind.query && query.length > 0 ? { query: redactQuery(kind.query.searchType, query) } : {}),
    observer: deps.observer,
  });
  const t = touched.result();
  return {
    id: event.id ?? '', recorded: event.recorded, ...(clientId ? { clientId } : {}),
    subtypes: subtypes.map((s) => s.code ?? '').filter((c) => c !== ''), outcome: Number(event.outcome),
    // The `entity` search parameter is AuditEvent.entity.what: Patients are entities too.
    patients: t.patients, entities: [...new Set([...t.resources, ...t.patients])], content: compactForStorage(event),
  };
}

export function auditTrail(deps: AuditTrailDeps): RequestHandler {
  return (req, res, next) => {
    const kind = classify(req.method, req.path);
    if (!kind) return next();
    const started = new Date().toISOString();
    res.on('close', () => {
      try {
        deps.recorder.record(rowOf(kind, req, res, started, deps));
      } catch (err) {
        // Never the request's problem, always the operator's: say it loudly.
        deps.logger.error({ err }, 'AUDIT EVENT NOT BUILT');
      }
    });
    const wait = deps.recorder.admit();
    if (!wait) return next();
    wait.then(() => next(), () => next(catchUp()));
  };
}

function catchUp(): unknown {
  try {
    return fail('AUDIT-BACKLOG');
  } catch (err) {
    return err;
  }
}
