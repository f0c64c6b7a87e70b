/** Allocation mutators: create, edit, and the status lifecycle (DESIGN §2–§3). */
import type { z } from 'zod';
import type { AllocationRow, AllocationStatus } from '../domain/entities';
import { canTransition, EDITABLE_STATUSES, isCounted } from '../domain/allocation-lifecycle';
import { hasRole } from '../domain/roles';
import { MeridianError, RuleViolationError } from '../errors';
import { checkAllocation, checkApprover, needsApproval } from '../rules/engine';
import type {
  allocationActionArgs,
  changeAllocationStatusArgs,
  createAllocationArgs,
  updateAllocationArgs,
} from './args';
import type { MutationContext } from './context';
import { countedTotals } from './queries';
import { getRow, insertRow, updateRow } from './writer';

/** Checks the rules for `amount` as if the allocation counted; throws every violation. */
async function enforceLimits(ctx: MutationContext, a: Pick<AllocationRow, 'id' | 'fund_id' | 'deal_id'>, amount: number) {
  await ctx.lockRow('fund', a.fund_id);
  const fund = await getRow(ctx, 'fund', a.fund_id);
  const deal = await getRow(ctx, 'deal', a.deal_id);
  const totals = await countedTotals(ctx, a.fund_id, a.deal_id, a.id);
  const problems = checkAllocation(ctx.rules, { fund, dealName: deal.name, ...totals, amount });
  if (problems.length) throw new RuleViolationError(problems);
  return fund;
}

export async function createAllocation(ctx: MutationContext, args: z.infer<typeof createAllocationArgs>) {
  const a = { id: args.id, fund_id: args.fundId, deal_id: args.dealId };
  await enforceLimits(ctx, a, args.amount);
  // Allocations at or under the approval threshold count at once; larger ones wait for an approver.
  const status: AllocationStatus = needsApproval(ctx.rules, args.amount) ? 'proposed' : 'approved';
  return insertRow(ctx, 'allocation', {
    ...a,
    security_type: args.securityType,
    amount: args.amount,
    status,
    date: args.date,
    approved_by: status === 'approved' ? ctx.actor.userId : null,
    approved_at: status === 'approved' ? ctx.now : null,
  });
}

async function current(ctx: MutationContext, id: string, expectedVersion: number) {
  const row = await getRow(ctx, 'allocation', id);
  await ctx.checkVersion('allocation', row, expectedVersion);
  return row;
}

export async function updateAllocation(ctx: MutationContext, args: z.infer<typeof updateAllocationArgs>) {
  const row = await current(ctx, args.id, args.expectedVersion);
  if (!EDITABLE_STATUSES.includes(row.status)) {
    throw new MeridianError('ALLOCATION_NOT_EDITABLE', `Allocation ${row.id} is ${row.status} and can no longer be edited.`, {
      status: row.status,
    });
  }
  const amount = args.amount ?? row.amount;
  if (args.amount !== undefined && args.amount !== row.amount) await enforceLimits(ctx, row, amount);
  const patch: Partial<AllocationRow> = {
    amount,
    security_type: args.securityType ?? row.security_type,
    date: args.date ?? row.date,
  };
  // Raising an approved allocation above the threshold sends it back for approval unless a PM makes the edit.
  if (row.status === 'approved' && amount !== row.amount && needsApproval(ctx.rules, amount) && !hasRole(ctx.actor.role, 'portfolio_manager')) {
    patch.status = 'proposed';
    patch.approved_by = null;
    patch.approved_at = null;
  }
  return updateRow(ctx, 'allocation', row, patch);
}

async function transition(ctx: MutationContext, row: AllocationRow, to: AllocationStatus, extra: Partial<AllocationRow> = {}) {
  if (!canTransition(row.status, to)) {
    throw new MeridianError('INVALID_STATUS_TRANSITION', `Allocation ${row.id} is ${row.status}; it cannot become ${to}.`, {
      from: row.status,
      to,
    });
  }
  // Becoming counted re-checks the limits against the totals at this moment (the server's check decides).
  if (!isCounted(row.status) && isCounted(to)) await enforceLimits(ctx, row, row.amount);
  return updateRow(ctx, 'allocation', row, { status: to, ...extra });
}

async function requireApprover(ctx: MutationContext, row: AllocationRow) {
  const fund = await getRow(ctx, 'fund', row.fund_id);
  const problems = checkApprover(ctx.rules, ctx.actor.role, row.amount, fund.currency);
  if (problems.length) throw new RuleViolationError(problems);
}

export async function approveAllocation(ctx: MutationContext, args: z.infer<typeof allocationActionArgs>) {
  const row = await current(ctx, args.id, args.expectedVersion);
  await requireApprover(ctx, row);
  return transition(ctx, row, 'approved', { approved_by: ctx.actor.userId, approved_at: ctx.now });
}

export async function rejectAllocation(ctx: MutationContext, args: z.infer<typeof allocationActionArgs>) {
  const row = await current(ctx, args.id, args.expectedVersion);
  await requireApprover(ctx, row);
  return transition(ctx, row, 'rejected');
}

export async function cancelAllocation(ctx: MutationContext, args: z.infer<typeof allocationActionArgs>) {
  const row = await current(ctx, args.id, args.expectedVersion);
  return transition(ctx, row, 'cancelled');
}

export async function changeAllocationStatus(ctx: MutationContext, args: z.infer<typeof changeAllocationStatusArgs>) {
  const row = await current(ctx, args.id, args.expectedVersion);
  if (args.to === 'approved' || args.to === 'rejected') await requireApprover(ctx, row);
  const extra = args.to === 'approved' ? { approved_by: ctx.actor.userId, approved_at: ctx.now } : {};
  return transition(ctx, row, args.to, extra);
}

/** Soft-deletes an allocation that never counted (proposed, rejected or cancelled). */
export async function deleteAllocation(ctx: MutationContext, args: z.infer<typeof allocationActionArgs>) {
  const row = await current(ctx, args.id, args.expectedVersion);
  if (isCounted(row.status) || row.status === 'exited') {
    throw new MeridianError('ALLOCATION_NOT_EDITABLE', `Allocation ${row.id} is ${row.status}; cancel it instead of deleting it.`, {
      status: row.status,
    });
  }
  return updateRow(ctx, 'allocation', row, {}, 'delete');
}
