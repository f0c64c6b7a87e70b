/** The allocations grid: rule violations on the cell (nothing saved), edits that save, approvals by role. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeridianApi } from '../../shared/api/contract';
import { M, allocate, seedBasics } from '../helpers/seed';
import { cell, expectCleanConsole, startApp, type App } from './harness';

let app: App;

beforeAll(async () => {
  app = await startApp({
    today: () => '2024-06-30',
    actor: { userId: 'ana', role: 'analyst' },
    seed: async (ws) => {
      const actor = ws.actor;
      ws.actor = { userId: 'setup', role: 'admin' };
      await seedBasics(ws);
      await allocate(ws, 'A1', 'D1', M(4_000_000)); // approved at once (≤ 5m)
      await allocate(ws, 'A2', 'D2', M(6_000_000)); // proposed: needs a portfolio manager
      ws.actor = actor;
    },
  });
  await app.page.goto(`${app.host.url}#/funds/F1`);
  await app.page.locator('.ag-row[row-id="A1"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
});

function amountOf(id: string) {
  return app.ws.db.raw.prepare<[string], { amount: number; status: string; approved_by: string | null }>('SELECT amount, status, approved_by FROM allocation WHERE id = ?').get(id)!;
}
function outboxSize() {
  return app.ws.db.raw.prepare<[], { n: number }>('SELECT count(*) n FROM outbox').get()!.n;
}

async function editAmount(rowId: string, text: string) {
  const c = cell(app.page, rowId, 'amount');
  await c.dblclick();
  const input = app.page.locator('.ag-cell-inline-editing input');
  await input.fill(text);
  await input.press('Enter');
}

describe('allocations grid', () => {
  it('shows the fund, its metrics and a pinned totals row', async () => {
    const { page } = app;
    await expect.poll(() => page.getByTestId('fund-name').textContent()).toBe('Growth Fund I');
    await expect.poll(() => page.getByTestId('grid-count').textContent()).toContain('2 allocations');
    const total = page.locator('.ag-row-pinned .ag-cell[col-id="amount"]');
    await expect.poll(() => total.textContent()).toBe('10,000,000.00');
  });

  it('an allocation over the per-deal limit shows the violation on the cell and is not saved', async () => {
    const { page } = app;
    const before = outboxSize();
    await editAmount('A1', '12,000,000');
    const c = cell(page, 'A1', 'amount');
    await expect.poll(() => c.getAttribute('class')).toContain('cell-error');
    const banner = page.getByTestId('violation');
    await banner.waitFor();
    const text = await banner.textContent();
    expect(text).toContain('Not saved');
    expect(text).toContain('over the per-deal limit of USD 10,000,000.00');
    expect(await banner.locator('[data-code="DEAL_ALLOCATION_LIMIT_EXCEEDED"]').count()).toBe(1);
    // The cell keeps the saved value, the database is untouched, nothing was queued for the server.
    expect(await c.textContent()).toContain('4,000,000.00');
    expect(amountOf('A1').amount).toBe(M(4_000_000));
    expect(outboxSize()).toBe(before);
    // What the renderer sees through window.meridian (the Node type-check has no DOM: reach it through globalThis).
    const seen = await page.evaluate(async () => {
      const api = (globalThis as unknown as { meridian: MeridianApi }).meridian;
      return (await api.listAllocations({ fundId: 'F1' })).find((a) => a.id === 'A1')!.amount;
    });
    expect(seen).toBe(M(4_000_000));
  });

  it('a clean edit is checked, saved and clears the violation', async () => {
    const { page } = app;
    await editAmount('A1', '4.5m');
    await expect.poll(() => amountOf('A1').amount).toBe(M(4_500_000));
    const c = cell(page, 'A1', 'amount');
    await expect.poll(() => c.textContent()).toContain('4,500,000.00');
    await expect.poll(() => c.getAttribute('class')).not.toContain('cell-error');
    expect(await page.getByTestId('violation').count()).toBe(0);
  });

  it('edits the security type inline', async () => {
    const { page } = app;
    await cell(page, 'A1', 'security_type').dblclick();
    const editor = page.locator('.ag-cell-inline-editing');
    await editor.waitFor();
    await page.keyboard.press('Enter'); // opens the list
    await page.locator('.ag-select-list-item', { hasText: 'senior_debt' }).or(page.locator('.ag-select-list-item', { hasText: 'Senior debt' })).first().click();
    await expect.poll(() => app.ws.db.raw.prepare<[], { t: string }>("SELECT security_type t FROM allocation WHERE id = 'A1'").get()!.t).toBe('senior_debt');
  });

  it('an analyst cannot approve above the threshold; a portfolio manager can', async () => {
    const { page } = app;
    const approve = page.locator('.ag-row[row-id="A2"] [data-action="approve"]');
    await approve.waitFor();
    expect(await approve.isDisabled()).toBe(true);
    expect(await approve.getAttribute('title')).toMatch(/need a portfolio manager; you are signed in as analyst/);

    app.host.setActor({ userId: 'pm.jones', role: 'portfolio_manager' });
    await expect.poll(() => page.getByTestId('session').getAttribute('data-role')).toBe('portfolio_manager');
    await expect.poll(() => approve.isDisabled()).toBe(false);
    await approve.click();
    await expect.poll(() => amountOf('A2').status).toBe('approved');
    expect(amountOf('A2').approved_by).toBe('pm.jones');
    const badge = page.locator('.ag-row[row-id="A2"] [col-id="status"] .badge');
    await expect.poll(() => badge.getAttribute('data-status')).toBe('approved');
    expect(await page.locator('.ag-row[row-id="A2"] [data-action="approve"]').count()).toBe(0);
  });

  it('shows the history of the selected allocation', async () => {
    const { page } = app;
    await cell(page, 'A1', 'date').click();
    const panel = page.getByTestId('history-panel');
    await panel.waitFor();
    await expect.poll(() => panel.textContent()).toContain('Update allocation');
    expect(await panel.textContent()).toContain('amount USD 4,500,000.00');
  });

  it('keeps the console clean (no CSP violations, no errors)', () => {
    expectCleanConsole(app);
  });
});
