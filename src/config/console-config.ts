import { numberVar, type Env } from './env';

/**
 * The web console's settings (issue #11, docs/decisions/0020-console.md). Sign-in failures are
 * throttled with the API token endpoint's limits (AUTH_THROTTLE_*), per username and per address.
 */
export interface ConsoleConfig {
  /** A session unused this long is ended (CONSOLE_IDLE_MINUTES). */
  readonly idleSeconds: number;
  /** A session ends this long after sign-in, used or not (CONSOLE_SESSION_HOURS). */
  readonly lifetimeSeconds: number;
  /**
   * The session cookie's Secure attribute: `auto` sets it when the request came over HTTPS (or
   * PUBLIC_BASE_URL is https, behind a proxy); `always` / `never` force it (CONSOLE_COOKIE_SECURE).
   */
  readonly cookieSecure: 'auto' | 'always' | 'never';
}

export function loadConsoleConfig(env: Env, problems: string[]): ConsoleConfig {
  const raw = env.CONSOLE_COOKIE_SECURE || 'auto';
  const secure = ({ auto: 'auto', '1': 'always', '0': 'never' } as const)[raw as 'auto' | '1' | '0'];
  if (!secure) problems.push(`CONSOLE_COOKIE_SECURE must be auto, 1 or 0, got "${raw}"`);
  return {
    idleSeconds: numberVar(env, 'CONSOLE_IDLE_MINUTES', 30, 1, 1440, problems) * 60,
    // A working day by default: a shared Puskesmas computer does not stay signed in overnight.
    lifetimeSeconds: numberVar(env, 'CONSOLE_SESSION_HOURS', 12, 1, 168, problems) * 3600,
    cookieSecure: secure ?? 'auto',
  };
}
