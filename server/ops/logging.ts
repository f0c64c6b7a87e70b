/**
 * Structured JSON logs (pino). Every request gets a correlation id — the
 * caller's `x-correlation-id` when it is a sane token, else a new UUID — that
 * is echoed in the response header and in every log line of the request.
 * Credentials are redacted wherever they could appear.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type DestinationStream, type Logger } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Paths pino blanks out. Request bodies are never logged by this server; these guard against mistakes. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  'refreshToken',
  'accessToken',
  'token',
  'secret',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.password_hash',
  '*.token',
  '*.secret',
  'body.password',
  'body.refreshToken',
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default stdout). Tests pass a stream to inspect them. */
  stream?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'meridian-server' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req(req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) {
          return { method: req.method, url: req.url, remoteAddress: req.ip ?? req.socket?.remoteAddress };
        },
        err: pino.stdSerializers.err,
      },
    },
    options.stream,
  );
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export function correlationId(req: IncomingMessage): string {
  const h = req.headers[CORRELATION_HEADER];
  const v = Array.isArray(h) ? h[0] : h;
  return v && SANE_ID.test(v) ? v : randomUUID();
}
