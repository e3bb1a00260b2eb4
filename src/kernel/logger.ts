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
 * What of an unexpected error may be logged: its class, code and stack. Not the whole object nor
 * the message: a PostgreSQL error quotes row values ("Key (value)=(…)"), which can be a NIK.
 */
export function safeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  return { type: err.name, code: typeof code === 'string' ? code : undefined, stack: err.stack?.split('\n').slice(1, 8).join('\n') };
}
