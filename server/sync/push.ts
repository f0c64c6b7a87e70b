/**
 * Push (DESIGN §5). Each mutation runs in its own transaction:
 *
 *   1. advance the client's last_mutation_id from id-1 to id — this takes the
 *      client_state row lock, so a concurrent delivery of the same mutation
 *      waits and then finds it done (effects once); if the row is not at
 *      id-1, the mutation is a retry (id ≤ last: stored result) or a gap
 *      (id > last+1: stop the batch);
 *   2. take the next change sequence (the writer lock: DESIGN §5);
 *   3. replay the shared mutator under the rules in force, as the
 *      authenticated user with the role stored on the server;
 *   4. write the change log, the result and, for a financial mutation, its
 *      audit entry — one statement (sync/finish) — and commit.
 *
 * A MeridianError (rule violation, role, stale version, bad arguments, not
 * found) rolls that back; a second transaction records the rejection (and
 * its audit entry) and advances last_mutation_id all the same, so the client
 * is never stuck behind it. Any other error stops the batch: the route
 * answers 503 and the client pushes again (processed mutations are answered
 * from their stored results).
 */
import type { Kysely, Transaction } from 'kysely';
import type { ServerTables } from '../../db/postgres/tables';
import type { Role } from '../../shared/domain/roles';
import { isMeridianError, MeridianError } from '../../shared/errors';
import { isMutationName, MUTATIONS, runMutation } from '../../shared/mutators/registry';
import type { RowChange } from '../../shared/mutators/context';
import type { MutationResult, PushMutation, PushResponse, RejectedResult } from '../../shared/sync/protocol';
import { auditStatements } from '../audit/chain';
import { mutationTarget } from '../audit/targets';
import type { RulesCache } from '../admin/rules';
import { versionsOf } from './changes';
import { changeLogPart, mutationResultInsert, runTogether } from './finish';
import { serverMutationContext } from './context';
import { nextSeq } from './counter';
import { toWireResult } from './results';
import { asRejection, isRetryableDbError } from './db-errors';

export interface PushUser {
  id: string;
  role: Role;
}

export interface PushDeps {
  db: Kysely<ServerTables>;
  rules: RulesCache;
  now?: () => Date;
  /** Called once per decided mutation (metrics, logs). */
  onResult?: (result: MutationResult, fromStore: boolean) => void;
  /** Attempts of one transaction on a serialisation failure or deadlock (default 3). */
  maxAttempts?: number;
}

type Outcome =
  | { kind: 'done'; result: MutationResult; fromStore: boolean }
  | { kind: 'gap'; expectedId: number };

/** True when `value` holds a NUL character anywhere (PostgreSQL text and jsonb refuse them). */
function containsNul(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some((v) => containsNul(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v, depth + 1));
  }
  return false;
}

function isFinancial(name: string): boolean {
  return isMutationName(name) && MUTATIONS[name].financial;
}

/** The primary record of a mutation's changes: the first row it wrote. */
function primary(changes: readonly RowChange[]): RowChange | null {
  return changes[0] ?? null;
}

export class ClientOwnershipError extends MeridianError {
  constructor(clientId: string) {
    super('ROLE_FORBIDDEN', `Client ${clientId} is registered to another user; sign in as that user or use a new client id.`, { clientId });
  }
}

/** Registers the client on first sight (idempotent) and checks that it belongs to `userId`. */
export async function ensureClient(db: Kysely<ServerTables>, clientId: string, userId: string, now: string): Promise<number> {
  await db
    .insertInto('client_state')
    .values({ client_id: clientId, user_id: userId, last_mutation_id: 0, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('client_id').doNothing())
    .execute();
  const state = await db.selectFrom('client_state').select(['user_id', 'last_mutation_id']).where('client_id', '=', clientId).executeTakeFirstOrThrow();
  if (state.user_id !== userId) throw new ClientOwnershipError(clientId);
  return state.last_mutation_id;
}

/**
 * Moves last_mutation_id from id-1 to id, holding the row lock to commit.
 * Returns null when it was not at id-1 (retry or gap) with the current value.
 */
async function claim(trx: Transaction<ServerTables>, clientId: string, id: number, now: string): Promise<{ claimed: true } | { claimed: false; last: number }> {
  const r = await trx
    .updateTable('client_state')
    .set({ last_mutation_id: id, updated_at: now })
    .where('client_id', '=', clientId)
    .where('last_mutation_id', '=', id - 1)
    .returning('last_mutation_id')
    .executeTakeFirst();
  if (r) return { claimed: true };
  const state = await trx.selectFrom('client_state').select('last_mutation_id').where('client_id', '=', clientId).forUpdate().executeTakeFirstOrThrow();
  return { claimed: false, last: state.last_mutation_id };
}

async function stored(trx: Transaction<ServerTables>, clientId: string, id: number, name: string): Promise<MutationResult> {
  const row = await trx.selectFrom('mutation_result').selectAll().where('client_id', '=', clientId).where('mutation_id', '=', id).executeTakeFirst();
  if (row) return toWireResult(row);
  // Only possible if results were deleted by hand: the mutation was processed, its outcome is unknown.
  return {
    id,
    name,
    status: 'rejected',
    seq: 0,
    code: 'NOT_FOUND',
    message: `Mutation ${id} was processed earlier but its result is no longer stored.`,
    problems: [],
    details: {},
  };
}

export async function processPush(deps: PushDeps, user: PushUser, clientId: string, mutations: readonly PushMutation[]): Promise<PushResponse> {
  const now = () => (deps.now ? deps.now() : new Date()).toISOString();
  let last = await ensureClient(deps.db, clientId, user.id, now());
  const results: MutationResult[] = [];
  for (const m of mutations) {
    const outcome = await processOne(deps, user, clientId, m, now);
    if (outcome.kind === 'gap') {
      return {
        clientId,
        lastMutationId: outcome.expectedId - 1,
        results,
        gap: {
          code: 'MUTATION_GAP',
          id: m.id,
          expectedId: outcome.expectedId,
          message: `Mutation ${m.id} cannot be processed before mutation ${outcome.expectedId}; push the missing mutations first.`,
        },
      };
    }
    results.push(outcome.result);
    deps.onResult?.(outcome.result, outcome.fromStore);
    last = Math.max(last, m.id);
  }
  return { clientId, lastMutationId: last, results, gap: null };
}

async function withRetry<T>(deps: PushDeps, fn: () => Promise<T>): Promise<T> {
  const attempts = deps.maxAttempts ?? 3;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i < attempts && isRetryableDbError(e)) continue;
      throw e;
    }
  }
}

async function processOne(deps: PushDeps, user: PushUser, clientId: string, m: PushMutation, now: () => string): Promise<Outcome> {
  let refusal: MeridianError;
  try {
    return await withRetry(deps, () =>
      deps.db.transaction().execute(async (trx): Promise<Outcome> => {
        const c = await claim(trx, clientId, m.id, now());
        if (!c.claimed) {
          if (m.id <= c.last) return { kind: 'done', result: await stored(trx, clientId, m.id, m.name), fromStore: true };
          return { kind: 'gap', expectedId: c.last + 1 };
        }
        if (containsNul(m.args)) throw new MeridianError('INVALID_INPUT', 'Text in a mutation must not contain NUL characters.', {});
        const counter = await nextSeq(trx);
        // Read the clock under the writer lock, so times follow the change (and audit) order.
        const at = now();
        const rules = await deps.rules.get(trx, counter.rules_revision);
        const ctx = serverMutationContext(trx, {
          actor: { userId: user.id, role: user.role },
          now: at,
          rules,
          seq: counter.seq,
          minSeq: counter.min_seq,
          clientId,
        });
        await runMutation(ctx, m.name, m.args);
        const result: MutationResult = { id: m.id, name: m.name, status: 'applied', seq: counter.seq, versions: versionsOf(ctx.changes, counter.seq) };
        const writes = [
          await changeLogPart(trx, counter.seq, ctx.changes, clientId, m.id),
          mutationResultInsert({
            clientId,
            mutationId: m.id,
            seq: counter.seq,
            name: m.name,
            status: 'applied',
            code: null,
            message: null,
            details: null,
            result: JSON.stringify({ versions: result.versions }),
            createdAt: at,
          }),
        ];
        if (isFinancial(m.name)) {
          const p = primary(ctx.changes);
          const audit = auditStatements(counter, counter.seq, {
            at,
            userId: user.id,
            clientId,
            mutationId: m.id,
            mutation: m.name,
            status: 'applied',
            code: null,
            message: null,
            entity: p?.entity ?? null,
            entityId: p?.id ?? null,
            before: p?.before ?? null,
            after: p?.after ?? null,
            details: { args: m.args, otherChanges: ctx.changes.slice(1) },
          });
          writes.push(audit.tail, audit.insert);
        }
        // Change log, result and audit entry in one round trip (the writer lock is held until commit).
        await runTogether(trx, writes);
        return { kind: 'done', result, fromStore: false };
      }),
    );
  } catch (e) {
    const r = isMeridianError(e) ? e : asRejection(e);
    if (!r) throw e;
    refusal = r;
  }
  return withRetry(deps, () => recordRejection(deps, user, clientId, m, refusal, now));
}

async function recordRejection(deps: PushDeps, user: PushUser, clientId: string, m: PushMutation, e: MeridianError, now: () => string): Promise<Outcome> {
  return deps.db.transaction().execute(async (trx): Promise<Outcome> => {
    const c = await claim(trx, clientId, m.id, now());
    if (!c.claimed) {
      // A concurrent delivery decided it between our two transactions.
      if (m.id <= c.last) return { kind: 'done', result: await stored(trx, clientId, m.id, m.name), fromStore: true };
      return { kind: 'gap', expectedId: c.last + 1 };
    }
    const counter = await nextSeq(trx);
    const at = now();
    const result: RejectedResult = {
      id: m.id,
      name: m.name,
      status: 'rejected',
      seq: counter.seq,
      code: e.code,
      message: e.message,
      problems: e.problems,
      details: e.details,
    };
    const writes = [
      mutationResultInsert({
        clientId,
        mutationId: m.id,
        seq: counter.seq,
        name: m.name,
        status: 'rejected',
        code: e.code,
        message: e.message,
        details: JSON.stringify({ problems: e.problems, details: e.details }),
        result: null,
        createdAt: at,
      }),
    ];
    if (isFinancial(m.name)) {
      const target = mutationTarget(m.name, m.args);
      let before: unknown = null;
      if (target?.id) {
        const anyTrx = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
        before = (await anyTrx.selectFrom(target.entity).selectAll().where('id', '=', target.id).executeTakeFirst()) ?? null;
      }
      const audit = auditStatements(counter, counter.seq, {
        at,
        userId: user.id,
        clientId,
        mutationId: m.id,
        mutation: m.name,
        status: 'rejected',
        code: e.code,
        message: e.message,
        entity: target?.entity ?? null,
        entityId: target?.id ?? null,
        before,
        after: null,
        details: { args: m.args, problems: e.problems, details: e.details },
      });
      writes.push(audit.tail, audit.insert);
    }
    await runTogether(trx, writes);
    return { kind: 'done', result, fromStore: false };
  });
}
