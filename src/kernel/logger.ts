import pino, { Logger } from 'pino';

export type { Logger };

const SENSITIVE = ['nik', 'phone', 'birthDate', 'authorization', 'access_token', 'client_secret', 'clientSecret', 'secret', 'token', 'password'];
/**
 * Pino redaction paths are literal, so each sensitive key is listed at the depths log objects use.
 * Whole patient objects are redacted too: a name alone identifies a patient.
 */
const REDACTED = [
  ...SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
  'patient', '*.patient', '*.*.patient', 'req.headers.authorization', 'headers.authorization',
];

/**
 * One logger for the process. Redaction keeps NIKs, names, phone numbers and tokens out of logs:
 * a log line must never identify a patient. An error logged as `err` or `error` goes through
 * safeError, at every call site alike (a raw PostgreSQL error would log its message, with row values).
 */
export function createLogger(level: string, name = 'ilp-gateway', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    serializers: { err: safeError, error: safeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Fields of an error that name a place or a kind, never a value: node's system error codes
 * (ECONNRESET, ERR_TLS_CERT_ALTNAME_INVALID, syscall), and PostgreSQL's table, column, constraint,
 * routine and severity (the SQLSTATE is `code`). Not the message nor pg's `detail`: those quote
 * row values ("Key (value)=(…)"), which can be a NIK.
 */
const SAFE_FIELDS = ['code', 'syscall', 'errno', 'table', 'column', 'constraint', 'routine', 'severity'] as const;

/**
 * What of an unexpected error may be logged: its class, the SAFE_FIELDS, its stack without the
 * message line, and the same of its `cause` (a `fetch failed` TypeError says why only there).
 * Idempotent: an object that is already what it returns (or a hand-built `{ type, … }`) keeps its
 * safe fields. The logger applies it to every `err` and `error` it is given (createLogger).
 */
export function safeError(err: unknown, depth = 0): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return { type: typeof err };
  const e = err as Record<string, unknown>;
  const out: Record<string, unknown> = { type: err instanceof Error ? err.name : typeof e.type === 'string' ? e.type : 'object' };
  for (const k of SAFE_FIELDS) if (typeof e[k] === 'string' || typeof e[k] === 'number') out[k] = e[k];
  // Only the frames: a message may span several lines, and any of them may quote a value.
  if (typeof e.stack === 'string') out.stack = e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 7).join('\n');
  if (depth < 3) {
    if (e.cause !== undefined) out.cause = safeError(e.cause, depth + 1);
    const errors = err instanceof AggregateError ? err.errors : Array.isArray(e.errors) ? e.errors : undefined;
    if (errors) out.errors = errors.slice(0, 5).map((x: unknown) => safeError(x, depth + 1));
  }
  return out;
}
