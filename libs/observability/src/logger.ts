import pino, { Logger } from 'pino';

/**
 * Paths redacted from every log line: API keys, secrets, tokens and auth headers never reach logs
 * (pino's `redact`, censor `[redacted]`).
 */
export const REDACTED_PATHS = [
  'apiSecret',
  'secret',
  'token',
  'password',
  '*.apiSecret',
  '*.secret',
  '*.token',
  '*.password',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  '*.headers["x-bapi-sign"]',
  '*.headers["x-bapi-api-key"]',
];

/**
 * Structured JSON logger for `service` (level from config; `silent` in tests that want quiet).
 * The level is written as a word (`"level":"info"`), as the simulator writes it, so one query
 * (`level="error"`) reads every service's lines.
 * @param destination where lines go (default stdout; a test's capture)
 */
export function createLogger(service: string, level = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
