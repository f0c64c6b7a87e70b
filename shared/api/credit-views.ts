/**
 * The credit report of one borrower (issue 7): what `meridian credit report
 * --json` prints, what electron/core/credit/report.ts `creditReport()`
 * returns, and what the credit memo PDF renders. This shape is a contract:
 * fields are only ever added, never renamed or removed.
 *
 * Units (docs/credit.md §1): money in integer cents of `currency` (stressed
 * figures are rounded to whole cents); ratios in turns (5.0 = 5.0x);
 * headroom, EBITDA declines, LTV, FFO ÷ debt, PD and floating-rate share as
 * fractions (0.2 = 20 %); rate shocks in basis points; dates YYYY-MM-DD.
 * A ratio that is not meaningful is null with a reason (never NaN).
 */
import { z } from 'zod';
import {
  covenantTestSchema,
  creditFiguresSchema,
  periodTypeSchema,
  ratioKeySchema,
  ratioSetSchema,
  scenarioGridSchema,
  scenarioResultSchema,
  scorecardResultSchema,
  testFrequencySchema,
} from '../domain/credit';

/**
 * Where the report's figures come from: a stored FY or LTM statement, or an
 * LTM built from four stored consecutive quarters (`quarters` lists their
 * period ends, oldest first; empty otherwise).
 */
export const creditReportBasisSchema = z.object({
  source: z.enum(['statement', 'ltm_from_quarters']),
  /** The stored statement's id (null for an LTM built from quarters). */
  statement_id: z.string().nullable(),
  period_end: z.string(),
  period_type: periodTypeSchema,
  quarters: z.array(z.string()),
});
export type CreditReportBasis = z.infer<typeof creditReportBasisSchema>;

/** One annual-basis period (FY or LTM) of the trend: figures, ratios, margin and growth. */
export const creditReportPeriodSchema = z.object({
  period_end: z.string(),
  period_type: periodTypeSchema,
  /** Same meaning as the basis source, per period. */
  source: z.enum(['statement', 'ltm_from_quarters']),
  figures: creditFiguresSchema,
  ratios: ratioSetSchema,
  /** EBITDA ÷ revenue (null when revenue ≤ 0). */
  ebitda_margin: z.number().nullable(),
  /** Against the previous period (null for the first one or a previous value ≤ 0). */
  revenue_growth: z.number().nullable(),
  ebitda_growth: z.number().nullable(),
});
export type CreditReportPeriod = z.infer<typeof creditReportPeriodSchema>;

/** A covenant test (pass/fail, headroom, EBITDA decline to breach) with the covenant's terms. */
export const creditReportCovenantSchema = covenantTestSchema.extend({
  test_frequency: testFrequencySchema,
  cure_rights_note: z.string(),
  effective_from: z.string().nullable(),
  effective_to: z.string().nullable(),
});
export type CreditReportCovenant = z.infer<typeof creditReportCovenantSchema>;

/** The latest saved analysis version of the borrower (null in the report when none). */
export const creditReportAnalysisSchema = z.object({
  id: z.string(),
  analysis_version: z.number().int().positive(),
  period_end: z.string(),
  model_rating: z.string(),
  rating_override: z.string().nullable(),
  override_reason: z.string().nullable(),
  final_rating: z.string(),
  recommendation: z.string(),
  created_at: z.string(),
  created_by: z.string(),
});
export type CreditReportAnalysis = z.infer<typeof creditReportAnalysisSchema>;

export const creditReportSchema = z.object({
  borrower: z.object({ id: z.string(), name: z.string(), sector: z.string(), country: z.string() }),
  /** The as-of date asked for (the latest period when none was given). */
  as_of: z.string(),
  currency: z.string(),
  basis: creditReportBasisSchema,
  /** The base figures (the basis period), cents. */
  figures: creditFiguresSchema,
  /** Every ratio on the base figures. */
  ratios: ratioSetSchema,
  /** Annual-basis periods up to as_of, oldest first (the last one is the basis). */
  periods: z.array(creditReportPeriodSchema),
  /** Covenants in force at the basis period end, tested on the base figures. */
  covenants: z.array(creditReportCovenantSchema),
  /**
   * The requested stress (EBITDA down `ebitda_decline`, floating rates up
   * `rate_shock_bp`): stressed figures, ratios and covenant tests, headroom
   * measured from the stressed position. Always present; with no shock
   * requested the scenario is 0 / 0 and equals the base.
   */
  stress: scenarioResultSchema,
  /** Covenant breaches over the standard grid (declines 0–30 %, shocks 0–300 bp) for a heatmap. */
  grid: scenarioGridSchema,
  /** Scorecard on the base ratios: factor scores and contributions, weighted score, model rating and PD. */
  scorecard: scorecardResultSchema,
  methodology: z.object({ id: z.string(), version: z.number().int().positive(), name: z.string(), stored: z.boolean() }),
  /** The latest saved analysis version (its rating may differ from this model run: overrides, older figures). */
  latest_analysis: creditReportAnalysisSchema.nullable(),
  /** Things the reader should know (e.g. an LTM that could not be built, a factor re-weighted for a missing input). */
  notes: z.array(z.string()),
});
export type CreditReport = z.infer<typeof creditReportSchema>;

/** What creditReport() accepts. Shock defaults: 0 % and 0 bp. */
export const creditReportOptionsSchema = z.strictObject({
  borrowerId: z.string().min(1),
  /** Use periods ending on or before this date (default: all). */
  asOf: z.string().optional(),
  /** EBITDA decline in PERCENT (20 = EBITDA down 20 %); negative = up. */
  ebitdaShockPct: z.number().finite().min(-1000).max(1000).optional(),
  /** Floating-rate rise in basis points (≥ 0). */
  rateShockBp: z.number().finite().min(0).max(10_000).optional(),
});
export type CreditReportOptions = z.input<typeof creditReportOptionsSchema>;

/** The standard grid of the report (fractions and bp). */
export const REPORT_GRID = Object.freeze({ ebitda_declines: [0, 0.1, 0.2, 0.3] as readonly number[], rate_shocks_bp: [0, 100, 200, 300] as readonly number[] });

/** Ratio keys in the order reports print them. */
export const REPORT_RATIO_ORDER = ratioKeySchema.options;
