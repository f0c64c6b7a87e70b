/**
 * Capital call notice per LP (docs/reports.md §3), with the fields of the
 * ILPA capital call template: the fund-level section (total commitments,
 * this call by purpose, prior cumulative contributions and distributions)
 * and the LP-level section (commitment, share of the fund, prior
 * contributions, this call, unfunded after this call), the due date and the
 * payment instructions. Without an investor, one notice per LP line of the
 * call, each starting on a new page, in one file.
 */
import type Database from 'better-sqlite3';
import type { CapitalCallRow } from '../../../shared/domain/entities';
import { MeridianError } from '../../../shared/errors';
import { COLORS, type ReportDocument } from './document';
import { amount, longDate, money, percent } from './format';
import { loadFundLpRecords, type FundLpRecords } from './lp-data';
import { callNoticeFigures, PURPOSE_KEYS, type CallNoticeFigures, type CallPurposes, type Dated } from './lp-figures';
import { drawTable } from './table';
import { writePdf, type PdfWriteOptions, type PdfWriteResult } from './write-pdf';

export const NOTICE_CONFIDENTIALITY = 'Confidential. Addressed to the named limited partner only.';

export interface CallNoticeInput {
  callId: string;
  /** One LP; omitted: every LP with a line on the call. */
  investorId?: string;
  /**
   * The call's purposes in cents. The database records a call's total only,
   * so the purposes are stated here: management fees, fund expenses and
   * other as given, investments = the rest (default: the whole call).
   */
  purposes?: Partial<Omit<CallPurposes, 'investments'>>;
  /** Payment instructions printed on the notice (default: see DEFAULT_INSTRUCTIONS). */
  paymentInstructions?: string;
  confidentiality?: string;
}

export const DEFAULT_INSTRUCTIONS =
  'Pay by wire transfer in the fund currency to the fund’s capital call account, quoting the payment reference above. ' +
  'Account details are provided separately by the fund administrator: confirm them by telephone with the administrator before paying, and never act on changed bank details received by e-mail.';

export interface NoticeData {
  call: CapitalCallRow;
  records: FundLpRecords;
  purposes: CallPurposes;
  notices: Array<{ investorId: string; investorName: string; figures: CallNoticeFigures }>;
}

const PURPOSE_LABEL: Record<keyof CallPurposes, string> = {
  investments: 'Investments',
  managementFees: 'Management fees',
  fundExpenses: 'Fund expenses',
  other: 'Other',
};

function resolvePurposes(call: CapitalCallRow, given: CallNoticeInput['purposes'] = {}): CallPurposes {
  const managementFees = given.managementFees ?? 0;
  const fundExpenses = given.fundExpenses ?? 0;
  const other = given.other ?? 0;
  for (const [k, v] of Object.entries({ managementFees, fundExpenses, other })) {
    if (!Number.isSafeInteger(v) || v < 0) throw new MeridianError('INVALID_AMOUNT', `${k}: ${v} is not a non-negative whole number of cents`, { path: k, value: v });
  }
  const investments = call.amount - managementFees - fundExpenses - other;
  if (investments < 0) {
    throw new MeridianError('INVALID_AMOUNT', `The purposes (${managementFees + fundExpenses + other} cents) exceed the call amount of ${call.amount} cents.`, {
      limit: call.amount,
      proposed: managementFees + fundExpenses + other,
    });
  }
  return { investments, managementFees, fundExpenses, other };
}

export function loadNoticeData(db: Database.Database, input: CallNoticeInput): NoticeData {
  const call = db.prepare<[string], CapitalCallRow>('SELECT * FROM capital_call WHERE id = ? AND deleted_at IS NULL').get(input.callId);
  if (!call) throw new MeridianError('NOT_FOUND', `capital call ${input.callId} does not exist`, { entity: 'capital_call', id: input.callId });
  if (call.status === 'cancelled') throw new MeridianError('INVALID_INPUT', `capital call ${call.id} is cancelled; there is nothing to notify.`, { id: call.id, status: call.status });
  const records = loadFundLpRecords(db, call.fund_id);
  const purposes = resolvePurposes(call, input.purposes);
  const prior = `c.fund_id = ? AND c.deleted_at IS NULL AND c.status IN ('issued','partially_paid','paid') AND (c.call_date < ? OR (c.call_date = ? AND c.id < ?))`;
  const priorCalls = db.prepare<[string, string, string, string], Dated>(`SELECT c.call_date AS date, c.amount FROM capital_call c WHERE ${prior}`).all(call.fund_id, call.call_date, call.call_date, call.id);
  const lpPrior = db.prepare<[string, string, string, string, string], Dated>(
    `SELECT c.call_date AS date, l.amount FROM capital_call_line l JOIN capital_call c ON c.id = l.call_id WHERE l.investor_id = ? AND l.deleted_at IS NULL AND ${prior}`,
  );
  const lines = db
    .prepare<[string], { investor_id: string; amount: number; name: string }>(
      `SELECT l.investor_id, l.amount, i.name FROM capital_call_line l JOIN investor i ON i.id = l.investor_id
        WHERE l.call_id = ? AND l.deleted_at IS NULL ORDER BY i.name, l.investor_id`,
    )
    .all(call.id)
    .filter((l) => input.investorId === undefined || l.investor_id === input.investorId);
  if (input.investorId !== undefined && lines.length === 0) {
    throw new MeridianError('NOT_FOUND', `investor ${input.investorId} has no line on capital call ${call.id}`, { callId: call.id, investorId: input.investorId });
  }
  const notices = lines.map((l) => ({
    investorId: l.investor_id,
    investorName: l.name,
    figures: callNoticeFigures({
      investorId: l.investor_id,
      callDate: call.call_date,
      commitments: records.commitments,
      priorCalls,
      lpPriorCalls: lpPrior.all(l.investor_id, call.fund_id, call.call_date, call.call_date, call.id),
      callAmount: call.amount,
      lpAmount: l.amount,
      fundContributions: records.fundContributions,
      fundDistributions: records.fundDistributions,
      purposes,
    }),
  }));
  return { call, records, purposes, notices };
}

/** The payment reference an LP quotes: the call id and the investor id. */
export function paymentReference(callId: string, investorId: string): string {
  return `${callId}/${investorId}`;
}

async function layoutNotice(r: ReportDocument, data: NoticeData, n: NoticeData['notices'][number], instructions: string): Promise<void> {
  const { call, records } = data;
  const c = records.fund.currency;
  const f = n.figures;
  const d = r.doc;
  d.font('bold').fontSize(18).fillColor(COLORS.accent).text('Capital call notice', r.left, r.y, { lineBreak: false });
  d.font('regular').fontSize(10).fillColor(COLORS.muted).text(records.fund.name, r.left, r.y + 26, { lineBreak: false });
  if (call.status === 'draft') d.font('bold').fontSize(10).fillColor('#b23a48').text('DRAFT — not issued', r.right - 110, r.y - 26, { lineBreak: false });
  r.y += 46;
  d.fillColor(COLORS.text);
  r.keyValues([
    { label: 'To (limited partner)', value: `${n.investorName} (${n.investorId})` },
    { label: 'Call reference', value: call.id },
    { label: 'Call date', value: longDate(call.call_date) },
    { label: 'Due date', value: longDate(call.due_date), bold: true },
    ...(call.description ? [{ label: 'Description', value: call.description }] : []),
  ]);
  r.paragraph(
    `In accordance with the limited partnership agreement of ${records.fund.name}, you are requested to pay ${money(f.lp.thisCall.total, c)} by ${longDate(call.due_date)}, ` +
      `being your pro rata share (${percent(f.lp.share, 4)} of total commitments) of a capital call of ${money(f.fund.thisCall.total, c)}.`,
    { gap: 8 },
  );

  r.heading('This call', 3);
  await drawTable(
    r,
    [
      { header: 'Purpose', width: 50 },
      { header: `Fund total (${c})`, width: 25, align: 'right' },
      { header: `Your share (${c})`, width: 25, align: 'right' },
    ],
    PURPOSE_KEYS.map((k) => [PURPOSE_LABEL[k], amount(f.fund.thisCall[k]), amount(f.lp.thisCall[k])]),
    { footer: ['Total this call', amount(f.fund.thisCall.total), amount(f.lp.thisCall.total)], fontSize: 9 },
  );

  const half = (r.width - 24) / 2;
  r.ensureSpace(8 * 15 + 24);
  const subheading = (text: string, x: number, y: number) => {
    d.font('bold').fontSize(10.5).fillColor(COLORS.accent).text(text, x, y, { lineBreak: false });
    d.font('regular').fillColor(COLORS.text);
  };
  const top = r.y;
  subheading('Fund', r.left, top);
  r.y = top + 18;
  r.keyValues(
    [
      { label: 'Total commitments', value: amount(f.fund.totalCommitments) },
      { label: 'This call', value: amount(f.fund.thisCall.total) },
      { label: 'Prior cumulative contributions', value: amount(f.fund.priorContributions) },
      { label: 'Prior cumulative distributions', value: amount(f.fund.priorDistributions) },
      { label: 'Cumulative contributions incl. this call', value: amount(f.fund.priorContributions + f.fund.thisCall.total), bold: true },
    ],
    { width: half },
  );
  const leftEnd = r.y;
  subheading('Your investment', r.left + half + 24, top);
  r.y = top + 18;
  r.keyValues(
    [
      { label: 'Commitment', value: amount(f.lp.commitment) },
      { label: 'Share of the fund', value: percent(f.lp.share, 4) },
      { label: 'Prior contributions', value: amount(f.lp.priorContributions) },
      { label: 'Prior distributions', value: amount(f.lp.priorDistributions) },
      { label: 'Unfunded before this call', value: amount(f.lp.unfundedBefore) },
      { label: 'This call', value: amount(f.lp.thisCall.total) },
      { label: 'Unfunded after this call', value: amount(f.lp.unfundedAfter), bold: true },
    ],
    { width: half, x: r.left + half + 24 },
  );
  r.y = Math.max(leftEnd, r.y);

  r.heading('Payment', 3);
  r.keyValues([
    { label: 'Amount due', value: money(f.lp.thisCall.total, c), bold: true },
    { label: 'Due date', value: longDate(call.due_date) },
    { label: 'Payment reference', value: paymentReference(call.id, n.investorId) },
  ]);
  r.paragraph(instructions, { size: 8.5 });
  r.paragraph(`Amounts in ${c}. Contributions are called capital (prior calls and contributions recorded without a call); fund-level flows are shared pro rata to commitments.`, {
    size: 7.5,
    color: COLORS.muted,
  });
}

export async function layoutCallNotices(r: ReportDocument, data: NoticeData, instructions: string): Promise<void> {
  for (let i = 0; i < data.notices.length; i++) {
    if (i > 0) r.newPage();
    await layoutNotice(r, data, data.notices[i]!, instructions);
    await r.checkpoint();
  }
}

/** Writes the notice(s) for `input` to `outFile` (atomically). */
export async function writeCallNotice(db: Database.Database, input: CallNoticeInput, outFile: string, opts: PdfWriteOptions = {}): Promise<PdfWriteResult & { notices: number }> {
  const data = loadNoticeData(db, input);
  if (!data.notices.length) throw new MeridianError('NOT_FOUND', `capital call ${data.call.id} has no LP lines`, { id: data.call.id });
  const one = data.notices.length === 1 ? data.notices[0]! : undefined;
  const r = await writePdf(
    outFile,
    {
      title: `${data.records.fund.name} — Capital call notice ${data.call.call_date}${one ? ` — ${one.investorName}` : ''}`,
      header: `${data.records.fund.name} · Capital call notice`,
      headerRight: `Call date ${longDate(data.call.call_date)}`,
      confidentiality: input.confidentiality ?? NOTICE_CONFIDENTIALITY,
      creationDate: new Date(`${data.call.call_date}T00:00:00Z`),
    },
    (doc) => layoutCallNotices(doc, data, input.paymentInstructions ?? DEFAULT_INSTRUCTIONS),
    opts,
  );
  return { ...r, notices: data.notices.length };
}

