/**
 * The hosts' save flows for reports and grid CSVs (shared/api/report-contract.ts
 * `saveReport`, `saveGridCsv`): the web host writes into its private
 * downloads folder and answers a one-time URL; the desktop asks a save
 * dialog (null when cancelled), grants the path and writes there. CSV goes
 * through the core's writer: RFC 4180, formulas neutralised.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiApi } from '../../electron/hosts/web/ui-api';
import { Downloads } from '../../electron/hosts/web/downloads';
import { standaloneSync } from '../../electron/hosts/web/sync-port';
import { createDesktopApi, PathGrantStore, type DesktopShell } from '../../electron/main/desktop-api';
import type { SyncSession } from '../../electron/hosts/web/sync-session';
import type { Workstation } from '../../electron/core/workstation';
import { tempDir, tempWorkstation } from '../helpers/temp-profile';
import { AS_OF, pdfPages, seedReportFund } from './fixture';

let ws: Workstation;
let downloads: Downloads;

beforeAll(async () => {
  ws = tempWorkstation();
  await seedReportFund(ws, 6);
  downloads = new Downloads();
});

afterAll(async () => {
  downloads.close();
  await ws.close();
});

const grid = {
  columns: [{ header: 'Investor' }, { header: 'Commitment' }, { header: '=Header' }],
  rows: [
    ['=HYPERLINK("http://x")', '5,000,000.00', 'a,b'],
    ['Endowment B', '-1,000.00', 'say "hi"'],
  ],
};

describe('web host', () => {
  const web = () => createUiApi(ws, { sync: standaloneSync(ws), downloads, profile: 'default', today: () => AS_OF });

  it('saveReport writes the PDF into the downloads folder and answers its name, pages and a download URL', async () => {
    const r = await web().saveReport({ kind: 'fund-report', fundId: 'F1', asOf: AS_OF, suggestedName: 'fund-report-growth' });
    expect(r).toMatchObject({ kind: 'fund-report', file: 'fund-report-growth.pdf', downloadUrl: expect.stringMatching(/^\/download\/[\w-]+$/) });
    const entry = downloads.take(r!.downloadUrl!.slice('/download/'.length))!;
    expect(entry.name).toBe('fund-report-growth.pdf');
    const pages = pdfPages(entry.file);
    expect(pages).toHaveLength(r!.pages);
    expect(pages[0]).toContain('Growth Fund I');
  });

  it('saveGridCsv writes the rows as given, RFC 4180, with formula-looking cells and headers neutralised', async () => {
    const r = await web().saveGridCsv({ suggestedName: 'investors', ...grid });
    expect(r).toMatchObject({ rows: 2, file: 'investors.csv' });
    const entry = downloads.take(r!.downloadUrl!.slice('/download/'.length))!;
    const text = fs.readFileSync(entry.file, 'utf8');
    expect(text.split('\r\n')[0]).toBe("Investor,Commitment,'=Header");
    expect(parse(text)).toEqual([
      ['Investor', 'Commitment', "'=Header"],
      ['\'=HYPERLINK("http://x")', '5,000,000.00', 'a,b'],
      // A negative formatted amount starts with "-" and is not a plain decimal: neutralised too (core rule, csv-safe.ts).
      ['Endowment B', "'-1,000.00", 'say "hi"'],
    ]);
  });

  it('refuses a row whose cells do not match the columns, and writes nothing', async () => {
    const before = fs.readdirSync(downloads.dir).length;
    await expect(web().saveGridCsv({ suggestedName: 'bad.csv', columns: grid.columns, rows: [['only one']] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(fs.readdirSync(downloads.dir)).toHaveLength(before);
  });
});

describe('desktop', () => {
  const desktop = (save: string | null) => {
    const shell: DesktopShell = { chooseSaveFile: async () => save, chooseOpenFile: async () => null };
    const grants = new PathGrantStore();
    // The UI piece needs only the session's sync port here.
    const session = { hostPort: () => standaloneSync(ws) } as unknown as SyncSession;
    return { grants, ...createDesktopApi({ ws, session, shell, grants, profile: 'default', today: () => AS_OF }) };
  };

  it('a cancelled save dialog writes nothing and answers null', async () => {
    const d = desktop(null);
    expect(await d.api.saveReport({ kind: 'lp-statement', fundId: 'F1', investorId: 'I1', suggestedName: 'x.pdf' })).toBeNull();
    expect(await d.api.saveGridCsv({ suggestedName: 'x.csv', ...grid })).toBeNull();
    expect(d.grants.write.size).toBe(0);
  });

  it('writes the report and the grid CSV to the chosen files and grants them', async () => {
    const dir = tempDir();
    const pdf = path.join(dir, 'statement.pdf');
    const a = desktop(pdf);
    const r = await a.api.saveReport({ kind: 'lp-statement', fundId: 'F1', investorId: 'I1', from: '2024-01-01', asOf: AS_OF, suggestedName: 'statement' });
    expect(r).toMatchObject({ kind: 'lp-statement', file: pdf });
    expect(r!.downloadUrl).toBeUndefined();
    expect(pdfPages(pdf).join('\n')).toContain('Pension Plan A');
    expect(a.grants.write.has(pdf)).toBe(true);

    const csv = path.join(dir, 'grid.csv');
    const b = desktop(csv);
    expect(await b.api.saveGridCsv({ suggestedName: 'grid', ...grid, bom: true })).toEqual({ rows: 2, file: csv });
    const text = fs.readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFFInvestor,')).toBe(true);
    expect(b.grants.write.has(csv)).toBe(true);
  });

  it("exports the allocation grid's view (sort and search) through the dialog; the default view stays the core's export by id", async () => {
    const dir = tempDir();
    const view = path.join(dir, 'view.csv');
    const r = await desktop(view).api.saveExport({ kind: 'allocations', fundId: 'F1', suggestedName: 'a.csv', query: { sort: [{ colId: 'date', sort: 'desc' }], search: 'acme' } });
    expect(r).toEqual({ rows: 2, file: view });
    const rows = parse(fs.readFileSync(view, 'utf8'), { columns: true }) as Record<string, string>[];
    // seedReportFund(ws, 6): Acme Robotics (D1) has A001 (2023-01-01) and A004 (2023-04-04).
    expect(rows.map((x) => [x.id, x.date, x.deal_name, x.amount])).toEqual([
      ['A004', '2023-04-04', 'Acme Robotics', '100000.00'],
      ['A001', '2023-01-01', 'Acme Robotics', '100000.00'],
    ]);
    const all = path.join(dir, 'all.csv');
    expect(await desktop(all).api.saveExport({ kind: 'allocations', fundId: 'F1', suggestedName: 'a.csv', query: { sort: [], filter: {}, search: '' } })).toEqual({ rows: 6, file: all });
  });
});
