/**
 * A thin HTTP client for SATUSEHAT (satusehat-api.md §1.2, §2, §5). Not fhir-kit-client: the relay
 * needs the status code and Retry-After of every answer, per-call timeouts and aborts, the
 * `text/plain` 5xx bodies, the non-FHIR Patient-create body and the form-encoded token call, all
 * as values rather than exceptions (docs/decisions/0005-relay.md).
 */
export type CallResult =
  | { kind: 'response'; status: number; body: unknown; retryAfterMs?: number }
  /** No HTTP answer: refused, reset, dropped or timed out. The request may or may not have been processed. */
  | { kind: 'network'; error: string };

export interface CallOptions {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type LatencyObserver = (operation: string, status: string, seconds: number) => void;

/** Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function bodyOf(opts: CallOptions): { body?: string; contentType?: string } {
  if (opts.form) return { body: new URLSearchParams(opts.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  if (opts.json !== undefined) return { body: JSON.stringify(opts.json), contentType: 'application/json' };
  return {};
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 500);
  }
}

export async function call(opts: CallOptions, operation: string, observe?: LatencyObserver): Promise<CallResult> {
  const { body, contentType } = bodyOf(opts);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const started = performance.now();
  try {
    const res = await fetch(opts.url, { method: opts.method, headers, body, signal });
    const parsed = await readBody(res);
    observe?.(operation, String(res.status), (performance.now() - started) / 1000);
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    return { kind: 'response', status: res.status, body: parsed, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  } catch (err) {
    observe?.(operation, 'network', (performance.now() - started) / 1000);
    const e = err as { name?: string; message?: string; cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs} ms` : (e.cause?.code ?? e.message ?? String(err));
    return { kind: 'network', error: `${opts.method} ${new URL(opts.url).pathname}: ${reason}` };
  }
}
