/**
 * Money is always an integer number of minor units (cents) in the fund's
 * currency. Never do money arithmetic in floating point: these helpers parse
 * and format decimal strings without going through a float.
 */
import { MeridianError } from './errors';

export type Cents = number;

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

/** Largest magnitude we accept: keeps every sum exact in a double. */
export const MAX_CENTS = Number.MAX_SAFE_INTEGER;

/** True when `n` is a safe integer number of cents. */
export function isCents(n: unknown): n is Cents {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/**
 * Parses a decimal amount such as "1208053.71", "1000" or "-5.5" into cents.
 * Returns null when the text is not a plain decimal with at most two decimals.
 */
export function tryParseCents(text: string): Cents | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const whole = m[2]!;
  const frac = (m[3] ?? '').padEnd(2, '0');
  const digits = (whole.replace(/^0+(?=\d)/, '') + frac).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) {
    const big = BigInt(digits);
    if (big > BigInt(MAX_CENTS)) return null;
  }
  const value = Number(digits);
  return m[1] ? -value : value;
}

/** Like tryParseCents but throws a MeridianError naming the field. */
export function parseCents(text: string, field = 'amount'): Cents {
  const v = tryParseCents(text);
  if (v === null) {
    throw new MeridianError('INVALID_AMOUNT', `${field}: "${text}" is not an amount with at most two decimals`, {
      field,
      value: text,
    });
  }
  return v;
}

/** Formats cents as a plain decimal string with two decimals: 120805371 → "1208053.71". */
export function formatCents(cents: Cents): string {
  if (!isCents(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = Math.trunc(abs / 100);
  const frac = abs % 100;
  return `${neg ? '-' : ''}${whole}.${frac.toString().padStart(2, '0')}`;
}

/** Sums cents, throwing if the total leaves the safe-integer range. */
export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += v;
  if (!Number.isSafeInteger(total)) throw new RangeError('sum of cents overflowed the safe integer range');
  return total;
}

/** Formats cents for people: "USD 1,208,053.71" style, locale-aware grouping. */
export function formatMoney(cents: Cents, currency: string, locale = 'en-US'): string {
  const text = formatCents(cents);
  const [whole, frac] = text.replace('-', '').split('.') as [string, string];
  const grouped = BigInt(whole).toLocaleString(locale);
  return `${cents < 0 ? '-' : ''}${currency} ${grouped}.${frac}`;
}
