import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fundMetrics, loadIndexSeries } from '../../electron/core/metrics';
import { writeFundReport } from '../../electron/core/reports/fund-report';
import { jCurvePoints, quarterEnds } from '../../electron/core/reports/fund-report-data';
import type { Workstation } from '../../electron/core/workstation';
import { tempDir, tempWorkstation } from '../helpers/temp-profile';
import { AS_OF, pdfImages, pdfPages, seedReportFund, squash } from './fixture';

let ws: Workstation;
let dir: string;
let file: string;
let pages: string[];

beforeAll(async () => {
  ws = tempWorkstation();
  await seedReportFund(ws);
  dir = tempDir();
  file = path.join(dir, 'fund.pdf');
  const r = await writeFundReport(ws.db.raw, { fundId: 'F1', asOf: AS_OF }, file);
  expect(r.pages).toBe(3);
  pages = pdfPages(file);
});

describe('fund report PDF', () => {
  it('has a cover with the fund, the as-of date and the confidentiality line', () => {
    const cover = squash(pages[0]!);
    expect(cover).toContain('Growth Fund I');
    expect(cover).toContain('Fund report');
    expect(cover).toContain('As of 31 December 2024');
    expect(cover).toContain('CONFIDENTIAL');
    expect(cover).toContain('Confidential. Prepared for the fund’s limited partners; not for onward distribution.');
    expect(cover).toContain('USD 20,000,000.00');
  });

  it('prints the metrics with the exact figures', () => {
    const p = squash(pages[1]!);
    // PIC 2,800,000.00 (C1 2m + C2 paid 800k), distributions 600,000.00, NAV 3,000,000.00
    expect(p).toContain('Committed 10,000,000.00');
    expect(p).toContain('Called 3,000,000.00');
    expect(p).toContain('Paid-in capital (PIC) 2,800,000.00');
    expect(p).toContain('Distributions 600,000.00');
    expect(p).toContain('NAV 3,000,000.00');
    expect(p).toContain('Unfunded commitment 7,100,000.00'); // 10m − 3m + 100k recallable
    expect(p).toContain('TVPI 1.29x'); // 3.6m / 2.8m = 1.2857
    expect(p).toContain('DPI 0.21x');
    expect(p).toContain('RVPI 1.07x');
    const m = fundMetrics(ws.db.raw, 'F1', AS_OF, loadIndexSeries(ws.db.raw, 'World Equity Index'));
    expect(p).toContain(`IRR (net, XIRR) ${(m.irr! * 100).toFixed(2)}%`);
    expect(p).toContain(`KS-PME vs World Equity Index ${m.ksPme!.toFixed(2)}`);
  });

  it('draws the charts as vector graphics: axis labels are text, no image is embedded', () => {
    const p = squash(pages[1]!);
    expect(p).toContain('J-curve');
    expect(p).toContain('2023 Q1');
    expect(p).toContain('2024 Q4');
    expect(p).toContain('Net cash flow (cumulative)');
    expect(p).toContain('USD m');
    expect(p).toMatch(/Industrials|Healthcare|Technology/);
    expect(pdfImages(file)).toEqual([]);
  });

  it('flows the allocation table over pages with its header repeated, and numbers pages "page n of m"', () => {
    const header = /Date\s+Deal\s+Sector\s+Security\s+Status\s+Amount \(USD\)/;
    expect(pages[1]).toMatch(header);
    expect(pages[2]).toMatch(header);
    expect(pages).toHaveLength(3);
    pages.forEach((p, i) => expect(p).toContain(`page ${i + 1} of 3`));
    const rows = pages.join('\n').match(/^\s*2023-\d\d-\d\d\s+\S/gm) ?? [];
    expect(rows).toHaveLength(32);
    expect(squash(pages[2]!)).toContain('Total 3,200,000.00');
    expect(squash(pages[2]!)).toContain('Counted toward the fund\'s limits (approved, committed, funded): USD 3,200,000.00.');
    pages.slice(1).forEach((p) => expect(p).toContain('Growth Fund I · Fund report'));
  });

  it('embeds the DejaVu Sans font', async () => {
    const { execFileSync } = await import('node:child_process');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\s.*yes\s+yes\s+yes/);
    expect(fonts).not.toMatch(/Helvetica/);
  });

  it('is byte-for-byte reproducible from the same data', async () => {
    const again = path.join(dir, 'again.pdf');
    await writeFundReport(ws.db.raw, { fundId: 'F1', asOf: AS_OF }, again);
    expect(fs.readFileSync(again).equals(fs.readFileSync(file))).toBe(true);
  });

  it('refuses an unknown fund or index without writing a file', async () => {
    const out = path.join(dir, 'none.pdf');
    await expect(writeFundReport(ws.db.raw, { fundId: 'NOPE', asOf: AS_OF }, out)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(writeFundReport(ws.db.raw, { fundId: 'F1', asOf: AS_OF, index: 'No Such Index' }, out)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('J-curve points', () => {
  it('are quarter ends from the first flow to the as-of date, cumulative, with NAV added', () => {
    expect(quarterEnds('2023-02-10', '2023-08-15').map((q) => `${q.label} ${q.date}`)).toEqual(['2023 Q1 2023-03-31', '2023 Q2 2023-06-30', '2023 Q3 2023-08-15']);
    const pts = jCurvePoints(
      [
        { date: '2023-01-20', amount: -200 },
        { date: '2023-05-01', amount: -100 },
        { date: '2023-07-01', amount: 50 },
      ],
      [{ date: '2023-06-30', nav: 280 }],
      '2023-07-31',
    );
    expect(pts).toEqual([
      { label: '2023 Q1', netCashFlow: -200, netValue: -200 },
      { label: '2023 Q2', netCashFlow: -300, netValue: -20 },
      { label: '2023 Q3', netCashFlow: -250, netValue: 30 },
    ]);
  });
});
