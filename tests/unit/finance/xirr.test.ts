import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../shared/dates';
import { tryXirr, xirr, xnpv } from '../../../shared/finance/xirr';
import type { Flow } from '../../../shared/finance/xirr';
import { dateOf, errorCode } from './helpers';

// Microsoft's XIRR / XNPV documentation example
// (https://support.microsoft.com/office/xirr-function-de1242ec-6477-445b-b11b-a303ad9adc9d and
//  https://support.microsoft.com/office/xnpv-function-1b42bbf6-370f-4532-a0eb-d67c16b664b7):
// XIRR = 0.373362535 (37.34 %), XNPV at 9 % = 2,086.65.
// Excel stops its Newton iteration at a 1e-8 tolerance (0.000001 %), so its
// 0.373362535 is the root to ~1e-8; the exact root is 0.37336253351883…,
// which we return (XNPV there is ~1e-12), hence the 8-decimal comparisons.
const MS_FLOWS: Flow[] = [
  { date: '2008-01-01', amount: -10_000 },
  { date: '2008-03-01', amount: 2_750 },
  { date: '2008-10-30', amount: 4_250 },
  { date: '2009-02-15', amount: 3_250 },
  { date: '2009-04-01', amount: 2_750 },
];

/** Σ|P_i|/(1+r)^t_i: the scale against which a residual XNPV is judged. */
function scale(rate: number, flows: readonly Flow[]): number {
  return xnpv(
    rate,
    flows.map((f) => ({ date: f.date, amount: Math.abs(f.amount) })),
  );
}

/**
 * How far XNPV may be from 0 at a returned rate r: float noise in the sum
 * (relative to `scale`) plus the slope of XNPV times one unit in the last
 * place of r — near r = −1 the double closest to the root can be far from
 * it in 1 + r, and no solver can do better than the nearest double.
 */
function tolerance(rate: number, flows: readonly Flow[], relative: number): number {
  const t0 = Math.min(...flows.map((f) => dayNumber(f.date)));
  let slope = 0;
  for (const f of flows) {
    const t = (dayNumber(f.date) - t0) / 365;
    slope += t * Math.abs(f.amount) * Math.exp(-(t + 1) * Math.log1p(rate));
  }
  const ulp = Number.EPSILON * Math.max(1, Math.abs(rate));
  return relative * scale(rate, flows) + 2 * slope * ulp;
}

// Conventional fund flows: 1–5 contributions in the first 90 days, 1–20
// distributions from day 365 to year 12, returning between 0.2× and 5× the
// money. One sign change in time order ⇒ exactly one IRR, and a moderate one.
const conventionalFlows = fc
  .record({
    start: fc.integer({ min: dayNumber('1995-01-01'), max: dayNumber('2035-01-01') }),
    invest: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 90 }), amount: fc.integer({ min: 1_000_000, max: 5_000_000_000 }) }), {
      minLength: 1,
      maxLength: 5,
    }),
    multiple: fc.double({ min: 0.2, max: 5, noNaN: true }),
    returns: fc.array(fc.record({ offset: fc.integer({ min: 365, max: 365 * 12 }), weight: fc.integer({ min: 1, max: 1000 }) }), {
      minLength: 1,
      maxLength: 20,
    }),
  })
  .map(({ start, invest, multiple, returns }) => {
    const invested = invest.reduce((s, f) => s + f.amount, 0);
    const totalWeight = returns.reduce((s, f) => s + f.weight, 0);
    const flows: Flow[] = invest.map((f) => ({ date: dateOf(start + f.offset), amount: -f.amount }));
    for (const r of returns) {
      flows.push({ date: dateOf(start + r.offset), amount: Math.round((invested * multiple * r.weight) / totalWeight) });
    }
    return flows;
  });

// Arbitrary flows: any signs, any order, possibly no IRR or several.
const anyFlows = fc.array(
  fc.record({
    date: fc.integer({ min: dayNumber('2000-01-01'), max: dayNumber('2015-12-31') }).map(dateOf),
    amount: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  }),
  { minLength: 1, maxLength: 30 },
);

describe('xnpv', () => {
  it("matches Microsoft's example: 2,086.65 at 9 %", () => {
    expect(xnpv(0.09, MS_FLOWS)).toBeCloseTo(2086.65, 2);
    // Excel shows 2086.647602 at full precision.
    expect(xnpv(0.09, MS_FLOWS)).toBeCloseTo(2086.647602, 6);
  });

  it('discounts to the earliest date whatever the order of the flows', () => {
    const reversed = [...MS_FLOWS].reverse();
    expect(xnpv(0.09, reversed)).toBeCloseTo(2086.647602, 6);
  });

  it('is the plain sum at 0 % and 0 for no flows', () => {
    expect(xnpv(0, MS_FLOWS)).toBe(3_000);
    expect(xnpv(0.05, [])).toBe(0);
  });

  it('discounts a flow one Actual/365 year away by exactly 1 + r', () => {
    // 2021-01-01 → 2022-01-01 is 365 days; 2020 → 2021 is 366 days.
    expect(xnpv(0.1, [{ date: '2021-01-01', amount: 0 }, { date: '2022-01-01', amount: 110 }])).toBeCloseTo(100, 12);
    expect(xnpv(0.1, [{ date: '2020-01-01', amount: 0 }, { date: '2021-01-01', amount: 110 }])).toBeCloseTo(110 / 1.1 ** (366 / 365), 12);
  });

  it('rejects a rate ≤ −1 and bad input', () => {
    expect(errorCode(() => xnpv(-1, MS_FLOWS))).toBe('INVALID_INPUT');
    expect(errorCode(() => xnpv(Number.NaN, MS_FLOWS))).toBe('INVALID_INPUT');
    expect(errorCode(() => xnpv(0.1, [{ date: '2008-02-30', amount: 1 }]))).toBe('INVALID_DATE');
    expect(errorCode(() => xnpv(0.1, [{ date: '2008-02-01', amount: Number.POSITIVE_INFINITY }]))).toBe('INVALID_INPUT');
  });
});

describe('xirr: worked examples', () => {
  it("matches Microsoft's example: 0.373362535", () => {
    const r = xirr(MS_FLOWS);
    expect(r).toBeCloseTo(0.373362535, 8);
    expect(Math.abs(xnpv(r, MS_FLOWS))).toBeLessThan(1e-9);
  });

  it('does not depend on the order of the flows (Excel would need the earliest first)', () => {
    const shuffled = [MS_FLOWS[3]!, MS_FLOWS[0]!, MS_FLOWS[4]!, MS_FLOWS[2]!, MS_FLOWS[1]!];
    expect(xirr(shuffled)).toBeCloseTo(0.373362535, 8);
  });

  it('solves one-period cases in closed form', () => {
    // 100 → 121 over two Actual/365 years (730 days): 10 %.
    expect(xirr([{ date: '2021-01-01', amount: -100 }, { date: '2023-01-01', amount: 121 }])).toBeCloseTo(0.1, 12);
    // 100 → 110 over 30 days: 1.1^(365/30) − 1 = 2.18868...
    const r = xirr([{ date: '2024-01-01', amount: -100 }, { date: '2024-01-31', amount: 110 }]);
    expect(r / (1.1 ** (365 / 30) - 1) - 1).toBeLessThan(1e-12);
    // Doubling in one day: 2^365 − 1 ≈ 7.5e109 — far outside Newton's comfort zone.
    const huge = xirr([{ date: '2024-01-01', amount: -100 }, { date: '2024-01-02', amount: 200 }]);
    expect(Math.abs(huge / (2 ** 365 - 1) - 1)).toBeLessThan(1e-12);
    // Losing 99 % in one year: −0.99.
    expect(xirr([{ date: '2021-01-01', amount: -100 }, { date: '2022-01-01', amount: 1 }])).toBeCloseTo(-0.99, 12);
  });

  it('returns the root the guess leads to when there are two (−100, +230, −132 → 10 % and 20 %)', () => {
    const flows: Flow[] = [
      { date: '2021-01-01', amount: -100 },
      { date: '2022-01-01', amount: 230 },
      { date: '2023-01-01', amount: -132 },
    ];
    expect(xirr(flows, 0.05)).toBeCloseTo(0.1, 12);
    expect(xirr(flows, 0.3)).toBeCloseTo(0.2, 12);
  });

  it('ignores zero flows', () => {
    const withZero = [{ date: '2001-01-01', amount: 0 }, ...MS_FLOWS, { date: '2030-01-01', amount: 0 }];
    expect(xirr(withZero)).toBeCloseTo(0.373362535, 8);
  });

  it('throws NO_SIGN_CHANGE when every flow has the same sign', () => {
    expect(errorCode(() => xirr([{ date: '2021-01-01', amount: 100 }, { date: '2022-01-01', amount: 5 }]))).toBe('NO_SIGN_CHANGE');
    expect(errorCode(() => xirr([{ date: '2021-01-01', amount: -100 }, { date: '2022-01-01', amount: 0 }]))).toBe('NO_SIGN_CHANGE');
    expect(errorCode(() => xirr([]))).toBe('NO_SIGN_CHANGE');
  });

  it('throws NO_ROOT when the flows change sign but no rate solves them', () => {
    // −100 + 50v − 100v² < 0 for every v > 0 (discriminant 2,500 − 40,000 < 0).
    const flows: Flow[] = [
      { date: '2021-01-01', amount: -100 },
      { date: '2022-01-01', amount: 50 },
      { date: '2023-01-01', amount: -100 },
    ];
    expect(errorCode(() => xirr(flows))).toBe('NO_ROOT');
    expect(tryXirr(flows)).toBeNull();
    // All on one date: no rate is defined.
    expect(errorCode(() => xirr([{ date: '2021-01-01', amount: -100 }, { date: '2021-01-01', amount: 120 }]))).toBe('NO_ROOT');
  });

  it('tryXirr returns null for no IRR but still throws on malformed input', () => {
    expect(tryXirr([{ date: '2021-01-01', amount: 100 }])).toBeNull();
    expect(tryXirr(MS_FLOWS)).toBeCloseTo(0.373362535, 8);
    expect(errorCode(() => tryXirr([{ date: '21-01-01', amount: -1 }, { date: '2022-01-01', amount: 2 }]))).toBe('INVALID_DATE');
    expect(errorCode(() => xirr(MS_FLOWS, -1))).toBe('INVALID_INPUT');
  });
});

describe('xirr: properties', () => {
  it('always finds the unique IRR of conventional flows, and XNPV there is ~0 with a sign change across it', () => {
    fc.assert(
      fc.property(conventionalFlows, (flows) => {
        const r = xirr(flows);
        expect(Math.abs(xnpv(r, flows))).toBeLessThanOrEqual(tolerance(r, flows, 1e-10));
        const d = 1e-7 * (1 + r);
        expect(xnpv(r - d, flows)).toBeGreaterThan(0);
        expect(xnpv(r + d, flows)).toBeLessThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('XNPV at any rate XIRR returns is ~0; otherwise the error is NO_SIGN_CHANGE exactly when there is no sign change, else NO_ROOT', () => {
    fc.assert(
      fc.property(anyFlows, fc.double({ min: -0.9, max: 2, noNaN: true }), (flows, guess) => {
        const hasPos = flows.some((f) => f.amount > 0);
        const hasNeg = flows.some((f) => f.amount < 0);
        let r: number;
        try {
          r = xirr(flows, guess);
        } catch {
          const code = errorCode(() => xirr(flows, guess));
          expect(code).toBe(hasPos && hasNeg ? 'NO_ROOT' : 'NO_SIGN_CHANGE');
          return;
        }
        expect(hasPos && hasNeg).toBe(true);
        expect(r).toBeGreaterThan(-1);
        expect(Math.abs(xnpv(r, flows))).toBeLessThanOrEqual(tolerance(r, flows, 1e-9));
      }),
      { numRuns: 1000 },
    );
  });

  it('scaling every flow by a positive constant leaves the IRR unchanged', () => {
    fc.assert(
      fc.property(conventionalFlows, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (flows, k) => {
        const scaled = flows.map((f) => ({ date: f.date, amount: f.amount * k }));
        expect(xirr(scaled)).toBeCloseTo(xirr(flows), 10);
      }),
      { numRuns: 300 },
    );
  });

  it('shifting every date by the same number of days leaves the IRR unchanged', () => {
    fc.assert(
      fc.property(conventionalFlows, fc.integer({ min: -5000, max: 5000 }), (flows, shift) => {
        const shifted = flows.map((f) => ({ date: dateOf(dayNumber(f.date) + shift), amount: f.amount }));
        expect(xirr(shifted)).toBe(xirr(flows));
      }),
      { numRuns: 300 },
    );
  });

  it('the order of the flows does not matter', () => {
    fc.assert(
      fc.property(
        conventionalFlows.chain((flows) => fc.tuple(fc.constant(flows), fc.shuffledSubarray(flows, { minLength: flows.length }))),
        ([flows, shuffled]) => {
          expect(xirr(shuffled)).toBeCloseTo(xirr(flows), 11);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws NO_SIGN_CHANGE for one-signed flows', () => {
    fc.assert(
      fc.property(anyFlows, fc.boolean(), (flows, positive) => {
        const oneSigned = flows.map((f) => ({ date: f.date, amount: positive ? Math.abs(f.amount) : -Math.abs(f.amount) }));
        expect(errorCode(() => xirr(oneSigned))).toBe('NO_SIGN_CHANGE');
        expect(tryXirr(oneSigned)).toBeNull();
      }),
    );
  });
});
