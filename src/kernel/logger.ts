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
 * a log line must never identify a patient.
 */
export function createLogger(level: string, name = 'ilp-gateway', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    redact: { paths: REDACTED, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
