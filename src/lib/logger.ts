import { pino, type Logger as PinoLogger } from 'pino';
import { safeErrorObject, stripQuery } from './redact.js';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Keys whose values are secrets or personal data, at the top level and one level down. */
const SECRET_KEYS = ['apiKey', 'api_key', 'token', 'secret', 'password', 'authorization', 'cookie', 'csrf', 'sessionId', 'email', 'phone', 'webhookUrl', 'databaseUrl', 'redisUrl'];
/** Request and response headers that carry a credential. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-dashboard-token', 'x-caio-webhook-token', 'x-csrf-token', 'x-clay-webhook-auth', 'x-instantly-signature', 'x-clay-signature'];

/** Paths whose values are replaced before a line is written: keys, tokens, secrets, cookies, addresses. */
export const REDACT_PATHS = [...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]), ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `req.headers["${h}"]`, `res.headers["${h}"]`])];

/**
 * What a line may hold of an error, a URL and a path: an error's message without the parameters of
 * a failed query (the payload) and with addresses masked; a URL or path without its query string
 * (HeyReach's `?secret=`, `?token=`).
 */
export const LOG_SERIALIZERS = {
  err: safeErrorObject,
  url: (value: unknown) => (typeof value === 'string' ? stripQuery(value) : value),
  path: (value: unknown) => (typeof value === 'string' ? stripQuery(value) : value),
};

/**
 * One pino root per process. Logs go to stderr so a command's stdout (tables, `--json`) stays clean.
 */
export const createLogger = (level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger =>
  pino({ level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: LOG_SERIALIZERS }, destination as pino.DestinationStream);
