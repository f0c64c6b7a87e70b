import { describe, expect, it } from 'vitest';
import { RATIO_KEYS, ratioSetSchema } from '../../../shared/domain/credit';
import { annualFigures, computeRatios, ffo, netDebt } from '../../../shared/finance/credit/ratios';
import { HARBOR, HARBOR_FIGURES, errorCode } from './fixtures';

describe('credit ratios: worked example (docs/credit.md)', () => {
  const r = computeRatios(HARBOR_FIGURES);

  it('computes every ratio exactly', () => {
    expect(r.total_leverage.value).toBe(5); // 200m ÷ 40m
    expect(r.net_leverage.value).toBe(4.5); // (200m − 20m) ÷ 40m
    expect(r.senior_leverage.value).toBe(3.75); // 150m ÷ 40m
    expect(r.interest_coverage.value).toBe(2.5); // 40m ÷ 16m
    expect(r.ebit_interest_coverage.value).toBe(1.75); // 28m ÷ 16m
    expect(r.ebita_interest_coverage.value).toBe(1.9375); // 31m ÷ 16m
    expect(r.fixed_charge_coverage.value).toBe(5 / 3); // (40 + 5 − 6 − 4) ÷ (14 + 2 + 5) = 35 ÷ 21
    expect(r.dscr.value).toBe(1.875); // (40 − 6 − 4) ÷ (14 + 2) = 30 ÷ 16
    expect(r.ltv.value).toBe(0.5); // 200m ÷ 400m
    expect(r.current_ratio.value).toBe(1.5); // 60m ÷ 40m
    expect(r.ffo_to_debt.value).toBe(0.11); // (40 − 14 − 4) ÷ 200
    for (const k of RATIO_KEYS) expect(r[k]).toMatchObject({ reason: null, limit: null });
  });

  it('reports the numerator and denominator used', () => {
    expect(r.fixed_charge_coverage).toMatchObject({ numerator: 3_500_000_000, denominator: 2_100_000_000 });
    expect(r.net_leverage).toMatchObject({ numerator: 18_000_000_000, denominator: 4_000_000_000 });
    expect(ffo(HARBOR_FIGURES)).toBe(2_200_000_000);
    expect(netDebt(HARBOR_FIGURES)).toBe(18_000_000_000);
  });

  it('parses as a stored ratio set', () => {
    expect(ratioSetSchema.parse(r)).toEqual(r);
  });

  it('the fixed-charge coverage equals the DSCR when there is no rent', () => {
    const noRent = computeRatios({ ...HARBOR_FIGURES, rent: 0 });
    expect(noRent.fixed_charge_coverage.value).toBe(noRent.dscr.value);
  });
});

describe('credit ratios: not meaningful → null with a reason, never NaN or Infinity', () => {
  it('leverage on negative or zero EBITDA is null, worst', () => {
    const neg = computeRatios({ ...HARBOR_FIGURES, ebitda: -100_000_000 });
    expect(neg.total_leverage).toMatchObject({ value: null, reason: 'negative_denominator', limit: 'worst' });
    expect(neg.senior_leverage).toMatchObject({ value: null, reason: 'negative_denominator', limit: 'worst' });
    const zero = computeRatios({ ...HARBOR_FIGURES, ebitda: 0 });
    expect(zero.total_leverage).toMatchObject({ value: null, reason: 'zero_denominator', limit: 'worst' });
  });

  it('no debt is 0x leverage whatever EBITDA is', () => {
    const r = computeRatios({ ...HARBOR_FIGURES, total_debt: 0, senior_debt: 0, ebitda: -5 });
    expect(r.total_leverage).toMatchObject({ value: 0, reason: null });
    expect(r.ffo_to_debt).toMatchObject({ value: null, reason: 'zero_denominator', limit: 'worst' });
  });

  it('net cash floors net leverage at 0', () => {
    const r = computeRatios({ ...HARBOR_FIGURES, cash: 25_000_000_000 });
    expect(r.net_leverage.value).toBe(0);
    expect(netDebt({ ...HARBOR_FIGURES, cash: 25_000_000_000 })).toBe(-5_000_000_000);
  });

  it('coverage with negative earnings is n.m. (worst); with no charges it is n.m. (best)', () => {
    const r = computeRatios({ ...HARBOR_FIGURES, ebit: -1 });
    expect(r.ebit_interest_coverage).toMatchObject({ value: null, reason: 'negative_numerator', limit: 'worst' });
    expect(r.interest_coverage.value).toBe(2.5);
    const free = computeRatios({ ...HARBOR_FIGURES, interest_expense: 0, cash_interest: 0, scheduled_principal: 0, rent: 0 });
    expect(free.interest_coverage).toMatchObject({ value: null, reason: 'zero_denominator', limit: 'best' });
    expect(free.dscr).toMatchObject({ value: null, reason: 'zero_denominator', limit: 'best' });
    const freeLoss = computeRatios({ ...HARBOR_FIGURES, ebitda: -1, interest_expense: 0 });
    expect(freeLoss.interest_coverage).toMatchObject({ value: null, reason: 'zero_denominator', limit: 'worst' });
  });

  it('zero EBITDA and zero earnings give a coverage of exactly 0', () => {
    expect(computeRatios({ ...HARBOR_FIGURES, ebitda: 0 }).interest_coverage.value).toBe(0);
  });

  it('negative FFO gives a negative FFO ÷ debt (meaningful)', () => {
    const r = computeRatios({ ...HARBOR_FIGURES, ebitda: 1_000_000_000 }); // FFO = 10 − 14 − 4 = −8m
    expect(r.ffo_to_debt.value).toBe(-0.04);
  });

  it('LTV without a collateral value is missing', () => {
    expect(computeRatios({ ...HARBOR_FIGURES, collateral_value: null }).ltv).toMatchObject({
      value: null,
      reason: 'missing_input',
      limit: null,
    });
  });

  it('current ratio with no current liabilities is best', () => {
    expect(computeRatios({ ...HARBOR_FIGURES, current_liabilities: 0 }).current_ratio).toMatchObject({ value: null, limit: 'best' });
  });

  it('refuses bad figures', () => {
    expect(errorCode(() => computeRatios({ ...HARBOR_FIGURES, ebitda: Number.NaN }))).toBe('INVALID_INPUT');
    expect(errorCode(() => computeRatios({ ...HARBOR_FIGURES, total_debt: -1 }))).toBe('INVALID_INPUT');
    expect(errorCode(() => computeRatios({ ...HARBOR_FIGURES, floating_rate_share: 1.5 }))).toBe('INVALID_INPUT');
    expect(errorCode(() => computeRatios({ ...HARBOR_FIGURES, ebitda: Infinity }))).toBe('INVALID_INPUT');
  });

  it('refuses a quarterly statement and accepts FY and LTM', () => {
    expect(errorCode(() => annualFigures({ ...HARBOR, period_type: 'Q' }))).toBe('INVALID_INPUT');
    expect(annualFigures(HARBOR)).toEqual(HARBOR_FIGURES);
    expect(annualFigures({ ...HARBOR, period_type: 'FY' })).toEqual(HARBOR_FIGURES);
  });
});
