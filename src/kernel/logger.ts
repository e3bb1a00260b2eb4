import pino, { Logger } from 'pino';

export type { Logger };

/**
 * One logger for the process. Redaction keeps NIKs, names, phone numbers and tokens out of logs:
 * a log line must never identify a patient.
 */
export function createLogger(level: string, name = 'ilp-gateway'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.nik', '*.name', '*.phone', '*.authorization', '*.access_token', '*.client_secret', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
