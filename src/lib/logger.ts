import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Paths whose values are replaced before a line is written: keys, tokens, addresses. */
export const REDACT_PATHS = [
  'apiKey', '*.apiKey', 'token', '*.token', 'password', '*.password', 'authorization', '*.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'req.headers.authorization', 'email', '*.email', 'phone', '*.phone',
];

/**
 * One pino root per process. Logs go to stderr so a command's stdout (tables, `--json`) stays clean.
 */
export const createLogger = (level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger =>
  pino({ level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination as pino.DestinationStream);
