/**
 * One error shape for every route: {"error": {code, message, correlationId,
 * problems?, details?}}. Invalid bodies and queries list field paths; stack
 * traces and internal messages never leave the server (they go to the log
 * with the correlation id).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isMeridianError, type ErrorCode, type Problem } from '../../shared/errors';
import type { ErrorEnvelope } from '../../shared/sync/api';

/** An error with an explicit HTTP status (and optional headers). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly problems?: Problem[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** An infrastructure failure the client should retry (503 + Retry-After). */
export function retryable(message: string, retryAfterSeconds = 1, details: Record<string, unknown> = {}): HttpError {
  return new HttpError(503, 'INTERNAL', message, { ...details, retryable: true }, undefined, { 'retry-after': String(retryAfterSeconds) });
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  ROLE_FORBIDDEN: 403,
  NOT_FOUND: 404,
  DUPLICATE: 409,
  STALE_VERSION: 409,
  MUTATION_GAP: 409,
  RESYNC_REQUIRED: 409,
  CLIENT_TOO_OLD: 426,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

function envelope(req: FastifyRequest, code: ErrorCode, message: string, extra: { problems?: Problem[]; details?: Record<string, unknown> } = {}): ErrorEnvelope {
  return {
    error: {
      code,
      message,
      correlationId: String(req.id),
      ...(extra.problems && extra.problems.length ? { problems: extra.problems } : {}),
      ...(extra.details && Object.keys(extra.details).length ? { details: extra.details } : {}),
    },
  };
}

/** "/mutations/0/id" → "mutations.0.id". */
function dotted(instancePath: string): string {
  return instancePath.split('/').filter(Boolean).join('.');
}

export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'body';
    const problems: Problem[] = err.validation.flatMap((v) => {
      const base = dotted(v.instancePath);
      const keys = (v.params as { keys?: unknown }).keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
        // Unknown fields are refused, each named by its own path.
        return keys.map((k) => {
          const path = [base, String(k)].filter(Boolean).join('.');
          return { code: 'INVALID_INPUT' as const, path, message: `${path}: unknown field` };
        });
      }
      return [{ code: 'INVALID_INPUT' as const, path: base, message: base ? `${base}: ${v.message}` : (v.message ?? 'invalid') }];
    });
    reply
      .status(400)
      .send(envelope(req, 'INVALID_INPUT', `Invalid ${where}: ${problems.map((p) => p.message).join('; ')}`, { problems, details: { in: where } }));
    return;
  }
  if (err instanceof HttpError) {
    if (err.headers) reply.headers(err.headers);
    if (err.statusCode >= 500) req.log.warn({ code: err.code, details: err.details }, err.message);
    reply.status(err.statusCode).send(envelope(req, err.code, err.message, { problems: err.problems, details: err.details }));
    return;
  }
  if (isMeridianError(err)) {
    const problems = err.problems.length === 1 && err.problems[0]!.message === err.message && !err.problems[0]!.path ? [] : err.problems;
    reply.status(statusOf(err.code)).send(envelope(req, err.code, err.message, { problems, details: err.details }));
    return;
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status === 413) {
    reply.status(413).send(envelope(req, 'INVALID_INPUT', 'The request body is larger than this route accepts.'));
    return;
  }
  if (status === 415) {
    reply.status(415).send(envelope(req, 'INVALID_INPUT', 'Send the body as application/json.'));
    return;
  }
  if (status === 429) {
    reply.status(429).send(envelope(req, 'RATE_LIMITED', err.message || 'Too many requests; slow down.'));
    return;
  }
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (malformed JSON, empty body, bad headers): their messages are safe to show.
    const code: ErrorCode = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : 'INVALID_INPUT';
    reply.status(status).send(envelope(req, code, err.message || 'Bad request.'));
    return;
  }
  req.log.error({ err }, 'request failed');
  reply.status(500).send(envelope(req, 'INTERNAL', 'Internal error; quote the correlation id when reporting it.'));
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): void {
  reply.status(404).send(envelope(req, 'NOT_FOUND', `There is no route ${req.method} ${req.url.split('?')[0]}.`));
}
