/**
 * A fund of 5,000 allocations in the grid: rows come a block at a time
 * (AG Grid's infinite row model over allocationRows), while sort, search,
 * the pinned totals row and scrolling to the end work on the whole fund.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCents } from '../../shared/money';
import { seedBasics } from '../helpers/seed';
import { expectCleanConsole, startApp, type App } from './harness';

const N = 5_000;
const DEALS = ['D1', 'D2', 'D3'] as const; // Acme Robotics, Borealis Health, Cobalt Software
const id = (i: number) => `P${String(i).padStart(4, '0')}`;
/** Distinct amounts (7919 is prime to 5,000), 1,000.00 to 50,990.00. */
const amount = (i: number) => 100_000 + ((i * 7919) % N) * 1000;
const status = (i: number) => (i % 4 === 3 ? 'cancelled' : 'approved');
const money = (cents: number) => formatCents(cents).replace(/^(-?)(\d+)/, (_, s: string, d: string) => s + Number(d).toLocaleString('en-US'));

let app: App;

beforeAll(async () => {
  app = await startApp({
    today: () => '2024-06-30',
    actor: { userId: 'ana', role: 'analyst' },
    seed: async (ws) => {
      const actor = ws.actor;
      ws.actor = { userId: 'setup', role: 'admin' };
      await seedBasics(ws);
      ws.actor = actor;
      // 5,000 rows straight into SQLite (a fixture): dates rise with i, five a day.
      const raw = ws.db.raw;
      const ins = raw.prepare(
        `INSERT INTO allocation (id, fund_id, deal_id, security_type, amount, status, date, approved_by, approved_at, version, updated_at, updated_by, deleted_at)
         VALUES (?, 'F1', ?, 'common_equity', ?, ?, ?, 'setup', '2020-01-01T00:00:00.000Z', 0, '2020-01-01T00:00:00.000Z', 'setup', NULL)`,
      );
      raw.transaction(() => {
        for (let i = 0; i < N; i++) ins.run(id(i), DEALS[i % 3]!, amount(i), status(i), new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 5) * 86_400_000).toISOString().slice(0, 10));
      })();
    },
  });
  await app.page.goto(`${app.host.url}#/funds/F1`);
  await app.page.locator(`.ag-row[row-id="${id(0)}"]`).first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

const viewport = () => app.page.locator('[data-testid=allocations-grid] .ag-grid-viewport, [data-testid=allocations-grid] .ag-body-viewport').first();
const firstRowId = () => app.page.locator('[data-testid=allocations-grid] .ag-row[row-index="0"]:not(.ag-row-pinned)').first().getAttribute('row-id');
/** The toolbar count, with the no-break space Intl puts after a currency code made plain. */
const countText = async () => ((await app.page.getByTestId('grid-count').textContent()) ?? '').replace(/\s/g, ' ');
const pinnedAmount = () => app.page.locator('.ag-row-pinned .ag-cell[col-id="amount"]').textContent();

describe('a fund of 5,000 allocations', () => {
  it('shows the count and the pinned totals of the whole fund, summed on the host', async () => {
    const { page } = app;
    const total = Array.from({ length: N }, (_, i) => amount(i)).reduce((a, b) => a + b, 0);
    const counted = Array.from({ length: N }, (_, i) => (status(i) === 'approved' ? amount(i) : 0)).reduce((a, b) => a + b, 0);
    await expect.poll(countText).toBe(`5,000 allocations · counted USD ${money(counted)}`);
    await expect.poll(pinnedAmount).toBe(money(total));
    expect(await page.locator('.ag-row-pinned .ag-cell[col-id="deal_name"]').textContent()).toBe('Total · 5,000 rows');
    // Only blocks of rows travel: far fewer rows than the fund's are in the page.
    const rendered = await page.locator('[data-testid=allocations-grid] .ag-row:not(.ag-row-pinned)').count();
    expect(rendered).toBeLessThan(100);
  });

  it('scrolling to the end shows the last row', async () => {
    await viewport().evaluate((v) => (v.scrollTop = v.scrollHeight));
    const last = app.page.locator(`.ag-row[row-id="${id(N - 1)}"] .ag-cell[col-id="amount"]`);
    await expect.poll(() => last.textContent()).toBe(money(amount(N - 1)));
    expect(await app.page.locator(`.ag-row[row-id="${id(N - 1)}"]`).getAttribute('row-index')).toBe(String(N - 1));
    await viewport().evaluate((v) => (v.scrollTop = 0));
    await expect.poll(firstRowId).toBe(id(0));
  });

  it('sorting by amount is done over the whole fund: the first rows are the largest and smallest amounts', async () => {
    const { page } = app;
    const byAmount = Array.from({ length: N }, (_, i) => i).sort((a, b) => amount(a) - amount(b));
    const header = page.locator('.ag-header-cell[col-id="amount"] .ag-header-cell-label');
    await header.click(); // ascending
    await expect.poll(firstRowId).toBe(id(byAmount[0]!));
    await header.click(); // descending
    await expect.poll(firstRowId).toBe(id(byAmount[N - 1]!));
    expect(await page.locator(`.ag-row[row-id="${id(byAmount[N - 1]!)}"] .ag-cell[col-id="amount"]`).first().textContent()).toBe(money(amount(byAmount[N - 1]!)));
    await header.click(); // back to the default order
    await expect.poll(firstRowId).toBe(id(0));
  });

  it('quick search runs on the host and the totals follow it', async () => {
    const { page } = app;
    const cobalt = Array.from({ length: N }, (_, i) => i).filter((i) => DEALS[i % 3] === 'D3');
    await page.getByTestId('grid-search').fill('cobalt');
    await expect.poll(countText).toMatch(new RegExp(`^${cobalt.length.toLocaleString('en-US')} of 5,000 · counted`));
    await expect.poll(pinnedAmount).toBe(money(cobalt.reduce((t, i) => t + amount(i), 0)));
    await expect.poll(firstRowId).toBe(id(cobalt[0]!));
    await page.getByTestId('grid-search').fill('');
    await expect.poll(countText).toMatch(/^5,000 allocations/);
  });

  it('keeps the console clean (no CSP violations, no errors)', () => {
    expectCleanConsole(app);
  });
});
