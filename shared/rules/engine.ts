/**
 * The one business-rules engine (DESIGN §3). It is pure: callers pass the
 * totals as they stand, and it returns every violation with a stable code,
 * a message a person can act on, and the numbers involved. The grid, the
 * local mutator, the CSV import and the server all call these functions.
 */
import type { Problem } from '../errors';
import { formatMoney, type Cents } from '../money';
import { hasRole, ROLE_LABEL, type Role } from '../domain/roles';
import type { BusinessRules } from './business-rules';

export interface AllocationCheckInput {
  /** Fund size and currency. */
  fund: { name: string; size: Cents; currency: string };
  /** Deal name, for messages. */
  dealName?: string;
  /** Counted allocations of the fund, excluding the allocation being checked. */
  fundCounted: Cents;
  /** Counted allocations of this fund to this deal, excluding the allocation being checked. */
  pairCounted: Cents;
  /** Amount of the allocation, checked as if it counted. */
  amount: Cents;
}

/** Largest amount the fund may still count under the utilisation cap (floor, cents). */
export function utilisationHeadroom(rules: BusinessRules, size: Cents, fundCounted: Cents): Cents {
  // cap = floor(size × pct / 100), computed exactly with integers (pct to 1/10000 of a percent).
  const pctMicro = BigInt(Math.round(rules.maxFundUtilisationPct * 10_000));
  const cap = (BigInt(size) * pctMicro) / 1_000_000n;
  return Number(cap) - fundCounted;
}

/** Every rule an allocation of `amount` would break if it counted. Empty means allowed. */
export function checkAllocation(rules: BusinessRules, input: AllocationCheckInput): Problem[] {
  const { fund, amount, fundCounted, pairCounted } = input;
  const money = (c: Cents) => formatMoney(c, fund.currency);
  const problems: Problem[] = [];

  if (amount < rules.minAllocationAmount) {
    problems.push({
      code: 'ALLOCATION_BELOW_MINIMUM',
      path: 'amount',
      message: `Allocation of ${money(amount)} is below the minimum of ${money(rules.minAllocationAmount)}; raise it to at least ${money(rules.minAllocationAmount)}.`,
      details: { limit: rules.minAllocationAmount, proposed: amount },
    });
  }

  const fundAfter = fundCounted + amount;
  if (fundAfter > rules.maxAllocationPerFund) {
    const room = Math.max(0, rules.maxAllocationPerFund - fundCounted);
    problems.push({
      code: 'FUND_ALLOCATION_LIMIT_EXCEEDED',
      path: 'amount',
      message: `${fund.name} would have ${money(fundAfter)} allocated, over its limit of ${money(rules.maxAllocationPerFund)} (already ${money(fundCounted)}); at most ${money(room)} can still be allocated.`,
      details: { limit: rules.maxAllocationPerFund, current: fundCounted, proposed: amount, resulting: fundAfter, headroom: room },
    });
  }

  const pairAfter = pairCounted + amount;
  if (pairAfter > rules.maxAllocationPerDeal) {
    const room = Math.max(0, rules.maxAllocationPerDeal - pairCounted);
    const deal = input.dealName ?? 'this deal';
    problems.push({
      code: 'DEAL_ALLOCATION_LIMIT_EXCEEDED',
      path: 'amount',
      message: `${fund.name} would have ${money(pairAfter)} in ${deal}, over the per-deal limit of ${money(rules.maxAllocationPerDeal)} (already ${money(pairCounted)}); at most ${money(room)} more can go to this deal.`,
      details: { limit: rules.maxAllocationPerDeal, current: pairCounted, proposed: amount, resulting: pairAfter, headroom: room },
    });
  }

  const headroom = utilisationHeadroom(rules, fund.size, fundCounted);
  if (amount > headroom) {
    const utilisation = fund.size > 0 ? fundAfter / fund.size : null;
    const shown = utilisation === null ? null : (utilisation * 100).toFixed(2);
    // A cent over the cap can round to the cap itself: say "just over" rather than a confusing "95.00 %".
    const pct = shown === null ? 'over 100 %' : Number(shown) > rules.maxFundUtilisationPct ? `${shown} %` : `just over ${rules.maxFundUtilisationPct} %`;
    problems.push({
      code: 'FUND_UTILISATION_EXCEEDED',
      path: 'amount',
      message: `${fund.name} would be ${pct} utilised (${money(fundAfter)} of size ${money(fund.size)}), over the ${rules.maxFundUtilisationPct} % cap; at most ${money(Math.max(0, headroom))} can still be allocated.`,
      details: {
        limit: rules.maxFundUtilisationPct,
        current: fundCounted,
        proposed: amount,
        resulting: fundAfter,
        size: fund.size,
        utilisation,
        headroom: Math.max(0, headroom),
      },
    });
  }
  return problems;
}

/** Lowest role that may approve an allocation of `amount`. */
export function roleRequiredToApprove(rules: BusinessRules, amount: Cents): Role {
  return amount > rules.approvalThreshold ? 'portfolio_manager' : 'analyst';
}

/** Whether an allocation of `amount` must wait for an approval rather than count at once. */
export function needsApproval(rules: BusinessRules, amount: Cents): boolean {
  return amount > rules.approvalThreshold;
}

/** The violation (if any) of `role` approving an allocation of `amount`. */
export function checkApprover(rules: BusinessRules, role: Role, amount: Cents, currency: string): Problem[] {
  const required = roleRequiredToApprove(rules, amount);
  if (hasRole(role, required)) return [];
  return [
    {
      code: 'APPROVAL_ROLE_REQUIRED',
      message: `Allocations above ${formatMoney(rules.approvalThreshold, currency)} need a ${ROLE_LABEL[required]} to approve; you are signed in as ${ROLE_LABEL[role]}.`,
      details: { threshold: rules.approvalThreshold, proposed: amount, requiredRole: required, role },
    },
  ];
}

/** Whether a fund-size change keeps the fund within the utilisation cap. */
export function checkFundSize(rules: BusinessRules, fund: { name: string; currency: string }, newSize: Cents, fundCounted: Cents): Problem[] {
  const headroom = utilisationHeadroom(rules, newSize, fundCounted);
  if (headroom >= 0) return [];
  return [
    {
      code: 'FUND_UTILISATION_EXCEEDED',
      path: 'size',
      message: `${fund.name} has ${formatMoney(fundCounted, fund.currency)} allocated; a size of ${formatMoney(newSize, fund.currency)} would put it over the ${rules.maxFundUtilisationPct} % cap.`,
      details: { limit: rules.maxFundUtilisationPct, current: fundCounted, size: newSize },
    },
  ];
}
