/**
 * Who may call what, as data: the first rule whose method and path prefix match decides. Anything
 * no rule names requires an authenticated caller (deny by default), so a new route is never
 * accidentally public.
 */
export interface AccessRule {
  methods?: readonly string[];
  /** Path or path prefix, matched by whole segments (`/fhir` matches `/fhir` and `/fhir/x`, not `/fhirx`). */
  prefix: string;
  /** No authentication at all. */
  public?: boolean;
  /** The scope required; a function derives it from the path (e.g. per resource type). */
  scope?: string | ((path: string, method: string) => string);
}

const READ = ['GET', 'HEAD'];
const WRITE = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * `/fhir/Observation/123` → `system/Observation.read`; type-less paths (`/fhir/$export`) need `system/*.read`.
 * This is the gate by path only. What the path does not show is checked by the FHIR handlers on the
 * principal's scopes (src/fhir-rest/access.ts): a Patient or Group export needs the read scope of every
 * exported type, a search the read scope of every _include target and _revinclude source type.
 */
export function fhirScope(path: string, method: string): string {
  const first = path.split('/')[2] ?? '';
  const type = /^[A-Z][A-Za-z]+$/.test(first) ? first : '*';
  // Bulk kick-off may be POST and cancelling a job is DELETE on its status URL: reads of the data, not writes.
  const isBulk = path.includes('/$export') || path.startsWith('/fhir/bulkstatus/') || path.startsWith('/fhir/bulkfiles/');
  const access = READ.includes(method) || isBulk ? 'read' : 'write';
  return `system/${type}.${access}`;
}

export const ACCESS_POLICY: readonly AccessRule[] = [
  { prefix: '/healthz', public: true },
  { prefix: '/readyz', public: true },
  { prefix: '/metrics', public: true },
  { prefix: '/auth', public: true },
  // The console signs people in with its own session cookie (src/api/console-session.ts) and maps
  // each person to a Principal the same access decision judges; bearer tokens are not for browsers.
  { prefix: '/console', public: true },
  { prefix: '/ilp/v1/openapi.json', methods: READ, public: true },
  { prefix: '/ilp/v1/schema.json', methods: READ, public: true },
  { prefix: '/ilp/v1/catalogue', methods: READ, public: true },
  { prefix: '/ilp/v1/encounters', methods: ['POST'], scope: 'ilp/submission.write' },
  { prefix: '/ilp/v1/submissions', methods: READ, scope: 'ilp/submission.read' },
  { prefix: '/pws/v1/registry', methods: READ, public: true },
  { prefix: '/pws/v1/targets', methods: ['PUT', 'POST'], scope: 'pws/targets.write' },
  { prefix: '/pws/v1', methods: READ, scope: 'pws/indicators.read' },
  // The same figures through FHIR need the same scope as GET /pws/v1/indicators (not just system/Measure.read).
  { prefix: '/fhir/Measure', methods: READ, scope: 'pws/indicators.read' },
  { prefix: '/fhir/metadata', methods: READ, public: true },
  { prefix: '/fhir/.well-known', methods: READ, public: true },
  // The audit trail: admins (scope `admin`) or `system/AuditEvent.read`, decided by its handler (src/fhir-rest/audit-event.ts).
  { prefix: '/fhir/AuditEvent', methods: READ },
  { prefix: '/fhir', methods: [...READ, ...WRITE], scope: fhirScope },
  // The operations console's reads (issue 11): `admin` or `ops/read`, decided by the ops services (access-decision.ts, decideOps).
  { prefix: '/admin/v1/transactions', methods: READ },
  { prefix: '/admin/v1/intake-attempts', methods: READ },
  { prefix: '/admin/v1/conformance', methods: READ },
  { prefix: '/admin', scope: 'admin' },
];

/** `$validate` (system or type level) reads and stores nothing: any authenticated caller (testers) may use it. */
const VALIDATE: AccessRule = { prefix: '/fhir', methods: ['POST'] };

export function findRule(method: string, path: string, policy: readonly AccessRule[] = ACCESS_POLICY): AccessRule | undefined {
  if (method === 'POST' && /^\/fhir\/([A-Z][A-Za-z]+\/)?\$validate$/.test(path)) return VALIDATE;
  // Routing is case-sensitive (http-app), and so is this; `//x` or `/x/` never match a rule's
  // prefix by accident because the comparison is by whole segments.
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  return policy.find((r) => under(r.prefix) && (!r.methods || r.methods.includes(method)));
}
