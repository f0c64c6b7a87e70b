import { describe, expect, it } from 'vitest';
import { covenantTestSchema } from '../../../shared/domain/credit';
import {
  covenantInForce,
  ebitdaDeclineToBreach,
  solveEbitdaDeclineNumeric,
  testCovenant,
  testCovenants,
} from '../../../shared/finance/credit/covenants';
import { computeRatio } from '../../../shared/finance/credit/ratios';
import { applyEbitdaDecline } from '../../../shared/finance/credit/shock';
import { HARBOR_COVENANTS, HARBOR_FIGURES, covenant, errorCode } from './fixtures';

const byId = (id: string) => HARBOR_COVENANTS.find((c) => c.id === id)!;

describe('covenant tests: worked example', () => {
  const tests = testCovenants(HARBOR_FIGURES, HARBOR_COVENANTS);
  const t = (id: string) => tests.find((x) => x.covenant_id === id)!;

  it('max total leverage 6.0x at 5.0x: 1/6 headroom, 1.0 turn, breached below EBITDA 33.33m', () => {
    expect(t('cov-lev')).toMatchObject({
      facility: 'Unitranche term loan',
      metric: 'total_leverage',
      operator: 'max',
      threshold: 6,
      actual: 5,
      status: 'pass',
      headroom: 1 / 6, // (6 − 5) ÷ 6
      headroom_units: 1,
      breach_ebitda: 3_333_333_333, // 200m ÷ 6, rounded to the cent
      decline_reason: null,
    });
    // For a max-leverage covenant the decline to breach equals the headroom: 1 − 5/6.
    expect(t('cov-lev').ebitda_decline_to_breach).toBeCloseTo(1 / 6, 14);
  });

  it('max senior leverage 4.5x at 3.75x', () => {
    expect(t('cov-senior')).toMatchObject({ actual: 3.75, status: 'pass', headroom: 1 / 6, headroom_units: 0.75 });
    expect(t('cov-senior').ebitda_decline_to_breach).toBeCloseTo(1 / 6, 14);
  });

  it('min interest coverage 2.0x at 2.5x: 25 % headroom, 0.5 turns, EBITDA can fall 20 %', () => {
    expect(t('cov-ic')).toMatchObject({
      actual: 2.5,
      status: 'pass',
      headroom: 0.25, // (2.5 − 2) ÷ 2
      headroom_units: 0.5,
      ebitda_decline_to_breach: 0.2, // EBITDA_b = 2 × 16m = 32m; (40 − 32) ÷ 40
      breach_ebitda: 3_200_000_000,
    });
  });

  it('min fixed-charge coverage 1.25x at 1.667x: EBITDA can fall 21.875 %', () => {
    const x = t('cov-fccr');
    expect(x.status).toBe('pass');
    expect(x.headroom).toBeCloseTo(1 / 3, 14); // (5/3 − 1.25) ÷ 1.25
    expect(x.headroom_units).toBeCloseTo(5 / 3 - 1.25, 14);
    // EBITDA_b = 1.25 × 21m − 5m + 6m + 4m = 31.25m; (40 − 31.25) ÷ 40
    expect(x.ebitda_decline_to_breach).toBe(0.21875);
    expect(x.breach_ebitda).toBe(3_125_000_000);
  });

  it('the other metrics: EBIT coverage, DSCR, FFO ÷ debt, net leverage, LTV, current ratio', () => {
    const f = HARBOR_FIGURES;
    // EBIT ÷ interest ≥ 1.5: EBITDA_b = 40 − 28 + 1.5 × 16 = 36m → 10 %
    expect(testCovenant(f, covenant('e', 'ebit_interest_coverage', 'min', 1.5)).ebitda_decline_to_breach).toBeCloseTo(0.1, 15);
    // DSCR ≥ 1.2: EBITDA_b = 1.2 × 16 + 6 + 4 = 29.2m → 27 %
    expect(testCovenant(f, covenant('d', 'dscr', 'min', 1.2)).ebitda_decline_to_breach).toBeCloseTo(0.27, 15);
    // FFO ÷ debt ≥ 8 %: EBITDA_b = 0.08 × 200 + 14 + 4 = 34m → 15 %
    expect(testCovenant(f, covenant('f', 'ffo_to_debt', 'min', 0.08)).ebitda_decline_to_breach).toBeCloseTo(0.15, 15);
    // net leverage ≤ 5.5x: EBITDA_b = 180 ÷ 5.5 → 1 − 4.5/5.5 = 2/11
    expect(testCovenant(f, covenant('n', 'net_leverage', 'max', 5.5)).ebitda_decline_to_breach).toBeCloseTo(2 / 11, 14);
    const ltv = testCovenant(f, covenant('l', 'ltv', 'max', 0.65));
    expect(ltv).toMatchObject({ status: 'pass', actual: 0.5, ebitda_decline_to_breach: null, decline_reason: 'not_ebitda_sensitive' });
    expect(ltv.headroom).toBeCloseTo(0.15 / 0.65, 15);
    const cr = testCovenant(f, covenant('c', 'current_ratio', 'min', 1.2));
    expect(cr).toMatchObject({ status: 'pass', decline_reason: 'not_ebitda_sensitive' });
    expect(cr.headroom).toBeCloseTo(0.25, 15); // (1.5 − 1.2) ÷ 1.2
  });

  it('every result parses as a stored covenant test', () => {
    for (const x of tests) expect(covenantTestSchema.parse(x)).toEqual(x);
  });
});

describe('covenant tests: boundary and breach', () => {
  it('sitting exactly on the threshold passes with zero headroom', () => {
    const x = testCovenant(HARBOR_FIGURES, covenant('at', 'total_leverage', 'max', 5));
    expect(x).toMatchObject({ status: 'pass', headroom: 0, headroom_units: 0, ebitda_decline_to_breach: 0 });
    const y = testCovenant(HARBOR_FIGURES, covenant('at', 'interest_coverage', 'min', 2.5));
    expect(y).toMatchObject({ status: 'pass', headroom: 0, ebitda_decline_to_breach: 0 });
  });

  it('a breach has negative headroom and a negative decline (the rise that cures)', () => {
    const x = testCovenant(HARBOR_FIGURES, covenant('tight', 'total_leverage', 'max', 4));
    expect(x).toMatchObject({ status: 'breach', headroom: -0.25, headroom_units: -1, breach_ebitda: 5_000_000_000 });
    expect(x.ebitda_decline_to_breach).toBe(-0.25); // EBITDA must rise 25 % to 50m
  });

  it('applying the decline puts the metric exactly on the threshold; one basis point more breaches', () => {
    for (const c of HARBOR_COVENANTS) {
      const d = ebitdaDeclineToBreach(HARBOR_FIGURES, c);
      if (d.decline === null) throw new Error('expected a decline');
      const at = computeRatio(c.metric, applyEbitdaDecline(HARBOR_FIGURES, d.decline)).value!;
      expect(Math.abs(at - c.threshold) / c.threshold).toBeLessThan(1e-12);
      expect(testCovenant(applyEbitdaDecline(HARBOR_FIGURES, d.decline + 1e-4), c).status).toBe('breach');
      expect(testCovenant(applyEbitdaDecline(HARBOR_FIGURES, d.decline - 1e-4), c).status).toBe('pass');
    }
  });

  it('the numeric solver agrees with the closed forms', () => {
    for (const c of [...HARBOR_COVENANTS, covenant('tight', 'total_leverage', 'max', 4), covenant('d', 'dscr', 'min', 2.5)]) {
      const closed = ebitdaDeclineToBreach(HARBOR_FIGURES, c).decline!;
      expect(solveEbitdaDeclineNumeric(HARBOR_FIGURES, c)).toBeCloseTo(closed, 12);
    }
  });

  it('negative EBITDA: leverage covenant breaches and reports the cure', () => {
    const f = { ...HARBOR_FIGURES, ebitda: -1_000_000_000, ebit: -2_000_000_000, ebita: -1_500_000_000 };
    const x = testCovenant(f, byId('cov-lev'));
    expect(x).toMatchObject({ status: 'breach', actual: null, reason: 'negative_denominator', headroom: null });
    // EBITDA_b = 200 ÷ 6 = 33.33m; from −10m that is a rise of 43.33m = 4.333 × |EBITDA|
    expect(x.ebitda_decline_to_breach).toBeCloseTo(-(10 + 200 / 6) / 10, 12);
    expect(solveEbitdaDeclineNumeric(f, byId('cov-lev'))).toBeCloseTo(x.ebitda_decline_to_breach!, 12);
  });

  it('null declines say why', () => {
    expect(testCovenant({ ...HARBOR_FIGURES, ebitda: 0 }, byId('cov-ic')).decline_reason).toBe('ebitda_zero');
    const noDebt = { ...HARBOR_FIGURES, total_debt: 0, senior_debt: 0 };
    expect(testCovenant(noDebt, byId('cov-lev'))).toMatchObject({ status: 'pass', actual: 0, decline_reason: 'no_threshold_crossing' });
    const noInterest = { ...HARBOR_FIGURES, interest_expense: 0 };
    expect(testCovenant(noInterest, byId('cov-ic'))).toMatchObject({ status: 'pass', actual: null, headroom: null, decline_reason: 'no_threshold_crossing' });
    const noCollateral = { ...HARBOR_FIGURES, collateral_value: null };
    expect(testCovenant(noCollateral, covenant('l', 'ltv', 'max', 0.65))).toMatchObject({ status: 'not_tested', decline_reason: 'not_tested' });
  });

  it('refuses a covenant whose operator does not suit its metric, or a bad threshold', () => {
    expect(errorCode(() => testCovenant(HARBOR_FIGURES, covenant('x', 'total_leverage', 'min', 6)))).toBe('INVALID_INPUT');
    expect(errorCode(() => testCovenant(HARBOR_FIGURES, covenant('x', 'total_leverage', 'max', 0)))).toBe('INVALID_INPUT');
    expect(errorCode(() => testCovenant(HARBOR_FIGURES, covenant('x', 'total_leverage', 'max', Number.NaN)))).toBe('INVALID_INPUT');
  });

  it('applies step-downs by period end (inclusive)', () => {
    const early = { ...covenant('s1', 'total_leverage', 'max', 6.5), effective_to: '2024-12-31' };
    const late = { ...covenant('s2', 'total_leverage', 'max', 5.75), effective_from: '2025-01-01' };
    expect(covenantInForce(early, '2024-12-31')).toBe(true);
    expect(covenantInForce(late, '2024-12-31')).toBe(false);
    expect(testCovenants(HARBOR_FIGURES, [early, late], { periodEnd: '2024-12-31' }).map((x) => x.covenant_id)).toEqual(['s1']);
    expect(testCovenants(HARBOR_FIGURES, [early, late], { periodEnd: '2025-03-31' }).map((x) => x.covenant_id)).toEqual(['s2']);
    expect(testCovenants(HARBOR_FIGURES, [early, late])).toHaveLength(2);
  });
});
