import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../shared/dates';
import { tryXirr, xnpv } from '../../../shared/finance/xirr';
import type { Flow } from '../../../shared/finance/xirr';
import { dateOf, prng } from './helpers';

/**
 * Large, realistic flow sets: 1,000 flows per fund (calls over the first 5
 * years, distributions over years 3–12, shuffled, with a terminal NAV). How
 * fast this runs is measured by `npm run bench` (bench/core.ts), never
 * asserted here; this test checks every answer is a real root.
 */
function fund(seed: number): Flow[] {
  const rnd = prng(seed);
  const start = dayNumber('2005-01-01') + Math.floor(rnd() * 3000);
  const flows: Flow[] = [];
  const multiple = 0.5 + rnd() * 2.5;
  let called = 0;
  for (let i = 0; i < 400; i++) {
    const amount = 1_000_000 + Math.floor(rnd() * 50_000_000);
    called += amount;
    flows.push({ date: dateOf(start + Math.floor(rnd() * 5 * 365)), amount: -amount });
  }
  const perDistribution = Math.floor((called * multiple) / 600);
  for (let i = 0; i < 599; i++) {
    flows.push({ date: dateOf(start + 3 * 365 + Math.floor(rnd() * 9 * 365)), amount: Math.floor(perDistribution * (0.5 + rnd())) });
  }
  flows.push({ date: dateOf(start + 12 * 365 + 1), amount: Math.floor(called * 0.1) });
  for (let i = flows.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [flows[i], flows[j]] = [flows[j]!, flows[i]!];
  }
  return flows;
}

describe('xirr on large flow sets', () => {
  it('finds a real root for 200 funds of 1,000 shuffled flows', () => {
    const funds = Array.from({ length: 200 }, (_, i) => fund(i + 1));
    const irrs = funds.map((f) => tryXirr(f));
    for (let i = 0; i < funds.length; i += 7) {
      const r = irrs[i]!;
      expect(r).not.toBeNull();
      const magnitude = xnpv(r!, funds[i]!.map((f) => ({ date: f.date, amount: Math.abs(f.amount) })));
      expect(Math.abs(xnpv(r!, funds[i]!))).toBeLessThan(1e-10 * magnitude);
    }
    expect(irrs.every((r) => r !== null && r > -1 && r < 1)).toBe(true);
  });
});
