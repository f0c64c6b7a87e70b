import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitProRata } from '../../../shared/finance/prorata';
import type { ProRataBasis } from '../../../shared/finance/prorata';
import { errorCode } from './helpers';

const basisArb = (maxWeight: number) =>
  fc.uniqueArray(fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), weight: fc.integer({ min: 0, max: maxWeight }) }), {
    minLength: 1,
    maxLength: 30,
    selector: (b) => b.key,
  }).filter((b) => b.some((x) => x.weight > 0));

const amounts = (lines: { amount: number }[]) => lines.map((l) => l.amount);

describe('splitProRata: worked examples', () => {
  it('splits 1.00 three ways: the spare cent goes to the smallest key on a full tie', () => {
    // 100 × 1/3 = 33.33…: floors 33, 33, 33; one cent left; equal remainders
    // and weights → key ascending → "a".
    const lines = splitProRata(100, [
      { key: 'c', weight: 1 },
      { key: 'b', weight: 1 },
      { key: 'a', weight: 1 },
    ]);
    expect(lines).toEqual([
      { key: 'c', amount: 33 },
      { key: 'b', amount: 33 },
      { key: 'a', amount: 34 },
    ]);
  });

  it('gives the spare cent to the larger remainder first', () => {
    // 10 cents by 1 : 2 : 4 (W = 7): exact 1.43, 2.86, 5.71 → floors 1, 2, 5,
    // remainders 3/7, 6/7, 5/7; two cents left → b (6/7) then c (5/7).
    expect(amounts(splitProRata(10, [{ key: 'a', weight: 1 }, { key: 'b', weight: 2 }, { key: 'c', weight: 4 }]))).toEqual([1, 3, 6]);
  });

  it('breaks a remainder tie by the larger weight before the key', () => {
    // 2 cents by 1 : 3 (W = 4): exact 0.5 and 1.5, both remainders 2/4; the
    // larger weight ("b") wins although "a" sorts first.
    expect(amounts(splitProRata(2, [{ key: 'a', weight: 1 }, { key: 'b', weight: 3 }]))).toEqual([0, 2]);
  });

  it('splits a capital call across LP commitments exactly', () => {
    // Call 1,000,000.00 on commitments 5m, 3m, 2m: 500,000 / 300,000 / 200,000.
    const lines = splitProRata(100_000_000, [
      { key: 'lp-1', weight: 500_000_000 },
      { key: 'lp-2', weight: 300_000_000 },
      { key: 'lp-3', weight: 200_000_000 },
    ]);
    expect(amounts(lines)).toEqual([50_000_000, 30_000_000, 20_000_000]);
  });

  it('gives zero-weight lines nothing and handles a zero total', () => {
    expect(amounts(splitProRata(7, [{ key: 'a', weight: 0 }, { key: 'b', weight: 5 }]))).toEqual([0, 7]);
    expect(amounts(splitProRata(0, [{ key: 'a', weight: 1 }, { key: 'b', weight: 5 }]))).toEqual([0, 0]);
  });

  it('is exact for amounts where total × weight exceeds 2^53', () => {
    const total = Number.MAX_SAFE_INTEGER; // 9,007,199,254,740,991
    const basis = [
      { key: 'a', weight: Number.MAX_SAFE_INTEGER - 2 },
      { key: 'b', weight: 1 },
      { key: 'c', weight: 1 },
    ];
    const lines = splitProRata(total, basis);
    // W = total; exact shares: total − 2, 1, 1.
    expect(amounts(lines)).toEqual([total - 2, 1, 1]);
  });

  it('rejects bad input with INVALID_INPUT', () => {
    const ok: ProRataBasis[] = [{ key: 'a', weight: 1 }];
    expect(errorCode(() => splitProRata(-1, ok))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(1.5, ok))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(Number.NaN, ok))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(2 ** 60, ok))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(1, [{ key: 'a', weight: -1 }, { key: 'b', weight: 2 }]))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(1, [{ key: 'a', weight: 0.5 }]))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(1, [{ key: 'a', weight: 0 }]))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(1, []))).toBe('INVALID_INPUT');
    expect(errorCode(() => splitProRata(1, [{ key: 'a', weight: 1 }, { key: 'a', weight: 2 }]))).toBe('INVALID_INPUT');
  });
});

describe('splitProRata: properties', () => {
  const total = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
  const smallTotal = fc.integer({ min: 0, max: 10_000 });
  const cases = fc.oneof(
    fc.tuple(total, basisArb(Number.MAX_SAFE_INTEGER)),
    fc.tuple(smallTotal, basisArb(1_000_000_000_000)),
    fc.tuple(smallTotal, basisArb(5)), // many ties
  );

  it('lines sum exactly to the total, each within one cent of its exact share, in input order', () => {
    fc.assert(
      fc.property(cases, ([t, basis]) => {
        const lines = splitProRata(t, basis);
        expect(lines.map((l) => l.key)).toEqual(basis.map((b) => b.key));
        expect(lines.reduce((s, l) => s + BigInt(l.amount), 0n)).toBe(BigInt(t));
        const W = basis.reduce((s, b) => s + BigInt(b.weight), 0n);
        lines.forEach((l, i) => {
          expect(Number.isSafeInteger(l.amount)).toBe(true);
          // |amount − t·w/W| < 1  ⇔  |amount·W − t·w| < W
          const diff = BigInt(l.amount) * W - BigInt(t) * BigInt(basis[i]!.weight);
          expect(diff < W && -diff < W).toBe(true);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('depends only on the (key, weight) pairs and the total: any permutation gives each key the same amount', () => {
    fc.assert(
      fc.property(
        cases.chain(([t, basis]) => fc.tuple(fc.constant(t), fc.constant(basis), fc.shuffledSubarray(basis, { minLength: basis.length }))),
        ([t, basis, shuffled]) => {
          const a = new Map(splitProRata(t, basis).map((l) => [l.key, l.amount]));
          const b = new Map(splitProRata(t, shuffled).map((l) => [l.key, l.amount]));
          expect(b).toEqual(a);
          expect(splitProRata(t, basis)).toEqual(splitProRata(t, basis));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a line with a larger weight never gets less than a line with a smaller weight', () => {
    fc.assert(
      fc.property(cases, ([t, basis]) => {
        const lines = splitProRata(t, basis);
        for (let i = 0; i < basis.length; i++) {
          for (let j = 0; j < basis.length; j++) {
            if (basis[i]!.weight > basis[j]!.weight) expect(lines[i]!.amount).toBeGreaterThanOrEqual(lines[j]!.amount);
          }
        }
      }),
    );
  });
});
