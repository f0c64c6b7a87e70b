/** Capital call mutators: create (pro rata split), issue, pay, cancel (DESIGN §2, §4). */
import type { z } from 'zod';
import type { CallStatus, CapitalCallRow } from '../domain/entities';
import { hasRole, ROLE_LABEL } from '../domain/roles';
import { MeridianError } from '../errors';
import { splitProRata } from '../finance/prorata';
import { formatMoney } from '../money';
import { toSafeInteger } from '../validation';
import type { capitalCallActionArgs, createCapitalCallArgs, recordPaymentArgs } from './args';
import type { MutationContext } from './context';
import { fundCapital } from './queries';
import { getRow, insertRow, updateRow } from './writer';

/** Id of the line of `investorId` in call `callId`: derived, so every replay makes the same line. */
export function callLineId(callId: string, investorId: string): string {
  return `${callId}/${investorId}`;
}

function requireIssuer(ctx: MutationContext) {
  if (!hasRole(ctx.actor.role, 'portfolio_manager')) {
    throw new MeridianError('ROLE_FORBIDDEN', `Issuing a capital call needs a portfolio manager; you are signed in as ${ROLE_LABEL[ctx.actor.role]}.`, {
      requiredRole: 'portfolio_manager',
      role: ctx.actor.role,
    });
  }
}

export async function createCapitalCall(ctx: MutationContext, args: z.infer<typeof createCapitalCallArgs>) {
  if (args.dueDate < args.callDate) {
    throw new MeridianError('INVALID_DATE', `Due date ${args.dueDate} is before the call date ${args.callDate}.`, { path: 'dueDate' });
  }
  if (args.issue) requireIssuer(ctx);
  await ctx.lockRow('fund', args.fundId);
  const fund = await getRow(ctx, 'fund', args.fundId);
  const commitments = await ctx.db
    .selectFrom('commitment')
    .select(['investor_id', 'amount'])
    .where('fund_id', '=', fund.id)
    .where('deleted_at', 'is', null)
    .where('amount', '>', 0)
    .orderBy('investor_id')
    .execute();
  if (commitments.length === 0) {
    throw new MeridianError('NO_COMMITMENTS', `${fund.name} has no LP commitments to call capital from; record commitments first.`, { fundId: fund.id });
  }
  const capital = await fundCapital(ctx, fund.id);
  if (args.amount > capital.unfunded) {
    throw new MeridianError(
      'CALL_EXCEEDS_UNFUNDED',
      `A call of ${formatMoney(args.amount, fund.currency)} exceeds ${fund.name}'s unfunded commitments of ${formatMoney(capital.unfunded, fund.currency)}.`,
      { limit: capital.unfunded, proposed: args.amount },
    );
  }
  const basis = commitments.map((c) => ({ key: c.investor_id, weight: toSafeInteger(c.amount) }));
  const split = splitProRata(args.amount, basis);
  const call = await insertRow(ctx, 'capital_call', {
    id: args.id,
    fund_id: fund.id,
    call_date: args.callDate,
    due_date: args.dueDate,
    amount: args.amount,
    status: args.issue ? 'issued' : 'draft',
    basis: 'commitment',
    description: args.description,
  });
  const lines = [];
  for (let i = 0; i < split.length; i++) {
    const s = split[i]!;
    lines.push(
      await insertRow(ctx, 'capital_call_line', {
        id: callLineId(call.id, s.key),
        call_id: call.id,
        investor_id: s.key,
        basis_amount: basis[i]!.weight,
        amount: s.amount,
        paid: 0,
      }),
    );
  }
  return { call, lines };
}

async function currentCall(ctx: MutationContext, id: string, expectedVersion: number) {
  const call = await getRow(ctx, 'capital_call', id);
  await ctx.checkVersion('capital_call', call, expectedVersion);
  return call;
}

export async function issueCapitalCall(ctx: MutationContext, args: z.infer<typeof capitalCallActionArgs>) {
  requireIssuer(ctx);
  const call = await currentCall(ctx, args.id, args.expectedVersion);
  if (call.status !== 'draft') {
    throw new MeridianError('INVALID_STATUS_TRANSITION', `Capital call ${call.id} is ${call.status}; only a draft can be issued.`, { from: call.status, to: 'issued' });
  }
  return updateRow(ctx, 'capital_call', call, { status: 'issued' });
}

export async function cancelCapitalCall(ctx: MutationContext, args: z.infer<typeof capitalCallActionArgs>) {
  const call = await currentCall(ctx, args.id, args.expectedVersion);
  if (call.status === 'cancelled' || call.status === 'paid') {
    throw new MeridianError('INVALID_STATUS_TRANSITION', `Capital call ${call.id} is ${call.status} and cannot be cancelled.`, { from: call.status, to: 'cancelled' });
  }
  if (call.status !== 'draft') requireIssuer(ctx);
  const paid = await ctx.db.selectFrom('payment').select('id').where('call_id', '=', call.id).where('deleted_at', 'is', null).limit(1).executeTakeFirst();
  if (paid) {
    throw new MeridianError('CALL_HAS_PAYMENTS', `Capital call ${call.id} already has payments recorded; it cannot be cancelled.`, { callId: call.id });
  }
  return updateRow(ctx, 'capital_call', call, { status: 'cancelled' });
}

export async function recordPayment(ctx: MutationContext, args: z.infer<typeof recordPaymentArgs>) {
  await ctx.lockRow('capital_call', args.callId);
  const call = await getRow(ctx, 'capital_call', args.callId);
  if (call.status !== 'issued' && call.status !== 'partially_paid') {
    throw new MeridianError('CALL_NOT_PAYABLE', `Capital call ${call.id} is ${call.status}; payments can be recorded only on issued calls.`, { status: call.status });
  }
  const fund = await getRow(ctx, 'fund', call.fund_id);
  const line = await getRow(ctx, 'capital_call_line', callLineId(call.id, args.investorId)).catch(() => {
    throw new MeridianError('NOT_FOUND', `Investor ${args.investorId} has no line in capital call ${call.id}.`, { path: 'investorId' });
  });
  const outstanding = line.amount - line.paid;
  if (args.amount > outstanding) {
    throw new MeridianError(
      'PAYMENT_EXCEEDS_OUTSTANDING',
      `A payment of ${formatMoney(args.amount, fund.currency)} is more than the ${formatMoney(outstanding, fund.currency)} outstanding on this line.`,
      { limit: outstanding, proposed: args.amount, path: 'amount' },
    );
  }
  const payment = await insertRow(ctx, 'payment', {
    id: args.id,
    call_id: call.id,
    investor_id: args.investorId,
    amount: args.amount,
    date: args.date,
  });
  await updateRow(ctx, 'capital_call_line', line, { paid: line.paid + args.amount });
  const totals = await ctx.db
    .selectFrom('capital_call_line')
    .select(({ fn }) => [fn.sum<number | string>('amount').as('amount'), fn.sum<number | string>('paid').as('paid')])
    .where('call_id', '=', call.id)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const status: CallStatus = toSafeInteger(totals.paid) >= toSafeInteger(totals.amount) ? 'paid' : 'partially_paid';
  let updated: CapitalCallRow = call;
  if (status !== call.status) updated = await updateRow(ctx, 'capital_call', call, { status });
  return { payment, call: updated };
}
