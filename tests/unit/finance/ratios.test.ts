import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dpi,
  moic,
  paidInCapital,
  portfolioWeights,
  ratio,
  rvpi,
  tvpi,
  unfundedCommitment,
  utilisation,
} from '../../../shared/finance/ratios';
import { errorCode } from './helpers';

const cents = fc.integer({ min: 0, max: 10_000_000_000_000 }); // up to 100bn in cents

describe('ratios', () => {
  it('computes a worked example', () => {
    // Paid in 1,000,000.00 over two calls; 600,000.00 distributed; NAV 800,000.00.
    const pic = paidInCapital([{ amount: 40_000_000 }, { amount: 60_000_000 }]);
    expect(pic).toBe(100_000_000);
    expect(dpi(60_000_000, pic)).toBe(0.6);
    expect(rvpi(80_000_000, pic)).toBe(0.8);
    expect(tvpi(60_000_000, 80_000_000, pic)).toBeCloseTo(1.4, 15);
    expect(moic(250_000_000, 100_000_000)).toBe(2.5);
    expect(utilisation(47_500_000_00, 50_000_000_00)).toBe(0.95);
  });

  it('gives null, never NaN or Infinity, when the denominator is zero', () => {
    expect(dpi(5, 0)).toBeNull();
    expect(rvpi(0, 0)).toBeNull();
    expect(tvpi(1, 1, 0)).toBeNull();
    expect(moic(100, 0)).toBeNull();
    expect(utilisation(100, 0)).toBeNull();
    expect(ratio(Number.NaN, 1)).toBeNull();
    expect(Object.is(ratio(0, -5), 0)).toBe(true); // −0 normalised
  });

  it('TVPI = DPI + RVPI, and equals (distributions + NAV) ÷ PIC', () => {
    fc.assert(
      fc.property(cents, cents, cents, (distributions, nav, pic) => {
        const t = tvpi(distributions, nav, pic);
        if (pic === 0) {
          expect(t).toBeNull();
          return;
        }
        expect(t).toBe(dpi(distributions, pic)! + rvpi(nav, pic)!);
        expect(Math.abs(t! - (distributions + nav) / pic)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(1, t!));
      }),
    );
  });

  it('unfunded = commitment − called + recallable, with no floor', () => {
    expect(unfundedCommitment(100_000_000, 30_000_000, 5_000_000)).toBe(75_000_000);
    expect(unfundedCommitment(100_000_000, 30_000_000)).toBe(70_000_000);
    expect(unfundedCommitment(100_000_000, 120_000_000, 0)).toBe(-20_000_000);
    expect(errorCode(() => unfundedCommitment(100.5, 0, 0))).toBe('INVALID_AMOUNT');
    fc.assert(
      fc.property(cents, cents, cents, (c, called, rec) => {
        expect(unfundedCommitment(c, called, rec) + called - rec).toBe(c);
      }),
    );
  });

  it('paid-in capital rejects amounts that are not cents', () => {
    expect(paidInCapital([])).toBe(0);
    expect(errorCode(() => paidInCapital([{ amount: 1.5 }]))).toBe('INVALID_AMOUNT');
  });

  it('portfolio weights sum to 1 and keep the keys', () => {
    const w = portfolioWeights({ a: 50, b: 30, c: 20 })!;
    expect([...w.keys()]).toEqual(['a', 'b', 'c']);
    expect(w.get('a')).toBe(0.5);
    expect(w.get('c')).toBe(0.2);
    const merged = portfolioWeights([
      ['x', 1],
      ['y', 2],
      ['x', 1],
    ])!;
    expect(merged.get('x')).toBe(0.5);
    expect(portfolioWeights(new Map([['only', 7]]))!.get('only')).toBe(1);
    expect(portfolioWeights({})).toBeNull();
    expect(portfolioWeights({ a: 0, b: 0 })).toBeNull();
    expect(errorCode(() => portfolioWeights({ a: Number.NaN }))).toBe('INVALID_INPUT');

    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), cents, { minKeys: 1, maxKeys: 40 }), (values) => {
        const weights = portfolioWeights(values);
        const total = Object.values(values).reduce((s, v) => s + v, 0);
        if (total === 0) {
          expect(weights).toBeNull();
          return;
        }
        expect([...weights!.keys()].sort()).toEqual(Object.keys(values).sort());
        const sum = [...weights!.values()].reduce((s, v) => s + v, 0);
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
        for (const [k, v] of Object.entries(values)) expect(weights!.get(k)).toBe(v / total);
      }),
    );
  });
});
