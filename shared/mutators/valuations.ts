/** Cash flows and marks: distributions, imported contributions, NAV marks, index levels. */
import type { z } from 'zod';
import type { MutationContext } from './context';
import type { recordContributionArgs, recordDistributionArgs, recordNavMarkArgs, setIndexLevelArgs } from './args';
import { MeridianError } from '../errors';
import { findRow, getRow, insertRow, updateRow } from './writer';

export async function recordDistribution(ctx: MutationContext, args: z.infer<typeof recordDistributionArgs>) {
  await getRow(ctx, 'fund', args.fundId);
  if (args.recallable > args.amount) {
    throw new MeridianError('INVALID_AMOUNT', 'The recallable part of a distribution cannot exceed the distribution.', { path: 'recallable' });
  }
  return insertRow(ctx, 'distribution', { id: args.id, fund_id: args.fundId, date: args.date, amount: args.amount, recallable: args.recallable });
}

export async function recordContribution(ctx: MutationContext, args: z.infer<typeof recordContributionArgs>) {
  await getRow(ctx, 'fund', args.fundId);
  return insertRow(ctx, 'contribution', { id: args.id, fund_id: args.fundId, date: args.date, amount: args.amount });
}

/** One NAV mark per fund and date: a second mark for the same date replaces the first. */
export async function recordNavMark(ctx: MutationContext, args: z.infer<typeof recordNavMarkArgs>) {
  await getRow(ctx, 'fund', args.fundId);
  const same = await ctx.db
    .selectFrom('nav_mark')
    .selectAll()
    .where('fund_id', '=', args.fundId)
    .where('date', '=', args.date)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (same) return updateRow(ctx, 'nav_mark', same, { nav: args.nav });
  return insertRow(ctx, 'nav_mark', { id: args.id, fund_id: args.fundId, date: args.date, nav: args.nav });
}

export function indexLevelId(indexName: string, date: string): string {
  return `${indexName}:${date}`;
}

export async function setIndexLevel(ctx: MutationContext, args: z.infer<typeof setIndexLevelArgs>) {
  const id = indexLevelId(args.indexName, args.date);
  const existing = await findRow(ctx, 'index_level', id);
  if (existing) return updateRow(ctx, 'index_level', existing, { level: args.level });
  return insertRow(ctx, 'index_level', { id, index_name: args.indexName, date: args.date, level: args.level });
}
