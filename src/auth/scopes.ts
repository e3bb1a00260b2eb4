/**
 * Scopes, SMART Backend Services style (`system/<Type>.<read|write|*>`), plus the gateway's own:
 * `ilp/submission.write` and `ilp/submission.read` for SIMPUS vendors, `admin` for operations.
 */
export type Scope = string;

export const SUPPORTED_SCOPES: readonly string[] = ['system/*.read', 'system/*.write', 'ilp/submission.write', 'ilp/submission.read', 'pws/indicators.read', 'pws/targets.write', 'ops/read', 'admin'];

const SMART = /^system\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*)$/;

export function isKnownScope(scope: string): boolean {
  return SMART.test(scope) || SUPPORTED_SCOPES.includes(scope);
}

/** Whether the granted scopes allow `needed`; `system/*.read` covers `system/Observation.read`. */
export function allows(granted: readonly Scope[], needed: Scope): boolean {
  if (granted.includes(needed)) return true;
  const want = SMART.exec(needed);
  if (!want) return false;
  return granted.some((g) => {
    const have = SMART.exec(g);
    return !!have && (have[1] === '*' || have[1] === want[1]) && (have[2] === '*' || have[2] === want[2]);
  });
}

/** The scopes a client asked for that it may have; all of its scopes when it asked for none. */
export function grantScopes(clientScopes: readonly Scope[], requested: string | undefined): Scope[] {
  if (!requested || requested.trim() === '') return [...clientScopes];
  return requested.split(/\s+/).filter((s) => s !== '' && allows(clientScopes, s));
}
