/**
 * LTM construction and trends across periods.
 *
 * LTM from four quarters: flow items (revenue, EBITDA, EBIT, EBITA, interest
 * expense, cash interest, scheduled principal, capex, cash taxes, rent) are
 * the sum of the four quarters; balance items (total and senior debt, cash,
 * current assets and liabilities, collateral value, floating-rate share) are
 * the latest quarter's. The four quarters must be consecutive: each quarter
 * ends 84 to 98 days after the previous one (calendar quarters are 90–92
 * days, 13- and 14-week fiscal quarters 91 and 98). Anything else — fewer
 * than four quarters, a gap, a duplicate period end, a statement that is not
 * a quarter, mixed borrowers or currencies — is refused: tryLtmFromQuarters
 * says why, ltmFromQuarters throws INSUFFICIENT_DATA (INVALID_INPUT for
 * malformed statements). An LTM is never padded or annualised.
 *
 * Trends: ratios of annual-basis statements (FY or LTM) in period order, the
 * EBITDA margin, growth against the previous point, and per ratio the
 * latest change with its credit direction (lower leverage is improving).
 */
import {
  FLOW_FIELDS,
  RATIO_DIRECTION,
  RATIO_KEYS,
  financialStatementSchema,
  type CreditFigures,
  type FinancialStatement,
  type PeriodType,
  type RatioKey,
  type RatioResult,
  type RatioSet,
} from '../../domain/credit';
import { daysBetween } from '../../dates';
import { MeridianError } from '../../errors';
import { sumCents } from '../../money';
import { computeRatios, pickFigures } from './ratios';

/** Days between consecutive quarter ends accepted as "the next quarter". */
export const QUARTER_GAP_DAYS = { min: 84, max: 98 } as const;

export type LtmFailureReason =
  | 'invalid_statement'
  | 'not_quarterly'
  | 'mixed_borrower'
  | 'mixed_currency'
  | 'duplicate_period'
  | 'insufficient_quarters'
  | 'not_consecutive';

export type LtmOutcome =
  | { ok: true; statement: FinancialStatement; quarters: FinancialStatement[] }
  | { ok: false; reason: LtmFailureReason; message: string; details: Record<string, unknown> };

function fail(reason: LtmFailureReason, message: string, details: Record<string, unknown> = {}): LtmOutcome {
  return { ok: false, reason, message, details };
}

/** True when `next` ends one quarter after `prev` (see QUARTER_GAP_DAYS). */
export function isNextQuarter(prevEnd: string, nextEnd: string): boolean {
  const gap = daysBetween(prevEnd, nextEnd);
  return gap >= QUARTER_GAP_DAYS.min && gap <= QUARTER_GAP_DAYS.max;
}

function checkSeries(statements: readonly FinancialStatement[], kinds: readonly PeriodType[]): LtmOutcome | FinancialStatement[] {
  const parsed: FinancialStatement[] = [];
  for (let i = 0; i < statements.length; i++) {
    const r = financialStatementSchema.safeParse(statements[i]);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      return fail('invalid_statement', `statement ${i}: ${issue.path.join('.')}: ${issue.message}`, { index: i, path: issue.path.join('.') });
    }
    parsed.push(r.data);
  }
  const first = parsed[0];
  for (const s of parsed) {
    if (!kinds.includes(s.period_type)) {
      return fail('not_quarterly', `statement ${s.period_end} is ${s.period_type}, expected ${kinds.join(' or ')}`, { period_end: s.period_end, period_type: s.period_type });
    }
    if (first && s.borrower_id !== first.borrower_id) {
      return fail('mixed_borrower', `statements of different borrowers (${first.borrower_id}, ${s.borrower_id})`, { borrower_ids: [first.borrower_id, s.borrower_id] });
    }
    if (first && s.currency !== first.currency) {
      return fail('mixed_currency', `statements in different currencies (${first.currency}, ${s.currency})`, { currencies: [first.currency, s.currency] });
    }
  }
  const sorted = [...parsed].sort((a, b) => (a.period_end < b.period_end ? -1 : a.period_end > b.period_end ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.period_end === sorted[i - 1]!.period_end) {
      return fail('duplicate_period', `two statements end on ${sorted[i]!.period_end}`, { period_end: sorted[i]!.period_end });
    }
  }
  return sorted;
}

/** Sums the flow items and takes the balance items of the last quarter (quarters in order, checked). */
function combine(quarters: readonly FinancialStatement[]): FinancialStatement {
  const last = quarters[quarters.length - 1]!;
  // Balance items (BALANCE_FIELDS) come with the spread of the last quarter.
  const out: FinancialStatement = { ...last, period_type: 'LTM' };
  for (const field of FLOW_FIELDS) out[field] = sumCents(quarters.map((q) => q[field]));
  return out;
}

/**
 * The LTM statement ending at `asOf` (default: the latest quarter) from
 * quarterly statements, or why it cannot be built. Extra older or later
 * quarters in the input are ignored.
 */
export function tryLtmFromQuarters(quarters: readonly FinancialStatement[], asOf?: string): LtmOutcome {
  const checked = checkSeries(quarters, ['Q']);
  if (!Array.isArray(checked)) return checked;
  if (checked.length === 0) return fail('insufficient_quarters', 'no quarterly statements', { have: 0, need: 4 });
  const end = asOf ?? checked[checked.length - 1]!.period_end;
  const idx = checked.findIndex((q) => q.period_end === end);
  if (idx < 0) return fail('insufficient_quarters', `no quarter ends on ${end}`, { as_of: end });
  if (idx < 3) {
    return fail('insufficient_quarters', `an LTM to ${end} needs four quarters; only ${idx + 1} end on or before it`, { as_of: end, have: idx + 1, need: 4 });
  }
  const four = checked.slice(idx - 3, idx + 1);
  for (let i = 1; i < four.length; i++) {
    const prev = four[i - 1]!.period_end;
    const next = four[i]!.period_end;
    if (!isNextQuarter(prev, next)) {
      return fail(
        'not_consecutive',
        `quarters ending ${prev} and ${next} are ${daysBetween(prev, next)} days apart: a quarter is missing or misdated (expected ${QUARTER_GAP_DAYS.min}–${QUARTER_GAP_DAYS.max})`,
        { as_of: end, previous: prev, next, days: daysBetween(prev, next) },
      );
    }
  }
  return { ok: true, statement: combine(four), quarters: four };
}

/** Like tryLtmFromQuarters but throws INSUFFICIENT_DATA (INVALID_INPUT for malformed statements). */
export function ltmFromQuarters(quarters: readonly FinancialStatement[], asOf?: string): FinancialStatement {
  const r = tryLtmFromQuarters(quarters, asOf);
  if (r.ok) return r.statement;
  const code = r.reason === 'invalid_statement' || r.reason === 'not_quarterly' || r.reason === 'mixed_borrower' || r.reason === 'mixed_currency' ? 'INVALID_INPUT' : 'INSUFFICIENT_DATA';
  throw new MeridianError(code, `cannot build an LTM: ${r.message}`, { reason: r.reason, ...r.details });
}

/**
 * Every LTM that a quarterly history supports, oldest first: one per quarter
 * end preceded by three consecutive quarters. Quarter ends without four
 * consecutive quarters are skipped (never padded).
 */
export function rollingLtm(quarters: readonly FinancialStatement[]): FinancialStatement[] {
  const checked = checkSeries(quarters, ['Q']);
  if (!Array.isArray(checked)) {
    throw new MeridianError('INVALID_INPUT', `cannot build LTMs: ${checked.ok ? '' : checked.message}`, checked.ok ? {} : { reason: checked.reason, ...checked.details });
  }
  const out: FinancialStatement[] = [];
  for (let i = 3; i < checked.length; i++) {
    const four = checked.slice(i - 3, i + 1);
    if (four.every((q, k) => k === 0 || isNextQuarter(four[k - 1]!.period_end, q.period_end))) out.push(combine(four));
  }
  return out;
}

/** Direction of a change in credit terms. */
export type TrendDirection = 'improving' | 'deteriorating' | 'unchanged';

export interface TrendPoint {
  period_end: string;
  period_type: PeriodType;
  figures: CreditFigures;
  ratios: RatioSet;
  /** EBITDA ÷ revenue (null when revenue ≤ 0). */
  ebitda_margin: number | null;
  /** Revenue change against the previous point ÷ previous revenue (null for the first point or previous ≤ 0). */
  revenue_growth: number | null;
  /** EBITDA change against the previous point ÷ previous EBITDA (null for the first point or previous ≤ 0). */
  ebitda_growth: number | null;
}

export interface RatioSeries {
  key: RatioKey;
  values: (number | null)[];
  /** Latest value − previous value (null when either is null or there is one point). */
  change: number | null;
  /** Latest value − first value. */
  change_since_first: number | null;
  /** Credit direction of the latest move, counting "not meaningful" ends ('best'/'worst'); null when unknown. */
  direction: TrendDirection | null;
}

export interface CreditTrend {
  borrower_id: string;
  currency: string;
  points: TrendPoint[];
  series: Record<RatioKey, RatioSeries>;
}

/** Higher is better; ±Infinity for the 'best'/'worst' ends; null when unknown. */
function goodness(key: RatioKey, r: RatioResult): number | null {
  if (r.value === null) return r.limit === 'best' ? Infinity : r.limit === 'worst' ? -Infinity : null;
  return RATIO_DIRECTION[key] === 'lower_better' ? -r.value : r.value;
}

/** Credit direction from `before` to `after` for a ratio. */
export function ratioDirection(key: RatioKey, before: RatioResult, after: RatioResult): TrendDirection | null {
  const a = goodness(key, before);
  const b = goodness(key, after);
  if (a === null || b === null) return null;
  return b > a ? 'improving' : b < a ? 'deteriorating' : 'unchanged';
}

const growth = (cur: number, prev: number | undefined): number | null => (prev === undefined || prev <= 0 ? null : (cur - prev) / prev + 0);
const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b + 0);

/**
 * Trend of annual-basis statements (FY or LTM) of one borrower, in period
 * order. Throws INVALID_INPUT for quarters (use rollingLtm first), mixed
 * borrowers or currencies, duplicate period ends or malformed statements,
 * and INSUFFICIENT_DATA for an empty list.
 */
export function creditTrend(statements: readonly FinancialStatement[]): CreditTrend {
  if (statements.length === 0) throw new MeridianError('INSUFFICIENT_DATA', 'a trend needs at least one statement', {});
  const checked = checkSeries(statements, ['FY', 'LTM']);
  if (!Array.isArray(checked)) {
    const why = checked.ok ? '' : checked.message;
    throw new MeridianError('INVALID_INPUT', `cannot build a trend: ${why}${checked.ok || checked.reason !== 'not_quarterly' ? '' : ' (build LTMs from quarters with rollingLtm)'}`, checked.ok ? {} : { reason: checked.reason, ...checked.details });
  }
  const points: TrendPoint[] = checked.map((s, i) => {
    const prev = i > 0 ? checked[i - 1] : undefined;
    const figures = pickFigures(s);
    return {
      period_end: s.period_end,
      period_type: s.period_type,
      figures,
      ratios: computeRatios(figures),
      ebitda_margin: s.revenue > 0 ? s.ebitda / s.revenue + 0 : null,
      revenue_growth: growth(s.revenue, prev?.revenue),
      ebitda_growth: growth(s.ebitda, prev?.ebitda),
    };
  });
  const series = {} as Record<RatioKey, RatioSeries>;
  const n = points.length;
  for (const key of RATIO_KEYS) {
    const values = points.map((p) => p.ratios[key].value);
    const last = points[n - 1]!.ratios[key];
    const prev = n > 1 ? points[n - 2]!.ratios[key] : undefined;
    series[key] = {
      key,
      values,
      change: prev ? diff(last.value, prev.value) : null,
      change_since_first: n > 1 ? diff(last.value, values[0]!) : null,
      direction: prev ? ratioDirection(key, prev, last) : null,
    };
  }
  return { borrower_id: checked[0]!.borrower_id, currency: checked[0]!.currency, points, series };
}
