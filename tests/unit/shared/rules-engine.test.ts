import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../../shared/rules/business-rules';
import { checkAllocation, checkApprover, roleRequiredToApprove, utilisationHeadroom } from '../../../shared/rules/engine';
import { rulesFromEnv } from '../../../shared/rules/from-env';

const fund = { name: 'Fund A', size: 4_000_000_000, currency: 'USD' }; // 40,000,000.00

describe('rules engine', () => {
  it('allows exactly 95 % and refuses one cent more', () => {
    // cap = 38,000,000.00
    expect(utilisationHeadroom(DEFAULT_RULES, fund.size, 3_700_000_000)).toBe(100_000_000);
    expect(checkAllocation(DEFAULT_RULES, { fund, fundCounted: 3_700_000_000, pairCounted: 0, amount: 100_000_000 })).toEqual([]);
    const [p] = checkAllocation(DEFAULT_RULES, { fund, fundCounted: 3_700_000_000, pairCounted: 0, amount: 100_000_001 });
    expect(p!.code).toBe('FUND_UTILISATION_EXCEEDED');
    expect(p!.details).toMatchObject({ limit: 95, current: 3_700_000_000, proposed: 100_000_001, resulting: 3_800_000_001, headroom: 100_000_000 });
    expect(p!.message).toBe(
      'Fund A would be just over 95 % utilised (USD 38,000,000.01 of size USD 40,000,000.00), over the 95 % cap; at most USD 1,000,000.00 can still be allocated.',
    );
  });

  it('returns every violation at once with its numbers', () => {
    const problems = checkAllocation(DEFAULT_RULES, { fund: { ...fund, size: 100_000 }, dealName: 'Deal X', fundCounted: 4_999_999_900, pairCounted: 999_999_999, amount: 50_000 });
    expect(problems.map((p) => p.code)).toEqual(['ALLOCATION_BELOW_MINIMUM', 'FUND_ALLOCATION_LIMIT_EXCEEDED', 'DEAL_ALLOCATION_LIMIT_EXCEEDED', 'FUND_UTILISATION_EXCEEDED']);
    expect(problems[2]!.message).toContain('in Deal X');
  });

  it('needs a portfolio manager above the threshold only', () => {
    expect(roleRequiredToApprove(DEFAULT_RULES, 500_000_000)).toBe('analyst');
    expect(roleRequiredToApprove(DEFAULT_RULES, 500_000_001)).toBe('portfolio_manager');
    expect(checkApprover(DEFAULT_RULES, 'analyst', 500_000_001, 'USD')[0]!.code).toBe('APPROVAL_ROLE_REQUIRED');
    expect(checkApprover(DEFAULT_RULES, 'admin', 500_000_001, 'USD')).toEqual([]);
  });

  it('never allows a resulting state over any limit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 6_000_000_000 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 1, max: 2_000_000_000 }),
        (size, fundCounted, pairRaw, amount) => {
          const pairCounted = Math.min(pairRaw, fundCounted);
          const ok = checkAllocation(DEFAULT_RULES, { fund: { ...fund, size }, fundCounted, pairCounted, amount }).length === 0;
          if (!ok) return true;
          return (
            amount >= DEFAULT_RULES.minAllocationAmount &&
            fundCounted + amount <= DEFAULT_RULES.maxAllocationPerFund &&
            pairCounted + amount <= DEFAULT_RULES.maxAllocationPerDeal &&
            (fundCounted + amount) * 100 <= size * 95
          );
        },
      ),
    );
  });

  it('seeds rules from the deployment environment', () => {
    expect(rulesFromEnv({})).toBeNull();
    expect(rulesFromEnv({ MAX_ALLOCATION_PER_DEAL: '2500000', MAX_FUND_UTILIZATION: '90' })).toEqual({
      ...DEFAULT_RULES,
      maxAllocationPerDeal: 250_000_000,
      maxFundUtilisationPct: 90,
    });
    expect(() => rulesFromEnv({ MIN_ALLOCATION_AMOUNT: '1,000' })).toThrow(/MIN_ALLOCATION_AMOUNT/);
  });
});
