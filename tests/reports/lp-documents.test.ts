import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeCallNotice } from '../../electron/core/reports/capital-call-notice';
import { writeLpStatement } from '../../electron/core/reports/lp-statement';
import type { Workstation } from '../../electron/core/workstation';
import { M } from '../helpers/seed';
import { tempDir, tempWorkstation } from '../helpers/temp-profile';
import { pdfImages, pdfPages, seedReportFund, squash } from './fixture';

let ws: Workstation;
let dir: string;

beforeAll(async () => {
  ws = tempWorkstation();
  await seedReportFund(ws, 3);
  dir = tempDir();
});

describe('capital call notice PDF', () => {
  it("shows the ILPA fields with the LP's exact share of the call", async () => {
    const file = path.join(dir, 'notice-I2.pdf');
    const r = await writeCallNotice(ws.db.raw, { callId: 'C2', investorId: 'I2', purposes: { managementFees: M(50_000) } }, file);
    expect(r).toMatchObject({ pages: 1, notices: 1 });
    const [p] = pdfPages(file).map(squash);
    expect(p).toContain('Capital call notice');
    expect(p).toContain('Endowment B (I2)');
    expect(p).toContain('Call date 15 January 2024');
    expect(p).toContain('Due date 31 January 2024');
    // fund section: this call split by purpose, and the LP's share of each
    expect(p).toContain('Investments 950,000.00 285,000.00');
    expect(p).toContain('Management fees 50,000.00 15,000.00');
    expect(p).toContain('Fund expenses 0.00 0.00');
    expect(p).toContain('Total this call 1,000,000.00 300,000.00');
    expect(p).toContain('Total commitments 10,000,000.00');
    expect(p).toContain('Prior cumulative contributions 2,000,000.00');
    expect(p).toContain('Prior cumulative distributions 0.00');
    // LP section
    expect(p).toContain('Commitment 3,000,000.00');
    expect(p).toContain('Share of the fund 30.0000%');
    expect(p).toContain('Prior contributions 600,000.00');
    expect(p).toContain('Unfunded before this call 2,400,000.00');
    expect(p).toContain('Unfunded after this call 2,100,000.00');
    expect(p).toContain('Amount due USD 300,000.00');
    expect(p).toContain('C2/I2'); // payment reference
    expect(p).toContain('Confidential. Addressed to the named limited partner only.');
    expect(p).toContain('page 1 of 1');
  });

  it('makes one notice per LP, each on its own page, when no investor is named', async () => {
    const file = path.join(dir, 'notice-all.pdf');
    const r = await writeCallNotice(ws.db.raw, { callId: 'C1' }, file);
    expect(r).toMatchObject({ pages: 3, notices: 3 });
    const pages = pdfPages(file).map(squash);
    expect(pages.map((p) => /Amount due USD ([\d,.]+)/.exec(p)?.[1])).toEqual(['600,000.00', '400,000.00', '1,000,000.00']); // by LP name: Endowment B, Family Office C, Pension Plan A
    expect(pages[2]).toContain('page 3 of 3');
  });

  it('refuses purposes larger than the call, and an LP without a line, without writing a file', async () => {
    const file = path.join(dir, 'bad.pdf');
    await expect(writeCallNotice(ws.db.raw, { callId: 'C2', purposes: { other: M(1_000_001) } }, file)).rejects.toMatchObject({ code: 'INVALID_AMOUNT' });
    await expect(writeCallNotice(ws.db.raw, { callId: 'C2', investorId: 'NOPE' }, file)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('LP capital account statement PDF', () => {
  it('prints the period and since-inception account with exact numbers', async () => {
    const file = path.join(dir, 'statement-I1.pdf');
    await writeLpStatement(ws.db.raw, { fundId: 'F1', investorId: 'I1', from: '2024-01-01', asOf: '2024-12-31' }, file);
    const [p] = pdfPages(file).map(squash);
    expect(p).toContain('Capital account statement');
    expect(p).toContain('Pension Plan A (I1)');
    expect(p).toContain('Share of total commitments 50.0000%');
    // opening 50 % × 1.9m; contributions: the 2024 payment; distributions 50 % × 600k; closing 50 % × 3m
    expect(p).toContain('Opening balance 950,000.00 0.00');
    expect(p).toContain('Contributions 500,000.00 1,500,000.00');
    expect(p).toContain('Distributions -300,000.00 -300,000.00');
    expect(p).toContain('Management fees and fund expenses 0.00 0.00');
    expect(p).toContain('Net gains / (losses) 350,000.00 300,000.00');
    expect(p).toContain('Closing NAV 1,500,000.00 1,500,000.00');
    expect(p).toContain('Unfunded commitment at 31 December 2024 USD 3,550,000.00'); // 5m − 1.5m called + 50 % × 100k recallable
    expect(p).toContain('2024-01-25 Payment received 500,000.00');
    expect(pdfImages(file)).toEqual([]);
  });

  it('shows an unpaid LP its calls but no contribution', async () => {
    const file = path.join(dir, 'statement-I3.pdf');
    await writeLpStatement(ws.db.raw, { fundId: 'F1', investorId: 'I3', from: '2024-01-01', asOf: '2024-12-31', fees: M(10_000) }, file);
    const [p] = pdfPages(file).map(squash);
    expect(p).toContain('Opening balance 380,000.00');
    expect(p).toContain('Contributions 0.00 400,000.00');
    expect(p).toContain('Management fees and fund expenses -10,000.00 0.00');
    expect(p).toContain('Net gains / (losses) 350,000.00'); // 600k − 380k − 0 + 120k + 10k
    expect(p).toContain('USD 1,420,000.00'); // 2m − 600k called + 20 % × 100k
    expect(p).toContain('2024-01-15 Capital called 200,000.00');
  });

  it('defaults the period to the as-of quarter and refuses an LP without a commitment', async () => {
    const file = path.join(dir, 'statement-q.pdf');
    await writeLpStatement(ws.db.raw, { fundId: 'F1', investorId: 'I2', asOf: '2024-12-31' }, file);
    expect(squash(pdfPages(file)[0]!)).toContain('1 October 2024 to 31 December 2024');
    await ws.mutate({ name: 'createInvestor', args: { id: 'I9', name: 'No Commitment LP' } });
    await expect(writeLpStatement(ws.db.raw, { fundId: 'F1', investorId: 'I9', asOf: '2024-12-31' }, path.join(dir, 'x.pdf'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
