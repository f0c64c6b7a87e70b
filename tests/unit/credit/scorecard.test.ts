import { describe, expect, it } from 'vitest';
import { DEFAULT_METHODOLOGY, scorecardMethodologySchema, scorecardResultSchema, type ScorecardMethodology } from '../../../shared/domain/credit';
import { applyOverride, applyScorecard, bandFor, ratingForScore, validateMethodology } from '../../../shared/finance/credit/scorecard';
import { HARBOR_FIGURES, STRONG, errorCode } from './fixtures';

const M = DEFAULT_METHODOLOGY;

describe('default methodology', () => {
  it('is valid data: weights sum to 1, bands ordered, scale complete', () => {
    expect(scorecardMethodologySchema.parse(M)).toEqual(M);
    expect(M.factors.reduce((s, f) => s + f.weight, 0)).toBeCloseTo(1, 12);
    expect(M.rating_scale.map((g) => g.grade)).toEqual(['bbb', 'bb+', 'bb', 'bb-', 'b+', 'b', 'b-', 'ccc+', 'ccc', 'cc']);
    expect(Object.isFrozen(M.factors[0]!.bands)).toBe(true);
  });

  it('bands are direction-aware and inclusive at their bounds', () => {
    const lev = M.factors.find((f) => f.metric === 'total_leverage')!;
    expect(bandFor(lev, 1.5)).toEqual({ index: 0, score: 10 });
    expect(bandFor(lev, 5)).toEqual({ index: 5, score: 5 });
    expect(bandFor(lev, 5.0001)).toEqual({ index: 6, score: 4 });
    expect(bandFor(lev, 12)).toEqual({ index: 9, score: 1 });
    const ic = M.factors.find((f) => f.metric === 'interest_coverage')!;
    expect(bandFor(ic, 2.5)).toEqual({ index: 5, score: 5 });
    expect(bandFor(ic, 2.4999)).toEqual({ index: 6, score: 4 });
    expect(bandFor(ic, 0.3)).toEqual({ index: 9, score: 1 });
  });

  it('maps scores to grades with inclusive minimums', () => {
    expect(ratingForScore(M, 10).grade).toBe('bbb');
    expect(ratingForScore(M, 5.5).grade).toBe('b+');
    expect(ratingForScore(M, 5.499999).grade).toBe('b');
    expect(ratingForScore(M, 1).grade).toBe('cc');
  });
});

describe('scorecard: known bands → known rating and PD', () => {
  it('Strong Co scores 7.5 → bb, PD 0.65 %', () => {
    const r = applyScorecard(STRONG, M);
    expect(r.factors.map((f) => [f.key, f.band_index, f.score])).toEqual([
      ['leverage', 3, 7], // 3.5x ≤ 4.0x
      ['interest_cover', 2, 8], // 5.0x ≥ 4.5x
      ['fixed_charge_cover', 2, 8], // 8.0 ÷ 3.5 = 2.29x ≥ 2.0x
      ['ffo_to_debt', 3, 7], // 7.1 ÷ 35 = 20.3 % ≥ 20 %
      ['loan_to_value', 2, 8], // 40 % ≤ 45 %
      ['liquidity', 3, 7], // 1.6x ≥ 1.5x
    ]);
    expect(r.factors[0]).toMatchObject({ value: 3.5, basis: 'value', weight: 0.25, applied_weight: 0.25, contribution: 1.75 });
    expect(r.weighted_score).toBe(7.5);
    expect(r).toMatchObject({ model_rating: 'bb', model_risk_rating: 3, model_pd: 0.0065, final_rating: 'bb', final_pd: 0.0065, override: null, override_notches: 0 });
    expect(scorecardResultSchema.parse(r)).toEqual(r);
  });

  it('Harbor lands exactly on the b+ boundary (5.5) despite float noise in 0.15 × 6', () => {
    const r = applyScorecard(HARBOR_FIGURES, M);
    expect(r.factors.map((f) => f.score)).toEqual([5, 5, 6, 4, 7, 7]);
    expect(r.weighted_score).toBe(5.5);
    expect(r).toMatchObject({ model_rating: 'b+', model_risk_rating: 5, model_pd: 0.02 });
  });

  it('a loss-making, over-levered borrower takes the worst score everywhere: cc', () => {
    const r = applyScorecard(
      { ...HARBOR_FIGURES, ebitda: -500_000_000, ebit: -900_000_000, ebita: -800_000_000, collateral_value: 19_000_000_000, current_assets: 2_000_000_000 },
      M,
    );
    expect(r.factors.map((f) => f.basis)).toEqual(['not_meaningful_worst', 'not_meaningful_worst', 'not_meaningful_worst', 'value', 'value', 'value']);
    expect(r.weighted_score).toBe(1);
    expect(r).toMatchObject({ model_rating: 'cc', model_pd: 0.35 });
  });

  it('no interest to cover scores as the best band', () => {
    const r = applyScorecard({ ...STRONG, interest_expense: 0 }, M);
    expect(r.factors[1]).toMatchObject({ basis: 'not_meaningful_best', band_index: 0, score: 10, value: null, reason: 'zero_denominator' });
  });

  it('a missing collateral value re-weights the other factors (default) or scores worst', () => {
    const noColl = { ...HARBOR_FIGURES, collateral_value: null };
    const r = applyScorecard(noColl, M);
    const ltv = r.factors.find((f) => f.key === 'loan_to_value')!;
    expect(ltv).toMatchObject({ basis: 'missing_excluded', score: null, applied_weight: 0, contribution: 0 });
    expect(r.factors[0]!.applied_weight).toBeCloseTo(0.25 / 0.85, 15);
    expect(r.weighted_score).toBe(Math.round((4.45 / 0.85) * 1e6) / 1e6); // 5.235294
    expect(r.model_rating).toBe('b');
    const worst = applyScorecard(noColl, { ...M, missing_factor_policy: 'worst_score' });
    expect(worst.weighted_score).toBe(4.6);
    expect(worst.model_rating).toBe('b-');
  });

  it('refuses when nothing can be scored', () => {
    const only: ScorecardMethodology = { ...M, factors: [{ ...M.factors[4]!, weight: 1 }] };
    expect(errorCode(() => applyScorecard({ ...HARBOR_FIGURES, collateral_value: null }, only))).toBe('INSUFFICIENT_DATA');
  });
});

describe('rating override', () => {
  const model = applyScorecard(HARBOR_FIGURES, M);

  it('sets the final rating and PD, keeps the model rating', () => {
    const r = applyScorecard(HARBOR_FIGURES, M, { rating: 'b', reason: '  Customer concentration: top client is 45 % of revenue ' });
    expect(r).toMatchObject({
      model_rating: 'b+',
      model_pd: 0.02,
      final_rating: 'b',
      final_risk_rating: 6,
      final_pd: 0.0325,
      override_notches: 1,
      override: { rating: 'b', reason: 'Customer concentration: top client is 45 % of revenue' },
    });
    expect(applyOverride(r, M, null)).toEqual(model);
  });

  it('refuses a grade off the scale or an empty reason', () => {
    expect(errorCode(() => applyOverride(model, M, { rating: 'aaa', reason: 'x' }))).toBe('INVALID_INPUT');
    expect(errorCode(() => applyOverride(model, M, { rating: 'b', reason: '   ' }))).toBe('INVALID_INPUT');
  });
});

describe('methodology validation', () => {
  it('refuses weights that do not sum to 1, misordered bands and an incomplete scale', () => {
    const badWeights = { ...M, factors: M.factors.map((f) => ({ ...f, weight: 0.1 })) };
    expect(errorCode(() => validateMethodology(badWeights))).toBe('INVALID_INPUT');
    const lev = M.factors[0]!;
    const badBands = { ...M, factors: [{ ...lev, bands: [...lev.bands].reverse() }, ...M.factors.slice(1)] };
    expect(errorCode(() => validateMethodology(badBands))).toBe('INVALID_INPUT');
    const badScale = { ...M, rating_scale: M.rating_scale.slice(0, 5) };
    expect(errorCode(() => validateMethodology(badScale))).toBe('INVALID_INPUT');
    const badPd = { ...M, rating_scale: M.rating_scale.map((g, i) => (i === 3 ? { ...g, pd: 0.001 } : g)) };
    expect(errorCode(() => validateMethodology(badPd))).toBe('INVALID_INPUT');
    const dup = { ...M, factors: [...M.factors.slice(0, 5), { ...M.factors[5]!, key: 'leverage' }] };
    expect(errorCode(() => validateMethodology(dup))).toBe('INVALID_INPUT');
  });

  it('names every problem', () => {
    try {
      validateMethodology({ ...M, version: 0, factors: M.factors.map((f) => ({ ...f, weight: 0.1 })) });
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('version');
      expect(msg).toContain('weights must sum to 1');
      return;
    }
    throw new Error('expected an error');
  });
});
