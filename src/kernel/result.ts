import type { Issue } from './operation-outcome';

/** Errors as values: a computation either yields a value (possibly with warnings) or issues. */
export type Result<T> = { ok: true; value: T; warnings: Issue[] } | { ok: false; issues: Issue[] };

export const ok = <T>(value: T, warnings: Issue[] = []): Result<T> => ({ ok: true, value, warnings });
export const err = <T = never>(issues: Issue[]): Result<T> => ({ ok: false, issues });
