/** Aggregate reads the mutators need, written once for both databases. */
import { sql } from 'kysely';
import { COUNTED_STATUSES } from '../domain/entities';
import type { MutationContext } from './context';
import { toSafeInteger } from '../validation';
import { parseRulesBody, DEFAULT_RULES, type BusinessRules } from '../rules/business-rules';
import type { Kysely } from 'kysely';
import type { SyncedTables } from '../domain/tables';

export interface CountedTotals {
  fundCounted: number;
  pairCounted: number;
}

/** Counted allocations of a fund, and of the fund in one deal, excluding one allocation. */
export async function countedTotals(ctx: MutationContext, fundId: string, dealId: string, excludeId: string): Promise<CountedTotals> {
  const r = await ctx.db
    .selectFrom('allocation')
    .select([
      sql<string | number | null>`sum(amount)`.as('fund_total'),
      sql<string | number | null>`sum(case when deal_id = ${dealId} then amount else 0 end)`.as('pair_total'),
    ])
    .where('fund_id', '=', fundId)
    .where('id', '!=', excludeId)
    .where('status', 'in', [...COUNTED_STATUSES])
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return {
    fundCounted: toSafeInteger(r?.fund_total ?? 0, 'fund total'),
    pairCounted: toSafeInteger(r?.pair_total ?? 0, 'deal total'),
  };
}

/** Commitments, capital called and recallable distributions of a fund. */
export async function fundCapital(ctx: MutationContext, fundId: string) {
  const one = async (q: Promise<{ v: string | number | null } | undefined>) => toSafeInteger((await q)?.v ?? 0);
  const committed = await one(
    ctx.db.selectFrom('commitment').select(sql<string | number | null>`sum(amount)`.as('v')).where('fund_id', '=', fundId).where('deleted_at', 'is', null).executeTakeFirst(),
  );
  const calledInApp = await one(
    ctx.db
      .selectFrom('capital_call')
      .select(sql<string | number | null>`sum(amount)`.as('v'))
      .where('fund_id', '=', fundId)
      .where('status', '!=', 'cancelled')
      .where('deleted_at', 'is', null)
      .executeTakeFirst(),
  );
  const imported = await one(
    ctx.db.selectFrom('contribution').select(sql<string | number | null>`sum(amount)`.as('v')).where('fund_id', '=', fundId).where('deleted_at', 'is', null).executeTakeFirst(),
  );
  const recallable = await one(
    ctx.db.selectFrom('distribution').select(sql<string | number | null>`sum(recallable)`.as('v')).where('fund_id', '=', fundId).where('deleted_at', 'is', null).executeTakeFirst(),
  );
  const called = calledInApp + imported;
  return { committed, called, recallable, unfunded: committed - called + recallable };
}

/** The rules in force: the highest revision stored, or the defaults. */
export async function loadRules(db: Kysely<SyncedTables>): Promise<BusinessRules> {
  const row = await db
    .selectFrom('business_rules')
    .select(['body'])
    .where('deleted_at', 'is', null)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? parseRulesBody(row.body) : { ...DEFAULT_RULES };
}
