/**
 * Freezes `value` and everything reachable from it (config and catalogue are values: loaded once,
 * never changed). Typed arrays (a signing key) cannot be frozen and are left as they are; already
 * frozen objects are not walked again, so shared sub-objects cost nothing.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
