/**
 * The only way mutators write: stamps the sync columns and records each
 * change (before and after) in the context for the host (change log and
 * audit on the server, undo log on the client).
 */
import type { Kysely } from 'kysely';
import type { EntityName } from '../domain/entities';
import type { SyncedTables } from '../domain/tables';
import { MeridianError } from '../errors';
import type { MutationContext } from './context';

type Row<E extends EntityName> = SyncedTables[E];
/** Kysely's generic table typing cannot follow a union table name; row types are restored by the signatures. */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;
type Fields<E extends EntityName> = Omit<Row<E>, 'version' | 'updated_at' | 'updated_by' | 'deleted_at'>;

/** Reads a live (not soft-deleted) row by id, or throws NOT_FOUND. */
export async function getRow<E extends EntityName>(ctx: MutationContext, entity: E, id: string): Promise<Row<E>> {
  const row = await findRow(ctx, entity, id);
  if (!row) throw new MeridianError('NOT_FOUND', `${entity.replace(/_/g, ' ')} ${id} does not exist`, { entity, id });
  return row;
}

/** Reads a live row by id, or undefined. */
export async function findRow<E extends EntityName>(ctx: MutationContext, entity: E, id: string): Promise<Row<E> | undefined> {
  const db = ctx.db as unknown as AnyDb;
  const row = await db.selectFrom(entity as string).selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  return row as Row<E> | undefined;
}

export async function insertRow<E extends EntityName>(ctx: MutationContext, entity: E, fields: Fields<E>): Promise<Row<E>> {
  const row = {
    ...fields,
    version: ctx.version ?? 0,
    updated_at: ctx.now,
    updated_by: ctx.actor.userId,
    deleted_at: null,
  } as unknown as Row<E>;
  const db = ctx.db as unknown as AnyDb;
  const existing = await db.selectFrom(entity as string).select('id').where('id', '=', fields.id).executeTakeFirst();
  if (existing) throw new MeridianError('DUPLICATE', `${entity.replace(/_/g, ' ')} ${fields.id} already exists`, { entity, id: fields.id });
  await db.insertInto(entity as string).values(row as Record<string, unknown>).execute();
  ctx.changes.push({ entity, id: fields.id, op: 'insert', before: null, after: row as Record<string, unknown> });
  return row;
}

export async function updateRow<E extends EntityName>(
  ctx: MutationContext,
  entity: E,
  before: Row<E>,
  patch: Partial<Fields<E>>,
  op: 'update' | 'delete' = 'update',
): Promise<Row<E>> {
  const stamp = {
    version: ctx.version ?? before.version,
    updated_at: ctx.now,
    updated_by: ctx.actor.userId,
    ...(op === 'delete' ? { deleted_at: ctx.now } : {}),
  };
  const set = { ...patch, ...stamp } as Record<string, unknown>;
  const db = ctx.db as unknown as AnyDb;
  await db.updateTable(entity as string).set(set).where('id', '=', before.id).execute();
  const after = { ...before, ...set } as Row<E>;
  ctx.changes.push({ entity, id: before.id, op, before: before as Record<string, unknown>, after: after as Record<string, unknown> });
  return after;
}
