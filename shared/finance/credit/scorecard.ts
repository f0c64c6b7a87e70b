/**
 * The weighted credit scorecard (DESIGN §4), driven entirely by a
 * methodology record (shared/domain/credit.ts, DEFAULT_METHODOLOGY):
 *
 *   factor score   the score of the band the factor's ratio falls in:
 *                  lower_better metrics: the first band with value ≤ bound;
 *                  higher_better: the first band with value ≥ bound; the last
 *                  band (bound null) takes the rest. Bounds are inclusive.
 *   not meaningful a null ratio whose limit is 'best' scores as the best
 *                  band, 'worst' as the worst band; a missing input is
 *                  dropped with the other weights scaled up pro rata
 *                  ('reweight') or scores the worst band ('worst_score').
 *   weighted score Σ applied weight × score, rounded to SCORE_DECIMALS places
 *                  (so float noise never moves a borrower across a grade
 *                  boundary: 0.15 × 6 is 0.8999999999999999 in doubles)
 *   model rating   the first grade of the scale with weighted score ≥ min_score
 *   PD             that grade's one-year PD
 *   override       a grade of the same scale with a reason; the final rating
 *                  and PD follow it, the model rating and PD are kept.
 */
import {
  RATIO_DIRECTION,
  scorecardMethodologySchema,
  type CreditFigures,
  type FactorScore,
  type RatingGrade,
  type RatingOverride,
  type RatioResult,
  type RatioSet,
  type ScorecardFactor,
  type ScorecardMethodology,
  type ScorecardResult,
} from '../../domain/credit';
import { MeridianError } from '../../errors';
import { computeRatios } from './ratios';

/** Decimal places the weighted score is rounded to before it is mapped to a grade. */
export const SCORE_DECIMALS = 6;

function roundScore(x: number): number {
  const f = 10 ** SCORE_DECIMALS;
  return Math.round(x * f) / f + 0;
}

/** Frozen methodologies (DEFAULT_METHODOLOGY, parsed records the caller froze) already validated. */
const validated = new WeakSet<object>();

/**
 * Parses a methodology, throwing INVALID_INPUT with every problem found. A
 * deeply frozen methodology that passed once is not parsed again.
 */
export function validateMethodology(methodology: unknown): ScorecardMethodology {
  if (typeof methodology === 'object' && methodology !== null && validated.has(methodology)) return methodology as ScorecardMethodology;
  const parsed = scorecardMethodologySchema.safeParse(methodology);
  if (parsed.success) {
    if (isDeepFrozen(methodology)) {
      validated.add(methodology as object);
      return methodology as ScorecardMethodology;
    }
    return parsed.data;
  }
  const problems = parsed.error.issues.map((i) => ({
    code: 'INVALID_INPUT' as const,
    message: `${i.path.join('.') || 'methodology'}: ${i.message}`,
    path: i.path.join('.'),
  }));
  throw new MeridianError('INVALID_INPUT', `invalid scorecard methodology: ${problems.map((p) => p.message).join('; ')}`, {}, problems);
}

function isDeepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

/** The band a (non-null) value falls in: its index and score. */
export function bandFor(factor: ScorecardFactor, value: number): { index: number; score: number } {
  const lower = RATIO_DIRECTION[factor.metric] === 'lower_better';
  for (let i = 0; i < factor.bands.length; i++) {
    const b = factor.bands[i]!;
    if (b.bound === null || (lower ? value <= b.bound : value >= b.bound)) return { index: i, score: b.score };
  }
  // Unreachable for a valid methodology (the last band is open-ended).
  const last = factor.bands.length - 1;
  return { index: last, score: factor.bands[last]!.score };
}

/** The grade for a weighted score (the worst grade catches everything below). */
export function ratingForScore(methodology: ScorecardMethodology, score: number): RatingGrade {
  for (const g of methodology.rating_scale) if (score >= g.min_score) return g;
  return methodology.rating_scale[methodology.rating_scale.length - 1]!;
}

/** A grade of the scale by name; throws INVALID_INPUT for a grade the scale does not have. */
export function gradeOf(methodology: ScorecardMethodology, grade: string): RatingGrade {
  const g = methodology.rating_scale.find((x) => x.grade === grade);
  if (!g) {
    throw new MeridianError(
      'INVALID_INPUT',
      `rating ${grade} is not on the scale of ${methodology.id} v${methodology.version} (${methodology.rating_scale.map((x) => x.grade).join(', ')})`,
      { field: 'rating', value: grade },
    );
  }
  return g;
}

interface RawFactor {
  factor: ScorecardFactor;
  ratio: RatioResult;
  basis: FactorScore['basis'];
  band_index: number | null;
  score: number | null;
}

function scoreOne(factor: ScorecardFactor, ratio: RatioResult, methodology: ScorecardMethodology): RawFactor {
  const worst = factor.bands.length - 1;
  if (ratio.value !== null) {
    const b = bandFor(factor, ratio.value);
    return { factor, ratio, basis: 'value', band_index: b.index, score: b.score };
  }
  if (ratio.limit === 'best') return { factor, ratio, basis: 'not_meaningful_best', band_index: 0, score: factor.bands[0]!.score };
  if (ratio.limit === 'worst') return { factor, ratio, basis: 'not_meaningful_worst', band_index: worst, score: factor.bands[worst]!.score };
  if (methodology.missing_factor_policy === 'worst_score') {
    return { factor, ratio, basis: 'missing_worst', band_index: worst, score: factor.bands[worst]!.score };
  }
  return { factor, ratio, basis: 'missing_excluded', band_index: null, score: null };
}

/**
 * Applies an override to a scorecard result: the final rating and PD become
 * the override's, the model rating and PD stay. `null` removes an override.
 * Throws INVALID_INPUT for a grade not on the scale or an empty reason.
 */
export function applyOverride(result: ScorecardResult, methodology: ScorecardMethodology, override: RatingOverride | null): ScorecardResult {
  if (override === null) {
    return { ...result, override: null, final_rating: result.model_rating, final_risk_rating: result.model_risk_rating, final_pd: result.model_pd, override_notches: 0 };
  }
  const reason = typeof override.reason === 'string' ? override.reason.trim() : '';
  if (reason === '') throw new MeridianError('INVALID_INPUT', 'a rating override needs a reason', { field: 'override.reason', value: override.reason });
  const g = gradeOf(methodology, override.rating);
  return {
    ...result,
    override: { rating: g.grade, reason },
    final_rating: g.grade,
    final_risk_rating: g.risk_rating,
    final_pd: g.pd,
    override_notches: g.risk_rating - result.model_risk_rating,
  };
}

/** Scores already-computed ratios under a methodology (validated first), with an optional override. */
export function scoreRatios(ratios: RatioSet, methodology: ScorecardMethodology, override: RatingOverride | null = null): ScorecardResult {
  const m = validateMethodology(methodology);
  const raw = m.factors.map((f) => scoreOne(f, ratios[f.metric], m));
  const scoredWeight = raw.reduce((s, r) => (r.score === null ? s : s + r.factor.weight), 0);
  if (scoredWeight <= 0) {
    throw new MeridianError('INSUFFICIENT_DATA', `no factor of ${m.id} v${m.version} could be scored: every input is missing`, {
      factors: raw.map((r) => r.factor.key),
    });
  }
  const factors: FactorScore[] = raw.map((r) => {
    const applied = r.score === null ? 0 : r.factor.weight / scoredWeight;
    return {
      key: r.factor.key,
      label: r.factor.label,
      metric: r.factor.metric,
      value: r.ratio.value,
      reason: r.ratio.reason,
      basis: r.basis,
      band_index: r.band_index,
      score: r.score,
      weight: r.factor.weight,
      applied_weight: applied,
      contribution: r.score === null ? 0 : applied * r.score,
    };
  });
  const weighted = roundScore(factors.reduce((s, f) => s + f.contribution, 0));
  const g = ratingForScore(m, weighted);
  const result: ScorecardResult = {
    methodology_id: m.id,
    methodology_version: m.version,
    factors,
    weighted_score: weighted,
    model_rating: g.grade,
    model_risk_rating: g.risk_rating,
    model_pd: g.pd,
    override: null,
    final_rating: g.grade,
    final_risk_rating: g.risk_rating,
    final_pd: g.pd,
    override_notches: 0,
  };
  return override === null ? result : applyOverride(result, m, override);
}

/** Computes the ratios of annual-basis figures and scores them. */
export function applyScorecard(figures: CreditFigures, methodology: ScorecardMethodology, override: RatingOverride | null = null): ScorecardResult {
  return scoreRatios(computeRatios(figures), methodology, override);
}
