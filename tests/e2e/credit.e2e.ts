/**
 * The credit workspace in Chromium against the web host and a real central
 * server: open a borrower, read a ratio and a covenant headroom exactly (the
 * Harbor worked example of docs/credit.md), save two analysis versions, diff
 * them, comment, and see the versions and the comment reach a second
 * analyst's workstation through the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../electron/core/workstation';
import { profileSyncPort } from '../../electron/hosts/web/sync-adapter';
import { M, seedBasics } from '../helpers/seed';
import { CentralServer, otherClient } from './central-server';
import { expectCleanConsole, startApp, type App } from './harness';

let server: CentralServer;
let app: App;
let analyst2: { username: string; password: string };

/** Harbor Components (docs/credit.md §2), LTM to 2024-12-31, in USD millions → cents. */
const HARBOR = {
  revenue: M(250_000_000),
  ebitda: M(40_000_000),
  ebit: M(28_000_000),
  ebita: M(31_000_000),
  interest_expense: M(16_000_000),
  cash_interest: M(14_000_000),
  scheduled_principal: M(2_000_000),
  total_debt: M(200_000_000),
  senior_debt: M(150_000_000),
  cash: M(20_000_000),
  current_assets: M(60_000_000),
  current_liabilities: M(40_000_000),
  capex: M(6_000_000),
  cash_taxes: M(4_000_000),
  rent: M(5_000_000),
  collateral_value: M(400_000_000),
  floating_rate_share: 0.8,
};

async function seedCredit(ws: Workstation) {
  await seedBasics(ws);
  // The year before: more debt, less EBITDA (a trend with two points).
  await ws.mutate({
    name: 'upsertFinancialStatement',
    args: { id: 'S2023', borrowerId: 'D1', periodEnd: '2023-12-31', periodType: 'FY', currency: 'USD', figures: { ...HARBOR, ebitda: M(36_000_000), ebit: M(25_000_000), ebita: M(28_000_000), total_debt: M(210_000_000) } },
  });
  await ws.mutate({ name: 'upsertFinancialStatement', args: { id: 'S2024', borrowerId: 'D1', periodEnd: '2024-12-31', periodType: 'FY', currency: 'USD', figures: HARBOR } });
  await ws.mutate({ name: 'upsertCovenant', args: { id: 'COV-LEV', borrowerId: 'D1', facility: 'Unitranche term loan', metric: 'total_leverage', threshold: 6 } });
  await ws.mutate({ name: 'upsertCovenant', args: { id: 'COV-ICR', borrowerId: 'D1', facility: 'Unitranche term loan', metric: 'interest_coverage', threshold: 2 } });
}

beforeAll(async () => {
  server = await CentralServer.create();
  const analyst = await server.createUser('analyst', 'ana.credit');
  analyst2 = await server.createUser('analyst', 'ana.reviewer');
  app = await startApp({
    today: () => '2025-03-31',
    seed: seedCredit,
    sync: (ws) =>
      profileSyncPort(ws, {
        serverUrl: server.url,
        login: analyst,
        scheduler: { debounceMs: 100, intervalMs: 0, backoff: { baseMs: 300, maxMs: 1000, jitter: 0 } },
      }),
  });
});

afterAll(async () => {
  await app?.close();
  await server?.close();
});

describe('credit workspace', () => {
  it('lists the borrower and opens its workspace with exact ratios and covenant headroom', async () => {
    const { page } = app;
    await page.goto(`${app.host.url}#/credit`);
    const row = page.locator('[data-borrower-id="D1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('Acme Robotics');
    await row.click();
    await page.getByTestId('screen-borrower').waitFor();
    expect(await page.getByTestId('borrower-name').textContent()).toBe('Acme Robotics');

    // 200 ÷ 40 = 5.00×; (200 − 20) ÷ 40 = 4.50×; 40 ÷ 16 = 2.50×.
    const kpi = (k: string) => page.getByTestId(`kpi-${k}`).locator('.v');
    await expect.poll(() => kpi('total_leverage').textContent()).toBe('5.00×');
    expect(await kpi('net_leverage').textContent()).toBe('4.50×');
    expect(await kpi('interest_coverage').textContent()).toBe('2.50×');

    // Total leverage ≤ 6.00×: headroom (6 − 5) ÷ 6 = 16.7 %, 1.00× in units; EBITDA ÷ interest ≥ 2.00×: (2.5 − 2) ÷ 2 = 25.0 %.
    const lev = page.locator('[data-covenant-id="COV-LEV"]');
    expect(await lev.getByTestId('headroom-pct').textContent()).toBe('16.7%');
    expect(await lev.textContent()).toContain('1.00×');
    expect(await lev.getByTestId('covenant-cushion').textContent()).toBe('16.7%'); // EBITDA can fall 16.7 % before it breaches
    expect(await page.locator('[data-covenant-id="COV-ICR"]').getByTestId('headroom-pct').textContent()).toBe('25.0%');

    // The heatmap: no breach unstressed, a breach at EBITDA −20 % (leverage 6.25× > 6.00×).
    expect(await page.locator('td[data-decline="0"][data-bp="0"]').getAttribute('data-breaches')).toBe('0');
    expect(Number(await page.locator('td[data-decline="0.2"][data-bp="0"]').getAttribute('data-breaches'))).toBeGreaterThan(0);
    expect(await page.getByTestId('model-rating').textContent()).toMatch(/^[A-Z+-]+$/);
  });

  it('refuses an invalid figure on the cell and saves nothing; saves a valid one', async () => {
    const { page } = app;
    const cell = page.locator('.ag-row[row-id="senior_debt"] .ag-cell[col-id="S2024"]');
    await cell.dblclick();
    const input = page.locator('.ag-cell-inline-editing input');
    await input.fill('250,000,000');
    await input.press('Enter');
    const violation = page.getByTestId('violation');
    await violation.waitFor();
    expect(await violation.textContent()).toContain('must not exceed total_debt');
    await expect.poll(() => cell.getAttribute('class')).toContain('cell-error');
    const stored = app.ws.db.raw.prepare<[], { senior_debt: number }>("SELECT senior_debt FROM financial_statement WHERE id = 'S2024'").get()!;
    expect(stored.senior_debt).toBe(M(150_000_000));
    await violation.getByRole('button', { name: 'Dismiss' }).click();

    // A valid edit is saved through the mutation and shown (revenue enters no ratio, so the figures below stay put).
    const revenue = page.locator('.ag-row[row-id="revenue"] .ag-cell[col-id="S2024"]');
    await revenue.dblclick();
    await page.locator('.ag-cell-inline-editing input').fill('260m');
    await page.locator('.ag-cell-inline-editing input').press('Enter');
    await expect.poll(() => app.ws.db.raw.prepare<[], { revenue: number }>("SELECT revenue FROM financial_statement WHERE id = 'S2024'").get()!.revenue).toBe(M(260_000_000));
    await expect.poll(() => revenue.textContent()).toBe('260,000,000.00');
    expect(await page.getByTestId('violation').count()).toBe(0);
  });

  it('saves two versions and diffs them', async () => {
    const { page } = app;
    const model = (await page.getByTestId('model-rating').textContent())!.toLowerCase();

    await page.getByTestId('save-version').click();
    await page.getByTestId('recommendation-input').fill('Maintain the hold; leverage is inside the covenant.');
    await page.getByTestId('save-version-confirm').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(1);

    await page.getByTestId('save-version').click();
    await page.getByTestId('recommendation-input').fill('Downgrade: sponsor support is weaker than the numbers show.');
    const override = model === 'ccc' ? 'cc' : 'ccc';
    await page.getByTestId('override-select').selectOption(override);
    expect(await page.getByTestId('save-version-confirm').isDisabled()).toBe(true); // an override needs a reason
    await page.getByTestId('override-reason').fill('Sponsor has stopped funding the parent.');
    await page.getByTestId('save-version-confirm').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    expect(await page.locator('[data-testid="version-row"][data-version="2"]').textContent()).toContain(override.toUpperCase());

    await page.getByLabel('Compare version 1').check();
    await page.getByLabel('Compare version 2').check();
    await page.getByTestId('compare-versions').click();
    const diff = page.getByTestId('version-diff');
    await diff.waitFor();
    const line = (label: string) => diff.locator(`[data-testid="diff-line"][data-label="${label}"]`);
    expect(await line('Final rating').getAttribute('data-changed')).toBe('true');
    expect(await line('Final rating').locator('td').nth(1).textContent()).toBe(model.toUpperCase());
    expect(await line('Final rating').locator('td').nth(2).textContent()).toBe(override.toUpperCase());
    expect(await line('Recommendation').getAttribute('data-changed')).toBe('true');
    expect(await line('Total leverage').getAttribute('data-changed')).toBe('false');
    expect(await line('Total leverage').locator('td').nth(1).textContent()).toBe('5.00×');
    expect(await line('Override reason').locator('td').nth(2).textContent()).toBe('Sponsor has stopped funding the parent.');
    await page.keyboard.press('Escape');
    await diff.waitFor({ state: 'detached' });
  });

  it('adds a comment to the latest version', async () => {
    const { page } = app;
    // The version just saved is the one selected: the thread is version 2's.
    await expect.poll(() => page.getByTestId('comments').locator('.sub').textContent()).toBe('on version 2');
    await page.getByTestId('comment-input').fill('Agree with the downgrade; revisit after the Q1 numbers.');
    await page.getByTestId('add-comment').click();
    await expect.poll(() => page.getByTestId('comment').count()).toBe(1);
    expect(await page.getByTestId('comment').textContent()).toContain('revisit after the Q1 numbers');
  });

  it('the versions and the comment reach a second client through the central server', async () => {
    await expect.poll(() => app.page.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toBe('No pending changes');
    const other = await otherClient(server, analyst2);
    try {
      await other.sync();
      const versions = other.ws.db.raw
        .prepare<[], { analysis_version: number; final_rating: string; rating_override: string | null; recommendation: string }>(
          "SELECT analysis_version, final_rating, rating_override, recommendation FROM credit_analysis WHERE borrower_id = 'D1' ORDER BY analysis_version",
        )
        .all();
      expect(versions.map((v) => v.analysis_version)).toEqual([1, 2]);
      expect(versions[0]!.rating_override).toBeNull();
      expect(versions[1]!.rating_override).toBe(versions[1]!.final_rating);
      expect(versions[1]!.recommendation).toContain('Downgrade');
      const comments = other.ws.db.raw.prepare<[], { body: string; analysis_version: number; author: string }>("SELECT body, analysis_version, author FROM credit_comment WHERE borrower_id = 'D1'").all();
      expect(comments).toHaveLength(1);
      expect(comments[0]!.analysis_version).toBe(2);
      expect(comments[0]!.body).toBe('Agree with the downgrade; revisit after the Q1 numbers.');
    } finally {
      await other.close();
    }
  });

  it('keeps the console clean', () => {
    expectCleanConsole(app);
  });
});
