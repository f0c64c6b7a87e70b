/**
 * Reports and grid CSVs from the app (docs/reports.md "From the app"): the
 * browser host generates the PDF through `saveReport` and the bridge
 * downloads it; a client-side grid exports what it shows through
 * `saveGridCsv`. Files are read back with pdftotext and csv-parse.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { M } from '../helpers/seed';
import { seedReportFund } from '../reports/fixture';
import { expectCleanConsole, startApp, type App } from './harness';

let app: App;
/** Body rows (pinned rows have row-index "t-n" / "b-n"). */
const BODY_ROWS = '.ag-row:not([row-index^="b-"]):not([row-index^="t-"])';
const FORMULA_NAME = '=HYPERLINK("http://x","LP")';

beforeAll(async () => {
  app = await startApp({
    today: () => '2024-12-31',
    seed: async (ws) => {
      await seedReportFund(ws, 12);
      // A second fund, so the search box filters rows out, and an LP whose name a spreadsheet would run.
      await ws.mutate({ name: 'createFund', args: { id: 'F2', name: 'Buyout Fund II', currency: 'EUR', vintage: 2023, size: M(50_000_000) } });
      await ws.mutate({ name: 'createInvestor', args: { id: 'I4', name: FORMULA_NAME } });
      await ws.mutate({ name: 'createCommitment', args: { id: 'C-I4', investorId: 'I4', fundId: 'F2', amount: M(7_500_000) } });
      await ws.mutate({ name: 'createCommitment', args: { id: 'C-I1-F2', investorId: 'I1', fundId: 'F2', amount: M(4_000_000) } });
      // Credit data for D1 (Acme Robotics): two annual statements and a covenant.
      const figures = {
        revenue: M(250_000_000), ebitda: M(40_000_000), ebit: M(28_000_000), ebita: M(31_000_000), interest_expense: M(16_000_000), cash_interest: M(14_000_000),
        scheduled_principal: M(2_000_000), total_debt: M(200_000_000), senior_debt: M(150_000_000), cash: M(20_000_000), current_assets: M(60_000_000),
        current_liabilities: M(40_000_000), capex: M(6_000_000), cash_taxes: M(4_000_000), rent: M(5_000_000), collateral_value: M(400_000_000), floating_rate_share: 0.8,
      };
      await ws.mutate({ name: 'upsertFinancialStatement', args: { id: 'S2023', borrowerId: 'D1', periodEnd: '2023-12-31', periodType: 'FY', currency: 'USD', figures: { ...figures, revenue: M(230_000_000) } } });
      await ws.mutate({ name: 'upsertFinancialStatement', args: { id: 'S2024', borrowerId: 'D1', periodEnd: '2024-12-31', periodType: 'FY', currency: 'USD', figures } });
      await ws.mutate({ name: 'upsertCovenant', args: { id: 'COV-LEV', borrowerId: 'D1', facility: 'Unitranche term loan', metric: 'total_leverage', threshold: 6 } });
    },
  });
});

afterAll(async () => {
  await app?.close();
});

/** Text of the displayed header cells, in column order. */
async function headers(page: Page): Promise<string[]> {
  return page.locator('[data-testid=investors-table] .ag-header-row-column .ag-header-cell').evaluateAll((cells) =>
    cells
      .map((c) => ({ i: Number(c.getAttribute('aria-colindex')), t: (c.querySelector('.ag-header-cell-text')?.textContent ?? '').trim() }))
      .sort((a, b) => a.i - b.i)
      .map((c) => c.t),
  );
}

/** Text of the cells of the grid's displayed row `index` (body rows, not the pinned totals), in column order. */
async function rowCells(page: Page, index: number): Promise<string[]> {
  return page.locator(`[data-testid=investors-table] .ag-row[row-index="${index}"] .ag-cell`).evaluateAll((cells) =>
    cells
      .map((c) => ({ i: Number(c.getAttribute('aria-colindex')), t: (c.textContent ?? '').trim() }))
      .sort((a, b) => a.i - b.i)
      .map((c) => c.t),
  );
}

describe('reports and grid exports from the app', () => {
  it('downloads the fund report as a PDF with the fund name and the TVPI shown on screen', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/funds/F1`);
    const tvpi = page.getByTestId('kpi-tvpi').locator('.v');
    await expect.poll(() => tvpi.textContent()).toMatch(/\d\.\d\d×/);
    const shownTvpi = (await tvpi.textContent())!.trim();
    const fundName = (await page.getByTestId('fund-name').textContent())!.trim();
    expect(fundName).toBe('Growth Fund I');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-fund').click()]);
    expect(download.suggestedFilename()).toBe('fund-report-growth-fund-i-2024-12-31.pdf');
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(fundName);
    expect(text).toContain('31 December 2024');
    // The screen writes multiples with ×, the PDF with x: the same figure.
    const pdfTvpi = shownTvpi.replace('×', 'x');
    expect(text.split('\n').some((l) => /TVPI/.test(l) && l.includes(pdfTvpi))).toBe(true);
    const pages = text.split('\f').filter((p) => p.trim()).length;
    await expect.poll(() => page.locator('.toast.ok').last().textContent()).toContain(`fund-report-growth-fund-i-2024-12-31.pdf — ${pages} pages`);
  });

  it('exports the investors grid as shown: sorted, filtered, formatted, formulas neutralised', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/investors`);
    const grid = page.getByTestId('investors-table');
    await grid.locator(BODY_ROWS).first().waitFor();
    expect(await grid.locator(BODY_ROWS).count()).toBe(5);

    // Sort by commitment, descending (two clicks), and filter by the search box.
    const commitmentHeader = grid.locator('.ag-header-cell[col-id="commitment"] .ag-header-cell-label');
    await commitmentHeader.click();
    await commitmentHeader.click();
    await expect.poll(() => grid.locator('.ag-header-cell[col-id="commitment"]').getAttribute('aria-sort')).toBe('descending');
    await page.getByTestId('investors-search').fill('buyout');
    await expect.poll(() => grid.locator(BODY_ROWS).count()).toBe(2);

    const shownHeaders = await headers(page);
    const first = await rowCells(page, 0);
    expect(first.slice(0, 4)).toEqual([FORMULA_NAME, 'Buyout Fund II', 'EUR', '7,500,000.00']);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-investors').click()]);
    expect(download.suggestedFilename()).toBe('investors-2024-12-31.csv');
    const raw = fs.readFileSync(await download.path(), 'utf8');
    expect(raw).toContain('\r\n');
    const rows = parse(raw, { skip_empty_lines: true }) as string[][];
    expect(rows[0]).toEqual(shownHeaders);
    // The LP whose name a spreadsheet would run as a formula: neutralised with a leading quote, otherwise as shown.
    expect(rows[1]).toEqual([`'${FORMULA_NAME}`, ...first.slice(1)]);
    expect(rows[2]!.slice(0, 4)).toEqual(['Pension Plan A', 'Buyout Fund II', 'EUR', '4,000,000.00']);
    // The pinned total of the rows shown, then nothing else (the filtered-out fund is not in the file).
    expect(rows).toHaveLength(4);
    expect(rows[3]!.slice(0, 4)).toEqual(['All investors', '', 'EUR', '11,500,000.00']);
    await expect.poll(() => page.locator('.toast.ok').last().textContent()).toContain('Exported 3 rows to investors-2024-12-31.csv');
  });

  it('exports the allocation grid (host rows) with its sort and search: the file holds what the grid shows, in order', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/funds/F1`);
    await page.locator('.ag-row[row-id="A001"]').first().waitFor();
    const dateHeader = page.locator('.ag-header-cell[col-id="date"] .ag-header-cell-label');
    await dateHeader.click();
    await dateHeader.click();
    await expect.poll(() => page.locator('.ag-header-cell[col-id="date"]').getAttribute('aria-sort')).toBe('descending');
    await page.getByTestId('grid-search').fill('acme');
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('4 of 12');
    // Seeded: A001, A004, A007, A010 are Acme Robotics, dated in months 1, 4, 7, 10 of 2023.
    await expect.poll(() => page.locator(`${BODY_ROWS}[row-index="0"]`).first().getAttribute('row-id')).toBe('A010');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-allocations').click()]);
    const rows = parse(fs.readFileSync(await download.path(), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(['A010', 'A007', 'A004', 'A001']);
    expect(rows[0]).toMatchObject({ fund_id: 'F1', fund_name: 'Growth Fund I', deal_name: 'Acme Robotics', amount: '100000.00' });
  });

  it('downloads the notices of a capital call and the LP statement of the selected position', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/calls/C2`);
    await page.getByTestId('call-detail').waitFor();
    const [notices] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-call-notices').click()]);
    expect(notices.suggestedFilename()).toBe('capital-call-notices-2024-01-15-growth-fund-i.pdf');
    const noticeText = execFileSync('pdftotext', ['-layout', await notices.path(), '-'], { encoding: 'utf8' });
    for (const lp of ['Pension Plan A', 'Endowment B', 'Family Office C']) expect(noticeText).toContain(lp);
    expect(noticeText).toContain('1,000,000.00');

    await page.goto(`${app.host.url}#/investors`);
    const grid = page.getByTestId('investors-table');
    await grid.locator('.ag-row[row-id="I1:F1:"]').first().click();
    await expect.poll(() => page.getByTestId('lp-statement-bar').textContent()).toContain('Pension Plan A · Growth Fund I');
    await page.getByLabel('Statement period from').fill('2024-01-01');
    const [statement] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-lp-statement').click()]);
    expect(statement.suggestedFilename()).toBe('lp-statement-pension-plan-a-growth-fund-i-2024-12-31.pdf');
    const text = execFileSync('pdftotext', ['-layout', await statement.path(), '-'], { encoding: 'utf8' });
    expect(text).toContain('Pension Plan A');
    expect(text).toContain('Growth Fund I');
  });

  it('exports the capital calls list and the funds comparison as shown', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/calls`);
    await page.locator('[data-testid=calls-grid] .ag-row[row-id="C1"]').first().waitFor();
    const [calls] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-calls').click()]);
    const callRows = parse(fs.readFileSync(await calls.path(), 'utf8'), { skip_empty_lines: true }) as string[][];
    expect(callRows[0]).toEqual(['Fund', 'Status', 'Call date', 'Due', 'Ccy', 'Amount', 'Paid', 'Outstanding', 'Description']);
    // Sorted by call date, newest first (the list's default sort); status as displayed.
    expect(callRows.slice(1).map((r) => [r[2], r[1], r[5]])).toEqual([
      ['2024-01-15', 'Overdue', '1,000,000.00'],
      ['2023-01-15', 'Paid', '2,000,000.00'],
    ]);

    await page.goto(`${app.host.url}#/`);
    await page.getByTestId('fund-table').waitFor();
    const [funds] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-funds').click()]);
    const fundRows = parse(fs.readFileSync(await funds.path(), 'utf8'), { skip_empty_lines: true }) as string[][];
    expect(fundRows[0]!.slice(0, 3)).toEqual(['Fund', 'Ccy', 'Vintage']);
    expect(fundRows.slice(1).map((r) => r[0]).sort()).toEqual(['Buyout Fund II', 'Growth Fund I']);
    const shownTvpi = await page.locator('[data-testid=fund-table] tbody tr', { hasText: 'Growth Fund I' }).locator('td').nth(12).textContent();
    expect(fundRows.find((r) => r[0] === 'Growth Fund I')![12]).toBe(shownTvpi!.trim());
  });

  it('downloads the credit memo and exports the financials grid as shown', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/credit/D1`);
    const grid = page.getByTestId('financials-grid');
    await grid.locator('.ag-row[row-id="revenue"]').first().waitFor();
    const [memo] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-credit-memo').click()]);
    expect(memo.suggestedFilename()).toBe('credit-memo-acme-robotics.pdf');
    const text = execFileSync('pdftotext', ['-layout', await memo.path(), '-'], { encoding: 'utf8' });
    expect(text).toContain('Acme Robotics');
    expect(text).toContain('Unitranche term loan');

    const shownRevenue = await grid.locator('.ag-row[row-id="revenue"] .ag-cell').evaluateAll((cells) =>
      cells
        .map((c) => ({ i: Number(c.getAttribute('aria-colindex')), t: (c.textContent ?? '').trim() }))
        .sort((a, b) => a.i - b.i)
        .map((c) => c.t),
    );
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-financials').click()]);
    const rows = parse(fs.readFileSync(await csv.path(), 'utf8'), { skip_empty_lines: true }) as string[][];
    expect(rows[0]).toEqual(['Figure (USD)', 'FY 2023-12-31', 'FY 2024-12-31']);
    expect(rows.find((r) => r[0] === shownRevenue[0])).toEqual(shownRevenue);
  });

  it('keeps the console clean', () => {
    expectCleanConsole(app);
  });
});
