import { describe, expect, it } from 'vitest';
import { scenarioGridSchema, scenarioResultSchema } from '../../../shared/domain/credit';
import { runScenario, scenarioGrid, stressFigures } from '../../../shared/finance/credit/stress';
import { HARBOR, HARBOR_COVENANTS, HARBOR_FIGURES, errorCode } from './fixtures';

describe('stress scenarios: worked example', () => {
  it('EBITDA −20 %, rates +200 bp: every covenant breaks', () => {
    const s = runScenario(HARBOR_FIGURES, HARBOR_COVENANTS, { label: 'severe', ebitda_decline: 0.2, rate_shock_bp: 200 });
    // extra interest = 200m × 0.8 × 2 % = 3.2m
    expect(s.extra_interest).toBe(320_000_000);
    expect(s.figures).toMatchObject({
      ebitda: 3_200_000_000, // 40m − 8m
      ebit: 2_000_000_000, // same absolute fall
      ebita: 2_300_000_000,
      interest_expense: 1_920_000_000,
      cash_interest: 1_720_000_000,
      revenue: 25_000_000_000, // unchanged
      capex: 600_000_000,
      cash_taxes: 400_000_000,
    });
    expect(s.ratios.total_leverage.value).toBe(6.25); // 200 ÷ 32
    expect(s.ratios.senior_leverage.value).toBe(4.6875); // 150 ÷ 32
    expect(s.ratios.interest_coverage.value).toBeCloseTo(32 / 19.2, 14);
    expect(s.ratios.fixed_charge_coverage.value).toBeCloseTo(27 / 24.2, 14); // (32 + 5 − 6 − 4) ÷ (17.2 + 2 + 5)
    expect(s.ratios.dscr.value).toBeCloseTo(22 / 19.2, 14);
    expect(s.ratios.ffo_to_debt.value).toBeCloseTo(10.8 / 200, 14);
    expect(s.ratios.ltv.value).toBe(0.5);
    expect(s.breached_covenant_ids).toEqual(['cov-lev', 'cov-senior', 'cov-ic', 'cov-fccr']);
    expect(scenarioResultSchema.parse(s)).toEqual(s);
  });

  it('EBITDA −10 %, rates +100 bp: all pass, with smaller headroom', () => {
    const s = runScenario(HARBOR_FIGURES, HARBOR_COVENANTS, { ebitda_decline: 0.1, rate_shock_bp: 100 });
    expect(s.extra_interest).toBe(160_000_000);
    expect(s.ratios.total_leverage.value).toBeCloseTo(200 / 36, 14);
    expect(s.ratios.interest_coverage.value).toBeCloseTo(36 / 17.6, 14);
    expect(s.ratios.fixed_charge_coverage.value).toBeCloseTo(31 / 22.6, 14);
    expect(s.ratios.dscr.value).toBeCloseTo(26 / 17.6, 14); // (36 − 6 − 4) ÷ (15.6 + 2)
    expect(s.ratios.ffo_to_debt.value).toBeCloseTo(16.4 / 200, 14);
    expect(s.breached_covenant_ids).toEqual([]);
    const ic = s.covenants.find((c) => c.covenant_id === 'cov-ic')!;
    expect(ic.headroom).toBeCloseTo((36 / 17.6 - 2) / 2, 14);
    // measured from the stressed position: EBITDA_b = 2 × 17.6m = 35.2m, from 36m
    expect(ic.ebitda_decline_to_breach).toBeCloseTo(0.8 / 36, 14);
  });

  it('given a whole statement, reports just the figures', () => {
    const s = runScenario(HARBOR, HARBOR_COVENANTS, { ebitda_decline: 0.1, rate_shock_bp: 0 });
    expect(Object.keys(s.figures).sort()).toEqual(Object.keys(HARBOR_FIGURES).sort());
    expect(scenarioResultSchema.parse(s)).toEqual(s);
  });

  it('the shocks commute and a zero scenario changes nothing', () => {
    expect(stressFigures(HARBOR_FIGURES, { ebitda_decline: 0, rate_shock_bp: 0 })).toEqual(HARBOR_FIGURES);
    const s = stressFigures(HARBOR_FIGURES, { ebitda_decline: 0.3, rate_shock_bp: 150 });
    expect(s.ebitda).toBe(2_800_000_000);
    expect(s.interest_expense).toBe(1_840_000_000);
  });

  it('a decline is measured on |EBITDA|, so it lowers a negative EBITDA too', () => {
    const s = stressFigures({ ...HARBOR_FIGURES, ebitda: -1_000_000_000 }, { ebitda_decline: 0.5, rate_shock_bp: 0 });
    expect(s.ebitda).toBe(-1_500_000_000);
    expect(s.ebit).toBe(2_300_000_000);
  });

  it('refuses rate cuts and non-finite shocks', () => {
    expect(errorCode(() => stressFigures(HARBOR_FIGURES, { ebitda_decline: 0, rate_shock_bp: -50 }))).toBe('INVALID_INPUT');
    expect(errorCode(() => stressFigures(HARBOR_FIGURES, { ebitda_decline: Number.NaN, rate_shock_bp: 0 }))).toBe('INVALID_INPUT');
  });
});

describe('scenario grid', () => {
  const grid = scenarioGrid(HARBOR_FIGURES, HARBOR_COVENANTS, [0, 0.1, 0.2], [0, 100, 200]);

  it('maps which covenants break, per cell and per covenant', () => {
    // rows: EBITDA −0 / −10 / −20 %; columns: +0 / +100 / +200 bp
    expect(grid.by_covenant['cov-lev']).toEqual([
      ['pass', 'pass', 'pass'],
      ['pass', 'pass', 'pass'],
      ['breach', 'breach', 'breach'],
    ]);
    // coverage 2.0x: at −20 % and +0 bp EBITDA is 32m over 16m interest: exactly 2.0x, passes
    expect(grid.by_covenant['cov-ic']).toEqual([
      ['pass', 'pass', 'pass'],
      ['pass', 'pass', 'breach'],
      ['pass', 'breach', 'breach'],
    ]);
    expect(grid.by_covenant['cov-fccr']).toEqual([
      ['pass', 'pass', 'pass'],
      ['pass', 'pass', 'pass'],
      ['pass', 'breach', 'breach'],
    ]);
    expect(grid.cells.map((row) => row.map((c) => c.breach_count))).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [2, 4, 4],
    ]);
    expect(grid.cells[2]![0]!.breached_covenant_ids).toEqual(['cov-lev', 'cov-senior']);
    expect(grid.cells[0]![0]!.min_headroom).toBeCloseTo(1 / 6, 14);
    expect(grid.cells[1]![2]!).toMatchObject({ ebitda_decline: 0.1, rate_shock_bp: 200 });
    expect(scenarioGridSchema.parse(grid)).toEqual(grid);
  });

  it('refuses empty axes and duplicate covenants', () => {
    expect(errorCode(() => scenarioGrid(HARBOR_FIGURES, HARBOR_COVENANTS, [], [0]))).toBe('INVALID_INPUT');
    expect(errorCode(() => scenarioGrid(HARBOR_FIGURES, HARBOR_COVENANTS, [0], [-1]))).toBe('INVALID_INPUT');
    expect(errorCode(() => scenarioGrid(HARBOR_FIGURES, [HARBOR_COVENANTS[0]!, HARBOR_COVENANTS[0]!], [0], [0]))).toBe('INVALID_INPUT');
  });
});
