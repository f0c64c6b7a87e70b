/**
 * Credit data (DESIGN §2, §4): borrower financial statements, covenants, the
 * scorecard methodology, credit analysis versions and their comments, plus
 * the shapes of the computed results that an analysis version stores.
 *
 * Row schemas are snake_case like ./entities so they can become tables:
 * string ids, money in integer cents, business dates 'YYYY-MM-DD'. The finance
 * code in shared/finance/credit infers its types from these schemas, so the
 * stored JSON of an analysis and the computation share one definition.
 * docs/credit.md explains every field and convention.
 */
import { z } from 'zod';
import {
  businessDateSchema,
  centsSchema,
  currencySchema,
  idSchema,
  instantSchema,
  nonNegativeCentsSchema,
  syncColumns,
} from './primitives';

// ---------------------------------------------------------------------------
// Vocabularies
// ---------------------------------------------------------------------------

/** 'FY' fiscal year, 'Q' fiscal quarter, 'LTM' last twelve months (built from four quarters). */
export const PERIOD_TYPES = ['FY', 'Q', 'LTM'] as const;
export const periodTypeSchema = z.enum(PERIOD_TYPES);
export type PeriodType = z.infer<typeof periodTypeSchema>;

/** Every credit ratio Meridian computes (definitions in shared/finance/credit/ratios.ts and docs/credit.md). */
export const RATIO_KEYS = [
  'total_leverage',
  'net_leverage',
  'senior_leverage',
  'interest_coverage',
  'ebit_interest_coverage',
  'ebita_interest_coverage',
  'fixed_charge_coverage',
  'dscr',
  'ltv',
  'current_ratio',
  'ffo_to_debt',
] as const;
export const ratioKeySchema = z.enum(RATIO_KEYS);
export type RatioKey = z.infer<typeof ratioKeySchema>;

/** Which way is better for a ratio: lower leverage, higher coverage. */
export type RatioDirection = 'lower_better' | 'higher_better';
export const RATIO_DIRECTION: Readonly<Record<RatioKey, RatioDirection>> = Object.freeze({
  total_leverage: 'lower_better',
  net_leverage: 'lower_better',
  senior_leverage: 'lower_better',
  interest_coverage: 'higher_better',
  ebit_interest_coverage: 'higher_better',
  ebita_interest_coverage: 'higher_better',
  fixed_charge_coverage: 'higher_better',
  dscr: 'higher_better',
  ltv: 'lower_better',
  current_ratio: 'higher_better',
  ffo_to_debt: 'higher_better',
});

/** Ratios that are fractions (LTV, FFO ÷ debt: shown as percentages); the others are multiples ("turns"). */
export const FRACTION_RATIOS: ReadonlySet<RatioKey> = new Set<RatioKey>(['ltv', 'ffo_to_debt']);

/** 'max': the ratio must not exceed the threshold; 'min': it must not fall below it. */
export const COVENANT_OPERATORS = ['max', 'min'] as const;
export const covenantOperatorSchema = z.enum(COVENANT_OPERATORS);
export type CovenantOperator = z.infer<typeof covenantOperatorSchema>;

/** The only sensible operator per metric (a "min leverage" covenant is a data-entry error). */
export function operatorFor(metric: RatioKey): CovenantOperator {
  return RATIO_DIRECTION[metric] === 'lower_better' ? 'max' : 'min';
}

export const TEST_FREQUENCIES = ['quarterly', 'semi-annual', 'annual'] as const;
export const testFrequencySchema = z.enum(TEST_FREQUENCIES);
export type TestFrequency = z.infer<typeof testFrequencySchema>;

/**
 * Why a ratio is null ("not meaningful"):
 * - missing_input: an input is unknown (e.g. collateral not appraised);
 * - zero_denominator: the denominator is exactly 0;
 * - negative_denominator: the denominator is negative (leverage on negative EBITDA);
 * - negative_numerator: a coverage ratio whose earnings measure is negative.
 */
export const NOT_MEANINGFUL_REASONS = ['missing_input', 'zero_denominator', 'negative_denominator', 'negative_numerator'] as const;
export const notMeaningfulReasonSchema = z.enum(NOT_MEANINGFUL_REASONS);
export type NotMeaningfulReason = z.infer<typeof notMeaningfulReasonSchema>;

/**
 * For a null ratio, which end of the credit scale it stands for: 'best'
 * (e.g. positive EBITDA and no interest to cover), 'worst' (e.g. debt against
 * negative EBITDA), or null when unknown (missing input).
 */
export const ratioLimitSchema = z.enum(['best', 'worst']);
export type RatioLimit = z.infer<typeof ratioLimitSchema>;

// ---------------------------------------------------------------------------
// Financial statements
// ---------------------------------------------------------------------------

const shareSchema = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

/**
 * The figures of one period, money in integer cents. Flow items (revenue …
 * rent) cover the period; balance items (debt, cash, current assets and
 * liabilities, collateral) are at period end. Costs (interest, principal,
 * capex, rent) are positive numbers; cash_taxes is positive when paid and
 * negative for a net refund; EBITDA, EBIT and EBITA may be negative.
 */
export const creditFiguresShape = {
  revenue: centsSchema,
  ebitda: centsSchema,
  ebit: centsSchema,
  ebita: centsSchema,
  /** Interest expense as reported (accrued, including PIK and other non-cash interest). */
  interest_expense: nonNegativeCentsSchema,
  /** Interest paid in cash. */
  cash_interest: nonNegativeCentsSchema,
  /** Scheduled (mandatory) principal repayments due in the period; not voluntary or sweep prepayments. */
  scheduled_principal: nonNegativeCentsSchema,
  /** All funded debt: senior, unitranche, second lien, mezzanine, finance leases, drawn revolver. */
  total_debt: nonNegativeCentsSchema,
  /** The part of total_debt ranking senior (first lien / unitranche). */
  senior_debt: nonNegativeCentsSchema,
  /** Unrestricted cash and equivalents. */
  cash: nonNegativeCentsSchema,
  current_assets: nonNegativeCentsSchema,
  current_liabilities: nonNegativeCentsSchema,
  capex: nonNegativeCentsSchema,
  cash_taxes: centsSchema,
  /** Operating rent / lease expense deducted in EBITDA (0 where IFRS 16 capitalises leases). */
  rent: nonNegativeCentsSchema,
  /** Appraised collateral (or enterprise) value; null when not appraised. */
  collateral_value: nonNegativeCentsSchema.nullable(),
  /** Share of total_debt paying a floating rate, 0..1 (after hedges). */
  floating_rate_share: shareSchema,
};

export const creditFiguresSchema = z.object(creditFiguresShape).strict();
export type CreditFigures = z.infer<typeof creditFiguresSchema>;
export const CREDIT_FIGURE_FIELDS = Object.keys(creditFiguresShape) as (keyof CreditFigures)[];

/** Items that cover a period and are summed into an LTM. */
export const FLOW_FIELDS = [
  'revenue',
  'ebitda',
  'ebit',
  'ebita',
  'interest_expense',
  'cash_interest',
  'scheduled_principal',
  'capex',
  'cash_taxes',
  'rent',
] as const satisfies readonly (keyof CreditFigures)[];

/** Items measured at period end; an LTM takes them from the latest quarter. */
export const BALANCE_FIELDS = [
  'total_debt',
  'senior_debt',
  'cash',
  'current_assets',
  'current_liabilities',
  'collateral_value',
  'floating_rate_share',
] as const satisfies readonly (keyof CreditFigures)[];

function seniorWithinTotal(v: { senior_debt: number; total_debt: number }, ctx: z.RefinementCtx): void {
  if (v.senior_debt > v.total_debt) {
    ctx.addIssue({ code: 'custom', path: ['senior_debt'], message: 'senior_debt must not exceed total_debt' });
  }
}

const statementShape = {
  borrower_id: idSchema,
  period_end: businessDateSchema,
  period_type: periodTypeSchema,
  currency: currencySchema,
  ...creditFiguresShape,
};

/** One period's statement of one borrower (the business content, without row bookkeeping). */
export const financialStatementSchema = z.object(statementShape).superRefine(seniorWithinTotal);
export type FinancialStatement = z.infer<typeof financialStatementSchema>;

/** Stored row: one statement per (borrower_id, period_end, period_type). */
export const financialStatementRow = z
  .object({ id: idSchema, ...statementShape, ...syncColumns })
  .superRefine(seniorWithinTotal);
export type FinancialStatementRow = z.infer<typeof financialStatementRow>;

// ---------------------------------------------------------------------------
// Covenants
// ---------------------------------------------------------------------------

const covenantShape = {
  id: idSchema,
  borrower_id: idSchema,
  /** The facility the covenant belongs to, e.g. "Unitranche term loan". */
  facility: z.string().min(1).max(200),
  metric: ratioKeySchema,
  operator: covenantOperatorSchema,
  /** Ratio units: turns for leverage and coverage (6.0 = 6.0x), a fraction for LTV and FFO ÷ debt (0.6 = 60 %). */
  threshold: z.number().positive('must be greater than zero'),
  test_frequency: testFrequencySchema,
  cure_rights_note: z.string().max(2000),
  /** Period ends from which / until which (inclusive) this threshold applies (step-downs); null = open. */
  effective_from: businessDateSchema.nullable(),
  effective_to: businessDateSchema.nullable(),
};

function covenantConsistent(
  v: { metric: RatioKey; operator: CovenantOperator; effective_from: string | null; effective_to: string | null },
  ctx: z.RefinementCtx,
): void {
  if (v.operator !== operatorFor(v.metric)) {
    ctx.addIssue({
      code: 'custom',
      path: ['operator'],
      message: `a ${v.metric} covenant must be a '${operatorFor(v.metric)}' test`,
    });
  }
  if (v.effective_from !== null && v.effective_to !== null && v.effective_to < v.effective_from) {
    ctx.addIssue({ code: 'custom', path: ['effective_to'], message: 'effective_to must not be before effective_from' });
  }
}

export const covenantSchema = z.object(covenantShape).superRefine(covenantConsistent);
export type Covenant = z.infer<typeof covenantSchema>;

export const covenantRow = z.object({ ...covenantShape, ...syncColumns }).superRefine(covenantConsistent);
export type CovenantRow = z.infer<typeof covenantRow>;

// ---------------------------------------------------------------------------
// Scorecard methodology (data, versioned)
// ---------------------------------------------------------------------------

/** Factor scores run from SCORE_MIN (weakest) to SCORE_MAX (strongest). */
export const SCORE_MIN = 1;
export const SCORE_MAX = 10;

/**
 * One band. For a lower_better metric the bands are listed best first with
 * ascending bounds and a value falls in the first band with value ≤ bound;
 * for higher_better, descending bounds and value ≥ bound. The last band has
 * bound null (everything else).
 */
export const scoreBandSchema = z.object({
  bound: z.number().nullable(),
  score: z.number().min(SCORE_MIN).max(SCORE_MAX),
});
export type ScoreBand = z.infer<typeof scoreBandSchema>;

export const scorecardFactorSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
    label: z.string().min(1).max(200),
    metric: ratioKeySchema,
    weight: z.number().gt(0).max(1),
    bands: z.array(scoreBandSchema).min(2),
  })
  .superRefine((f, ctx) => {
    const lower = RATIO_DIRECTION[f.metric] === 'lower_better';
    f.bands.forEach((b, i) => {
      const last = i === f.bands.length - 1;
      if (last !== (b.bound === null)) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'bound'], message: 'only the last band is open-ended (bound null), and it must be' });
      }
      if (i === 0) return;
      const prev = f.bands[i - 1]!;
      if (b.bound !== null && prev.bound !== null && (lower ? b.bound <= prev.bound : b.bound >= prev.bound)) {
        ctx.addIssue({
          code: 'custom',
          path: ['bands', i, 'bound'],
          message: lower ? 'bounds must increase (lower is better for this metric)' : 'bounds must decrease (higher is better for this metric)',
        });
      }
      if (b.score > prev.score) {
        ctx.addIssue({ code: 'custom', path: ['bands', i, 'score'], message: 'scores must not increase from a better band to a worse one' });
      }
    });
  });
export type ScorecardFactor = z.infer<typeof scorecardFactorSchema>;

/** One grade of the rating scale with its minimum weighted score and one-year probability of default. */
export const ratingGradeSchema = z.object({
  grade: z.string().min(1).max(20),
  /** The firm's 1..n risk rating (1 = strongest). */
  risk_rating: z.number().int().positive(),
  description: z.string().max(200),
  /** Inclusive: a weighted score ≥ min_score (and below the previous grade's) gets this grade. */
  min_score: z.number(),
  /** One-year probability of default, a fraction (0.02 = 2 %). */
  pd: z.number().min(0).max(1),
});
export type RatingGrade = z.infer<typeof ratingGradeSchema>;

/**
 * What to do with a factor whose ratio cannot be computed for lack of an
 * input (e.g. LTV without a collateral value): drop it and re-weight the
 * others pro rata ('reweight'), or give it its worst band's score ('worst_score').
 */
export const missingFactorPolicySchema = z.enum(['reweight', 'worst_score']);
export type MissingFactorPolicy = z.infer<typeof missingFactorPolicySchema>;

/** Tolerance on Σ weights = 1. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;

export const scorecardMethodologySchema = z
  .object({
    id: idSchema,
    name: z.string().min(1).max(200),
    version: z.number().int().positive(),
    effective_from: businessDateSchema,
    missing_factor_policy: missingFactorPolicySchema,
    factors: z.array(scorecardFactorSchema).min(1),
    /** Best grade first, min_score strictly decreasing, the last one catching every score. */
    rating_scale: z.array(ratingGradeSchema).min(2),
  })
  .superRefine((m, ctx) => {
    const sum = m.factors.reduce((s, f) => s + f.weight, 0);
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      ctx.addIssue({ code: 'custom', path: ['factors'], message: `factor weights must sum to 1 (they sum to ${sum})` });
    }
    const keys = new Set<string>();
    m.factors.forEach((f, i) => {
      if (keys.has(f.key)) ctx.addIssue({ code: 'custom', path: ['factors', i, 'key'], message: `duplicate factor key ${f.key}` });
      keys.add(f.key);
    });
    const grades = new Set<string>();
    m.rating_scale.forEach((g, i) => {
      if (grades.has(g.grade)) ctx.addIssue({ code: 'custom', path: ['rating_scale', i, 'grade'], message: `duplicate grade ${g.grade}` });
      grades.add(g.grade);
      if (g.risk_rating !== i + 1) {
        ctx.addIssue({ code: 'custom', path: ['rating_scale', i, 'risk_rating'], message: `risk_rating must be ${i + 1} (1 = best, in order)` });
      }
      if (i === 0) return;
      const prev = m.rating_scale[i - 1]!;
      if (g.min_score >= prev.min_score) {
        ctx.addIssue({ code: 'custom', path: ['rating_scale', i, 'min_score'], message: 'min_score must decrease from the best grade to the worst' });
      }
      if (g.pd < prev.pd) {
        ctx.addIssue({ code: 'custom', path: ['rating_scale', i, 'pd'], message: 'PD must not fall from a better grade to a worse one' });
      }
    });
    const lowest = m.rating_scale[m.rating_scale.length - 1]!;
    if (lowest.min_score > SCORE_MIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['rating_scale', m.rating_scale.length - 1, 'min_score'],
        message: `the worst grade must catch every score (min_score ≤ ${SCORE_MIN})`,
      });
    }
  });
export type ScorecardMethodology = z.infer<typeof scorecardMethodologySchema>;

/**
 * Stored methodology revision: `body` is the JSON of a ScorecardMethodology
 * whose id is methodology_id and whose version is revision; (methodology_id,
 * revision) is unique. (The row's own `version` is the sync sequence.)
 */
export const scorecardMethodologyRow = z.object({
  id: idSchema,
  methodology_id: idSchema,
  revision: z.number().int().positive(),
  name: z.string().min(1).max(200),
  effective_from: businessDateSchema,
  body: z.string(),
  ...syncColumns,
});
export type ScorecardMethodologyRow = z.infer<typeof scorecardMethodologyRow>;

/**
 * Parses a stored methodology row's body; a bad record is an error (a zod
 * error, or a plain Error when the body disagrees with its columns), never a
 * silent default.
 */
export function parseMethodologyRow(row: Pick<ScorecardMethodologyRow, 'methodology_id' | 'revision' | 'body'>): ScorecardMethodology {
  const m = scorecardMethodologySchema.parse(JSON.parse(row.body));
  if (m.id !== row.methodology_id || m.version !== row.revision) {
    throw new Error(`methodology body ${m.id} v${m.version} does not match its row ${row.methodology_id} revision ${row.revision}`);
  }
  return m;
}

const band = (bound: number | null, score: number): ScoreBand => ({ bound, score });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The firm's default methodology for sponsor-backed middle-market cash-flow
 * loans. Bands follow the break points of S&P's financial-risk table for
 * leverage and FFO ÷ debt, extended downwards where direct-lending borrowers
 * sit; the PDs are indicative one-year rates of the order of long-run agency
 * default studies and are for the credit committee to calibrate.
 */
export const DEFAULT_METHODOLOGY: ScorecardMethodology = deepFreeze({
  id: 'meridian-default-credit-scorecard',
  name: 'Meridian middle-market cash-flow scorecard',
  version: 1,
  effective_from: '2025-01-01',
  missing_factor_policy: 'reweight',
  factors: [
    {
      key: 'leverage',
      label: 'Total leverage (debt ÷ EBITDA)',
      metric: 'total_leverage',
      weight: 0.25,
      bands: [band(1.5, 10), band(2, 9), band(3, 8), band(4, 7), band(4.5, 6), band(5, 5), band(5.5, 4), band(6, 3), band(7, 2), band(null, 1)],
    },
    {
      key: 'interest_cover',
      label: 'Interest coverage (EBITDA ÷ interest)',
      metric: 'interest_coverage',
      weight: 0.2,
      bands: [band(8, 10), band(6, 9), band(4.5, 8), band(3.5, 7), band(3, 6), band(2.5, 5), band(2, 4), band(1.5, 3), band(1, 2), band(null, 1)],
    },
    {
      key: 'fixed_charge_cover',
      label: 'Fixed-charge coverage (EBITDAR form)',
      metric: 'fixed_charge_coverage',
      weight: 0.15,
      bands: [band(3, 10), band(2.5, 9), band(2, 8), band(1.75, 7), band(1.5, 6), band(1.3, 5), band(1.15, 4), band(1, 3), band(0.8, 2), band(null, 1)],
    },
    {
      key: 'ffo_to_debt',
      label: 'FFO ÷ debt',
      metric: 'ffo_to_debt',
      weight: 0.15,
      bands: [band(0.6, 10), band(0.45, 9), band(0.3, 8), band(0.2, 7), band(0.16, 6), band(0.12, 5), band(0.09, 4), band(0.06, 3), band(0.03, 2), band(null, 1)],
    },
    {
      key: 'loan_to_value',
      label: 'Loan to value (debt ÷ collateral value)',
      metric: 'ltv',
      weight: 0.15,
      bands: [band(0.25, 10), band(0.35, 9), band(0.45, 8), band(0.5, 7), band(0.55, 6), band(0.6, 5), band(0.65, 4), band(0.75, 3), band(0.9, 2), band(null, 1)],
    },
    {
      key: 'liquidity',
      label: 'Current ratio',
      metric: 'current_ratio',
      weight: 0.1,
      bands: [band(2.5, 10), band(2, 9), band(1.75, 8), band(1.5, 7), band(1.3, 6), band(1.15, 5), band(1, 4), band(0.9, 3), band(0.75, 2), band(null, 1)],
    },
  ],
  rating_scale: [
    { grade: 'bbb', risk_rating: 1, description: 'BBB− or better equivalent: minimal risk', min_score: 8.5, pd: 0.002 },
    { grade: 'bb+', risk_rating: 2, description: 'BB+ equivalent: low risk', min_score: 7.75, pd: 0.004 },
    { grade: 'bb', risk_rating: 3, description: 'BB equivalent: modest risk', min_score: 7, pd: 0.0065 },
    { grade: 'bb-', risk_rating: 4, description: 'BB− equivalent: acceptable risk', min_score: 6.25, pd: 0.011 },
    { grade: 'b+', risk_rating: 5, description: 'B+ equivalent: average risk', min_score: 5.5, pd: 0.02 },
    { grade: 'b', risk_rating: 6, description: 'B equivalent: elevated risk', min_score: 4.75, pd: 0.0325 },
    { grade: 'b-', risk_rating: 7, description: 'B− equivalent: high risk, watch list', min_score: 4, pd: 0.055 },
    { grade: 'ccc+', risk_rating: 8, description: 'CCC+ equivalent: substantial risk', min_score: 3.25, pd: 0.1 },
    { grade: 'ccc', risk_rating: 9, description: 'CCC equivalent: very high risk', min_score: 2.5, pd: 0.18 },
    { grade: 'cc', risk_rating: 10, description: 'CC equivalent: default likely', min_score: 1, pd: 0.35 },
  ],
} satisfies ScorecardMethodology);

// ---------------------------------------------------------------------------
// Computed results (what an analysis version stores)
// ---------------------------------------------------------------------------

/**
 * One ratio: value, or null with the reason and, where the credit meaning is
 * clear, the limit it stands for. Numerator and denominator are the amounts
 * used (cents; fractional under a stress scenario), null when missing.
 */
export const ratioResultSchema = z.object({
  value: z.number().nullable(),
  reason: notMeaningfulReasonSchema.nullable(),
  limit: ratioLimitSchema.nullable(),
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
});
export type RatioResult = z.infer<typeof ratioResultSchema>;

export const ratioSetSchema = z.object(
  Object.fromEntries(RATIO_KEYS.map((k) => [k, ratioResultSchema])) as Record<RatioKey, typeof ratioResultSchema>,
);
export type RatioSet = z.infer<typeof ratioSetSchema>;

export const COVENANT_STATUSES = ['pass', 'breach', 'not_tested'] as const;
export const covenantStatusSchema = z.enum(COVENANT_STATUSES);
export type CovenantStatus = z.infer<typeof covenantStatusSchema>;

/** Why the EBITDA decline to breach is null. */
export const DECLINE_NULL_REASONS = ['not_ebitda_sensitive', 'ebitda_zero', 'no_threshold_crossing', 'not_tested'] as const;
export const declineNullReasonSchema = z.enum(DECLINE_NULL_REASONS);
export type DeclineNullReason = z.infer<typeof declineNullReasonSchema>;

export const covenantTestSchema = z.object({
  covenant_id: idSchema,
  facility: z.string(),
  metric: ratioKeySchema,
  operator: covenantOperatorSchema,
  threshold: z.number(),
  actual: z.number().nullable(),
  /** Why actual is null. */
  reason: notMeaningfulReasonSchema.nullable(),
  status: covenantStatusSchema,
  /** max: (threshold − actual) ÷ threshold; min: (actual − threshold) ÷ threshold. ≥ 0 exactly when passing. */
  headroom: z.number().nullable(),
  /** The same distance in the metric's units (turns for leverage and coverage). */
  headroom_units: z.number().nullable(),
  /**
   * Fraction of |EBITDA| by which EBITDA (with EBIT and EBITA by the same
   * amount) can fall with the metric at most at the threshold; any larger
   * fall breaches. Negative when breaching: the rise needed to cure.
   */
  ebitda_decline_to_breach: z.number().nullable(),
  /** EBITDA (cents, rounded) at which the metric sits exactly at the threshold. */
  breach_ebitda: z.number().nullable(),
  decline_reason: declineNullReasonSchema.nullable(),
});
export type CovenantTest = z.infer<typeof covenantTestSchema>;

/** A stress scenario: EBITDA down by a fraction of |EBITDA| (0.2 = 20 %), floating rates up by bp. */
export const stressScenarioSchema = z.object({
  label: z.string().max(200).optional(),
  ebitda_decline: z.number(),
  rate_shock_bp: z.number().nonnegative(),
});
export type StressScenario = z.infer<typeof stressScenarioSchema>;

export const scenarioResultSchema = z.object({
  scenario: stressScenarioSchema,
  /** Stressed figures; money rounded to whole cents for display (ratios use the exact amounts). */
  figures: creditFiguresSchema,
  extra_interest: z.number(),
  ratios: ratioSetSchema,
  covenants: z.array(covenantTestSchema),
  breached_covenant_ids: z.array(idSchema),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

export const scenarioCellSchema = z.object({
  ebitda_decline: z.number(),
  rate_shock_bp: z.number(),
  breached_covenant_ids: z.array(idSchema),
  breach_count: z.number().int().nonnegative(),
  /** Smallest headroom over the tested covenants (null when none has one). */
  min_headroom: z.number().nullable(),
  ratios: ratioSetSchema,
});
export type ScenarioCell = z.infer<typeof scenarioCellSchema>;

export const scenarioGridSchema = z.object({
  ebitda_declines: z.array(z.number()),
  rate_shocks_bp: z.array(z.number()),
  /** cells[i][j]: decline i, shock j. */
  cells: z.array(z.array(scenarioCellSchema)),
  /** Per covenant id: status[i][j], for a heatmap per covenant. */
  by_covenant: z.record(z.string(), z.array(z.array(covenantStatusSchema))),
});
export type ScenarioGrid = z.infer<typeof scenarioGridSchema>;

/** How a factor's score was found. */
export const FACTOR_BASES = ['value', 'not_meaningful_best', 'not_meaningful_worst', 'missing_worst', 'missing_excluded'] as const;
export const factorBasisSchema = z.enum(FACTOR_BASES);
export type FactorBasis = z.infer<typeof factorBasisSchema>;

export const factorScoreSchema = z.object({
  key: z.string(),
  label: z.string(),
  metric: ratioKeySchema,
  value: z.number().nullable(),
  reason: notMeaningfulReasonSchema.nullable(),
  basis: factorBasisSchema,
  /** Index of the band the value fell in (null when excluded). */
  band_index: z.number().int().nullable(),
  score: z.number().nullable(),
  /** Weight in the methodology. */
  weight: z.number(),
  /** Weight actually applied (after re-weighting for excluded factors). */
  applied_weight: z.number(),
  contribution: z.number(),
});
export type FactorScore = z.infer<typeof factorScoreSchema>;

export const ratingOverrideSchema = z.object({
  rating: z.string().min(1),
  reason: z.string().trim().min(1, 'an override needs a reason'),
});
export type RatingOverride = z.infer<typeof ratingOverrideSchema>;

export const scorecardResultSchema = z.object({
  methodology_id: idSchema,
  methodology_version: z.number().int().positive(),
  factors: z.array(factorScoreSchema),
  /** Σ applied_weight × score, rounded to SCORE_DECIMALS places before mapping. */
  weighted_score: z.number(),
  model_rating: z.string(),
  model_risk_rating: z.number().int().positive(),
  model_pd: z.number(),
  override: ratingOverrideSchema.nullable(),
  final_rating: z.string(),
  final_risk_rating: z.number().int().positive(),
  final_pd: z.number(),
  /** final_risk_rating − model_risk_rating: positive = overridden to a weaker grade. */
  override_notches: z.number().int(),
});
export type ScorecardResult = z.infer<typeof scorecardResultSchema>;

// ---------------------------------------------------------------------------
// Credit analysis versions and comments
// ---------------------------------------------------------------------------

/** The inputs snapshot of an analysis: everything needed to recompute its outputs. */
export const creditAnalysisInputsSchema = z.object({
  statement: financialStatementSchema,
  covenants: z.array(covenantSchema),
  methodology: scorecardMethodologySchema,
  scenarios: z.array(stressScenarioSchema),
  grid: z.object({ ebitda_declines: z.array(z.number()), rate_shocks_bp: z.array(z.number().nonnegative()) }).nullable(),
  override: ratingOverrideSchema.nullable(),
});
export type CreditAnalysisInputs = z.infer<typeof creditAnalysisInputsSchema>;

export const creditAnalysisOutputsSchema = z.object({
  ratios: ratioSetSchema,
  covenants: z.array(covenantTestSchema),
  scenarios: z.array(scenarioResultSchema),
  grid: scenarioGridSchema.nullable(),
  scorecard: scorecardResultSchema,
});
export type CreditAnalysisOutputs = z.infer<typeof creditAnalysisOutputsSchema>;

/**
 * One version of a borrower's credit analysis. Versions are immutable: a
 * change is a new row with analysis_version + 1 (the row's `version` is the
 * sync sequence of DESIGN §2). `inputs`, `outputs` and `scorecard`
 * hold JSON of the schemas above; the rating columns repeat the scorecard's
 * result so portfolios can be queried by rating.
 */
export const creditAnalysisRow = z
  .object({
    id: idSchema,
    borrower_id: idSchema,
    /** 1, 2, … per borrower; (borrower_id, analysis_version) is unique. */
    analysis_version: z.number().int().positive(),
    statement_id: idSchema.nullable(),
    period_end: businessDateSchema,
    methodology_id: idSchema,
    methodology_version: z.number().int().positive(),
    inputs: z.string(),
    outputs: z.string(),
    scorecard: z.string(),
    recommendation: z.string().max(20_000),
    model_rating: z.string().min(1),
    rating_override: z.string().min(1).nullable(),
    override_reason: z.string().nullable(),
    final_rating: z.string().min(1),
    created_at: instantSchema,
    created_by: z.string(),
    ...syncColumns,
  })
  .superRefine((r, ctx) => {
    if (r.rating_override !== null && (r.override_reason === null || r.override_reason.trim() === '')) {
      ctx.addIssue({ code: 'custom', path: ['override_reason'], message: 'a rating override needs a reason' });
    }
    if (r.rating_override === null && r.override_reason !== null) {
      ctx.addIssue({ code: 'custom', path: ['override_reason'], message: 'a reason without an override' });
    }
    const expected = r.rating_override ?? r.model_rating;
    if (r.final_rating !== expected) {
      ctx.addIssue({ code: 'custom', path: ['final_rating'], message: `final_rating must be ${expected} (the override, else the model rating)` });
    }
  });
export type CreditAnalysisRow = z.infer<typeof creditAnalysisRow>;

/** A comment on an analysis version. Insert-only: never edited or deleted. */
export const creditCommentRow = z.object({
  id: idSchema,
  analysis_id: idSchema,
  borrower_id: idSchema,
  analysis_version: z.number().int().positive(),
  author: z.string().min(1).max(200),
  body: z.string().trim().min(1).max(20_000),
  created_at: instantSchema,
  ...syncColumns,
});
export type CreditCommentRow = z.infer<typeof creditCommentRow>;

/** Credit tables to add to the synced entities (names are the table names). */
export const CREDIT_ENTITY_SCHEMAS = {
  financial_statement: financialStatementRow,
  covenant: covenantRow,
  scorecard_methodology: scorecardMethodologyRow,
  credit_analysis: creditAnalysisRow,
  credit_comment: creditCommentRow,
} as const;

/** Tables whose rows are never updated or deleted once written (a change is a new row). */
export const CREDIT_INSERT_ONLY: readonly (keyof typeof CREDIT_ENTITY_SCHEMAS)[] = ['credit_analysis', 'credit_comment', 'scorecard_methodology'];
