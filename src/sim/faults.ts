import type { RequestHandler, Response } from 'express';
import type { SimState } from './state';

/**
 * Fault injection for a share of FHIR requests: what a national platform does on a bad day.
 * Each rate is a probability from 0 to 1, drawn independently per request in this order: drop
 * (connection closed before processing), timeout (no answer; the connection is closed after
 * `timeoutHoldMs`), 5xx (`text/plain`, as SATUSEHAT's gateway answers, §1.3), 429 with
 * Retry-After, token expiry (the caller's token ends now), and drop-after-commit (the request is
 * processed and stored, then the connection is closed: the response is lost).
 */
export interface Faults {
  latencyMs: number;
  error5xx: number;
  rate429: number;
  retryAfterSeconds: number;
  timeout: number;
  timeoutHoldMs: number;
  drop: number;
  dropAfterCommit: number;
  tokenExpiry: number;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0, error5xx: 0, rate429: 0, retryAfterSeconds: 1, timeout: 0, timeoutHoldMs: 30_000, drop: 0, dropAfterCommit: 0, tokenExpiry: 0,
};

const RATES = ['error5xx', 'rate429', 'timeout', 'drop', 'dropAfterCommit', 'tokenExpiry'] as const;

/** Validates a partial fault setting (admin endpoint, configuration); returns problems or the merged value. */
export function mergeFaults(current: Faults, patch: unknown): Faults | string[] {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return ['body must be a JSON object'];
  const problems: string[] = [];
  const next: Faults = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in NO_FAULTS)) problems.push(`unknown fault "${key}"`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push(`${key} must be a number >= 0`);
    else if ((RATES as readonly string[]).includes(key) && value > 1) problems.push(`${key} is a share of requests from 0 to 1`);
    else next[key as keyof Faults] = value;
  }
  return problems.length > 0 ? problems : next;
}

export interface FaultControl {
  get(): Faults;
  /** Timers of held (timed-out) requests, cleared on close. */
  readonly held: Set<NodeJS.Timeout>;
}

function count(state: SimState, name: string): void {
  state.stats.faults[name] = (state.stats.faults[name] ?? 0) + 1;
}

/** Replaces the response methods so that the handler runs (and stores) but nothing is answered. */
function loseResponse(res: Response): void {
  const drop = (): Response => {
    res.socket?.destroy();
    return res;
  };
  res.json = drop;
  res.send = drop;
  res.end = drop as Response['end'];
}

function pick(state: SimState, f: Faults, res: Response, control: FaultControl): boolean {
  if (Math.random() < f.drop) {
    count(state, 'drop');
    res.socket?.destroy();
    return true;
  }
  if (Math.random() < f.timeout) {
    count(state, 'timeout');
    const timer = setTimeout(() => {
      control.held.delete(timer);
      res.socket?.destroy();
    }, f.timeoutHoldMs);
    control.held.add(timer);
    return true;
  }
  if (Math.random() < f.error5xx) {
    count(state, '5xx');
    res.status(Math.random() < 0.5 ? 503 : 504).type('text/plain').send(Math.random() < 0.5 ? 'no healthy upstream' : 'Gateway Timeout');
    return true;
  }
  if (Math.random() < f.rate429) {
    count(state, '429');
    res.status(429).set('Retry-After', String(f.retryAfterSeconds)).type('text/plain').send('Too Many Requests');
    return true;
  }
  res.locals.expireToken = Math.random() < f.tokenExpiry;
  if (res.locals.expireToken === true) count(state, 'tokenExpiry');
  if (Math.random() < f.dropAfterCommit) {
    count(state, 'dropAfterCommit');
    loseResponse(res);
  }
  return false;
}

export function faultInjector(state: SimState, control: FaultControl): RequestHandler {
  return (_req, res, next) => {
    state.stats.requests += 1;
    const f = control.get();
    const go = (): void => {
      if (!pick(state, f, res, control)) next();
    };
    if (f.latencyMs > 0) {
      const timer = setTimeout(() => {
        control.held.delete(timer);
        go();
      }, f.latencyMs);
      control.held.add(timer);
    } else go();
  };
}
