/**
 * The credit workspace's view model, pure: which periods are on an annual
 * basis (FY, LTM, and LTMs rolled from quarters), the analysis of the chosen
 * period with shared/finance/credit, the stress grid axes, ratio display,
 * and the field-by-field diff of two saved versions. No DOM, no React.
 */
import { rollingLtm, runCreditAnalysis } from '../../../../shared/finance/credit';
import {
  RATIO_DIRECTION,
  type CovenantRow,
  type CreditFigures,
  type CreditAnalysisOutputs,
  type FinancialStatement,
  type FinancialStatementRow,
  FRACTION_RATIOS,
  type RatioKey,
  type RatioResult,
  type RatingOverride,
  type ScorecardMethodology,
} from '../../../../shared/domain/credit';
import { fmtAmount, fmtMultiple, fmtPct, humanize, parseAmountInput } from '../../lib/format';

const FIGURE_LABEL: Partial<Record<keyof CreditFigures, string>> = {
  revenue: 'Revenue',
  ebitda: 'EBITDA',
  ebit: 'EBIT',
  ebita: 'EBITA',
  interest_expense: 'Interest expense',
  cash_interest: 'Cash interest',
  capex: 'Capex',
  cash_taxes: 'Cash taxes',
  floating_rate_share: 'Floating-rate share',
};
/** A statement figure's name for people: EBITDA, Cash interest, Floating-rate share. */
export const figureLabel = (f: keyof CreditFigures): string => FIGURE_LABEL[f] ?? humanize(f);

/** A figure as the grid shows it (and as the editor starts). */
export function formatFigure(field: keyof CreditFigures, value: number | null): string {
  // While an edit is being checked the grid may show the typed text itself.
  if (value !== null && typeof value !== 'number') return String(value);
  if (field === 'floating_rate_share') return fmtPct(value, 1);
  return value === null ? '—' : fmtAmount(value);
}

/** What the analyst typed → the stored value, or a problem. */
export function parseFigure(field: keyof CreditFigures, text: string): { ok: true; value: number | null } | { ok: false; message: string } {
  const t = text.trim();
  if (field === 'collateral_value' && (t === '' || t === '—' || t === '-')) return { ok: true, value: null };
  if (field === 'floating_rate_share') {
    const pct = t.endsWith('%');
    const n = Number(t.replace('%', '').trim());
    if (t === '' || !Number.isFinite(n)) return { ok: false, message: 'Enter the floating-rate share as a percentage (80%) or a fraction (0.8).' };
    return { ok: true, value: pct || n > 1 ? n / 100 : n };
  }
  const cents = parseAmountInput(t);
  if (cents === null) return { ok: false, message: 'Enter an amount with at most two decimals, such as 40,000,000 or 40m.' };
  return { ok: true, value: cents };
}

/** Stress heatmap axes: EBITDA declines (fractions, rows) × floating-rate shocks (bp, columns). */
export const GRID_DECLINES = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5] as const;
export const GRID_SHOCKS_BP = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** One period the workspace can analyse. `statementId` is null for an LTM rolled from quarters here. */
export interface AnnualPeriod {
  key: string;
  label: string;
  statementId: string | null;
  statement: FinancialStatement;
}

const business = (r: FinancialStatementRow): FinancialStatement => {
  const { id: _id, version: _v, updated_at: _u, updated_by: _b, deleted_at: _d, ...s } = r;
  return s;
};

/**
 * Annual-basis periods, oldest first: stored FY and LTM statements, plus an
 * LTM built from four consecutive quarters wherever no stored annual
 * statement ends on that date. Statements in another currency than the
 * latest one are left out (a trend mixes no currencies).
 */
export function annualPeriods(rows: readonly FinancialStatementRow[]): AnnualPeriod[] {
  if (!rows.length) return [];
  const sorted = [...rows].sort((a, b) => (a.period_end < b.period_end ? -1 : a.period_end > b.period_end ? 1 : a.period_type.localeCompare(b.period_type)));
  const currency = sorted[sorted.length - 1]!.currency;
  const same = sorted.filter((r) => r.currency === currency);
  const out: AnnualPeriod[] = same
    .filter((r) => r.period_type !== 'Q')
    .map((r) => ({ key: `${r.period_type}:${r.period_end}`, label: `${r.period_type} ${r.period_end}`, statementId: r.id, statement: business(r) }));
  const taken = new Set(out.map((p) => p.statement.period_end));
  const quarters = same.filter((r) => r.period_type === 'Q').map(business);
  if (quarters.length >= 4) {
    try {
      for (const s of rollingLtm(quarters)) {
        if (taken.has(s.period_end)) continue;
        out.push({ key: `LTM*:${s.period_end}`, label: `LTM ${s.period_end} (from quarters)`, statementId: null, statement: s });
      }
    } catch {
      // Malformed quarters: the stored annual statements are still shown.
    }
  }
  return out.sort((a, b) => (a.statement.period_end < b.statement.period_end ? -1 : a.statement.period_end > b.statement.period_end ? 1 : 0));
}

export function covenantTerms(rows: readonly CovenantRow[]) {
  return rows.map(({ version: _v, updated_at: _u, updated_by: _b, deleted_at: _d, ...c }) => c);
}

/** The full analysis of one period: ratios, covenants in force, the stress grid and the scorecard. */
export function analysePeriod(
  period: AnnualPeriod,
  covenants: readonly CovenantRow[],
  methodology: ScorecardMethodology,
  override: RatingOverride | null = null,
): CreditAnalysisOutputs {
  return runCreditAnalysis({
    statement: period.statement,
    covenants: covenantTerms(covenants),
    methodology,
    scenarios: [],
    grid: { ebitda_declines: [...GRID_DECLINES], rate_shocks_bp: [...GRID_SHOCKS_BP] },
    override,
  });
}

export const RATIO_LABEL: Record<RatioKey, string> = {
  total_leverage: 'Total leverage',
  net_leverage: 'Net leverage',
  senior_leverage: 'Senior leverage',
  interest_coverage: 'EBITDA ÷ interest',
  ebit_interest_coverage: 'EBIT ÷ interest',
  ebita_interest_coverage: 'EBITA ÷ interest',
  fixed_charge_coverage: 'Fixed-charge cover',
  dscr: 'DSCR',
  ltv: 'LTV',
  current_ratio: 'Current ratio',
  ffo_to_debt: 'FFO ÷ debt',
};

/** 5.00× or 50.0 %; "n.m." (not meaningful) or "—" (missing input) for a null ratio. */
export function fmtRatioValue(key: RatioKey, value: number | null): string {
  if (value === null) return '—';
  return FRACTION_RATIOS.has(key) ? fmtPct(value, 1) : fmtMultiple(value, 2);
}

export function fmtRatio(key: RatioKey, r: RatioResult): string {
  if (r.value !== null) return fmtRatioValue(key, r.value);
  if (r.reason === 'missing_input') return '—';
  return r.limit === 'best' ? 'n.m. (none)' : 'n.m.';
}

/** Why a ratio is null, in words (cell titles). */
export function ratioNote(r: RatioResult): string | undefined {
  switch (r.reason) {
    case 'missing_input':
      return 'An input is missing (e.g. no collateral value).';
    case 'zero_denominator':
      return r.limit === 'best' ? 'Nothing to cover: the denominator is zero.' : 'The denominator is zero.';
    case 'negative_denominator':
      return 'Not meaningful: the denominator (e.g. EBITDA) is negative.';
    case 'negative_numerator':
      return 'Not meaningful: the earnings measure is negative.';
    default:
      return undefined;
  }
}

/** Covenant threshold as written: "≤ 6.00×", "≥ 8.0 %". */
export function fmtThreshold(metric: RatioKey, operator: 'max' | 'min', threshold: number): string {
  return `${operator === 'max' ? '≤' : '≥'} ${fmtRatioValue(metric, threshold)}`;
}

/** Headroom units in the metric's units: "1.00×" or "3.0 pts". */
export function fmtHeadroomUnits(metric: RatioKey, units: number | null): string {
  if (units === null) return '—';
  return FRACTION_RATIOS.has(metric) ? `${(units * 100).toFixed(1)} pts` : fmtMultiple(units, 2);
}

export const isLowerBetter = (key: RatioKey) => RATIO_DIRECTION[key] === 'lower_better';

/** One line of the side-by-side diff of two versions. */
export interface DiffLine {
  section: string;
  label: string;
  left: string;
  right: string;
  changed: boolean;
}

export interface DiffSide {
  analysis_version: number;
  period_end: string;
  recommendation: string;
  model_rating: string;
  rating_override: string | null;
  override_reason: string | null;
  final_rating: string;
  created_at: string;
  created_by: string;
  inputs: { statement: FinancialStatement; covenants: { id: string; facility: string; metric: RatioKey; operator: 'max' | 'min'; threshold: number }[] };
  outputs: CreditAnalysisOutputs;
}

/** Every compared field of two versions, in reading order; `changed` marks what differs. */
export function diffVersions(a: DiffSide, b: DiffSide, fmtMoney: (cents: number | null) => string): DiffLine[] {
  const lines: DiffLine[] = [];
  const add = (section: string, label: string, left: string, right: string) => lines.push({ section, label, left, right, changed: left !== right });
  add('Version', 'Saved', `${a.created_at.slice(0, 16).replace('T', ' ')} · ${a.created_by}`, `${b.created_at.slice(0, 16).replace('T', ' ')} · ${b.created_by}`);
  add('Version', 'Period', a.period_end, b.period_end);
  add('Rating', 'Final rating', a.final_rating.toUpperCase(), b.final_rating.toUpperCase());
  add('Rating', 'Model rating', a.model_rating.toUpperCase(), b.model_rating.toUpperCase());
  add('Rating', 'Override', a.rating_override?.toUpperCase() ?? '—', b.rating_override?.toUpperCase() ?? '—');
  add('Rating', 'Override reason', a.override_reason ?? '—', b.override_reason ?? '—');
  add('Rating', 'Weighted score', a.outputs.scorecard.weighted_score.toFixed(2), b.outputs.scorecard.weighted_score.toFixed(2));
  add('Rating', 'PD (final)', fmtPct(a.outputs.scorecard.final_pd, 2), fmtPct(b.outputs.scorecard.final_pd, 2));
  add('Recommendation', 'Recommendation', a.recommendation || '—', b.recommendation || '—');
  for (const key of Object.keys(a.outputs.ratios) as RatioKey[]) {
    add('Ratios', RATIO_LABEL[key], fmtRatio(key, a.outputs.ratios[key]), fmtRatio(key, b.outputs.ratios[key]!));
  }
  const ids = [...new Set([...a.outputs.covenants.map((c) => c.covenant_id), ...b.outputs.covenants.map((c) => c.covenant_id)])];
  for (const id of ids) {
    const ca = a.outputs.covenants.find((c) => c.covenant_id === id);
    const cb = b.outputs.covenants.find((c) => c.covenant_id === id);
    const any = ca ?? cb!;
    const show = (c: typeof ca) => (c ? `${c.status === 'breach' ? 'BREACH' : c.status === 'pass' ? 'pass' : 'not tested'} · ${fmtPct(c.headroom, 1)} (${fmtThreshold(c.metric, c.operator, c.threshold)})` : 'not in force');
    add('Covenants', `${any.facility}: ${RATIO_LABEL[any.metric]}`, show(ca), show(cb));
  }
  const fields = Object.keys(a.inputs.statement).filter((k) => !['borrower_id', 'period_end', 'period_type', 'currency'].includes(k)) as (keyof FinancialStatement)[];
  for (const f of fields) {
    const va = a.inputs.statement[f];
    const vb = b.inputs.statement[f];
    const show = (v: unknown) => (f === 'floating_rate_share' ? fmtPct(v as number, 1) : typeof v === 'number' || v === null ? fmtMoney(v as number | null) : String(v));
    add('Inputs', figureLabel(f as keyof CreditFigures), show(va), show(vb));
  }
  return lines;
}
