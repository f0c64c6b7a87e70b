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
import { isIndexSeries, levelOnDay, prepareIndexSeries } from './index-series';
import type { IndexLevel, IndexSeries } from './index-series';
import { assertCents, parseDay } from './validate';
import { DEFAULT_GUESS, dayOffsets, tryXirrPrepared, withAmounts } from './xirr';

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

/**
 * Flows already parsed and filtered to asOf, in the layout fund metrics
 * build once for every solve: `days` are day numbers (days since 1970) and
 * `signed` the amounts, contributions first as −C_t, then distributions as
 * +D_t; both have one spare slot at `count` for the terminal value.
 */
export interface ParsedPmeFlows {
  days: Float64Array;
  signed: Float64Array;
  /** Flows in use (excluding the spare terminal slot). */
  count: number;
  /** Index of the first distribution (= number of contributions). */
  firstDistribution: number;
  /**
   * Day offsets of days[0..count] (see xirr's dayOffsets), when the caller
   * has them already; days[count] must then be asOf.
   */
  offsets?: Int32Array;
}

/** All four PME measures in one pass over the flows. */
export function computePme(input: PmeInput): PmeResult {
  const asOfDay = parseDay(input.asOf, 'asOf');
  assertCents(input.nav, 'nav');
  const nc = input.contributions.length;
  const nd = input.distributions.length;
  const days = new Float64Array(nc + nd + 1);
  const signed = new Float64Array(nc + nd + 1);
  const dates: string[] = [];
  let k = 0;
  const add = (list: readonly DatedCents[], name: string, sign: number) => {
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      const day = parseDay(f.date, `${name}.${i}.date`);
      assertCents(f.amount, `${name}.${i}.amount`);
      if (day > asOfDay) continue;
      days[k] = day;
      signed[k] = sign * f.amount;
      dates[k] = f.date;
      k++;
    }
  };
  add(input.contributions, 'contributions', -1);
  const firstDistribution = k;
  add(input.distributions, 'distributions', 1);
  const series = isIndexSeries(input.index) ? input.index : prepareIndexSeries(input.index);
  return computePmeParsed({ days, signed, count: k, firstDistribution }, asOfDay, input.nav, series, (i) => (i < 0 ? input.asOf : dates[i]!));
}

/**
 * computePme over parsed flows (see ParsedPmeFlows). `dateOf(i)` names flow
 * i's date for `missingIndexDate` (i = −1: asOf). Leaves `flows` as given
 * except the spare terminal slot.
 */
export function computePmeParsed(flows: ParsedPmeFlows, asOfDay: number, nav: Cents, series: IndexSeries, dateOf: (i: number) => string): PmeResult {
  const levelT = levelOnDay(series, asOfDay);
  if (Number.isNaN(levelT)) return empty(dateOf(-1));
  const { days, signed, count, firstDistribution } = flows;
  const n = count + 1;
  const grown = new Float64Array(n); // −C_t·g_t, +D_t·g_t
  let fvC = 0;
  let fvD = 0;
  for (let i = 0; i < count; i++) {
    const level = levelOnDay(series, days[i]!);
    if (Number.isNaN(level)) return empty(dateOf(i));
    const fv = signed[i]! * (levelT / level);
    if (i < firstDistribution) fvC -= fv;
    else fvD += fv;
    grown[i] = fv;
  }
  days[count] = asOfDay;
  const offsets = flows.offsets ?? dayOffsets(days.subarray(0, n));
  const irrWithTerminal = (amounts: Float64Array, terminal: number): number | null => {
    amounts[count] = terminal;
    return tryXirrPrepared(withAmounts(offsets, amounts.subarray(0, n)), DEFAULT_GUESS);
  };

  const ksPme = fvC === 0 ? null : (fvD + nav) / fvC;

  const lnPmeNav = fvC - fvD;
  const plain = signed.slice(0, n);
  const lnPme = irrWithTerminal(plain, lnPmeNav);

  let pmePlusLambda: number | null = null;
  let pmePlus: number | null = null;
  if (fvD !== 0) {
    pmePlusLambda = (fvC - nav) / fvD;
    const scaled = new Float64Array(n);
    for (let i = 0; i < count; i++) scaled[i] = i < firstDistribution ? signed[i]! : signed[i]! * pmePlusLambda;
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
