import { hashSecret } from '../auth/secrets';
import type { ConsoleRole, NewConsoleUser } from '../store/console-ports';
import { isRole } from './roles';

/**
 * Checking a console user before it is stored (`ilp-gateway users add`): every problem listed.
 * Passwords: at least 12 characters (NIST SP 800-63B §5.1.1.2 asks for 8 at least; officers share
 * laptops at the Puskesmas, so we ask for a little more), hashed with the API secrets' scrypt.
 */
export interface UserInput {
  username: string;
  password: string;
  role: string;
  displayName?: string;
  regions: string[];
  organizations: string[];
}

export const MIN_PASSWORD = 12;

export function userProblems(u: UserInput): string[] {
  const problems: string[] = [];
  if (!/^[a-z0-9._-]{3,64}$/.test(u.username)) problems.push('username: 3 to 64 characters a-z 0-9 . _ -');
  if (u.password.length < MIN_PASSWORD) problems.push(`password: at least ${MIN_PASSWORD} characters`);
  if (u.password.length > 1024) problems.push('password: at most 1024 characters');
  if (!isRole(u.role)) problems.push('role: admin, district, vendor-support or tester');
  for (const r of u.regions) if (!/^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$/.test(r)) problems.push(`region ${r.slice(0, 20)}: a Kemendagri code of 2, 4, 6 or 10 digits`);
  for (const o of u.organizations) if (!/^\d{6,12}$/.test(o)) problems.push(`organization ${o.slice(0, 20)}: a SATUSEHAT organization id (digits)`);
  if (u.role === 'district' && u.regions.length === 0) problems.push('a district user needs at least one --region');
  if (u.role !== 'district' && u.regions.length > 0) problems.push('--region is only for district users');
  if (u.role === 'vendor-support' && u.organizations.length === 0) problems.push('a vendor-support user needs at least one --org');
  if (u.role !== 'vendor-support' && u.organizations.length > 0) problems.push('--org is only for vendor-support users');
  return problems;
}

export async function newUser(u: UserInput): Promise<NewConsoleUser> {
  return {
    username: u.username,
    ...(u.displayName ? { displayName: u.displayName } : {}),
    passwordHash: await hashSecret(u.password),
    role: u.role as ConsoleRole,
    regions: [...new Set(u.regions)],
    organizations: [...new Set(u.organizations)],
  };
}
