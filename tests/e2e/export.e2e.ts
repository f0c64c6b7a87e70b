/** Export: the browser host downloads the core's CSV through the Export button. */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { M, allocate, seedBasics } from '../helpers/seed';
import { expectCleanConsole, startApp, type App } from './harness';

let app: App;

beforeAll(async () => {
  app = await startApp({
    today: () => '2024-06-30',
    seed: async (ws) => {
      await seedBasics(ws);
      await ws.mutate({ name: 'createDeal', args: { id: 'D4', name: '=HYPERLINK("http://x")', sector: 'Technology' } });
      await allocate(ws, 'A1', 'D1', M(1_250_000.5));
      await allocate(ws, 'A2', 'D3', M(2_000_000));
      await allocate(ws, 'A3', 'D4', M(100_000));
    },
  });
});

afterAll(async () => {
  await app?.close();
});

describe('CSV export in the browser host', () => {
  it('downloads the allocations of a fund as CSV that parses back', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/funds/F1`);
    await page.locator('.ag-row[row-id="A1"]').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-allocations').click()]);
    expect(download.suggestedFilename()).toBe('allocations-growth-fund-i-2024-06-30.csv');
    const file = await download.path();
    const rows = parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    const a1 = rows.find((r) => r.id === 'A1')!;
    expect(a1).toMatchObject({ fund_name: 'Growth Fund I', deal_name: 'Acme Robotics' });
    expect(Object.values(a1)).toContain('1250000.50');
    // A deal name a spreadsheet would run as a formula is neutralised.
    const a3 = rows.find((r) => r.id === 'A3')!;
    expect(a3.deal_name!.startsWith('=')).toBe(false);
    expect(a3.deal_name).toContain('HYPERLINK');
    await expect.poll(() => page.locator('.toast.ok').textContent()).toContain('Exported 3 allocations');
  });

  it('keeps the console clean', () => {
    expectCleanConsole(app);
  });
});
