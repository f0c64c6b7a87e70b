import { describe, expect, it } from 'vitest';
import type { FinancialStatement } from '../../../shared/domain/credit';
import { creditTrend, isNextQuarter, ltmFromQuarters, rollingLtm, tryLtmFromQuarters } from '../../../shared/finance/credit/trends';
import { HARBOR, errorCode } from './fixtures';

/** A quarter of Harbor: flows ~¼ of the LTM, balances as given. */
function quarter(period_end: string, k: number): FinancialStatement {
  return {
    ...HARBOR,
    period_end,
    period_type: 'Q',
    revenue: 6_000_000_000 + k * 100_000_000,
    ebitda: 900_000_000 + k * 50_000_000,
    ebit: 600_000_000 + k * 50_000_000,
    ebita: 680_000_000 + k * 50_000_000,
    interest_expense: 400_000_000,
    cash_interest: 350_000_000,
    scheduled_principal: 50_000_000,
    capex: 150_000_000 + k,
    cash_taxes: 100_000_000 - k,
    rent: 125_000_000,
    total_debt: 20_000_000_000 - k * 1_000_000,
    senior_debt: 15_000_000_000 - k * 1_000_000,
    cash: 2_000_000_000 + k,
    current_assets: 6_000_000_000 + k,
    current_liabilities: 4_000_000_000 + k,
    collateral_value: 40_000_000_000 + k,
    floating_rate_share: 0.8 - k / 100,
  };
}

const Q = ['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'].map((d, k) => quarter(d, k));

describe('LTM from quarters', () => {
  it('sums the flow items and takes the balance items of the latest quarter', () => {
    const ltm = ltmFromQuarters([...Q].reverse()); // order does not matter
    expect(ltm).toEqual({
      borrower_id: 'harbor',
      period_end: '2024-12-31',
      period_type: 'LTM',
      currency: 'USD',
      revenue: 24_600_000_000, // 6.0 + 6.1 + 6.2 + 6.3 bn cents
      ebitda: 3_900_000_000,
      ebit: 2_700_000_000,
      ebita: 3_020_000_000,
      interest_expense: 1_600_000_000,
      cash_interest: 1_400_000_000,
      scheduled_principal: 200_000_000,
      capex: 600_000_006,
      cash_taxes: 399_999_994,
      rent: 500_000_000,
      total_debt: 19_997_000_000,
      senior_debt: 14_997_000_000,
      cash: 2_000_000_003,
      current_assets: 6_000_000_003,
      current_liabilities: 4_000_000_003,
      collateral_value: 40_000_000_003,
      floating_rate_share: 0.77,
    });
  });

  it('builds the LTM to an earlier quarter end and ignores the rest', () => {
    const five = [quarter('2023-12-31', -1), ...Q];
    const r = tryLtmFromQuarters(five, '2024-09-30');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.quarters.map((q) => q.period_end)).toEqual(['2023-12-31', '2024-03-31', '2024-06-30', '2024-09-30']);
      expect(r.statement.ebitda).toBe(850_000_000 + 900_000_000 + 950_000_000 + 1_000_000_000);
    }
  });

  it('refuses missing, non-consecutive or duplicate quarters', () => {
    expect(tryLtmFromQuarters(Q.slice(1))).toMatchObject({ ok: false, reason: 'insufficient_quarters' });
    expect(tryLtmFromQuarters([])).toMatchObject({ ok: false, reason: 'insufficient_quarters' });
    const gap = [quarter('2023-12-31', 0), Q[0]!, Q[1]!, Q[3]!]; // 2024-09-30 missing
    expect(tryLtmFromQuarters(gap)).toMatchObject({ ok: false, reason: 'not_consecutive', details: { previous: '2024-06-30', next: '2024-12-31', days: 184 } });
    expect(tryLtmFromQuarters([...Q, { ...Q[3]! }])).toMatchObject({ ok: false, reason: 'duplicate_period' });
    expect(tryLtmFromQuarters(Q, '2025-03-31')).toMatchObject({ ok: false, reason: 'insufficient_quarters' });
    expect(errorCode(() => ltmFromQuarters(gap))).toBe('INSUFFICIENT_DATA');
  });

  it('refuses statements that are not quarters, of another borrower or malformed', () => {
    expect(tryLtmFromQuarters([...Q.slice(0, 3), { ...Q[3]!, period_type: 'FY' }])).toMatchObject({ ok: false, reason: 'not_quarterly' });
    expect(tryLtmFromQuarters([...Q.slice(0, 3), { ...Q[3]!, borrower_id: 'other' }])).toMatchObject({ ok: false, reason: 'mixed_borrower' });
    expect(tryLtmFromQuarters([...Q.slice(0, 3), { ...Q[3]!, currency: 'EUR' }])).toMatchObject({ ok: false, reason: 'mixed_currency' });
    expect(tryLtmFromQuarters([...Q.slice(0, 3), { ...Q[3]!, ebitda: 0.5 }])).toMatchObject({ ok: false, reason: 'invalid_statement' });
    expect(errorCode(() => ltmFromQuarters([...Q.slice(0, 3), { ...Q[3]!, borrower_id: 'other' }]))).toBe('INVALID_INPUT');
  });

  it('accepts 13- and 14-week fiscal quarters and month-end fiscal calendars', () => {
    expect(isNextQuarter('2024-03-30', '2024-06-29')).toBe(true); // 91 days
    expect(isNextQuarter('2024-09-28', '2025-01-04')).toBe(true); // 98 days
    expect(isNextQuarter('2024-01-31', '2024-04-30')).toBe(true); // 90 days
    expect(isNextQuarter('2024-03-31', '2024-04-30')).toBe(false);
    expect(isNextQuarter('2024-03-31', '2024-09-30')).toBe(false);
  });

  it('rolls LTMs over a quarterly history, skipping ends without four consecutive quarters', () => {
    const history = [quarter('2023-09-30', -2), quarter('2023-12-31', -1), ...Q];
    expect(rollingLtm(history).map((s) => s.period_end)).toEqual(['2024-06-30', '2024-09-30', '2024-12-31']);
    const holed = history.filter((q) => q.period_end !== '2024-03-31');
    expect(rollingLtm(holed)).toEqual([]);
  });
});

describe('credit trend', () => {
  it('shows ratios over periods with margin, growth and direction', () => {
    const fy23: FinancialStatement = { ...HARBOR, period_end: '2023-12-31', period_type: 'FY', revenue: 20_000_000_000, ebitda: 3_200_000_000 };
    const t = creditTrend([HARBOR, fy23]);
    expect(t.points.map((p) => p.period_end)).toEqual(['2023-12-31', '2024-12-31']);
    expect(t.points[1]).toMatchObject({ ebitda_margin: 0.16, revenue_growth: 0.25, ebitda_growth: 0.25 });
    expect(t.points[0]!.revenue_growth).toBeNull();
    expect(t.series.total_leverage).toMatchObject({ values: [6.25, 5], change: -1.25, change_since_first: -1.25, direction: 'improving' });
    expect(t.series.ltv).toMatchObject({ values: [0.5, 0.5], change: 0, direction: 'unchanged' });
    expect(t.series.interest_coverage.direction).toBe('improving');
  });

  it('counts a move out of "not meaningful (worst)" as improving', () => {
    const loss: FinancialStatement = { ...HARBOR, period_end: '2023-12-31', period_type: 'FY', ebitda: -100_000_000 };
    const t = creditTrend([loss, HARBOR]);
    expect(t.series.total_leverage).toMatchObject({ values: [null, 5], change: null, direction: 'improving' });
  });

  it('works on rolling LTMs and refuses quarters, duplicates and an empty list', () => {
    const t = creditTrend(rollingLtm([quarter('2023-12-31', -1), ...Q]));
    expect(t.points).toHaveLength(2);
    expect(errorCode(() => creditTrend(Q))).toBe('INVALID_INPUT');
    expect(errorCode(() => creditTrend([HARBOR, { ...HARBOR, period_type: 'FY' }]))).toBe('INVALID_INPUT');
    expect(errorCode(() => creditTrend([]))).toBe('INSUFFICIENT_DATA');
  });
});
