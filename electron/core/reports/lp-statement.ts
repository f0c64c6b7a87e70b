/**
 * LP capital account statement for a period (docs/reports.md §4): opening
 * balance, contributions, distributions, fees, gains, closing NAV and
 * unfunded commitment, for the period and since inception, with the LP's
 * calls and payments in the period listed below.
 */
import type Database from 'better-sqlite3';
import { MeridianError } from '../../../shared/errors';
import { COLORS, type ReportDocument } from './document';
import { amount, longDate, percent } from './format';
import { loadFundLpRecords, loadInvestor, loadLpCalls, loadLpPayments, type FundLpRecords } from './lp-data';
import { lpCapitalAccount, type LpAccount } from './lp-figures';
import { drawTable } from './table';
import { writePdf, type PdfWriteOptions, type PdfWriteResult } from './write-pdf';

export const STATEMENT_CONFIDENTIALITY = 'Confidential. Prepared for the named limited partner only.';

/** The first day of the period since inception: before any business date. */
export const INCEPTION = '1900-01-01';

export interface LpStatementInput {
  fundId: string;
  investorId: string;
  /** Last day of the period (inclusive). */
  asOf: string;
  /** First day of the period (default: the first day of asOf's calendar quarter). */
  from?: string;
  /** Fees charged to the LP in the period, cents (no fee ledger is kept; default 0). */
  fees?: number;
  confidentiality?: string;
}

export interface LpStatementData {
  records: FundLpRecords;
  investorId: string;
  investorName: string;
  from: string;
  to: string;
  period: LpAccount;
  inception: LpAccount;
  activity: Array<{ date: string; kind: string; amount: number }>;
}

export function quarterStart(date: string): string {
  const m = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${String(m - ((m - 1) % 3)).padStart(2, '0')}-01`;
}

export function loadLpStatementData(db: Database.Database, input: LpStatementInput): LpStatementData {
  const records = loadFundLpRecords(db, input.fundId);
  const investor = loadInvestor(db, input.investorId);
  if (!records.commitments.some((c) => c.key === investor.id)) {
    throw new MeridianError('NOT_FOUND', `investor ${investor.id} has no commitment to fund ${records.fund.id}`, { fundId: records.fund.id, investorId: investor.id });
  }
  const to = input.asOf;
  const from = input.from ?? quarterStart(to);
  if (from > to) throw new MeridianError('INVALID_DATE', `The period starts (${from}) after it ends (${to}).`, { path: 'from', from, to });
  const lpCalls = loadLpCalls(db, records.fund.id, investor.id);
  const lpPayments = loadLpPayments(db, records.fund.id, investor.id);
  const base = {
    investorId: investor.id,
    to,
    commitments: records.commitments,
    lpCalls,
    lpPayments,
    fundContributions: records.fundContributions,
    fundDistributions: records.fundDistributions,
    navMarks: records.navMarks,
  };
  const inPeriod = (d: string) => d >= from && d <= to;
  const activity = [
    ...lpCalls.filter((c) => inPeriod(c.date)).map((c) => ({ date: c.date, kind: 'Capital called', amount: c.amount })),
    ...lpPayments.filter((p) => inPeriod(p.date)).map((p) => ({ date: p.date, kind: 'Payment received', amount: p.amount })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind.localeCompare(b.kind)));
  return {
    records,
    investorId: investor.id,
    investorName: investor.name,
    from,
    to,
    period: lpCapitalAccount({ ...base, from, fees: input.fees }),
    // Fees are known for the period only; since inception they are left in gains.
    inception: lpCapitalAccount({ ...base, from: INCEPTION, fees: from === INCEPTION ? input.fees : undefined }),
    activity,
  };
}

export async function layoutLpStatement(r: ReportDocument, s: LpStatementData): Promise<void> {
  const c = s.records.fund.currency;
  const d = r.doc;
  d.font('bold').fontSize(18).fillColor(COLORS.accent).text('Capital account statement', r.left, r.y, { lineBreak: false });
  d.font('regular').fontSize(10).fillColor(COLORS.muted).text(`${s.records.fund.name} · ${longDate(s.from)} to ${longDate(s.to)}`, r.left, r.y + 26, { lineBreak: false });
  r.y += 46;
  d.fillColor(COLORS.text);
  r.keyValues([
    { label: 'Limited partner', value: `${s.investorName} (${s.investorId})` },
    { label: 'Fund', value: `${s.records.fund.name} (${s.records.fund.id})` },
    { label: 'Commitment', value: `${c} ${amount(s.period.commitment)}` },
    { label: 'Share of total commitments', value: percent(s.period.share, 4) },
  ]);
  r.heading('Capital account', 3);
  const row = (label: string, k: keyof LpAccount, sign = 1) => [label, amount(sign * (s.period[k] as number)), amount(sign * (s.inception[k] as number))];
  await drawTable(
    r,
    [
      { header: '', width: 50 },
      { header: `Period (${c})`, width: 25, align: 'right' },
      { header: `Since inception (${c})`, width: 25, align: 'right' },
    ],
    [
      row('Opening balance', 'opening'),
      row('Contributions', 'contributions'),
      row('Distributions', 'distributions', -1),
      row('Management fees and fund expenses', 'fees', -1),
      row('Net gains / (losses)', 'gains'),
    ],
    { footer: ['Closing NAV', amount(s.period.closing), amount(s.inception.closing)], fontSize: 9 },
  );
  r.keyValues([{ label: `Unfunded commitment at ${longDate(s.to)}`, value: `${c} ${amount(s.period.unfunded)}`, bold: true }]);

  r.heading('Your calls and payments in the period', 3);
  if (s.activity.length === 0) r.paragraph('None.', { color: COLORS.muted });
  else
    await drawTable(
      r,
      [
        { header: 'Date', width: 25 },
        { header: 'Movement', width: 45 },
        { header: `Amount (${c})`, width: 30, align: 'right' },
      ],
      s.activity.map((a) => [a.date, a.kind, amount(a.amount)]),
      { fontSize: 9 },
    );
  r.paragraph(
    'How the figures are derived: opening and closing balances are your pro rata share (by commitment) of the fund’s NAV on the day before the period and on its last day; ' +
      'contributions are your payments plus your share of contributions recorded without a call; distributions are your share of the fund’s distributions; ' +
      'net gains are what reconciles the account (closing − opening − contributions + distributions + fees). ' +
      (s.period.fees === 0 ? 'No fees are recorded separately: they are included in net gains. ' : '') +
      'Unfunded commitment = commitment − capital called − contributions recorded without a call + recallable distributions.',
    { size: 7.5, color: COLORS.muted },
  );
}

/** Writes the statement for `input` to `outFile` (atomically). */
export async function writeLpStatement(db: Database.Database, input: LpStatementInput, outFile: string, opts: PdfWriteOptions = {}): Promise<PdfWriteResult> {
  const data = loadLpStatementData(db, input);
  return writePdf(
    outFile,
    {
      title: `${data.records.fund.name} — Capital account statement ${data.from} to ${data.to} — ${data.investorName}`,
      header: `${data.records.fund.name} · Capital account statement · ${data.investorName}`,
      headerRight: `${longDate(data.from)} – ${longDate(data.to)}`,
      confidentiality: input.confidentiality ?? STATEMENT_CONFIDENTIALITY,
      creationDate: new Date(`${data.to}T00:00:00Z`),
    },
    (r) => layoutLpStatement(r, data),
    opts,
  );
}
