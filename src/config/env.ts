/** The environment as config reads it, and the one number parser every config file uses. */
export type Env = Record<string, string | undefined>;

/**
 * `env[name]` as a number from `min` to `max` (an integer unless `integer` is false); unset or
 * empty → `fallback`. A bad value is recorded in `problems` (all are listed at start-up, config is
 * validated once) and the fallback returned.
 */
export function numberVar(env: Env, name: string, fallback: number, min: number, max: number, problems: string[], integer = true): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return n;
}
