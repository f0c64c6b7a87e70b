import { describe, expect, it } from 'vitest';
import { callNoticeFigures, lpCapitalAccount, lpShareOf, navOn, splitPurposes } from '../../electron/core/reports/lp-figures';

const basis = [
  { key: 'I1', weight: 500_000_000 },
  { key: 'I2', weight: 300_000_000 },
  { key: 'I3', weight: 200_000_000 },
];

describe('LP shares of fund-level amounts', () => {
  it('split exactly with the largest remainder, so the shares add up to the fund amount', () => {
    const thirds = [
      { key: 'A', weight: 1 },
      { key: 'B', weight: 1 },
      { key: 'C', weight: 1 },
    ];
    expect(['A', 'B', 'C'].map((k) => lpShareOf(100, thirds, k))).toEqual([34, 33, 33]); // tie: key ascending
    expect(['A', 'B', 'C'].map((k) => lpShareOf(-100, thirds, k))).toEqual([-34, -33, -33]); // a negative NAV keeps its sign
    expect(lpShareOf(100, thirds, 'Z')).toBe(0);
    expect(['I1', 'I2', 'I3'].reduce((t, k) => t + lpShareOf(12_345_679, basis, k), 0)).toBe(12_345_679);
  });

  it('takes the latest NAV mark on or before a date, 0 before the first', () => {
    const marks = [
      { date: '2024-06-30', nav: 5 },
      { date: '2023-12-31', nav: 3 },
    ];
    expect(navOn(marks, '2023-12-30')).toBe(0);
    expect(navOn(marks, '2024-01-01')).toBe(3);
    expect(navOn(marks, '2025-01-01')).toBe(5);
  });
});

describe('LP capital account', () => {
  const records = {
    commitments: basis,
    fundContributions: [{ date: '2024-03-01', amount: 10_001 }],
    fundDistributions: [{ date: '2024-06-30', amount: 60_000_000, recallable: 10_000_000 }],
    navMarks: [
      { date: '2023-12-31', nav: 190_000_000 },
      { date: '2024-12-31', nav: 300_000_000 },
    ],
  };

  it('derives opening, contributions, distributions, fees, gains, closing and unfunded (worked example, docs/reports.md §4)', () => {
    const a = lpCapitalAccount({
      ...records,
      investorId: 'I1',
      from: '2024-01-01',
      to: '2024-12-31',
      lpCalls: [
        { date: '2023-01-15', amount: 100_000_000 },
        { date: '2024-01-15', amount: 50_000_000 },
      ],
      lpPayments: [
        { date: '2023-01-20', amount: 100_000_000 },
        { date: '2024-01-25', amount: 50_000_000 },
      ],
      fees: 1_000_000,
    });
    // contributions: payment 50,000,000 + 50 % of 10,001 = 5,000.5 → 5,001 (I1 has the largest remainder)
    expect(a).toEqual({
      commitment: 500_000_000,
      share: 0.5,
      opening: 95_000_000,
      contributions: 50_005_001,
      distributions: 30_000_000,
      fees: 1_000_000,
      gains: 150_000_000 - 95_000_000 - 50_005_001 + 30_000_000 + 1_000_000,
      closing: 150_000_000,
      unfunded: 500_000_000 - 150_000_000 - 5_001 + 5_000_000,
    });
  });

  it('counts a payment on the first and on the last day of the period, not outside it', () => {
    const a = lpCapitalAccount({
      ...records,
      investorId: 'I3',
      from: '2024-01-01',
      to: '2024-03-31',
      lpCalls: [],
      lpPayments: [
        { date: '2023-12-31', amount: 1 },
        { date: '2024-01-01', amount: 10 },
        { date: '2024-03-31', amount: 100 },
        { date: '2024-04-01', amount: 1000 },
      ],
    });
    expect(a.contributions).toBe(110 + 2_000); // 20 % of 10,001 = 2,000.2 → 2,000
    expect(a.opening).toBe(38_000_000);
    expect(a.closing).toBe(38_000_000); // no newer mark by 2024-03-31
    expect(a.fees).toBe(0);
    expect(a.opening + a.contributions - a.distributions - a.fees + a.gains).toBe(a.closing);
  });
});

describe('capital call notice figures', () => {
  it('gives the fund section, the LP section and the purposes split exactly', () => {
    const f = callNoticeFigures({
      investorId: 'I2',
      callDate: '2024-07-15',
      commitments: basis,
      priorCalls: [
        { date: '2023-01-15', amount: 200_000_000 },
        { date: '2024-01-15', amount: 100_000_000 },
      ],
      lpPriorCalls: [
        { date: '2023-01-15', amount: 60_000_000 },
        { date: '2024-01-15', amount: 30_000_000 },
      ],
      callAmount: 50_000_001,
      lpAmount: 15_000_000,
      fundContributions: [{ date: '2024-07-15', amount: 999 }], // on the call date: not prior
      fundDistributions: [{ date: '2024-06-30', amount: 60_000_000, recallable: 10_000_000 }],
      purposes: { investments: 40_000_001, managementFees: 7_500_000, fundExpenses: 2_500_000, other: 0 },
    });
    expect(f.fund).toEqual({
      totalCommitments: 1_000_000_000,
      thisCall: { investments: 40_000_001, managementFees: 7_500_000, fundExpenses: 2_500_000, other: 0, total: 50_000_001 },
      priorContributions: 300_000_000,
      priorDistributions: 60_000_000,
    });
    expect(f.lp).toEqual({
      commitment: 300_000_000,
      share: 0.3,
      priorContributions: 90_000_000,
      priorDistributions: 18_000_000,
      thisCall: { investments: 12_000_000, managementFees: 2_250_000, fundExpenses: 750_000, other: 0, total: 15_000_000 },
      unfundedBefore: 300_000_000 - 90_000_000 + 3_000_000,
      unfundedAfter: 300_000_000 - 90_000_000 + 3_000_000 - 15_000_000,
    });
  });

  it('splits an LP line across purposes so the parts add up to the line', () => {
    const parts = splitPurposes(1_001, { investments: 1, managementFees: 1, fundExpenses: 1, other: 0 });
    expect(parts.investments + parts.managementFees + parts.fundExpenses + parts.other).toBe(1_001);
    expect(splitPurposes(500, { investments: 0, managementFees: 0, fundExpenses: 0, other: 0 })).toEqual({ investments: 500, managementFees: 0, fundExpenses: 0, other: 0 });
  });
});
