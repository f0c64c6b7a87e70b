/**
 * Public-market equivalents: the fund's cash flows benchmarked against an
 * index. Contributions C_t and distributions D_t are positive cent amounts
 * (paid in / paid out); NAV is the fund's value at asOf = T; I_t is the index
 * level on or before t (see index-series). The index growth to T of a flow
 * at t is g_t = I_T / I_t.
 *
 * - Kaplan–Schoar PME (2005):  KS = (Σ D_t·g_t + NAV) / Σ C_t·g_t
 * - Long–Nickels PME (1996): invest every contribution in the index and take
 *   every distribution out of it; the index position at T is
 *   NAV_LN = Σ C_t·g_t − Σ D_t·g_t. LN-PME is the XIRR of
 *   (−C_t, +D_t, +NAV_LN at T), to compare with the fund's IRR. NAV_LN can
 *   go negative (the method's known flaw); the IRR may then not exist → null.
 * - PME+ (Rouvinez 2003): scale distributions by
 *   λ = (Σ C_t·g_t − NAV) / Σ D_t·g_t so the index position ends at the
 *   fund's NAV; PME+ is the XIRR of (−C_t, +λ·D_t, +NAV at T).
 * - Direct Alpha (Gredil, Griffiths & Stucke 2014): compound every flow to T
 *   with the index, (−C_t·g_t, +D_t·g_t, +NAV at T), and take its XIRR `a`.
 *   `directAlpha` is that annual discrete rate (Actual/365, like XIRR);
 *   `directAlphaContinuous` = ln(1 + a), the continuously compounded alpha
 *   the paper reports.
 *
 * Only flows dated on or before asOf count. If the index has no level on or
 * before asOf or any counted flow's date, every metric is null and
 * `missingIndexDate` names the first such date: we never guess a level.
 * Index-compounded amounts are floats (analytics, not bookkeeping).
 */
import type { Cents } from '../money';
import { levelOnDay, prepareIndexSeries } from './index-series';
import type { IndexLevel, IndexSeries } from './index-series';
import { assertCents, parseDay } from './validate';
import { DEFAULT_GUESS, prepareDays, tryXirrPrepared } from './xirr';

/** A dated amount in cents. */
export interface DatedCents {
  /** 'YYYY-MM-DD' */
  date: string;
  amount: Cents;
}

export interface PmeInput {
  /** Capital paid in by the LPs, positive cents. */
  contributions: readonly DatedCents[];
  /** Capital paid out to the LPs, positive cents. */
  distributions: readonly DatedCents[];
  /** Net asset value at asOf, cents. */
  nav: Cents;
  /** 'YYYY-MM-DD' */
  asOf: string;
  /** Index levels in any order, or a series prepared once with prepareIndexSeries. */
  index: readonly IndexLevel[] | IndexSeries;
}

export interface PmeResult {
  /** Kaplan–Schoar PME; null without contributions or index levels. */
  ksPme: number | null;
  /** Long–Nickels PME: XIRR with the LN terminal NAV (annual rate). */
  lnPme: number | null;
  /** Long–Nickels terminal NAV in (fractional) cents. */
  lnPmeNav: number | null;
  /** PME+: XIRR with λ-scaled distributions (annual rate). */
  pmePlus: number | null;
  /** Rouvinez's λ; null without distributions. */
  pmePlusLambda: number | null;
  /** Direct Alpha as an annual discrete rate (XIRR of index-compounded flows). */
  directAlpha: number | null;
  /** Direct Alpha continuously compounded: ln(1 + directAlpha). */
  directAlphaContinuous: number | null;
  /** The first date (asOf, then flows in input order) with no index level on or before it. */
  missingIndexDate: string | null;
}

function isSeries(index: PmeInput['index']): index is IndexSeries {
  return !Array.isArray(index) && (index as IndexSeries).days instanceof Float64Array;
}

function empty(missingIndexDate: string | null): PmeResult {
  return {
    ksPme: null,
    lnPme: null,
    lnPmeNav: null,
    pmePlus: null,
    pmePlusLambda: null,
    directAlpha: null,
    directAlphaContinuous: null,
    missingIndexDate,
  };
}

/** All four PME measures in one pass over the flows. */
export function computePme(input: PmeInput): PmeResult {
  const asOfDay = parseDay(input.asOf, 'asOf');
  assertCents(input.nav, 'nav');
  const series = isSeries(input.index) ? input.index : prepareIndexSeries(input.index);
  const levelT = levelOnDay(series, asOfDay);
  if (Number.isNaN(levelT)) return empty(input.asOf);

  const nc = input.contributions.length;
  const nd = input.distributions.length;
  const cap = nc + nd + 1;
  const days = new Float64Array(cap);
  const plain = new Float64Array(cap); // −C_t, +D_t
  const grown = new Float64Array(cap); // −C_t·g_t, +D_t·g_t
  let k = 0;
  let fvC = 0;
  let fvD = 0;

  const add = (list: readonly DatedCents[], name: string, sign: number): string | null => {
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      const day = parseDay(f.date, `${name}.${i}.date`);
      assertCents(f.amount, `${name}.${i}.amount`);
      if (day > asOfDay) continue;
      const level = levelOnDay(series, day);
      if (Number.isNaN(level)) return f.date;
      const fv = f.amount * (levelT / level);
      if (sign < 0) fvC += fv;
      else fvD += fv;
      days[k] = day;
      plain[k] = sign * f.amount;
      grown[k] = sign * fv;
      k++;
    }
    return null;
  };
  const missingC = add(input.contributions, 'contributions', -1);
  if (missingC !== null) return empty(missingC);
  const firstDistribution = k;
  const missingD = add(input.distributions, 'distributions', 1);
  if (missingD !== null) return empty(missingD);

  const nav = input.nav;
  const last = k;
  days[last] = asOfDay;
  const n = k + 1;
  const d = days.subarray(0, n);
  const irrWithTerminal = (amounts: Float64Array, terminal: number): number | null => {
    amounts[last] = terminal;
    return tryXirrPrepared(prepareDays(d, amounts.subarray(0, n)), DEFAULT_GUESS);
  };

  const ksPme = fvC === 0 ? null : (fvD + nav) / fvC;

  const lnPmeNav = fvC - fvD;
  const lnPme = irrWithTerminal(plain, lnPmeNav);

  let pmePlusLambda: number | null = null;
  let pmePlus: number | null = null;
  if (fvD !== 0) {
    pmePlusLambda = (fvC - nav) / fvD;
    const scaled = new Float64Array(n);
    for (let i = 0; i < last; i++) scaled[i] = i < firstDistribution ? plain[i]! : plain[i]! * pmePlusLambda;
    pmePlus = irrWithTerminal(scaled, nav);
  }

  const directAlpha = irrWithTerminal(grown, nav);
  return {
    ksPme,
    lnPme,
    lnPmeNav,
    pmePlus,
    pmePlusLambda,
    directAlpha,
    directAlphaContinuous: directAlpha === null ? null : Math.log1p(directAlpha),
    missingIndexDate: null,
  };
}

/** Kaplan–Schoar PME alone (see computePme). */
export function ksPme(input: PmeInput): number | null {
  return computePme(input).ksPme;
}

/** Long–Nickels PME (an annual IRR) alone. */
export function lnPme(input: PmeInput): number | null {
  return computePme(input).lnPme;
}

/** PME+ (an annual IRR) alone. */
export function pmePlus(input: PmeInput): number | null {
  return computePme(input).pmePlus;
}

/** Direct Alpha (annual discrete rate) alone. */
export function directAlpha(input: PmeInput): number | null {
  return computePme(input).directAlpha;
}
