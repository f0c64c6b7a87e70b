import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCents, formatMoney, tryParseCents } from '../../../shared/money';

describe('money in cents', () => {
  it('parses decimals without floating point', () => {
    expect(tryParseCents('1208053.71')).toBe(120805371);
    expect(tryParseCents('0.1')).toBe(10);
    expect(tryParseCents('1000')).toBe(100000);
    expect(tryParseCents('-5.5')).toBe(-550);
    expect(tryParseCents('90071992547409.91')).toBe(9007199254740991);
    expect(tryParseCents('90071992547409.92')).toBeNull(); // beyond safe integers
    for (const bad of ['1.234', '1,000.00', '1e3', '', '.5', '12.', 'abc', '1 000']) expect(tryParseCents(bad), bad).toBeNull();
  });

  it('formats two decimals and groups for people', () => {
    expect(formatCents(120805371)).toBe('1208053.71');
    expect(formatCents(-5)).toBe('-0.05');
    expect(formatMoney(120805371, 'USD')).toBe('USD 1,208,053.71');
    expect(formatMoney(-100, 'EUR')).toBe('-EUR 1.00');
  });

  it('format then parse is the identity on safe integers', () => {
    fc.assert(fc.property(fc.maxSafeInteger().filter((n) => n > -Number.MAX_SAFE_INTEGER), (n) => tryParseCents(formatCents(n)) === n));
  });
});
