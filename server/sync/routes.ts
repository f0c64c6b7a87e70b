/** POST /v1/sync/push, GET /v1/sync/pull, /v1/sync/snapshot, /v1/sync/results (DESIGN §5). */
import { isMeridianError } from '../../shared/errors';
import {
  MIN_SYNC_SCHEMA_VERSION,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  resultsQuerySchema,
  resultsResponseSchema,
  snapshotQuerySchema,
  snapshotResponseSchema,
  SYNC_SCHEMA_VERSION,
} from '../../shared/sync/protocol';
import { requireRole, userOf } from '../auth/guard';
import type { App, ServerDeps } from '../deps';
import { HttpError, retryable } from '../ops/errors';
import { BEARER, errorResponses } from '../ops/schemas';
import { pullPage, resultsPage, snapshotPage } from './pull';
import { processPush } from './push';

export function checkSchemaVersion(v: number): void {
  if (v < MIN_SYNC_SCHEMA_VERSION) {
    throw new HttpError(
      426,
      'CLIENT_TOO_OLD',
      `This app speaks sync schema ${v}; the server needs at least ${MIN_SYNC_SCHEMA_VERSION}. Update Meridian to sync again — your unsynced changes are kept.`,
      { schemaVersion: v, minSchemaVersion: MIN_SYNC_SCHEMA_VERSION, serverSchemaVersion: SYNC_SCHEMA_VERSION },
    );
  }
  if (v > SYNC_SCHEMA_VERSION) {
    throw retryable(`This app speaks sync schema ${v}, newer than the server's ${SYNC_SCHEMA_VERSION}; the server is being upgraded, try again later.`, 60, {
      schemaVersion: v,
      serverSchemaVersion: SYNC_SCHEMA_VERSION,
    });
  }
}

/** Runs a sync operation; failures other than refusals are infrastructure failures the client retries. */
async function infra<T>(req: { log: { error: (o: object, m: string) => void } }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isMeridianError(e) || e instanceof HttpError) throw e;
    req.log.error({ err: e }, 'sync request failed');
    throw retryable('The server could not complete this sync request; try again.', 1);
  }
}

export function registerSyncRoutes(app: App, deps: ServerDeps): void {
  const auth = requireRole({ db: deps.db, tokens: deps.tokens }, 'viewer');

  app.post(
    '/v1/sync/push',
    {
      onRequest: auth,
      bodyLimit: deps.settings.pushBodyLimit,
      schema: {
        tags: ['sync'],
        summary: 'Push mutations (each applied or rejected in its own transaction)',
        security: BEARER,
        body: pushRequestSchema,
        response: { 200: pushResponseSchema, ...errorResponses(400, 401, 403, 413, 426, 503) },
      },
    },
    async (req) => {
      const body = req.body;
      checkSchemaVersion(body.schemaVersion);
      const user = userOf(req);
      const res = await infra(req, () =>
        processPush(
          {
            db: deps.db,
            rules: deps.rules,
            now: deps.now,
            onResult: (r, fromStore) => {
              deps.metrics.mutation(r.name, fromStore ? 'duplicate' : r.status);
              if (!fromStore && r.status === 'rejected') {
                req.log.info({ event: 'mutation_rejected', clientId: body.clientId, mutationId: r.id, mutation: r.name, code: r.code }, 'mutation rejected');
              }
            },
          },
          { id: user.id, role: user.role },
          body.clientId,
          body.mutations,
        ),
      );
      if (res.gap) req.log.warn({ event: 'mutation_gap', clientId: body.clientId, ...res.gap }, 'push stopped at a gap');
      return res;
    },
  );

  app.get(
    '/v1/sync/pull',
    {
      onRequest: auth,
      schema: {
        tags: ['sync'],
        summary: 'Pull changes after a cursor (or a resync answer)',
        security: BEARER,
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, ...errorResponses(400, 401, 403, 426, 503) },
      },
    },
    async (req, reply) => {
      const q = req.query;
      checkSchemaVersion(q.schemaVersion);
      const user = userOf(req);
      const json = await infra(req, () => pullPage(deps.db, { clientId: q.clientId, userId: user.id, cursor: q.cursor, limit: q.limit }));
      // Already JSON (assembled by PostgreSQL from the stored rows): sent as is, not re-serialised.
      return reply.type('application/json; charset=utf-8').send(json as never);
    },
  );

  app.get(
    '/v1/sync/snapshot',
    {
      onRequest: auth,
      schema: {
        tags: ['sync'],
        summary: 'Current rows of one entity, paged by id (after a resync answer)',
        security: BEARER,
        querystring: snapshotQuerySchema,
        response: { 200: snapshotResponseSchema, ...errorResponses(400, 401, 426, 503) },
      },
    },
    async (req) => {
      checkSchemaVersion(req.query.schemaVersion);
      return infra(req, () => snapshotPage(deps.db, { entity: req.query.entity, after: req.query.after, limit: req.query.limit }));
    },
  );

  app.get(
    '/v1/sync/results',
    {
      onRequest: auth,
      schema: {
        tags: ['sync'],
        summary: "Stored results of this client's mutations after an id",
        security: BEARER,
        querystring: resultsQuerySchema,
        response: { 200: resultsResponseSchema, ...errorResponses(400, 401, 403, 426, 503) },
      },
    },
    async (req) => {
      checkSchemaVersion(req.query.schemaVersion);
      const user = userOf(req);
      return infra(req, () => resultsPage(deps.db, { clientId: req.query.clientId, userId: user.id, after: req.query.after, limit: req.query.limit }));
    },
  );
}
