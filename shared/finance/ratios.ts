/**
 * Fund and deal ratios. Money inputs are integer cents; ratios are floats.
 * A ratio whose denominator is zero is null (never NaN or ±Infinity), and
 * −0 is normalised to 0.
 *
 *   PIC   = Σ contributions paid in
 *   DPI   = distributions ÷ PIC
 *   RVPI  = NAV ÷ PIC
 *   TVPI  = DPI + RVPI (computed as that sum, so the identity holds exactly)
 *   MOIC  = value ÷ invested cost   (deals: realised + unrealised value)
 *   unfunded = commitment − called contributions + recallable distributions
 *              (no floor at 0: a negative result means over-called, which a
 *              report should show rather than hide)
 *   utilisation = allocated ÷ fund size
 */
import type { Cents } from '../money';
import { sumCents } from '../money';
import { MeridianError } from '../errors';
import { assertCents } from './validate';

/** numerator ÷ denominator, or null when the denominator is 0 or the result is not finite. */
export function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0) return null;
  const r = numerator / denominator;
  return Number.isFinite(r) ? r + 0 : null;
}

/** Paid-in capital: the sum of the contributions' amounts (cents). */
export function paidInCapital(contributions: readonly { amount: Cents }[]): Cents {
  for (let i = 0; i < contributions.length; i++) assertCents(contributions[i]!.amount, `contributions.${i}.amount`);
  return sumCents(contributions.map((c) => c.amount));
}

/** Distributions to paid-in. */
export function dpi(distributions: Cents, pic: Cents): number | null {
  return ratio(distributions, pic);
}

/** Residual value (NAV) to paid-in. */
export function rvpi(nav: Cents, pic: Cents): number | null {
  return ratio(nav, pic);
}

/** Total value to paid-in = DPI + RVPI. */
export function tvpi(distributions: Cents, nav: Cents, pic: Cents): number | null {
  const d = dpi(distributions, pic);
  const r = rvpi(nav, pic);
  return d === null || r === null ? null : d + r;
}

/** Multiple on invested capital: total value (realised + unrealised) ÷ invested cost. */
export function moic(value: Cents, investedCost: Cents): number | null {
  return ratio(value, investedCost);
}

/**
 * Unfunded commitment = commitment − called contributions + recallable
 * distributions, in cents. Not floored at zero (see the module note).
 */
export function unfundedCommitment(commitment: Cents, calledContributions: Cents, recallableDistributions: Cents = 0): Cents {
  assertCents(commitment, 'commitment');
  assertCents(calledContributions, 'called');
  assertCents(recallableDistributions, 'recallable');
  const u = commitment - calledContributions + recallableDistributions;
  if (!Number.isSafeInteger(u)) throw new RangeError('unfunded commitment overflowed the safe integer range');
  return u;
}

/** Allocated ÷ fund size. */
export function utilisation(allocated: Cents, size: Cents): number | null {
  return ratio(allocated, size);
}

/**
 * Weights of each key in a total: value ÷ Σ values, keyed as the input (a
 * Map, an iterable of [key, value] pairs — repeated keys are added — or a
 * plain record). The weights sum to 1 up to float rounding. Null when the
 * values sum to 0 (including no values). Negative values (e.g. a short or a
 * negative NAV) are allowed and give negative weights. Throws INVALID_INPUT
 * for a non-finite value.
 */
export function portfolioWeights(
  values: Iterable<readonly [string, number]> | Readonly<Record<string, number>>,
): Map<string, number> | null {
  const entries: Iterable<readonly [string, number]> =
    Symbol.iterator in values
      ? (values as Iterable<readonly [string, number]>)
      : Object.entries(values as Readonly<Record<string, number>>);
  const totals = new Map<string, number>();
  let sum = 0;
  for (const [key, value] of entries) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new MeridianError('INVALID_INPUT', `${key}: ${String(value)} is not a finite number`, { field: key, value });
    }
    totals.set(key, (totals.get(key) ?? 0) + value);
    sum += value;
  }
  if (sum === 0) return null;
  const weights = new Map<string, number>();
  for (const [key, value] of totals) weights.set(key, value / sum + 0);
  return weights;
}
