import { fail } from '../kernel';
import type { AccessFilter } from '../store/ports';
import { allows } from './scopes';
import type { Principal } from './tokens';

/**
 * THE access decision of the gateway (docs/decisions/0010-tenant-isolation.md), for every surface:
 * given who calls (a Principal: scopes, organisations, regions), what it may do, and which rows it
 * may see. The store applies the returned AccessFilter in SQL (src/store/access-sql.ts), so no
 * handler filters rows itself and a new surface inherits the rule by asking here.
 *
 * - organisations: a vendor sees and writes only rows of its organisations (`*` = every one);
 * - regions: a district data team sees only rows whose subject Patient lived, when the row was
 *   written, in one of its Kemendagri code prefixes (2/4/6/10 digits);
 * - both restrictions hold together (a ministry client with regions is a district client).
 */

export type Surface = 'ilp' | 'fhir' | 'export' | 'admin' | 'validate' | 'ops';
export type Action = 'read' | 'write' | 'export' | 'admin' | 'validate' | 'resend' | 'relay';

export type AccessDecision =
  | { allow: true; filter: AccessFilter }
  | { allow: false; code: 'AUTH-SCOPE' | 'AUTH-ADMIN-RESTRICTED' | 'OPS-REGION-RESTRICTED'; scope?: string };

export const UNRESTRICTED: AccessFilter = Object.freeze({ organizations: 'all', regions: 'all' }) as AccessFilter;

/** The rows a principal may see, whatever the surface. */
export function dataFilter(p: Pick<Principal, 'organizations' | 'regions'>): AccessFilter {
  const organizations = p.organizations.includes('*') ? 'all' : [...p.organizations];
  const regions = p.regions && p.regions.length > 0 ? [...p.regions] : 'all';
  return { organizations, regions };
}

export function isUnrestricted(f: AccessFilter): boolean {
  return f.organizations === 'all' && f.regions === 'all';
}

/** The scope a surface's action needs beyond what the path gate (access-policy.ts) checked. */
const NEEDS: Partial<Record<`${Surface}:${Action}`, string>> = {
  'ilp:write': 'ilp/submission.write',
  'ilp:read': 'ilp/submission.read',
  'admin:admin': 'admin',
};

/**
 * Allow/deny plus the data filter. Admin actions (re-queue, pause, national credentials) concern
 * every organisation at once, so only an unrestricted principal may take them.
 */
export function decide(p: Principal, surface: Surface, action: Action): AccessDecision {
  if (surface === 'ops') return decideOps(p, action);
  const scope = NEEDS[`${surface}:${action}`];
  if (scope && !allows(p.scopes, scope)) return { allow: false, code: 'AUTH-SCOPE', scope };
  const filter = dataFilter(p);
  if (surface === 'admin' && !isUnrestricted(filter)) return { allow: false, code: 'AUTH-ADMIN-RESTRICTED' };
  return { allow: true, filter };
}

/**
 * The operations console (transaction log, conformance, intake attempts, relay health; issue 11,
 * docs/decisions/0021-operations.md). It shows vendor payloads and relay state per organisation,
 * not per region, so a region-restricted (district) principal is refused outright. Reading needs
 * `admin` or `ops/read` and sees the principal's organisations; re-sending needs `admin` and is
 * limited to the same organisations (an organisation's admin re-sends its own visits); relay health
 * and resume span every organisation, so they need an unrestricted admin.
 */
function decideOps(p: Principal, action: Action): AccessDecision {
  const filter = dataFilter(p);
  if (filter.regions !== 'all') return { allow: false, code: 'OPS-REGION-RESTRICTED' };
  if (action === 'read') {
    return allows(p.scopes, 'admin') || allows(p.scopes, 'ops/read') ? { allow: true, filter } : { allow: false, code: 'AUTH-SCOPE', scope: 'ops/read' };
  }
  if (!allows(p.scopes, 'admin')) return { allow: false, code: 'AUTH-SCOPE', scope: 'admin' };
  if (action === 'resend') return { allow: true, filter };
  return isUnrestricted(filter) ? { allow: true, filter } : { allow: false, code: 'AUTH-ADMIN-RESTRICTED' };
}

/**
 * Whether a viewer of the transaction log sees a submission's NIKs in clear: an admin of the
 * organisation that sent it (an unrestricted admin is admin of every organisation). Everyone
 * else, `ops/read` support staff included, sees them masked.
 */
export function mayRevealNik(p: Principal, organizationId: string): boolean {
  return allows(p.scopes, 'admin') && !(p.regions && p.regions.length > 0) && mayActFor(p, organizationId);
}

/** decide(), throwing the refusal as a 403 OperationOutcome. */
export function requireAccess(p: Principal, surface: Surface, action: Action): AccessFilter {
  const d = decide(p, surface, action);
  if (!d.allow) return fail(d.code, { scope: d.scope ?? '' });
  return d.filter;
}

export function mayActFor(p: Pick<Principal, 'organizations'>, organizationId: string): boolean {
  return p.organizations.includes('*') || p.organizations.includes(organizationId);
}

/** Whether a row owned by `organizationId`, about a patient living in `residence`, passes the filter (in-memory twin of the SQL). */
export function passes(f: AccessFilter, organizationId: string | null, residence: string | null): boolean {
  if (f.organizations !== 'all' && (organizationId === null || !f.organizations.includes(organizationId))) return false;
  if (f.regions !== 'all' && (residence === null || !f.regions.some((r) => residence.startsWith(r)))) return false;
  return true;
}

/**
 * The organisation a write is made for. `named` are the organisations the content names
 * (Encounter.serviceProvider of any entry, the X-Organization-Id header): every one must be the
 * client's, and they must agree. A client with a single organisation writes as it when nothing is
 * named; a client with several (or `*`) must say which.
 */
export function writingOrganization(p: Principal, named: readonly string[]): string {
  const distinct = [...new Set(named)];
  for (const org of distinct) if (!mayActFor(p, org)) fail('AUTH-ORG', { organizationId: org.slice(0, 64) });
  if (distinct.length > 1) fail('AUTH-ORG-AMBIGUOUS', { organizations: distinct.join(', ').slice(0, 200) });
  const [only] = distinct;
  if (only) return only;
  const own = p.organizations.filter((o) => o !== '*');
  if (own.length === 1 && !p.organizations.includes('*') && own[0]) return own[0];
  return fail('FHIR-ORGANIZATION-MISSING');
}

/** A region-restricted principal may not write: district data teams read. */
export function requireWriter(p: Principal): void {
  if (p.regions && p.regions.length > 0) fail('AUTH-REGION-READ-ONLY');
}
