import type { Coding } from 'fhir/r4';
import { CONSOLE_PAGE_SYSTEM, EXPORT_JOB_SYSTEM, LOGIN as LOGIN_CODING, LOGOUT as LOGOUT_CODING, OPERATIONS, ORGANIZATION_SYSTEM, SUBMISSION_SYSTEM, TYPES, gatewaySubtype, interaction, type AuditAction } from './codes';

/**
 * What kind of event a request is, from its method and path alone (the answer adds entities and
 * the outcome later): the AuditEvent type, sub-types and action, the searched type (for the query
 * entity), and what the path itself names (a `Type/id`, a submission, an export job, an
 * organisation). Undefined: not audited (health, metrics, public documents: no personal data).
 */
export interface AuditKind {
  type: Coding;
  subtypes: Coding[];
  action: AuditAction;
  /** The query is recorded (searches, exports); `searchType` is the type its parameters belong to. */
  query?: { searchType: string | undefined };
  /** A `Type/id` the path names (read, vread, history): recorded even when the answer is 404. */
  reference?: { type: string; id: string };
  /** An object without a FHIR reference: a submission, an export job, an organisation. */
  identifier?: { system: string; value: string };
  /** A transaction or batch: the Patients its entries name are added from the request body. */
  bundleRequest?: boolean;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ORG = /^\d{6,12}$/;
/** Not audited: they carry no personal data and answer without authentication. */
const PUBLIC = [/^\/console\/assets\//, /^\/healthz$/, /^\/readyz$/, /^\/metrics$/, /^\/ilp\/v1\/(openapi\.json|schema\.json|catalogue)$/, /^\/fhir\/metadata$/, /^\/fhir\/\.well-known(\/|$)/];

const ACTION_OF: Record<string, AuditAction> = { GET: 'R', HEAD: 'R', POST: 'C', PUT: 'U', PATCH: 'U', DELETE: 'D' };
const actionOf = (method: string): AuditAction => ACTION_OF[method] ?? 'E';
const rest = (subtypes: Coding[], action: AuditAction, extra: Partial<AuditKind> = {}): AuditKind => ({ type: TYPES.rest, subtypes, action, ...extra });
const typedId = (type: string | undefined, id: string | undefined): { type: string; id: string } | undefined =>
  type && id && TYPE.test(type) && ID.test(id) ? { type, id } : undefined;

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '').map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
}

function exportKind(method: string, seg: string[]): AuditKind | undefined {
  const last = seg[seg.length - 1];
  if (last === '$export') {
    const group = seg[0] === 'Group' && seg[1] && ID.test(seg[1]) ? { reference: { type: 'Group', id: seg[1] } } : {};
    return rest([interaction('operation'), OPERATIONS.export], 'E', { query: { searchType: undefined }, ...group });
  }
  if (seg[0] !== 'bulkstatus' && seg[0] !== 'bulkfiles') return undefined;
  const job = seg[1] && UUID.test(seg[1]) ? { identifier: { system: EXPORT_JOB_SYSTEM, value: seg[1] } } : {};
  const code = seg[0] === 'bulkfiles' ? 'export-file' : method === 'DELETE' ? 'export-cancel' : 'export-status';
  return rest([interaction('operation'), OPERATIONS.export, gatewaySubtype(code)], method === 'DELETE' ? 'D' : 'R', job);
}

function fhirKind(method: string, seg: string[]): AuditKind {
  const [type, id, history, vid] = seg;
  const last = seg[seg.length - 1];
  if (last === '$validate') return rest([interaction('operation'), OPERATIONS.validate], 'E');
  const exp = exportKind(method, seg);
  if (exp) return exp;
  if (seg.length === 0 && method === 'POST') return rest([], 'E', { bundleRequest: true });
  const auditLog = type === 'AuditEvent' ? { type: TYPES.auditLogUsed } : {};
  if (method === 'GET' || method === 'HEAD') {
    if (seg.length === 1) return { ...rest([interaction('search-type')], 'R', { query: { searchType: type } }), ...auditLog };
    const reference = typedId(type, id);
    const at = reference ? { reference } : {};
    if (seg.length === 2) return { ...rest([interaction('read')], 'R', at), ...auditLog };
    if (seg.length === 3 && history === '_history') return rest([interaction('history-instance')], 'R', at);
    if (seg.length === 4 && history === '_history' && vid) return rest([interaction('vread')], 'R', at);
  }
  // Anything else (a write to a path no route serves, an unknown path): recorded by method alone.
  return rest([], actionOf(method));
}

function ilpKind(method: string, seg: string[]): AuditKind {
  const [what, id, op] = seg;
  if (what === 'encounters' && op === undefined && id === '$validate') return rest([interaction('operation'), OPERATIONS.validate, gatewaySubtype('ilp-validate')], 'E');
  if (what === 'encounters' && id === undefined) return rest([interaction('create'), gatewaySubtype('ilp-submit')], 'C');
  if (what === 'submissions' && id !== undefined && op === undefined) {
    return rest([interaction('read'), gatewaySubtype('ilp-status')], 'R', UUID.test(id) ? { identifier: { system: SUBMISSION_SYSTEM, value: id } } : {});
  }
  return rest([], actionOf(method));
}

/** The admin API (docs/operations.md): relay problems, re-queue, pauses, national credentials. */
function adminKind(method: string, seg: string[]): AuditKind {
  const [what, id, sub] = seg;
  const org = id && ORG.test(id) ? { identifier: { system: ORGANIZATION_SYSTEM, value: id } } : {};
  const of = (code: string, extra: Partial<AuditKind> = {}): AuditKind => ({ type: TYPES.applicationActivity, subtypes: [gatewaySubtype(code)], action: actionOf(method), ...extra });
  if (what === 'submissions' && id === 'requeue') return of('admin-requeue', { action: 'U' });
  // The operations console's data (issue 11): the re-send names its submissions through noteAudit.
  if (what === 'transactions' && id === 'resend') return of('admin-resend', { action: 'U' });
  if (what === 'transactions' && id !== undefined) return of('admin-transaction-read', UUID.test(id) ? { identifier: { system: SUBMISSION_SYSTEM, value: id } } : {});
  if (what === 'intake-attempts' || what === 'conformance') return of('admin-conformance-read');
  if (what === 'relay' && id === 'health') return of('admin-relay-health');
  if (what === 'submissions' && sub === 'events') return of('admin-read', id && UUID.test(id) ? { identifier: { system: SUBMISSION_SYSTEM, value: id } } : {});
  if (what === 'organizations' && sub === 'pause') return of(method === 'DELETE' ? 'admin-resume' : 'admin-pause', org);
  if (what === 'credentials' && id !== undefined) return of(method === 'DELETE' ? 'admin-credentials-remove' : 'admin-credentials-put', org);
  // The monthly village MeasureReports computed on demand (src/api/pws-reports.routes.ts): they change stored FHIR resources.
  if (what === 'pws' && id === 'reports' && method === 'POST') return of('admin-pws-reports', { action: 'E' });
  return of(method === 'GET' ? 'admin-read' : 'admin-other');
}

/** The web console: sign-in and sign-out as authentication events, pages and forms as application activity. */
function consoleKind(method: string, seg: string[]): AuditKind {
  const [what] = seg;
  if (method === 'POST' && what === 'login') return { type: TYPES.userAuthentication, subtypes: [LOGIN_CODING, gatewaySubtype('console-login')], action: 'E' };
  if (method === 'POST' && what === 'logout') return { type: TYPES.userAuthentication, subtypes: [LOGOUT_CODING, gatewaySubtype('console-logout')], action: 'E' };
  const action = actionOf(method);
  // Which page (never its query: a search box may hold a NIK).
  const page = `/console/${seg.filter((s) => /^[A-Za-z0-9._-]{1,64}$/.test(s)).join('/')}`;
  return { type: TYPES.applicationActivity, subtypes: [gatewaySubtype(action === 'R' ? 'console-view' : 'console-action')], action, identifier: { system: CONSOLE_PAGE_SYSTEM, value: page } };
}

export function classify(method: string, path: string): AuditKind | undefined {
  if (PUBLIC.some((re) => re.test(path))) return undefined;
  const seg = segments(path);
  if (path === '/auth/token') return { type: TYPES.userAuthentication, subtypes: [LOGIN_CODING], action: 'E' };
  if (seg[0] === 'fhir') return fhirKind(method, seg.slice(1));
  if (seg[0] === 'ilp' && seg[1] === 'v1') return ilpKind(method, seg.slice(2));
  if (seg[0] === 'admin' && seg[1] === 'v1') return adminKind(method, seg.slice(2));
  if (seg[0] === 'auth') return undefined;
  if (seg[0] === 'console') return consoleKind(method, seg.slice(1));
  return rest([], actionOf(method));
}
