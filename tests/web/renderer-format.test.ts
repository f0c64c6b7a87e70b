/** The renderer's pure formatting and chart helpers (no DOM needed). */
import { describe, expect, it } from 'vitest';
import { fmtAgo, fmtAmount, fmtCompact, fmtMillions, fmtMoney, fmtMultiple, fmtPct, humanize, parseAmountInput, setLocale } from '../../renderer/src/lib/format';
import { allocationBySector, jCurve, quarterEnd, quarterLabel, utilisationOverTime } from '../../renderer/src/charts/series';
import type { AllocationView } from '../../shared/api/views';
import type { DealRow } from '../../shared/domain/entities';

setLocale('en-US');

describe('money formatting from integer cents', () => {
  it('formats exactly, with grouping and the currency', () => {
    expect(fmtAmount(120805371)).toBe('1,208,053.71');
    expect(fmtAmount(-5)).toBe('-0.05');
    expect(fmtMoney(100000000000, 'USD')).toBe('USD\u00a01,000,000,000.00');
    expect(fmtMoney(123, 'EUR')).toMatch(/^EUR\s1\.23$/);
    // 2^53 − 1 cents keeps every digit (no float division)
    expect(fmtAmount(Number.MAX_SAFE_INTEGER)).toBe('90,071,992,547,409.91');
  });

  it('compacts for cards, and millions for dense tables', () => {
    expect(fmtCompact(25_000_000_000, 'USD')).toMatch(/^USD\s250\.0M$/);
    expect(fmtCompact(13_500_000)).toBe('135.0K');
    expect(fmtMillions(13_185_000_000)).toBe('131.85');
    expect(fmtMillions(499_999)).toBe('0.00');
    expect(fmtMillions(500_000)).toBe('0.01');
    expect(fmtMillions(-250_000_000)).toBe('-2.50');
  });

  it('ratios, multiples and missing values', () => {
    expect(fmtPct(0.1425)).toBe('14.3%');
    expect(fmtPct(null)).toBe('—');
    expect(fmtMultiple(1.6234)).toBe('1.62×');
    expect(fmtMultiple(Number.NaN)).toBe('—');
    expect(humanize('senior_debt')).toBe('Senior debt');
    expect(humanize('createAllocation')).toBe('Create allocation');
    expect(fmtAgo(new Date(Date.now() - 5 * 60_000).toISOString())).toBe('5 min ago');
    expect(fmtAgo(null)).toBe('never');
  });
});

describe('amount input', () => {
  it('reads what analysts type, exactly', () => {
    expect(parseAmountInput('2,500,000')).toBe(250_000_000);
    expect(parseAmountInput('2500000.5')).toBe(250_000_050);
    expect(parseAmountInput('2.5m')).toBe(250_000_000);
    expect(parseAmountInput('750k')).toBe(75_000_000);
    expect(parseAmountInput('1.2bn')).toBe(120_000_000_000);
    expect(parseAmountInput('USD 3,000,000')).toBe(300_000_000);
    expect(parseAmountInput('$1,000.10')).toBe(100_010);
    expect(parseAmountInput('1.234567m')).toBe(123_456_700);
    expect(parseAmountInput('0.1')).toBe(10);
  });

  it('refuses what is not an amount in whole cents', () => {
    for (const bad of ['', 'abc', '1.234', '1.2.3', '1.234567891m', '1e6', '99999999999999999999']) expect(parseAmountInput(bad), bad).toBeNull();
  });
});

describe('chart series', () => {
  it('quarter ends and labels', () => {
    expect(quarterEnd('2024-02-10')).toBe('2024-03-31');
    expect(quarterEnd('2024-12-31')).toBe('2024-12-31');
    expect(quarterEnd('2023-05-01')).toBe('2023-06-30');
    expect(quarterLabel('2023-06-30')).toBe('Q2 23');
  });

  it('J-curve: cumulative flows, latest NAV and net per quarter, in cents', () => {
    const pts = jCurve({
      fundId: 'F',
      currency: 'USD',
      asOf: '2024-09-30',
      contributions: [
        { date: '2024-01-10', amount: 1000 },
        { date: '2024-05-01', amount: 500 },
      ],
      distributions: [{ date: '2024-08-01', amount: 300, recallable: 0 }],
      navMarks: [
        { date: '2024-03-31', nav: 900 },
        { date: '2024-09-30', nav: 1400 },
      ],
    });
    expect(pts).toEqual([
      { date: '2024-03-31', contributions: 1000, distributions: 0, nav: 900, net: -100 },
      { date: '2024-06-30', contributions: 1500, distributions: 0, nav: 900, net: -600 },
      { date: '2024-09-30', contributions: 1500, distributions: 300, nav: 1400, net: 200 },
    ]);
    expect(jCurve({ fundId: 'F', currency: 'USD', asOf: '2024-01-01', contributions: [], distributions: [], navMarks: [] })).toEqual([]);
  });

  const a = (id: string, deal: string, amount: number, status: AllocationView['status'], date: string) => ({ id, deal_id: deal, amount, status, date }) as AllocationView;
  const deals = [
    { id: 'D1', sector: 'Technology' },
    { id: 'D2', sector: 'Healthcare' },
    { id: 'D3', sector: '' },
  ] as DealRow[];

  it('allocation by sector counts approved, committed and funded only', () => {
    const rows = [a('1', 'D1', 100, 'approved', '2024-01-01'), a('2', 'D2', 300, 'funded', '2024-01-01'), a('3', 'D1', 50, 'proposed', '2024-01-01'), a('4', 'D3', 20, 'committed', '2024-01-01')];
    expect(allocationBySector(rows, deals)).toEqual([
      { sector: 'Healthcare', amount: 300, count: 1 },
      { sector: 'Technology', amount: 100, count: 1 },
      { sector: 'Unclassified', amount: 20, count: 1 },
    ]);
  });

  it('utilisation over time accumulates counted allocations by date', () => {
    const rows = [a('1', 'D1', 100, 'approved', '2024-01-15'), a('2', 'D2', 300, 'funded', '2024-04-15'), a('3', 'D1', 999, 'rejected', '2024-02-01')];
    expect(utilisationOverTime(rows, 1000, '2024-06-30')).toEqual([
      { date: '2024-03-31', allocated: 100, utilisation: 0.1 },
      { date: '2024-06-30', allocated: 400, utilisation: 0.4 },
    ]);
  });
});
