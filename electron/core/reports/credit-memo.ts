/**
 * Credit memo (docs/reports.md §5), rendered from engineer A's credit
 * report (electron/core/credit/report.ts creditReport(), shape
 * shared/api/credit-views.ts CreditReport): borrower summary, ratios over
 * the periods, covenants with headroom, the stress result and grid, the
 * scorecard and rating, and the recommendation of the latest saved analysis
 * version.
 */
import type Database from 'better-sqlite3';
import type { CreditReport } from '../../../shared/api/credit-views';
import { FRACTION_RATIOS, RATIO_KEYS, type RatioKey, type RatioResult } from '../../../shared/domain/credit';
import { creditReport } from '../credit/report';
import { COLORS, type ReportDocument } from './document';
import { amount, longDate, multiple, percent } from './format';
import { drawTable } from './table';
import { writePdf, type PdfWriteOptions, type PdfWriteResult } from './write-pdf';

/** The memo's stress case unless one is asked for: the middle of the standard grid. */
export const DEFAULT_STRESS = { ebitdaShockPct: 20, rateShockBp: 200 } as const;

export const MEMO_CONFIDENTIALITY = 'Confidential. Internal credit committee use only.';

export interface CreditMemoInput {
  borrowerId: string;
  /** Use periods ending on or before this date (default: all). */
  asOf?: string;
  /** Stress: EBITDA down this many percent, floating rates up this many bp (default 20 % / 200 bp). */
  ebitdaShockPct?: number;
  rateShockBp?: number;
  confidentiality?: string;
}

const RATIO_LABEL: Record<RatioKey, string> = {
  total_leverage: 'Total debt ÷ EBITDA',
  net_leverage: 'Net debt ÷ EBITDA',
  senior_leverage: 'Senior debt ÷ EBITDA',
  interest_coverage: 'EBITDA ÷ interest',
  ebit_interest_coverage: 'EBIT ÷ interest',
  ebita_interest_coverage: 'EBITA ÷ interest',
  fixed_charge_coverage: 'Fixed-charge coverage',
  dscr: 'DSCR',
  ltv: 'LTV',
  current_ratio: 'Current ratio',
  ffo_to_debt: 'FFO ÷ debt',
};


/** A ratio value as printed: turns as "5.00x", fractions as "%", not meaningful as "n.m.". */
export function ratioText(key: RatioKey, value: number | null): string {
  if (value === null) return 'n.m.';
  return FRACTION_RATIOS.has(key) ? percent(value, 1) : multiple(value);
}

function ratio(key: RatioKey, r: RatioResult | undefined): string {
  if (!r) return '';
  if (r.value === null) return r.reason === 'missing_input' ? 'n/a' : 'n.m.';
  return ratioText(key, r.value);
}

export async function layoutCreditMemo(r: ReportDocument, rep: CreditReport): Promise<void> {
  const d = r.doc;
  const c = rep.currency;
  d.font('bold').fontSize(18).fillColor(COLORS.accent).text('Credit memo', r.left, r.y, { lineBreak: false });
  d.font('regular').fontSize(10).fillColor(COLORS.muted).text(`${rep.borrower.name} · as of ${longDate(rep.as_of)}`, r.left, r.y + 26, { lineBreak: false });
  r.y += 46;
  d.fillColor(COLORS.text);

  r.heading('Borrower summary', 3);
  const f = rep.figures;
  r.keyValues([
    { label: 'Borrower', value: `${rep.borrower.name} (${rep.borrower.id})` },
    { label: 'Sector / country', value: `${rep.borrower.sector || '—'} / ${rep.borrower.country || '—'}` },
    {
      label: 'Basis period',
      value: `${rep.basis.period_type} ending ${rep.basis.period_end}${rep.basis.source === 'ltm_from_quarters' ? ` (LTM of quarters ${rep.basis.quarters.join(', ')})` : ''}`,
    },
    { label: `Revenue / EBITDA (${c})`, value: `${amount(f.revenue)} / ${amount(f.ebitda)}` },
    { label: `Total debt / cash (${c})`, value: `${amount(f.total_debt)} / ${amount(f.cash)}` },
  ]);

  r.heading('Rating and recommendation', 3);
  const sc = rep.scorecard;
  const a = rep.latest_analysis;
  r.keyValues([
    { label: 'Model rating (this run)', value: `${sc.model_rating} · PD ${percent(sc.model_pd, 2)} · score ${sc.weighted_score.toFixed(2)}` },
    { label: 'Methodology', value: `${rep.methodology.name} v${rep.methodology.version}${rep.methodology.stored ? '' : ' (default)'}` },
    ...(a
      ? [
          { label: `Final rating (analysis v${a.analysis_version}, ${a.period_end})`, value: a.final_rating, bold: true },
          ...(a.rating_override ? [{ label: 'Override', value: `${a.model_rating} → ${a.rating_override}: ${a.override_reason ?? ''}` }] : []),
          { label: 'Analyst', value: `${a.created_by}, ${a.created_at.slice(0, 10)}` },
        ]
      : [{ label: 'Saved analysis', value: 'none yet', bold: true }]),
  ]);
  r.paragraph(a ? `Recommendation: ${a.recommendation || '(none written)'}` : 'Recommendation: no saved analysis version; this memo shows the model run only.', { bold: true, gap: 6 });

  const periods = rep.periods.slice(-5);
  r.heading('Ratios by period', 3);
  await drawTable(
    r,
    [{ header: 'Ratio', width: 30 }, ...periods.map((p) => ({ header: `${p.period_type} ${p.period_end}`, width: 70 / Math.max(periods.length, 1), align: 'right' as const }))],
    [
      ['EBITDA margin', ...periods.map((p) => percent(p.ebitda_margin, 1))],
      ...RATIO_KEYS.map((k) => [RATIO_LABEL[k], ...periods.map((p) => ratio(k, p.ratios[k]))]),
    ],
    { fontSize: 8 },
  );

  r.heading('Covenants (EBITDA fall: the decline that would breach)', 3);
  if (!rep.covenants.length) r.paragraph('No covenants in force.', { color: COLORS.muted });
  else
    await drawTable(
      r,
      [
        { header: 'Facility', width: 20 },
        { header: 'Covenant', width: 21 },
        { header: 'Test', width: 10, align: 'right' },
        { header: 'Actual', width: 10, align: 'right' },
        { header: 'Status', width: 11 },
        { header: 'Headroom', width: 14, align: 'right' },
        { header: 'EBITDA fall', width: 14, align: 'right' },
      ],
      rep.covenants.map((t) => [
        t.facility,
        RATIO_LABEL[t.metric],
        `${t.operator === 'max' ? '≤' : '≥'} ${ratioText(t.metric, t.threshold)}`,
        ratioText(t.metric, t.actual),
        t.status === 'breach' ? 'BREACH' : t.status === 'pass' ? 'Pass' : 'Not tested',
        percent(t.headroom, 1),
        percent(t.ebitda_decline_to_breach, 1),
      ]),
      { fontSize: 8 },
    );

  const s = rep.stress;
  r.heading(`Stress: EBITDA −${percent(s.scenario.ebitda_decline, 0)}, floating rates +${s.scenario.rate_shock_bp} bp`, 3);
  r.keyValues([
    { label: `Stressed EBITDA (${c})`, value: amount(s.figures.ebitda) },
    { label: `Extra interest (${c})`, value: amount(Math.round(s.extra_interest)) },
    { label: 'Total debt ÷ EBITDA / EBITDA ÷ interest', value: `${ratio('total_leverage', s.ratios.total_leverage)} / ${ratio('interest_coverage', s.ratios.interest_coverage)}` },
    { label: 'Covenants breached under stress', value: String(s.breached_covenant_ids.length), bold: true },
  ]);
  const g = rep.grid;
  r.ensureSpace(20 + (g.ebitda_declines.length + 2) * 16); // keep the grid with its caption
  r.paragraph('Covenants breached over the standard grid (rows: EBITDA decline; columns: rate rise):', { size: 8.5, color: COLORS.muted });
  await drawTable(
    r,
    [{ header: 'EBITDA decline', width: 28 }, ...g.rate_shocks_bp.map((bp) => ({ header: `+${bp} bp`, width: 72 / g.rate_shocks_bp.length, align: 'right' as const }))],
    g.ebitda_declines.map((dec, i) => [dec === 0 ? '0%' : `−${percent(dec, 0)}`, ...g.rate_shocks_bp.map((_, j) => String(g.cells[i]?.[j]?.breach_count ?? ''))]),
    { fontSize: 8 },
  );

  r.heading('Scorecard', 3);
  await drawTable(
    r,
    [
      { header: 'Factor', width: 34 },
      { header: 'Value', width: 16, align: 'right' },
      { header: 'Score', width: 14, align: 'right' },
      { header: 'Weight', width: 18, align: 'right' },
      { header: 'Contribution', width: 18, align: 'right' },
    ],
    sc.factors.map((x) => [
      x.label,
      x.value === null ? (x.basis === 'missing_excluded' || x.basis === 'missing_worst' ? 'n/a' : 'n.m.') : ratioText(x.metric, x.value),
      x.score === null ? '—' : String(x.score),
      percent(x.applied_weight, 1),
      x.contribution.toFixed(2),
    ]),
    { fontSize: 8, footer: ['Weighted score → rating', '', '', '', `${sc.weighted_score.toFixed(2)} → ${sc.model_rating}`] },
  );
  if (rep.notes.length) {
    r.heading('Notes', 3);
    for (const n of rep.notes) r.paragraph(`• ${n}`, { size: 8.5 });
  }
}

/** Writes the credit memo for `input` to `outFile` (atomically). */
export async function writeCreditMemo(db: Database.Database, input: CreditMemoInput, outFile: string, opts: PdfWriteOptions = {}): Promise<PdfWriteResult> {
  const rep = creditReport(db, { borrowerId: input.borrowerId, asOf: input.asOf, ebitdaShockPct: input.ebitdaShockPct ?? DEFAULT_STRESS.ebitdaShockPct, rateShockBp: input.rateShockBp ?? DEFAULT_STRESS.rateShockBp });
  return writePdf(
    outFile,
    {
      title: `${rep.borrower.name} — Credit memo as of ${rep.as_of}`,
      header: `${rep.borrower.name} · Credit memo`,
      headerRight: `As of ${longDate(rep.as_of)}`,
      confidentiality: input.confidentiality ?? MEMO_CONFIDENTIALITY,
      creationDate: new Date(`${rep.as_of}T00:00:00Z`),
    },
    (r) => layoutCreditMemo(r, rep),
    opts,
  );
}
