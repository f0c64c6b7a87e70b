/**
 * Administration (admin role): users and roles, business rules, change-log
 * retention. Every change is audited in the same transaction.
 */
import type { Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import { MeridianError } from '../../shared/errors';
import { parseRulesBody } from '../../shared/rules/business-rules';
import {
  createUserRequestSchema,
  pruneChangesRequestSchema,
  pruneChangesResponseSchema,
  putRulesRequestSchema,
  rulesResponseSchema,
  updateUserRequestSchema,
  userIdParamsSchema,
  userSchema,
  usersResponseSchema,
} from '../../shared/sync/api';
import { appendAudit } from '../audit/chain';
import { requireRole, userOf, type AuthUser } from '../auth/guard';
import { hashPassword } from '../auth/passwords';
import { auditImage, insertUser, toUser, type UserRow } from '../auth/users';
import type { App, ServerDeps } from '../deps';
import { HttpError } from '../ops/errors';
import { BEARER, errorResponses } from '../ops/schemas';
import { lockCounter, nextSeq } from '../sync/counter';
import { pruneChangeLog } from '../sync/pull';
import { writeRulesRevision } from './rules';

async function auditAdmin(
  trx: Transaction<ServerTables>,
  actor: AuthUser,
  at: string,
  mutation: string,
  entityId: string,
  before: UserRow | undefined,
  after: UserRow | undefined,
  details: Record<string, unknown> = {},
): Promise<void> {
  const counter = await lockCounter(trx);
  await appendAudit(trx, counter, counter.seq, {
    at,
    userId: actor.id,
    clientId: null,
    mutationId: null,
    mutation,
    status: 'applied',
    code: null,
    message: null,
    entity: 'user',
    entityId,
    before: auditImage(before),
    after: auditImage(after),
    details,
  });
}

export function registerAdminRoutes(app: App, deps: ServerDeps): void {
  const guard = { db: deps.db, tokens: deps.tokens };
  const admin = requireRole(guard, 'admin', 'Administration');
  const viewer = requireRole(guard, 'viewer');

  app.get(
    '/v1/admin/users',
    { onRequest: admin, schema: { tags: ['admin'], summary: 'List users', security: BEARER, response: { 200: usersResponseSchema, ...errorResponses(401, 403) } } },
    async () => {
      const rows = await deps.db.selectFrom('users').selectAll().orderBy('username').execute();
      return { users: rows.map(toUser) };
    },
  );

  app.post(
    '/v1/admin/users',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create a user',
        security: BEARER,
        body: createUserRequestSchema,
        response: { 201: userSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (req, reply) => {
      const actor = userOf(req);
      const at = deps.now().toISOString();
      const row = await deps.db.transaction().execute(async (trx) => {
        const created = await insertUser(trx, req.body, deps.scrypt, at);
        await auditAdmin(trx, actor, at, 'createUser', created.id, undefined, created);
        return created;
      });
      req.log.info({ event: 'user_created', userId: row.id, role: row.role }, 'user created');
      return reply.status(201).send(toUser(row));
    },
  );

  app.patch(
    '/v1/admin/users/:id',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: "Change a user's role, status or password",
        security: BEARER,
        params: userIdParamsSchema,
        body: updateUserRequestSchema,
        response: { 200: userSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = userOf(req);
      const at = deps.now().toISOString();
      const patch = req.body;
      const passwordHash = patch.password !== undefined ? await hashPassword(patch.password, deps.scrypt) : undefined;
      const row = await deps.db.transaction().execute(async (trx) => {
        // The counter lock serialises admin changes, so two admins cannot demote each other at once.
        await lockCounter(trx);
        const before = await trx.selectFrom('users').selectAll().where('id', '=', req.params.id).executeTakeFirst();
        if (!before) throw new MeridianError('NOT_FOUND', `There is no user ${req.params.id}.`, { id: req.params.id });
        const after: UserRow = {
          ...before,
          role: patch.role ?? before.role,
          disabled: patch.disabled ?? before.disabled,
          password_hash: passwordHash ?? before.password_hash,
          updated_at: at,
        };
        const losesAdmin = before.role === 'admin' && !before.disabled && (after.role !== 'admin' || after.disabled);
        if (losesAdmin) {
          const others = await trx
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('role', '=', 'admin')
            .where('disabled', '=', false)
            .where('id', '!=', before.id)
            .executeTakeFirstOrThrow();
          if (Number(others.n) === 0) throw new HttpError(409, 'ROLE_FORBIDDEN', 'This is the last active admin; make another user admin first.');
        }
        await trx
          .updateTable('users')
          .set({ role: after.role, disabled: after.disabled, password_hash: after.password_hash, updated_at: at })
          .where('id', '=', before.id)
          .execute();
        if (after.disabled || passwordHash !== undefined) await deps.refresh.revokeUser(before.id, trx);
        await auditAdmin(trx, actor, at, 'updateUser', before.id, before, after, { passwordChanged: passwordHash !== undefined });
        return after;
      });
      req.log.info({ event: 'user_updated', userId: row.id, role: row.role, disabled: row.disabled }, 'user updated');
      return toUser(row);
    },
  );

  app.get(
    '/v1/rules',
    { onRequest: viewer, schema: { tags: ['admin'], summary: 'The business rules in force', security: BEARER, response: { 200: rulesResponseSchema, ...errorResponses(401, 404) } } },
    async () => {
      const row = await deps.db.selectFrom('business_rules').selectAll().where('deleted_at', 'is', null).orderBy('revision', 'desc').limit(1).executeTakeFirst();
      if (!row) throw new MeridianError('NOT_FOUND', 'No business rules are stored yet.');
      return { revision: row.revision, version: row.version, rules: parseRulesBody(row.body) };
    },
  );

  app.put(
    '/v1/admin/rules',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Write a new business-rules revision (audited; clients receive it through pull)',
        security: BEARER,
        body: putRulesRequestSchema,
        response: { 200: rulesResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const actor = userOf(req);
      const at = deps.now().toISOString();
      const r = await deps.db.transaction().execute(async (trx) => {
        const counter = await nextSeq(trx);
        return writeRulesRevision(trx, counter, req.body, { userId: actor.id, now: at, reason: `rules revision by ${actor.username}` });
      });
      req.log.info({ event: 'rules_revision', revision: r.revision }, 'business rules changed');
      return r;
    },
  );

  app.post(
    '/v1/admin/change-log/prune',
    {
      onRequest: admin,
      schema: {
        tags: ['admin'],
        summary: 'Delete old change-log entries (clients behind them must resync)',
        security: BEARER,
        body: pruneChangesRequestSchema,
        response: { 200: pruneChangesResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      const r = await pruneChangeLog(deps.db, req.body.throughSeq);
      req.log.info({ event: 'change_log_pruned', ...r }, 'change log pruned');
      return r;
    },
  );
}
