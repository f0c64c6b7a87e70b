/**
 * XNPV and XIRR as Excel defines them:
 *
 *   XNPV(r) = Σ P_i / (1 + r)^((d_i − d_0) / 365)        (Actual/365 fixed)
 *   XIRR    = the r > −1 with XNPV(r) = 0
 *
 * t0 (d_0): Excel takes the first flow in the array as t0 and returns #NUM!
 * when a later flow is dated earlier. We take the EARLIEST date instead, so
 * the result never depends on the order of the flows and equals Excel's
 * whenever Excel gives one (first flow earliest). The IRR does not depend on
 * t0 at all (changing t0 multiplies XNPV by a positive constant); XNPV is
 * discounted to the earliest date.
 *
 * Root finding works in x = ln(1 + r), where the domain r > −1 is the whole
 * real line and XNPV is a sum of exponentials: Newton's method from the guess
 * (as Excel does); as soon as two evaluations straddle a root we keep that
 * bracket and only accept Newton steps that stay inside it, bisecting
 * otherwise (safeguarded Newton). When Newton fails to find a bracket, the
 * rates around the guess are scanned outward for the nearest sign change (or
 * a dip of XNPV through zero between two scan points, i.e. a pair of roots)
 * and the safeguarded Newton finishes there. So when several rates solve it,
 * the one found from the guess is returned — normally the nearest, as with
 * Excel. Evaluations are scaled so no term ever overflows, whatever the rate.
 *
 * Speed: dates are parsed once into whole-day offsets; one evaluation costs a
 * multiply-add per flow, with discount factors read from two small tables of
 * exact exponentials (≈ 2·√span-in-days of them) rather than one exp per flow.
 * A thousand funds of a thousand flows solve in a small fraction of a second.
 */
import { MeridianError } from '../errors';
import { DAYS_PER_YEAR, tryDayOf } from './daycount';

/** One dated cash flow: negative = paid out by the investor, positive = received. */
export interface Flow {
  /** 'YYYY-MM-DD' */
  date: string;
  amount: number;
}

/** Excel's default guess. */
export const DEFAULT_GUESS = 0.1;

/** Cash flows prepared once for repeated evaluation. */
export interface PreparedFlows {
  /** Day offsets from the earliest flow (whole days ≥ 0). */
  readonly days: Int32Array;
  readonly amounts: Float64Array;
  /** Number of entries in use (zero amounts are dropped). */
  readonly length: number;
}

/** Largest |step| Newton may take in x = ln(1 + r) before the bracket exists. */
const MAX_NEWTON_STEP = 10;
const MAX_NEWTON_ITERATIONS = 60;
const MAX_BRACKET_ITERATIONS = 300;
/** Relative tolerance on x = ln(1 + r); r is good to ~1e-13·(1 + r). */
const X_TOL = 1e-13;
/** Scan limits in x: 1 + r from e^−40 (r ≈ −1 + 4e−18, below which r rounds to −1) to e^710. */
const X_MIN = -40;
const X_MAX = 710;
/** Largest gap between two scan points in x. */
const MAX_SCAN_STEP = 0.5;
/** Longest span of flows we accept, in days (~10,000 years): keeps day offsets small integers. */
const MAX_SPAN_DAYS = 3_660_000;

function invalid(message: string, details: Record<string, unknown> = {}): MeridianError {
  return new MeridianError('INVALID_INPUT', message, details);
}

function finish(days: Int32Array, amounts: Float64Array, k: number, min: number, max: number): PreparedFlows {
  if (max - min > MAX_SPAN_DAYS) throw invalid(`cash flows span ${max - min} days, more than ${MAX_SPAN_DAYS}`);
  for (let i = 0; i < k; i++) days[i] = days[i]! - min;
  return { days, amounts, length: k };
}

/**
 * Parses and validates the flows once: day offsets from the earliest date and
 * amounts, zero amounts dropped. Throws INVALID_DATE / INVALID_INPUT.
 */
export function prepareFlows(flows: readonly Flow[]): PreparedFlows {
  const n = flows.length;
  const days = new Int32Array(n);
  const amounts = new Float64Array(n);
  let k = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const f = flows[i]!;
    const d = tryDayOf(f.date);
    if (Number.isNaN(d)) {
      throw new MeridianError('INVALID_DATE', `flows.${i}.date: "${String(f.date)}" is not a valid YYYY-MM-DD date`, {
        field: `flows.${i}.date`,
        value: f.date,
      });
    }
    const a = f.amount;
    if (typeof a !== 'number' || !Number.isFinite(a)) {
      throw invalid(`flows.${i}.amount: ${String(a)} is not a finite number`, { field: `flows.${i}.amount`, value: a });
    }
    if (d < min) min = d;
    if (d > max) max = d;
    if (a === 0) continue;
    days[k] = d; // days since 1970 fit an Int32 for years 0100–9999
    amounts[k] = a;
    k++;
  }
  return finish(days, amounts, k, min, max);
}

/** Builds prepared flows directly from whole day numbers (from any fixed origin) and amounts. */
export function prepareDays(dayNumbers: ArrayLike<number>, amounts: ArrayLike<number>): PreparedFlows {
  if (dayNumbers.length !== amounts.length) throw invalid('days and amounts differ in length');
  const n = amounts.length;
  const ds = new Int32Array(n);
  const as = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const d = dayNumbers[i]!;
    const a = amounts[i]!;
    if (!Number.isInteger(d) || Math.abs(d) > 2 ** 30) throw invalid(`days.${i}: ${d} is not a whole day number`);
    if (!Number.isFinite(a)) throw invalid(`amounts.${i}: ${a} is not a finite number`);
    if (d < min) min = d;
    if (d > max) max = d;
    if (a === 0) continue;
    ds[k] = d;
    as[k] = a;
    k++;
  }
  return finish(ds, as, k, min, max);
}

/**
 * Day offsets (from the earliest of them) for flows whose day numbers were
 * validated once, to pair with several amount vectors by `withAmounts`
 * (fund metrics solve five XIRRs over the same dates).
 */
export function dayOffsets(dayNumbers: ArrayLike<number>): Int32Array {
  const n = dayNumbers.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = dayNumbers[i]!;
    if (!Number.isInteger(d) || Math.abs(d) > 2 ** 30) throw invalid(`days.${i}: ${d} is not a whole day number`);
    if (d < min) min = d;
    if (d > max) max = d;
  }
  if (max - min > MAX_SPAN_DAYS) throw invalid(`cash flows span ${max - min} days, more than ${MAX_SPAN_DAYS}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = dayNumbers[i]! - min;
  return out;
}

/** Prepared flows from `dayOffsets` and amounts of the same length (zero amounts dropped, as prepareDays does). */
export function withAmounts(offsets: Int32Array, amounts: ArrayLike<number>): PreparedFlows {
  const n = offsets.length;
  if (amounts.length !== n) throw invalid('days and amounts differ in length');
  const ds = new Int32Array(n);
  const as = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const a = amounts[i]!;
    if (!Number.isFinite(a)) throw invalid(`amounts.${i}: ${a} is not a finite number`);
    if (a === 0) continue;
    ds[k] = offsets[i]!;
    as[k] = a;
    k++;
  }
  return { days: ds, amounts: as, length: k };
}

function checkRate(rate: number, field: string): void {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= -1) {
    throw invalid(`${field} must be a finite number greater than -1, got ${String(rate)}`, { field, value: rate });
  }
}

/**
 * Excel XNPV: flows discounted at `rate` (annual, Actual/365) to the earliest
 * flow's date. An empty list is worth 0. Throws INVALID_INPUT for rate ≤ −1.
 */
export function xnpv(rate: number, flows: readonly Flow[]): number {
  checkRate(rate, 'rate');
  return xnpvPrepared(rate, prepareFlows(flows));
}

/** XNPV over prepared flows. */
export function xnpvPrepared(rate: number, p: PreparedFlows): number {
  checkRate(rate, 'rate');
  const lv = Math.log1p(rate) / DAYS_PER_YEAR;
  const { days, amounts, length } = p;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += amounts[i]! * Math.exp(-lv * days[i]!);
  return sum;
}

// ---- root finding ---------------------------------------------------------

/** What the solver needs, fixed for one XIRR. */
interface Problem {
  readonly days: Int32Array;
  readonly amounts: Float64Array;
  readonly n: number;
  readonly maxDay: number;
  /**
   * Discount factors by table when it saves work: e^{−a·j} for a whole day
   * count j is lo[j & (2^shift − 1)] · hi[j >> shift], two small tables of
   * exact exps (≈ 2·√maxDay of them) instead of one exp per flow.
   */
  readonly table: boolean;
  readonly shift: number;
  readonly hiCount: number;
}

function problemOf(p: PreparedFlows, maxDay: number): Problem {
  const shift = Math.max(1, Math.ceil(Math.log2(Math.sqrt(maxDay + 1))));
  const hiCount = (maxDay >> shift) + 1;
  return {
    days: p.days,
    amounts: p.amounts,
    n: p.length,
    maxDay,
    table: (1 << shift) + hiCount < p.length,
    shift,
    hiCount,
  };
}

/** Module scratch, reused by every evaluation (no allocation in the loop). */
let loTable = new Float64Array(64);
let hiTable = new Float64Array(64);
/** Derivative from the last `evaluate` call. */
let lastDerivative = 0;

/** The positive factor `evaluate` scales by at x: e^{x·c/365}, c = 0 for x ≥ 0, the latest day for x < 0. */
function termFactorOffset(x: number, P: Problem): number {
  return x >= 0 ? 0 : P.maxDay;
}

/**
 * XNPV in x = ln(1+r), multiplied by the positive factor e^{x·c/365} that
 * keeps every exponent ≤ 0 (c = 0 for x ≥ 0, c = latest day for x < 0), so
 * no term overflows at any rate. The sign and the Newton ratio h/h' are
 * those of the true XNPV. Sets lastDerivative.
 */
function evaluate(x: number, P: Problem): number {
  const { days, amounts, n } = P;
  const k = x / DAYS_PER_YEAR;
  const c = termFactorOffset(x, P);
  let h = 0;
  let dh = 0;
  if (P.table) {
    // E_i = e^{−|k|·j}, j = d (x ≥ 0) or maxDay − d (x < 0).
    const a = Math.abs(k);
    const shift = P.shift;
    const size = 1 << shift;
    const mask = size - 1;
    if (loTable.length < size) loTable = new Float64Array(size);
    if (hiTable.length < P.hiCount) hiTable = new Float64Array(P.hiCount);
    const lo = loTable;
    const hi = hiTable;
    for (let j = 0; j < size; j++) lo[j] = Math.exp(-a * j);
    const big = a * size;
    for (let m = 0; m < P.hiCount; m++) hi[m] = Math.exp(-big * m);
    if (c === 0) {
      for (let i = 0; i < n; i++) {
        const d = days[i]!;
        const ae = amounts[i]! * lo[d & mask]! * hi[d >> shift]!;
        h += ae;
        dh -= ae * d;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const d = days[i]!;
        const j = c - d;
        const ae = amounts[i]! * lo[j & mask]! * hi[j >> shift]!;
        h += ae;
        dh -= ae * d;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = days[i]!;
      const ae = amounts[i]! * Math.exp(-k * (d - c));
      h += ae;
      dh -= ae * d;
    }
  }
  lastDerivative = dh / DAYS_PER_YEAR;
  return h;
}

/** Σ|P_i|·E_i at x, the scale of `evaluate`'s residual (same factor). */
function magnitude(x: number, P: Problem): number {
  const { days, amounts, n } = P;
  const k = x / DAYS_PER_YEAR;
  const c = termFactorOffset(x, P);
  let mag = 0;
  for (let i = 0; i < n; i++) mag += Math.abs(amounts[i]! * Math.exp(-k * (days[i]! - c)));
  return mag;
}

function converged(step: number, x: number): boolean {
  return Math.abs(step) <= X_TOL * (1 + Math.abs(x));
}

/**
 * Safeguarded Newton inside a bracket h(xNeg) < 0 < h(xPos), starting from
 * `start` when it lies inside. Always converges (bisection at worst).
 */
function solveInBracket(xNeg: number, xPos: number, start: number, P: Problem): number {
  const inside = start > Math.min(xNeg, xPos) && start < Math.max(xNeg, xPos);
  let x = inside ? start : 0.5 * (xNeg + xPos);
  let prevStep = Math.abs(xPos - xNeg);
  for (let it = 0; it < MAX_BRACKET_ITERATIONS; it++) {
    const h = evaluate(x, P);
    const dh = lastDerivative;
    if (h === 0) return x;
    if (h < 0) xNeg = x;
    else xPos = x;
    const lo = xNeg < xPos ? xNeg : xPos;
    const hi = xNeg < xPos ? xPos : xNeg;
    if (converged(hi - lo, x)) return x;
    const newton = x - h / dh;
    let next: number;
    if (dh !== 0 && newton > lo && newton < hi && Math.abs(newton - x) < 0.5 * prevStep) {
      next = newton;
    } else {
      next = 0.5 * (lo + hi);
    }
    const step = next - x;
    prevStep = Math.abs(step);
    if (converged(step, x)) return next;
    x = next;
  }
  return x;
}

/**
 * Looks for a root between `near` (the end closer to the guess) and `far`,
 * given h and h' at both ends; NaN when none is seen. Besides a plain sign
 * change, it catches a pair of roots inside the interval: when |h| falls
 * from both ends inward, h has an extremum between them; bisecting h' for
 * it stops as soon as h changes sign, which brackets the root nearer `near`.
 */
function rootBetween(near: number, hNear: number, dNear: number, far: number, hFar: number, dFar: number, P: Problem): number {
  if (hFar === 0) return far;
  const sign = hNear < 0 ? -1 : 1;
  if (hFar < 0 !== hNear < 0) return sign < 0 ? solveInBracket(near, far, NaN, P) : solveInBracket(far, near, NaN, P);
  const dir = far > near ? 1 : -1;
  if (!(sign * dNear * dir < 0 && sign * dFar * dir > 0)) return NaN;
  let a = near;
  let b = far;
  let da = dNear;
  for (let it = 0; it < MAX_BRACKET_ITERATIONS; it++) {
    const c = 0.5 * (a + b);
    const hc = evaluate(c, P);
    const dc = lastDerivative;
    if (hc === 0) return c;
    if (hc < 0 !== hNear < 0) return sign < 0 ? solveInBracket(near, c, NaN, P) : solveInBracket(c, near, NaN, P);
    if (dc === 0 || converged(b - a, c)) break;
    if (dc < 0 === da < 0) {
      a = c;
      da = dc;
    } else {
      b = c;
    }
  }
  return NaN;
}

/**
 * Scans outward from x0 (both sides, nearest first; steps growing from 0.02
 * to at most MAX_SCAN_STEP in x) for a root, and solves there. Returns NaN
 * when none is found in [X_MIN, X_MAX].
 */
function scanAndSolve(x0: number, P: Problem): number {
  const h0 = evaluate(x0, P);
  if (h0 === 0) return x0;
  const d0 = lastDerivative;
  let xr = x0;
  let hr = h0;
  let dr = d0;
  let xl = x0;
  let hl = h0;
  let dl = d0;
  let offset = 0;
  let step = 0.02;
  let rightOpen = x0 < X_MAX;
  let leftOpen = x0 > X_MIN;
  while (rightOpen || leftOpen) {
    offset += step;
    step = Math.min(step * 1.5, MAX_SCAN_STEP);
    if (rightOpen) {
      const x = Math.min(x0 + offset, X_MAX);
      const h = evaluate(x, P);
      const d = lastDerivative;
      const root = rootBetween(xr, hr, dr, x, h, d, P);
      if (!Number.isNaN(root)) return root;
      xr = x;
      hr = h;
      dr = d;
      rightOpen = x < X_MAX;
    }
    if (leftOpen) {
      const x = Math.max(x0 - offset, X_MIN);
      const h = evaluate(x, P);
      const d = lastDerivative;
      const root = rootBetween(xl, hl, dl, x, h, d, P);
      if (!Number.isNaN(root)) return root;
      xl = x;
      hl = h;
      dl = d;
      leftOpen = x > X_MIN;
    }
  }
  return NaN;
}

/** Finds x = ln(1 + r) with XNPV = 0 near x0, or NaN. */
function solve(x0: number, P: Problem): number {
  let x = x0;
  let haveNeg = false;
  let havePos = false;
  let xNeg = 0;
  let xPos = 0;
  for (let it = 0; it < MAX_NEWTON_ITERATIONS; it++) {
    const h = evaluate(x, P);
    const dh = lastDerivative;
    if (h === 0) return x;
    if (h < 0) {
      haveNeg = true;
      xNeg = x;
    } else {
      havePos = true;
      xPos = x;
    }
    // Two iterates straddle a root: finish inside that bracket, starting
    // from this iterate's Newton point when it falls inside.
    if (haveNeg && havePos) return solveInBracket(xNeg, xPos, x - h / dh, P);
    if (dh === 0 || !Number.isFinite(dh)) break;
    let step = h / dh;
    if (!Number.isFinite(step)) break;
    if (converged(step, x)) {
      // A tiny Newton step with a residual that is small relative to the
      // terms is a root (possibly a double one that never changes sign).
      if (Math.abs(h) <= 1e-9 * magnitude(x, P)) return x - step;
      break;
    }
    if (step > MAX_NEWTON_STEP) step = MAX_NEWTON_STEP;
    else if (step < -MAX_NEWTON_STEP) step = -MAX_NEWTON_STEP;
    x -= step;
    if (x < X_MIN || x > X_MAX) break;
  }
  return scanAndSolve(x0, P);
}

/**
 * XIRR over prepared flows (see `xirr`). Throws NO_SIGN_CHANGE or NO_ROOT.
 */
export function xirrPrepared(p: PreparedFlows, guess: number = DEFAULT_GUESS): number {
  checkRate(guess, 'guess');
  const { days, amounts, length: n } = p;
  let pos = false;
  let neg = false;
  let maxDay = 0;
  for (let i = 0; i < n; i++) {
    const a = amounts[i]!;
    if (a > 0) pos = true;
    else if (a < 0) neg = true;
    const d = days[i]!;
    if (d > maxDay) maxDay = d;
  }
  if (!pos || !neg) {
    throw new MeridianError('NO_SIGN_CHANGE', 'XIRR needs at least one negative and one positive cash flow', {
      hasPositive: pos,
      hasNegative: neg,
    });
  }
  if (maxDay === 0) {
    throw new MeridianError('NO_ROOT', 'XIRR is undefined when every cash flow falls on the same date', { flows: n });
  }
  const x = solve(Math.log1p(guess), problemOf(p, maxDay));
  const r = Math.expm1(x);
  if (!Number.isFinite(r) || r <= -1) {
    throw new MeridianError(
      'NO_ROOT',
      Number.isNaN(x)
        ? 'XIRR found no rate at which the net present value is zero'
        : 'XIRR lies beyond the representable range of rates',
      { guess },
    );
  }
  return r;
}

/**
 * Excel XIRR: the annual rate r > −1 (Actual/365) at which XNPV is zero.
 * Flows may be in any order (see the module note on t0). Zero amounts are
 * ignored. When several rates qualify, the one the search reaches from
 * `guess` (default 0.1, Excel's) is returned — normally the nearest.
 *
 * Throws MeridianError NO_SIGN_CHANGE when the non-zero flows all have the
 * same sign, NO_ROOT when no rate solves it (or all flows share one date),
 * INVALID_DATE / INVALID_INPUT for malformed flows or a guess ≤ −1.
 */
export function xirr(flows: readonly Flow[], guess: number = DEFAULT_GUESS): number {
  checkRate(guess, 'guess');
  return xirrPrepared(prepareFlows(flows), guess);
}

/**
 * Like `xirr` but returns null when there is no IRR (NO_SIGN_CHANGE or
 * NO_ROOT). Malformed input (bad dates, non-finite amounts) still throws:
 * that is a bug to surface, not a missing metric.
 */
export function tryXirr(flows: readonly Flow[], guess: number = DEFAULT_GUESS): number | null {
  return tryXirrPrepared(prepareFlows(flows), guess);
}

/** `tryXirr` over prepared flows. */
export function tryXirrPrepared(p: PreparedFlows, guess: number = DEFAULT_GUESS): number | null {
  try {
    return xirrPrepared(p, guess);
  } catch (e) {
    if (e instanceof MeridianError && (e.code === 'NO_SIGN_CHANGE' || e.code === 'NO_ROOT')) return null;
    throw e;
  }
}
