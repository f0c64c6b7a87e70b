/**
 * One fund's performance as of a date, from its raw flows.
 *
 * - Only contributions, distributions and NAV marks dated on or before asOf
 *   count.
 * - nav = the latest NAV mark on or before asOf (the last one in the input
 *   when several share that date); 0 when there is none.
 * - pic = Σ contributions; distributions = Σ distributions;
 *   unfunded = committed − called + Σ recallable (see ratios; no floor).
 *   `committed`, `called`, `size` and `allocated` are taken as given.
 * - irr = XIRR of the LP's flows: contributions negative, distributions
 *   positive, nav as a terminal positive flow at asOf (omitted when 0);
 *   null when there is no sign change or no root.
 * - ksPme, lnPme, pmePlus, directAlpha: see pme; null without an index or
 *   when a level is missing.
 */
import type { Cents } from '../money';
import { sumCents } from '../money';
import { isIndexSeries, prepareIndexSeries } from './index-series';
import type { IndexLevel, IndexSeries } from './index-series';
import { computePmeParsed } from './pme';
import type { DatedCents } from './pme';
import { dpi, rvpi, tvpi, unfundedCommitment, utilisation } from './ratios';
import { assertCents, parseDay } from './validate';
import { dayOffsets, tryXirrPrepared, withAmounts } from './xirr';

export interface DistributionFlow extends DatedCents {
  /** The part of this distribution the fund may call again. */
  recallable?: Cents;
}

export interface NavMark {
  /** 'YYYY-MM-DD' */
  date: string;
  nav: Cents;
}

export interface FundMetricsInput {
  fundId: string;
  currency: string;
  size: Cents;
  /** 'YYYY-MM-DD' */
  asOf: string;
  committed: Cents;
  called: Cents;
  contributions: readonly DatedCents[];
  distributions: readonly DistributionFlow[];
  navMarks: readonly NavMark[];
  allocated: Cents;
  /** Benchmark index levels, or a series prepared once with prepareIndexSeries. */
  index?: readonly IndexLevel[] | IndexSeries;
}

export interface FundMetrics {
  fundId: string;
  asOf: string;
  currency: string;
  size: Cents;
  committed: Cents;
  called: Cents;
  pic: Cents;
  distributions: Cents;
  nav: Cents;
  unfunded: Cents;
  dpi: number | null;
  rvpi: number | null;
  tvpi: number | null;
  irr: number | null;
  ksPme: number | null;
  lnPme: number | null;
  pmePlus: number | null;
  directAlpha: number | null;
  allocated: Cents;
  utilisation: number | null;
}

/** Computes the fund's metrics as of `input.asOf` (see the module note). */
export function computeFundMetrics(input: FundMetricsInput): FundMetrics {
  const asOfDay = parseDay(input.asOf, 'asOf');
  assertCents(input.size, 'size');
  assertCents(input.committed, 'committed');
  assertCents(input.called, 'called');
  assertCents(input.allocated, 'allocated');

  const nc = input.contributions.length;
  const nd = input.distributions.length;
  const days = new Float64Array(nc + nd + 1);
  const amounts = new Float64Array(nc + nd + 1);
  const dates: string[] = [];
  let k = 0;

  const contributed: Cents[] = [];
  for (let i = 0; i < nc; i++) {
    const c = input.contributions[i]!;
    const day = parseDay(c.date, `contributions.${i}.date`);
    assertCents(c.amount, `contributions.${i}.amount`);
    if (day > asOfDay) continue;
    contributed.push(c.amount);
    days[k] = day;
    dates[k] = c.date;
    amounts[k] = -c.amount;
    k++;
  }

  const firstDistribution = k;
  const distributed: Cents[] = [];
  const recallable: Cents[] = [];
  for (let i = 0; i < nd; i++) {
    const d = input.distributions[i]!;
    const day = parseDay(d.date, `distributions.${i}.date`);
    assertCents(d.amount, `distributions.${i}.amount`);
    if (d.recallable !== undefined) assertCents(d.recallable, `distributions.${i}.recallable`);
    if (day > asOfDay) continue;
    distributed.push(d.amount);
    if (d.recallable !== undefined) recallable.push(d.recallable);
    days[k] = day;
    dates[k] = d.date;
    amounts[k] = d.amount;
    k++;
  }

  let nav: Cents = 0;
  let navDay = -Infinity;
  for (let i = 0; i < input.navMarks.length; i++) {
    const m = input.navMarks[i]!;
    const day = parseDay(m.date, `navMarks.${i}.date`);
    assertCents(m.nav, `navMarks.${i}.nav`);
    if (day <= asOfDay && day >= navDay) {
      navDay = day;
      nav = m.nav;
    }
  }

  const pic = sumCents(contributed);
  const distributions = sumCents(distributed);
  days[k] = asOfDay;
  amounts[k] = nav;
  k++;
  const offsets = dayOffsets(days.subarray(0, k));
  const irr = tryXirrPrepared(withAmounts(offsets, amounts.subarray(0, k)));

  // The PME solves reuse the parsed flows and their day offsets.
  const pme = input.index
    ? computePmeParsed(
        { days, signed: amounts, count: k - 1, firstDistribution, offsets },
        asOfDay,
        nav,
        isIndexSeries(input.index) ? input.index : prepareIndexSeries(input.index),
        (i) => (i < 0 ? input.asOf : dates[i]!),
      )
    : null;

  return {
    fundId: input.fundId,
    asOf: input.asOf,
    currency: input.currency,
    size: input.size,
    committed: input.committed,
    called: input.called,
    pic,
    distributions,
    nav,
    unfunded: unfundedCommitment(input.committed, input.called, sumCents(recallable)),
    dpi: dpi(distributions, pic),
    rvpi: rvpi(nav, pic),
    tvpi: tvpi(distributions, nav, pic),
    irr,
    ksPme: pme?.ksPme ?? null,
    lnPme: pme?.lnPme ?? null,
    pmePlus: pme?.pmePlus ?? null,
    directAlpha: pme?.directAlpha ?? null,
    allocated: input.allocated,
    utilisation: utilisation(input.allocated, input.size),
  };
}
