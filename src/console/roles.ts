import type { Principal } from '../auth/tokens';
import type { ConsoleRole, ConsoleUser } from '../store/console-ports';

/**
 * A console user is the SAME access principal as an API client (src/auth/tokens.ts), so the one
 * access decision (src/auth/access-decision.ts) decides what a person sees exactly as it decides
 * for a machine: a district officer is a region-restricted reader, vendor support sees its
 * organisations, an admin everything, a tester no stored data at all (it validates files).
 */
export const ROLES: readonly ConsoleRole[] = ['admin', 'district', 'vendor-support', 'tester'];

const READ_SCOPES = ['system/*.read', 'ilp/submission.read', 'pws/indicators.read'];

/** The scopes a role's principal carries (the same strings the API's access policy checks). */
export const ROLE_SCOPES: Readonly<Record<ConsoleRole, readonly string[]>> = {
  admin: ['system/*.*', 'ilp/submission.write', 'ilp/submission.read', 'pws/indicators.read', 'pws/targets.write', 'admin'],
  district: READ_SCOPES,
  // ops/read: the transaction log and conformance of its organisations (src/ops/, decideOps), NIKs masked.
  'vendor-support': [...READ_SCOPES, 'ops/read'],
  tester: [],
};

/** The principal id recorded in the audit trail: never collides with an API client id (no colon there). */
export function consoleClientId(username: string): string {
  return `console:${username}`;
}

export function principalOfUser(user: Pick<ConsoleUser, 'username' | 'role' | 'regions' | 'organizations'>): Principal {
  const scopes = [...ROLE_SCOPES[user.role]];
  const clientId = consoleClientId(user.username);
  switch (user.role) {
    case 'admin':
      return { clientId, organizations: ['*'], scopes };
    case 'district':
      // A district officer with no region would see the whole country: refused when the user is added (users.ts).
      return { clientId, organizations: ['*'], scopes, regions: [...user.regions] };
    case 'vendor-support':
      return { clientId, organizations: [...user.organizations], scopes };
    case 'tester':
      return { clientId, organizations: [], scopes };
  }
}

export function isRole(v: unknown): v is ConsoleRole {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}
