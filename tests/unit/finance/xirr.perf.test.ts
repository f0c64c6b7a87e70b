import { describe, expect, it } from 'vitest';
import { dayNumber } from '../../../shared/dates';
import { tryXirr, xnpv } from '../../../shared/finance/xirr';
import type { Flow } from '../../../shared/finance/xirr';
import { dateOf, prng } from './helpers';

/**
 * 1,000 funds × 1,000 flows each: calls over the first 5 years, distributions
 * over years 3–12, in shuffled order, with a terminal NAV. The whole batch
 * (parsing the dates included) must take well under a second of CPU time.
 * CPU time, not wall time: the build machines run other test suites at the
 * same time, and a busy scheduler is not what this test is about. On an idle
 * laptop the wall time is about the same (~0.1–0.3 s).
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

describe('xirr performance', () => {
  it('solves 1,000 funds of 1,000 flows in well under a second', () => {
    const funds = Array.from({ length: 1000 }, (_, i) => fund(i + 1));
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const irrs = funds.map((f) => tryXirr(f));
    const wall = performance.now() - wall0;
    const used = process.cpuUsage(cpu0);
    const cpuMs = (used.user + used.system) / 1000;
    console.info(`xirr: 1,000 funds × 1,000 flows in ${cpuMs.toFixed(0)} ms CPU (${wall.toFixed(0)} ms wall)`);
    // Each answer is a real root, not just fast.
    for (let i = 0; i < funds.length; i += 97) {
      const r = irrs[i]!;
      expect(r).not.toBeNull();
      const magnitude = xnpv(r!, funds[i]!.map((f) => ({ date: f.date, amount: Math.abs(f.amount) })));
      expect(Math.abs(xnpv(r!, funds[i]!))).toBeLessThan(1e-10 * magnitude);
    }
    expect(irrs.every((r) => r !== null && r > -1 && r < 1)).toBe(true);
    expect(cpuMs).toBeLessThan(1000);
  });
});
