/**
 * The update feed as a self-contained Fastify plugin:
 *
 *   GET /updates/:channel/:file   update info (staging applied) and artifacts (Range supported)
 *   PUT /updates/:channel/:file   publish one file (raw body; artifacts need x-checksum-sha512);
 *                                 registered only with an `authorizeUpload` hook
 *
 * Registration (server/main.ts, through buildServer's `register` hook):
 *   buildServer({ …, register: [
 *     (app, deps) => registerUpdateFeed(app, {
 *       root: config.updatesDir,                                // MERIDIAN_UPDATES_DIR
 *       authorizeUpload: anyAuthorizer(
 *         requireRole(deps, 'admin', 'Publishing a release'),   // an admin's access token
 *         ...(config.updatesToken ? [bearerTokenAuthorizer(config.updatesToken)] : []), // MERIDIAN_UPDATES_TOKEN (CI)
 *       ),
 *     }),
 *   ] });
 *
 * Reads are public like /health: clients must be able to update even when
 * their sign-in has expired (the update may be the fix), and what is served
 * is signed installers plus their hashes. Pass `authorizeRead` to require a
 * token anyway (the desktop would then need to send one).
 * The plugin is encapsulated: its catch-all body parser and hooks do not
 * leak into the rest of the server.
 */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SHA512_HEADER, STAGING_HEADER, parseRange, stagingDecision } from './feed';
import { FeedError, UpdateFeedStore, parseUpdateInfo } from './store';

export interface UpdateFeedOptions {
  /** Folder holding one sub-folder per channel. Created if missing. */
  root: string;
  /** URL prefix (default "/updates"). */
  prefix?: string;
  /** Throws (MeridianError UNAUTHENTICATED/ROLE_FORBIDDEN, or any error with statusCode) to refuse an upload. Without it there is no upload route. */
  authorizeUpload?: (req: FastifyRequest, reply: FastifyReply) => unknown;
  /** Optional read guard (default: public). */
  authorizeRead?: (req: FastifyRequest, reply: FastifyReply) => unknown;
  /** Largest upload, bytes (default 2 GiB). */
  maxUploadBytes?: number;
}

interface Params {
  channel: string;
  file: string;
}

const ARTIFACT_TYPES: Record<string, string> = {
  exe: 'application/vnd.microsoft.portable-executable',
  msi: 'application/x-msi',
  dmg: 'application/x-apple-diskimage',
  zip: 'application/zip',
  AppImage: 'application/vnd.appimage',
  deb: 'application/vnd.debian.binary-package',
  rpm: 'application/x-rpm',
};

function envelope(req: FastifyRequest, code: string, message: string) {
  return { error: { code, message, correlationId: String(req.id) } };
}

function statusFromGuard(e: unknown): { status: number; code: string; message: string } {
  const err = e as { statusCode?: unknown; code?: unknown; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : 'UNAUTHENTICATED';
  const status = typeof err.statusCode === 'number' ? err.statusCode : code === 'ROLE_FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : 403;
  return { status, code, message: typeof err.message === 'string' ? err.message : 'Not allowed.' };
}

/** A bearer-token guard for uploads by a CI robot (timing-safe comparison). */
export function bearerTokenAuthorizer(token: string): (req: FastifyRequest) => void {
  if (token.length < 32) throw new Error('the update-upload token must be at least 32 characters');
  const expected = Buffer.from(token);
  return (req) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const given = Buffer.from(m?.[1] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw Object.assign(new Error('Publishing a release needs the update-upload token (Authorization: Bearer …).'), { statusCode: 401, code: 'UNAUTHENTICATED' });
  };
}

/** Passes when any of `guards` passes; otherwise refuses with the first guard's error. */
export function anyAuthorizer(...guards: Array<(req: FastifyRequest, reply: FastifyReply) => unknown>): (req: FastifyRequest, reply: FastifyReply) => Promise<void> {
  if (!guards.length) throw new Error('anyAuthorizer needs at least one guard');
  return async (req, reply) => {
    let first: unknown = null;
    for (const guard of guards) {
      try {
        await guard(req, reply);
        return;
      } catch (e) {
        first ??= e;
      }
    }
    throw first;
  };
}

export async function registerUpdateFeed(app: FastifyInstance, options: UpdateFeedOptions): Promise<void> {
  const store = new UpdateFeedStore(options.root);
  fs.mkdirSync(store.root, { recursive: true, mode: 0o750 });
  const prefix = (options.prefix ?? '/updates').replace(/\/+$/, '');
  const maxBytes = options.maxUploadBytes ?? 2 * 1024 * 1024 * 1024;

  await app.register(async (scope) => {
    // Uploads are raw bodies, streamed to disk by the route (never buffered, never parsed here).
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));

    const guard = (fn: UpdateFeedOptions['authorizeRead']) =>
      fn
        ? async (req: FastifyRequest, reply: FastifyReply) => {
            try {
              await fn(req, reply);
            } catch (e) {
              const g = statusFromGuard(e);
              return reply.code(g.status).send(envelope(req, g.code, g.message));
            }
          }
        : undefined;
    const fail = (req: FastifyRequest, reply: FastifyReply, e: unknown) => {
      if (e instanceof FeedError) return reply.code(e.statusCode).header('cache-control', 'no-store').send(envelope(req, e.code, e.message));
      throw e;
    };

    const readGuard = guard(options.authorizeRead);
    scope.get<{ Params: Params }>(`${prefix}/:channel/:file`, { ...(readGuard ? { preHandler: readGuard } : {}) }, async (req, reply) => {
      const { channel, file } = req.params;
      try {
        const current = await store.stat(channel, file);
        if (!current) throw new FeedError(404, 'NOT_FOUND', `There is no ${file} in the ${channel} update channel.`);
        if (current.kind === 'update-info') {
          let text = await fs.promises.readFile(current.path, 'utf8');
          const stagingId = req.headers[STAGING_HEADER];
          const decision = stagingDecision(parseUpdateInfo(text), typeof stagingId === 'string' ? stagingId : undefined);
          if (decision.serve === 'previous') {
            const previous = await store.readText(channel, file, 'previous');
            if (previous !== null) text = previous; // else: the client's own staging check declines the current one
          }
          req.log.debug({ channel, file, staging: decision.reason }, 'update info served');
          return reply
            .header('content-type', 'text/yaml; charset=utf-8')
            .header('cache-control', 'no-store')
            .header('vary', STAGING_HEADER)
            .header('x-content-type-options', 'nosniff')
            .send(text);
        }
        const ext = file.slice(file.lastIndexOf('.') + 1);
        reply
          .header('content-type', ARTIFACT_TYPES[ext] ?? 'application/octet-stream')
          .header('accept-ranges', 'bytes')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `attachment; filename="${file}"`)
          .header('last-modified', current.mtime.toUTCString());
        const range = parseRange(req.headers.range, current.size);
        if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${current.size}`).send();
        if (range) {
          reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${current.size}`).header('content-length', String(range.end - range.start + 1));
          return reply.send(fs.createReadStream(current.path, { start: range.start, end: range.end }));
        }
        reply.header('content-length', String(current.size));
        return reply.send(fs.createReadStream(current.path));
      } catch (e) {
        return fail(req, reply, e);
      }
    });

    if (options.authorizeUpload) {
      const uploadGuard = guard(options.authorizeUpload)!;
      scope.put<{ Params: Params }>(`${prefix}/:channel/:file`, { preHandler: uploadGuard }, async (req, reply) => {
        const { channel, file } = req.params;
        const declared = req.headers[SHA512_HEADER];
        const length = Number(req.headers['content-length']);
        try {
          if (Number.isFinite(length) && length > maxBytes) throw new FeedError(413, 'INVALID_INPUT', `The upload is larger than ${maxBytes} bytes.`);
          const result = await store.publish(channel, file, req.raw, { declaredSha512: typeof declared === 'string' ? declared.trim() : null, maxBytes });
          req.log.info({ channel, file, size: result.size, version: result.version, staging: result.stagingPercentage, created: result.created }, 'update feed: published');
          return reply.code(result.created ? 201 : 200).send(result);
        } catch (e) {
          return fail(req, reply, e);
        }
      });
    }
  });
}
