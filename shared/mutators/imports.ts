/**
 * Bulk import mutations (docs/imports-exports.md "Imports in a synced
 * profile"): what `meridian import KIND FILE` queues in a profile bound to a
 * server, one mutation per chunk of at most MAX_IMPORT_ROWS_PER_MUTATION
 * rows, so the rows reach the server and are replayed there under its rules.
 *
 * Same semantics as the local CSV import (electron/core/imports/import-csv):
 * - the keys are the file's: ids for funds, deals, investors, allocations
 *   and cash flows; (fund, investor) for commitments, (fund, date) for NAV
 *   marks, (index, date) for index levels. A row whose key is stored is
 *   updated (a soft-deleted one revived), otherwise inserted with the id in
 *   the arguments (made by the importing client, so a replay creates the
 *   same record);
 * - a row identical to the stored live one writes nothing;
 * - allocations in a checked status (proposed, approved, committed, funded)
 *   are checked by the rules engine as if they counted, against the totals
 *   with every earlier row of the mutation counted and the stored row of the
 *   same id taken out; funds keep the fund-size and currency checks.
 * The whole mutation is one transaction: any refused row refuses it, with the
 * rule's code and the row's id and index in the details.
 *
 * One addition over the local import: an allocation that becomes counted (or
 * changes amount while counted) above the approval threshold needs a role
 * allowed to approve it (checkApprover), as a single-row approval would; an
 * import must not be a way around the approval rule.
 *
 * Written once against the mutator context and writer: runs on the client's
 * SQLite and the server's PostgreSQL unchanged.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { allocationStatusSchema, COUNTED_STATUSES, dealRow, fundRow, indexLevelRow, investorRow, securityTypeSchema, type EntityName } from '../domain/entities';
import { businessDateSchema, centsSchema, currencySchema, idSchema, nonNegativeCentsSchema, positiveCentsSchema } from '../domain/primitives';
import type { SyncedTables } from '../domain/tables';
import { MeridianError, RuleViolationError, type Problem } from '../errors';
import { CASHFLOW_TYPES } from '../imports/formats';
import { checkAllocation, checkApprover, checkFundSize, needsApproval } from '../rules/engine';
import { toSafeInteger } from '../validation';
import type { MutationContext } from './context';
import { indexLevelId } from './valuations';
import { insertRow, updateRow } from './writer';

/** Most rows in one import mutation (a larger file becomes several, in file order). */
export const MAX_IMPORT_ROWS_PER_MUTATION = 500;

function rowsOf<T extends z.ZodType>(row: T) {
  return z.strictObject({ rows: z.array(row).min(1).max(MAX_IMPORT_ROWS_PER_MUTATION) });
}

export const importFundsArgs = rowsOf(
  z.strictObject({ id: idSchema, name: fundRow.shape.name, currency: currencySchema, vintage: fundRow.shape.vintage, size: nonNegativeCentsSchema }),
);
export const importDealsArgs = rowsOf(
  z.strictObject({ id: idSchema, name: dealRow.shape.name, sector: dealRow.shape.sector, country: dealRow.shape.country, stage: dealRow.shape.stage }),
);
export const importInvestorsArgs = rowsOf(z.strictObject({ id: idSchema, name: investorRow.shape.name }));
/** `id` names a new commitment; an existing one of the same fund and investor keeps its id. */
export const importCommitmentsArgs = rowsOf(z.strictObject({ id: idSchema, investorId: idSchema, fundId: idSchema, amount: nonNegativeCentsSchema }));
export const importAllocationsArgs = rowsOf(
  z.strictObject({
    id: idSchema,
    fundId: idSchema,
    dealId: idSchema,
    securityType: securityTypeSchema,
    amount: positiveCentsSchema,
    status: allocationStatusSchema,
    date: businessDateSchema,
  }),
);
export const importCashflowsArgs = rowsOf(
  z.strictObject({ id: idSchema, type: z.enum(CASHFLOW_TYPES), fundId: idSchema, date: businessDateSchema, amount: positiveCentsSchema }),
);
/** `id` names a new mark; an existing mark of the same fund and date keeps its id. */
export const importNavMarksArgs = rowsOf(z.strictObject({ id: idSchema, fundId: idSchema, date: businessDateSchema, nav: centsSchema }));
/** Index levels keep the id `${indexName}:${date}` (shared/mutators indexLevelId). */
export const importIndexLevelsArgs = rowsOf(
  z.strictObject({ indexName: indexLevelRow.shape.index_name, date: businessDateSchema, level: z.number().positive().finite() }),
);

/** What an import mutation did: rows in the arguments, rows written (the others were identical). */
export interface ImportMutationResult {
  rows: number;
  written: number;
}

type Row<E extends EntityName> = SyncedTables[E];
/** Kysely's generic table typing cannot follow a union table name (as in ./writer). */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** Refuses a mutation whose rows repeat a key (the CSV import reports the same as DUPLICATE per line). */
function refuseRepeats<R>(rows: readonly R[], key: (r: R) => string, label: (r: R) => string): void {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = key(r);
    const first = seen.get(k);
    if (first !== undefined) {
      throw new MeridianError('DUPLICATE', `rows ${first} and ${i} are both ${label(r)}`, { path: `rows.${i}`, firstIndex: first, index: i });
    }
    seen.set(k, i);
  });
}

/** Rows by id, soft-deleted ones included (an import revives them). */
async function byId<E extends EntityName>(ctx: MutationContext, entity: E, ids: readonly string[]): Promise<Map<string, Row<E>>> {
  const out = new Map<string, Row<E>>();
  const db = ctx.db as unknown as AnyDb;
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const part = unique.slice(i, i + 500);
    const rows = (await db.selectFrom(entity as string).selectAll().where('id', 'in', part).execute()) as Row<E>[];
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** Live rows by id; a missing (or deleted) one refuses the mutation with NOT_FOUND naming the row. */
async function liveRefs<E extends 'fund' | 'deal' | 'investor'>(
  ctx: MutationContext,
  entity: E,
  rows: readonly { id: string; ref: string }[],
  path: string,
): Promise<Map<string, Row<E>>> {
  const found = await byId(ctx, entity, rows.map((r) => r.ref));
  for (const [id, row] of found) if (row.deleted_at !== null) found.delete(id);
  rows.forEach((r, i) => {
    if (!found.has(r.ref)) {
      throw new MeridianError('NOT_FOUND', `row ${i} (${r.id}): ${entity} ${r.ref} does not exist`, { entity, id: r.ref, rowId: r.id, index: i, path: `rows.${i}.${path}` });
    }
  });
  return found;
}

/**
 * Inserts `fields` or updates `stored` with the fields that differ (reviving
 * a soft-deleted row); nothing when the live row already holds them.
 * Returns whether a row was written.
 */
async function upsert<E extends EntityName>(ctx: MutationContext, entity: E, stored: Row<E> | undefined, fields: Record<string, unknown>): Promise<boolean> {
  if (!stored) {
    await insertRow(ctx, entity, fields as never);
    return true;
  }
  const current = stored as unknown as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (k !== 'id' && current[k] !== v) patch[k] = v;
  if (current.deleted_at !== null) patch.deleted_at = null;
  if (Object.keys(patch).length === 0) return false;
  await ctx.lockRow(entity, stored.id);
  await updateRow(ctx, entity, stored, patch as never);
  return true;
}

function problemOf(p: Problem, i: number, id: string): Problem {
  return { ...p, path: `rows.${i}.${p.path ?? 'amount'}`, details: { ...p.details, id, index: i } };
}

async function countedByFund(ctx: MutationContext, fundIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>(fundIds.map((f) => [f, new Map()]));
  if (!fundIds.length) return out;
  const rows = await ctx.db
    .selectFrom('allocation')
    .select(['fund_id', 'deal_id', sql<string | number | null>`sum(amount)`.as('total')])
    .where('fund_id', 'in', [...fundIds])
    .where('status', 'in', [...COUNTED_STATUSES])
    .where('deleted_at', 'is', null)
    .groupBy(['fund_id', 'deal_id'])
    .execute();
  for (const r of rows) out.get(r.fund_id)!.set(r.deal_id, toSafeInteger(r.total ?? 0, 'deal total'));
  return out;
}

async function fundCounted(ctx: MutationContext, fundId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('allocation')
    .select(sql<string | number | null>`sum(amount)`.as('v'))
    .where('fund_id', '=', fundId)
    .where('status', 'in', [...COUNTED_STATUSES])
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return toSafeInteger(r?.v ?? 0, 'fund total');
}

async function fundInUse(ctx: MutationContext, fundId: string): Promise<boolean> {
  for (const table of ['allocation', 'commitment', 'capital_call'] as const) {
    const r = await ctx.db.selectFrom(table).select('id').where('fund_id', '=', fundId).where('deleted_at', 'is', null).limit(1).executeTakeFirst();
    if (r) return true;
  }
  return false;
}

/* ---------------------------------------------------------------- kinds */

export async function importFunds(ctx: MutationContext, args: z.infer<typeof importFundsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => r.id, (r) => `fund ${r.id}`);
  const stored = await byId(ctx, 'fund', args.rows.map((r) => r.id));
  let written = 0;
  for (const [i, r] of args.rows.entries()) {
    const was = stored.get(r.id);
    if (was && was.deleted_at === null) {
      await ctx.lockRow('fund', r.id);
      if (was.currency !== r.currency && (await fundInUse(ctx, r.id))) {
        throw new MeridianError(
          'CURRENCY_MISMATCH',
          `row ${i}: fund "${r.name}" already has allocations, commitments or calls in ${was.currency}; it cannot change to ${r.currency}`,
          { id: r.id, index: i, path: `rows.${i}.currency`, current: was.currency, proposed: r.currency },
        );
      }
      if (was.size !== r.size) {
        const total = await fundCounted(ctx, r.id);
        const problems = total > 0 ? checkFundSize(ctx.rules, { name: r.name, currency: r.currency }, r.size, total) : [];
        if (problems.length) throw new RuleViolationError(problems.map((p) => problemOf(p, i, r.id)));
      }
    }
    if (await upsert(ctx, 'fund', was, { id: r.id, name: r.name, currency: r.currency, vintage: r.vintage, size: r.size })) written++;
  }
  return { rows: args.rows.length, written };
}

export async function importDeals(ctx: MutationContext, args: z.infer<typeof importDealsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => r.id, (r) => `deal ${r.id}`);
  const stored = await byId(ctx, 'deal', args.rows.map((r) => r.id));
  let written = 0;
  for (const r of args.rows) if (await upsert(ctx, 'deal', stored.get(r.id), { ...r })) written++;
  return { rows: args.rows.length, written };
}

export async function importInvestors(ctx: MutationContext, args: z.infer<typeof importInvestorsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => r.id, (r) => `investor ${r.id}`);
  const stored = await byId(ctx, 'investor', args.rows.map((r) => r.id));
  let written = 0;
  for (const r of args.rows) if (await upsert(ctx, 'investor', stored.get(r.id), { ...r })) written++;
  return { rows: args.rows.length, written };
}

export async function importCommitments(ctx: MutationContext, args: z.infer<typeof importCommitmentsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => `${r.fundId}\u0000${r.investorId}`, (r) => `the commitment of investor ${r.investorId} to fund ${r.fundId}`);
  await liveRefs(ctx, 'fund', args.rows.map((r) => ({ id: r.id, ref: r.fundId })), 'fundId');
  await liveRefs(ctx, 'investor', args.rows.map((r) => ({ id: r.id, ref: r.investorId })), 'investorId');
  let written = 0;
  for (const r of args.rows) {
    // The unique key covers soft-deleted rows too: a deleted commitment is revived, keeping its id.
    const was = await ctx.db.selectFrom('commitment').selectAll().where('fund_id', '=', r.fundId).where('investor_id', '=', r.investorId).executeTakeFirst();
    const fields = was ? { amount: r.amount } : { id: r.id, investor_id: r.investorId, fund_id: r.fundId, amount: r.amount };
    if (await upsert(ctx, 'commitment', was, fields)) written++;
  }
  return { rows: args.rows.length, written };
}

const COUNTED = new Set<string>(COUNTED_STATUSES);
/** Checked by the rules as if they counted (as a create would be); exited, rejected and cancelled rows are history. */
const CHECKED = new Set<string>(['proposed', ...COUNTED_STATUSES]);

export async function importAllocations(ctx: MutationContext, args: z.infer<typeof importAllocationsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => r.id, (r) => `allocation ${r.id}`);
  // Writers of one fund's allocations take turns (as createAllocation's lock), in a fixed order.
  const fundIds = [...new Set(args.rows.map((r) => r.fundId))].sort();
  for (const f of fundIds) await ctx.lockRow('fund', f);
  const funds = await liveRefs(ctx, 'fund', args.rows.map((r) => ({ id: r.id, ref: r.fundId })), 'fundId');
  const deals = await liveRefs(ctx, 'deal', args.rows.map((r) => ({ id: r.id, ref: r.dealId })), 'dealId');
  const stored = await byId(ctx, 'allocation', args.rows.map((r) => r.id));
  const pairs = await countedByFund(ctx, fundIds);
  const totals = new Map([...pairs].map(([f, m]) => [f, [...m.values()].reduce((a, b) => a + b, 0)]));
  const adjust = (fundId: string, dealId: string, delta: number) => {
    const m = pairs.get(fundId);
    if (!m) return; // a fund outside this mutation: a decrease there checks nothing here
    m.set(dealId, (m.get(dealId) ?? 0) + delta);
    totals.set(fundId, totals.get(fundId)! + delta);
  };

  let written = 0;
  for (const [i, r] of args.rows.entries()) {
    const was = stored.get(r.id);
    const fields = { id: r.id, fund_id: r.fundId, deal_id: r.dealId, security_type: r.securityType, amount: r.amount, status: r.status, date: r.date };
    const live = was !== undefined && was.deleted_at === null;
    if (live && Object.entries(fields).every(([k, v]) => (was as unknown as Record<string, unknown>)[k] === v)) continue;
    const wasCounted = live && COUNTED.has(was.status);
    if (wasCounted) adjust(was.fund_id, was.deal_id, -was.amount);
    const fund = funds.get(r.fundId)!;
    if (CHECKED.has(r.status)) {
      const problems = checkAllocation(ctx.rules, {
        fund,
        dealName: deals.get(r.dealId)!.name,
        fundCounted: totals.get(r.fundId)!,
        pairCounted: pairs.get(r.fundId)!.get(r.dealId) ?? 0,
        amount: r.amount,
      });
      if (problems.length) throw new RuleViolationError(problems.map((p) => problemOf(p, i, r.id)));
    }
    if (COUNTED.has(r.status) && needsApproval(ctx.rules, r.amount) && !(wasCounted && was.amount === r.amount)) {
      const problems = checkApprover(ctx.rules, ctx.actor.role, r.amount, fund.currency);
      if (problems.length) throw new RuleViolationError(problems.map((p) => problemOf({ ...p, path: 'status' }, i, r.id)));
    }
    if (COUNTED.has(r.status)) adjust(r.fundId, r.dealId, r.amount);
    await upsert(ctx, 'allocation', was, was ? fields : { ...fields, approved_by: null, approved_at: null });
    written++;
  }
  return { rows: args.rows.length, written };
}

export async function importCashflows(ctx: MutationContext, args: z.infer<typeof importCashflowsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => r.id, (r) => `cash flow ${r.id}`);
  await liveRefs(ctx, 'fund', args.rows.map((r) => ({ id: r.id, ref: r.fundId })), 'fundId');
  const ids = (type: string) => args.rows.filter((r) => r.type === type).map((r) => r.id);
  const contributions = await byId(ctx, 'contribution', ids('contribution'));
  const distributions = await byId(ctx, 'distribution', ids('distribution'));
  let written = 0;
  for (const r of args.rows) {
    const fields = { id: r.id, fund_id: r.fundId, date: r.date, amount: r.amount };
    const done =
      r.type === 'contribution'
        ? await upsert(ctx, 'contribution', contributions.get(r.id), fields)
        : await upsert(ctx, 'distribution', distributions.get(r.id), distributions.has(r.id) ? fields : { ...fields, recallable: 0 });
    if (done) written++;
  }
  return { rows: args.rows.length, written };
}

export async function importNavMarks(ctx: MutationContext, args: z.infer<typeof importNavMarksArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => `${r.fundId}\u0000${r.date}`, (r) => `the NAV of fund ${r.fundId} on ${r.date}`);
  await liveRefs(ctx, 'fund', args.rows.map((r) => ({ id: r.id, ref: r.fundId })), 'fundId');
  let written = 0;
  for (const r of args.rows) {
    const was = await ctx.db.selectFrom('nav_mark').selectAll().where('fund_id', '=', r.fundId).where('date', '=', r.date).executeTakeFirst();
    if (await upsert(ctx, 'nav_mark', was, was ? { nav: r.nav } : { id: r.id, fund_id: r.fundId, date: r.date, nav: r.nav })) written++;
  }
  return { rows: args.rows.length, written };
}

export async function importIndexLevels(ctx: MutationContext, args: z.infer<typeof importIndexLevelsArgs>): Promise<ImportMutationResult> {
  refuseRepeats(args.rows, (r) => `${r.indexName}\u0000${r.date}`, (r) => `the level of index ${r.indexName} on ${r.date}`);
  let written = 0;
  for (const r of args.rows) {
    const was = await ctx.db.selectFrom('index_level').selectAll().where('index_name', '=', r.indexName).where('date', '=', r.date).executeTakeFirst();
    const fields = was ? { level: r.level } : { id: indexLevelId(r.indexName, r.date), index_name: r.indexName, date: r.date, level: r.level };
    if (await upsert(ctx, 'index_level', was, fields)) written++;
  }
  return { rows: args.rows.length, written };
}
