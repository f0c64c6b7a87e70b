/** Finance math: XIRR/XNPV, fund ratios, PMEs, pro-rata splits, fund metrics. See docs/finance.md. */
export { DAYS_PER_YEAR, dayOf, tryDayOf, yearFraction } from './daycount';
export {
  DEFAULT_GUESS,
  prepareDays,
  prepareFlows,
  tryXirr,
  tryXirrPrepared,
  xirr,
  xirrPrepared,
  xnpv,
  xnpvPrepared,
} from './xirr';
export type { Flow, PreparedFlows } from './xirr';
export {
  dpi,
  moic,
  paidInCapital,
  portfolioWeights,
  ratio,
  rvpi,
  tvpi,
  unfundedCommitment,
  utilisation,
} from './ratios';
export { levelOn, levelOnDay, prepareIndexSeries } from './index-series';
export type { IndexLevel, IndexSeries } from './index-series';
export { computePme, directAlpha, ksPme, lnPme, pmePlus } from './pme';
export type { DatedCents, PmeInput, PmeResult } from './pme';
export { splitProRata } from './prorata';
export type { ProRataBasis, ProRataLine } from './prorata';
export { computeFundMetrics } from './fund-metrics';
export type { DistributionFlow, FundMetrics, FundMetricsInput, NavMark } from './fund-metrics';
