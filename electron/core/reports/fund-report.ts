/**
 * The fund report (docs/reports.md §2): a cover (fund, as-of date,
 * confidentiality), the metrics table, the J-curve and allocation-by-sector
 * charts, and every live allocation in a table that flows over as many
 * pages as it takes with its header repeated.
 */
import type Database from 'better-sqlite3';
import { COLORS, type ReportDocument } from './document';
import { jCurveSvg, sectorSvg } from './charts';
import { amount, decimal, longDate, money, multiple, percent } from './format';
import { loadFundReportData, type FundReportData } from './fund-report-data';
import { drawSvg } from './svg-to-pdf';
import { drawTable } from './table';
import { writePdf, type PdfWriteOptions, type PdfWriteResult } from './write-pdf';

export const DEFAULT_CONFIDENTIALITY = 'Confidential. Prepared for the fund’s limited partners; not for onward distribution.';

export interface FundReportInput {
  fundId: string;
  asOf: string;
  /** Benchmark index for the PME figures (default: the first stored index, by name). */
  index?: string;
  confidentiality?: string;
}

const STATUS_LABEL: Record<string, string> = {
  proposed: 'Proposed',
  approved: 'Approved',
  committed: 'Committed',
  funded: 'Funded',
  exited: 'Exited',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** 'preferred_equity' → "Preferred equity". */
function securityLabel(t: string): string {
  const s = t.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function cover(r: ReportDocument, data: FundReportData, confidentiality: string): void {
  const d = r.doc;
  d.rect(0, 0, d.page.width, 230).fill(COLORS.accent);
  d.font('bold').fontSize(11).fillColor('#ffffff').text('MERIDIAN', r.left, 70, { lineBreak: false, characterSpacing: 2 });
  d.fontSize(28).text(data.fund.name, r.left, 110, { width: r.width });
  d.font('regular').fontSize(14).text('Fund report', r.left, d.y + 6, { width: r.width });
  d.fillColor(COLORS.text);
  d.y = 270;
  r.keyValues([
    { label: 'As of', value: longDate(data.asOf) },
    { label: 'Fund', value: `${data.fund.name} (${data.fund.id})` },
    { label: 'Currency', value: data.fund.currency },
    { label: 'Vintage', value: String(data.fund.vintage) },
    { label: 'Fund size', value: money(data.fund.size, data.fund.currency) },
    { label: 'Benchmark index (PME)', value: data.indexName ?? 'none stored' },
  ]);
  d.y = 640;
  d.rect(r.left, d.y, r.width, 64).lineWidth(0.8).strokeColor(COLORS.accent).stroke();
  d.font('bold').fontSize(9.5).fillColor(COLORS.accent).text('CONFIDENTIAL', r.left + 12, d.y + 10, { lineBreak: false });
  d.font('regular').fontSize(9).fillColor(COLORS.text).text(confidentiality, r.left + 12, d.y + 14, { width: r.width - 24 });
}

function metricsBlock(r: ReportDocument, data: FundReportData): void {
  const m = data.metrics;
  const c = data.fund.currency;
  const half = (r.width - 24) / 2;
  const top = r.y;
  r.keyValues(
    [
      { label: `Capital (${c})`, value: null },
      { label: 'Committed', value: amount(m.committed) },
      { label: 'Called', value: amount(m.called) },
      { label: 'Paid-in capital (PIC)', value: amount(m.pic) },
      { label: 'Distributions', value: amount(m.distributions) },
      { label: 'NAV', value: amount(m.nav) },
      { label: 'Unfunded commitment', value: amount(m.unfunded), bold: true },
    ],
    { width: half },
  );
  const leftEnd = r.y;
  r.y = top;
  const idx = data.indexName ? `vs ${data.indexName}` : 'no index stored';
  r.keyValues(
    [
      { label: 'Performance', value: null },
      { label: 'IRR (net, XIRR)', value: percent(m.irr) },
      { label: 'TVPI', value: multiple(m.tvpi) },
      { label: 'DPI', value: multiple(m.dpi) },
      { label: 'RVPI', value: multiple(m.rvpi) },
      { label: 'KS-PME', value: decimal(m.ksPme), note: idx },
      { label: 'Direct Alpha', value: percent(m.directAlpha) },
      { label: 'LN-PME IRR / PME+ IRR', value: `${percent(m.lnPme)} / ${percent(m.pmePlus)}` },
    ],
    { width: half, x: r.left + half + 24 },
  );
  r.y = Math.max(leftEnd, r.y);
}

function chart(r: ReportDocument, title: string, svg: string, height: number): void {
  r.heading(title, 3);
  r.ensureSpace(height);
  const top = r.y;
  const { height: h } = drawSvg(r.doc, svg, r.left, top, r.width, { fonts: { regular: 'regular', bold: 'bold' } });
  r.doc.x = r.left;
  r.y = top + h + 8;
}

/** Lays out the fund report from loaded data. */
export async function layoutFundReport(r: ReportDocument, data: FundReportData, confidentiality: string): Promise<void> {
  cover(r, data, confidentiality);
  r.newPage();
  r.heading('Key figures', 2);
  r.paragraph(`All amounts in ${data.fund.currency}, as of ${longDate(data.asOf)}. Multiples and IRR on paid-in capital; PME figures against ${data.indexName ?? 'no benchmark (none stored)'}.`, {
    color: COLORS.muted,
    size: 8.5,
  });
  metricsBlock(r, data);
  const chartW = r.width;
  if (data.jCurve.length) chart(r, 'J-curve', jCurveSvg(data.jCurve, data.fund.currency, { width: chartW, height: 230 }), 230);
  else r.paragraph('J-curve: no contributions or distributions up to the as-of date.', { color: COLORS.muted });
  if (data.sectors.length) {
    const h = Math.min(260, 60 + data.sectors.length * 24);
    chart(r, 'Allocation by sector (approved, committed and funded)', sectorSvg(data.sectors, data.fund.currency, { width: chartW, height: h }), h);
  } else r.paragraph('Allocation by sector: no counted allocations.', { color: COLORS.muted });
  await r.checkpoint();

  r.heading(`Allocations (${data.allocations.length})`, 2);
  function* rows() {
    for (const a of data.allocations) yield [a.date, a.dealName, a.sector, securityLabel(a.securityType), STATUS_LABEL[a.status] ?? a.status, amount(a.amount)];
  }
  await drawTable(
    r,
    [
      { header: 'Date', width: 12 },
      { header: 'Deal', width: 26 },
      { header: 'Sector', width: 17 },
      { header: 'Security', width: 16 },
      { header: 'Status', width: 10 },
      { header: `Amount (${data.fund.currency})`, width: 19, align: 'right' },
    ],
    rows(),
    { footer: ['Total', '', '', '', '', amount(data.allocationTotal)] },
  );
  r.paragraph(`Counted toward the fund's limits (approved, committed, funded): ${money(data.countedTotal, data.fund.currency)}.`, { size: 8.5, color: COLORS.muted });
}

/** Writes the fund report for `input` to `outFile` (atomically). */
export async function writeFundReport(db: Database.Database, input: FundReportInput, outFile: string, opts: PdfWriteOptions = {}): Promise<PdfWriteResult> {
  const data = loadFundReportData(db, input);
  const confidentiality = input.confidentiality ?? DEFAULT_CONFIDENTIALITY;
  return writePdf(
    outFile,
    {
      title: `${data.fund.name} — Fund report as of ${data.asOf}`,
      header: `${data.fund.name} · Fund report`,
      headerRight: `As of ${longDate(data.asOf)}`,
      confidentiality,
      creationDate: new Date(`${data.asOf}T00:00:00Z`),
      cover: true,
    },
    (r) => layoutFundReport(r, data, confidentiality),
    opts,
  );
}
