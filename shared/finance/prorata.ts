/**
 * Pro-rata split of an amount in integer cents by the largest-remainder
 * (Hamilton) method, in exact integer arithmetic (BigInt), so the lines
 * always sum exactly to the total and no float rounding can creep in.
 *
 *   exact share_i = total × w_i / W          (W = Σ w_i)
 *   line_i        = ⌊share_i⌋, then the cents left over (total − Σ ⌊share_i⌋,
 *                   fewer than the number of lines) go one each to the lines
 *                   ranked first by:
 *                     1. larger remainder (total × w_i mod W),
 *                     2. then larger weight,
 *                     3. then key ascending (UTF-16 code-unit order, as `<`).
 *
 * Every line is therefore ⌊share⌋ or ⌊share⌋ + 1 (within one cent of the
 * exact share), a zero-weight line always gets 0, and the result depends
 * only on the (key, weight) pairs and the total — not on the input order.
 * Lines come back in the input order.
 */
import type { Cents } from '../money';
import { MeridianError } from '../errors';

export interface ProRataBasis {
  key: string;
  /** Basis in cents (e.g. the LP's commitment): a non-negative safe integer. */
  weight: number;
}

export interface ProRataLine {
  key: string;
  amount: Cents;
}

function invalid(message: string, details: Record<string, unknown>): MeridianError {
  return new MeridianError('INVALID_INPUT', message, details);
}

/**
 * Splits `totalCents` (a non-negative safe integer) across `basis` pro rata
 * to the weights. Throws INVALID_INPUT for a negative or fractional total or
 * weight, a duplicate or non-string key, or a zero total weight (including an
 * empty basis).
 */
export function splitProRata(totalCents: Cents, basis: readonly ProRataBasis[]): ProRataLine[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) {
    throw invalid(`total: ${String(totalCents)} is not a non-negative whole number of cents`, {
      field: 'total',
      value: totalCents,
    });
  }
  const n = basis.length;
  const seen = new Set<string>();
  let weightSum = 0n;
  const weights: bigint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const b = basis[i]!;
    if (typeof b.key !== 'string') throw invalid(`basis.${i}.key must be a string`, { field: `basis.${i}.key` });
    if (seen.has(b.key)) {
      throw invalid(`basis.${i}.key: "${b.key}" appears more than once`, { field: `basis.${i}.key`, value: b.key });
    }
    seen.add(b.key);
    if (!Number.isSafeInteger(b.weight) || b.weight < 0) {
      throw invalid(`basis.${i}.weight: ${String(b.weight)} is not a non-negative whole number`, {
        field: `basis.${i}.weight`,
        value: b.weight,
      });
    }
    const w = BigInt(b.weight);
    weights[i] = w;
    weightSum += w;
  }
  if (weightSum === 0n) {
    throw invalid('the pro-rata basis has zero total weight', { field: 'basis', lines: n });
  }

  const total = BigInt(totalCents);
  const amounts: number[] = new Array(n);
  const remainders: bigint[] = new Array(n);
  let allocated = 0n;
  for (let i = 0; i < n; i++) {
    const p = total * weights[i]!;
    const q = p / weightSum;
    amounts[i] = Number(q);
    remainders[i] = p % weightSum;
    allocated += q;
  }
  const leftover = Number(total - allocated);
  if (leftover > 0) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      if (ra !== rb) return ra > rb ? -1 : 1;
      const wa = weights[a]!;
      const wb = weights[b]!;
      if (wa !== wb) return wa > wb ? -1 : 1;
      const ka = basis[a]!.key;
      const kb = basis[b]!.key;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    for (let j = 0; j < leftover; j++) {
      const i = order[j]!;
      amounts[i] = amounts[i]! + 1;
    }
  }
  const out: ProRataLine[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { key: basis[i]!.key, amount: amounts[i]! };
  return out;
}
