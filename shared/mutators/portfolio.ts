/** Funds, deals, investors and commitments. Descriptive fields are last-writer-wins. */
import type { z } from 'zod';
import { MeridianError, RuleViolationError } from '../errors';
import { checkFundSize } from '../rules/engine';
import type { createCommitmentArgs, createDealArgs, createFundArgs, createInvestorArgs, updateDealArgs, updateFundArgs } from './args';
import type { MutationContext } from './context';
import { getRow, insertRow, updateRow } from './writer';
import { sql } from 'kysely';
import { COUNTED_STATUSES } from '../domain/entities';
import { toSafeInteger } from '../validation';

export async function createFund(ctx: MutationContext, args: z.infer<typeof createFundArgs>) {
  return insertRow(ctx, 'fund', { id: args.id, name: args.name, currency: args.currency, vintage: args.vintage, size: args.size });
}

export async function updateFund(ctx: MutationContext, args: z.infer<typeof updateFundArgs>) {
  await ctx.lockRow('fund', args.id);
  const fund = await getRow(ctx, 'fund', args.id);
  if (args.size !== undefined && args.size !== fund.size) {
    const r = await ctx.db
      .selectFrom('allocation')
      .select(sql<string | number | null>`sum(amount)`.as('v'))
      .where('fund_id', '=', fund.id)
      .where('status', 'in', [...COUNTED_STATUSES])
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    const problems = checkFundSize(ctx.rules, fund, args.size, toSafeInteger(r?.v ?? 0));
    if (problems.length) throw new RuleViolationError(problems);
  }
  const { id: _id, ...patch } = args;
  return updateRow(ctx, 'fund', fund, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
}

export async function createDeal(ctx: MutationContext, args: z.infer<typeof createDealArgs>) {
  return insertRow(ctx, 'deal', { id: args.id, name: args.name, sector: args.sector, country: args.country, stage: args.stage });
}

export async function updateDeal(ctx: MutationContext, args: z.infer<typeof updateDealArgs>) {
  const deal = await getRow(ctx, 'deal', args.id);
  const { id: _id, ...patch } = args;
  return updateRow(ctx, 'deal', deal, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
}

export async function createInvestor(ctx: MutationContext, args: z.infer<typeof createInvestorArgs>) {
  return insertRow(ctx, 'investor', { id: args.id, name: args.name });
}

export async function createCommitment(ctx: MutationContext, args: z.infer<typeof createCommitmentArgs>) {
  await getRow(ctx, 'fund', args.fundId);
  await getRow(ctx, 'investor', args.investorId);
  const existing = await ctx.db
    .selectFrom('commitment')
    .select('id')
    .where('fund_id', '=', args.fundId)
    .where('investor_id', '=', args.investorId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (existing) {
    throw new MeridianError('DUPLICATE', `Investor ${args.investorId} already has a commitment to fund ${args.fundId} (${existing.id}).`, {
      existingId: existing.id,
    });
  }
  return insertRow(ctx, 'commitment', { id: args.id, investor_id: args.investorId, fund_id: args.fundId, amount: args.amount });
}
