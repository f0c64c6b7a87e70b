/**
 * Regenerates docs/screenshots/*.png: the real web host, the demo data (as
 * of a fixed date, so figures are stable) synced with a real central server
 * (embedded PostgreSQL), and two changes the server refused for the inbox.
 * Run: `npx tsx scripts/screenshots.ts [--fresh] [--only credit,investors]`
 * (--only: just the named screenshots).
 *
 * The synced demo profile and server database are cached in the temp folder
 * (the first run pushes ~2,500 demo mutations: a few minutes); --fresh
 * rebuilds them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { openPglite } from '../db/postgres/connect';
import { MemoryCredentialStore } from '../electron/core/credentials';
import { signIn } from '../electron/core/sync/profile-sync';
import { Workstation } from '../electron/core/workstation';
import { ensureRendererBuilt } from '../electron/hosts/web/build';
import { listCreditBorrowers } from '../electron/core/credit/read-models';
import { createWebHost, type WebHost } from '../electron/hosts/web/host';
import { profileSyncPort, type ProfileSyncPort } from '../electron/hosts/web/sync-adapter';
import { buildServer } from '../server/app';
import type { App } from '../server/deps';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const TODAY = '2025-06-30';
// v2: the demo data includes credit borrowers (issue 7), so a v1 profile is rebuilt.
const CACHE = path.join(os.tmpdir(), `meridian-screenshots-${TODAY}-v2`);
const ADMIN_PASSWORD = 'screenshots-admin-password';
const USERS = {
  demo: { username: 'demo', password: 'demo-password-for-screenshots', role: 'portfolio_manager' as const },
  other: { username: 'sam.okafor', password: 'sam-password-for-screenshots', role: 'analyst' as const },
};
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--font-render-hinting=none'];

const log = (line: string) => console.log(`[screenshots] ${line}`);

async function startServer(port = 0): Promise<App> {
  const database = await openPglite(path.join(CACHE, 'pgdata'));
  const app = await buildServer({ database, ownsDatabase: true, adminPassword: ADMIN_PASSWORD, logger: { level: 'warn' }, defaultMetrics: false, rateLimit: { max: 1_000_000 } });
  const login = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } });
  const token = (login.json() as { accessToken: string }).accessToken;
  for (const u of Object.values(USERS)) {
    await app.inject({ method: 'POST', url: '/v1/admin/users', headers: { authorization: `Bearer ${token}` }, payload: u });
  }
  await app.listen({ host: '127.0.0.1', port });
  return app;
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 15 * 60_000) {
  const start = Date.now();
  while (!(await ok())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Picks a fund and deal where another analyst's allocation and ours will together break the per-deal limit. */
function pickConflict(ws: Workstation) {
  return ws.db.raw
    .prepare<[], { id: string; fund_id: string; deal_id: string; amount: number; version: number; pair: number; fund_total: number }>(
      `WITH counted AS (SELECT * FROM allocation WHERE status IN ('approved','committed','funded') AND deleted_at IS NULL),
            pairs AS (SELECT fund_id, deal_id, sum(amount) pair FROM counted GROUP BY fund_id, deal_id),
            funds AS (SELECT fund_id, sum(amount) fund_total FROM counted GROUP BY fund_id)
       SELECT a.id, a.fund_id, a.deal_id, a.amount, a.version, p.pair, f.fund_total
       FROM counted a JOIN pairs p USING (fund_id, deal_id) JOIN funds f USING (fund_id)
       WHERE a.status IN ('approved', 'committed') AND p.pair BETWEEN 100000000 AND 500000000 AND f.fund_total < 4000000000
       ORDER BY a.amount DESC LIMIT 2`,
    )
    .all();
}

async function prepare(): Promise<void> {
  if (fs.existsSync(path.join(CACHE, 'ready')) && !process.argv.includes('--fresh')) return;
  fs.rmSync(CACHE, { recursive: true, force: true });
  fs.mkdirSync(CACHE, { recursive: true });
  log('Creating the server database and the synced demo profile (first run: a few minutes)…');
  const app = await startServer();
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  let host: WebHost | null = null;
  try {
    host = await createWebHost({
      dbFile: path.join(CACHE, 'profile.sqlite'),
      profile: 'demo',
      port: 0,
      build: 'never',
      seed: 'demo',
      today: () => TODAY,
      log,
      sync: (ws) => profileSyncPort(ws, { serverUrl: url, login: USERS.demo, scheduler: { intervalMs: 0, debounceMs: 200 } }),
    });
    const port = host.sync as ProfileSyncPort;
    await waitFor('the first sync', async () => {
      const s = await port.status();
      return s.pending === 0 && s.state === 'online';
    });
    log('Demo profile synced.');

    // Two changes the server will refuse: a per-deal limit reached meanwhile, and a stale edit.
    port.scheduler.pause();
    const [a, b] = pickConflict(host.workstation);
    if (!a || !b) throw new Error('no allocation suits the rejection story in the demo data');
    const other = Workstation.open(path.join(CACHE, 'other.sqlite'));
    try {
      const s = await signIn({ db: other.db, credentials: new MemoryCredentialStore(), serverUrl: url, username: USERS.other.username, password: USERS.other.password });
      other.actor = { userId: s.user.id, role: s.user.role };
      await s.sync.client.syncOnce();
      const room = 1_000_000_000 - a.pair;
      await other.mutate({ name: 'createAllocation', args: { id: '0197b7a0-0000-7000-8000-00000000c0f1', fundId: a.fund_id, dealId: a.deal_id, amount: Math.min(450_000_000, room - 10_000_000), date: '2025-06-27' } });
      await other.mutate({ name: 'updateAllocation', args: { id: b.id, expectedVersion: b.version, amount: b.amount + 5_000_000 } });
      await s.sync.client.syncOnce();
    } finally {
      await other.close();
    }
    const ws = host.workstation;
    await ws.mutate({ name: 'updateAllocation', args: { id: a.id, expectedVersion: a.version, amount: a.amount + (1_000_000_000 - a.pair) - 5_000_000 } });
    await ws.mutate({ name: 'updateAllocation', args: { id: b.id, expectedVersion: b.version, securityType: 'preferred_equity' } });
    port.scheduler.resume();
    await port.syncNow();
    await waitFor('the rejections', async () => (await port.status()).rejections >= 2 && (await port.status()).pending === 0, 60_000);
    fs.writeFileSync(path.join(CACHE, 'ready'), `${url}\n`);
  } finally {
    await host?.close();
    await app.close();
  }
}

const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 && process.argv[i + 1] ? new Set(process.argv[i + 1]!.split(',')) : null;
})();

async function shoot(page: Page, name: string) {
  if (ONLY && !ONLY.has(name)) return;
  await page.waitForTimeout(400); // charts finish their first frame
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  log(`docs/screenshots/${name}.png`);
}

async function main() {
  await ensureRendererBuilt('auto', log);
  await prepare();
  fs.mkdirSync(OUT, { recursive: true });
  const app = await startServer(Number(new URL(fs.readFileSync(path.join(CACHE, 'ready'), 'utf8').trim()).port));
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const host = await createWebHost({
    dbFile: path.join(CACHE, 'profile.sqlite'),
    profile: 'demo',
    port: 0,
    build: 'never',
    seed: 'none',
    today: () => TODAY,
    log,
    sync: (ws) => profileSyncPort(ws, { serverUrl: url, login: USERS.demo, scheduler: { intervalMs: 0 } }),
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const funds = await host.workstation.listFunds({ asOf: TODAY });
    const growth = funds.find((f) => /Growth Fund III/.test(f.name)) ?? funds[0]!;
    const overdue = (await host.workstation.listCapitalCalls({})).find((c) => c.effective_status === 'overdue');

    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme, locale: 'en-US', timezoneId: 'UTC', deviceScaleFactor: 1 });
      const page = await context.newPage();
      page.on('pageerror', (e) => log(`page error: ${e.message}`));
      const go = async (hash: string, ready: string) => {
        await page.goto(`${host.url}${hash}`);
        await page.locator(ready).first().waitFor({ timeout: 30_000 });
        await page.waitForFunction(() => document.querySelector('[data-testid=sync-state]')?.getAttribute('data-state') === 'online', undefined, { timeout: 30_000 });
      };

      await go('#/funds', '[data-testid=fund-card]');
      await shoot(page, `overview-${scheme}`);

      await go(`#/funds/${growth.id}`, '.ag-row');
      await page.locator('[data-testid=chart-jcurve]').waitFor();
      await page.locator('.ag-row[row-id] .ag-cell[col-id="date"]').nth(3).click();
      await page.getByTestId('history-panel').waitFor();
      await shoot(page, `fund-detail-${scheme}`);

      if (scheme === 'light') {
        // A violation on the cell: the per-deal limit.
        const editable = (await host.workstation.listAllocations({ fundId: growth.id })).filter((a) => a.status === 'approved' || a.status === 'committed');
        const shown = new Set(await page.locator('.ag-row[row-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('row-id'))));
        let target = editable.find((a) => shown.has(a.id));
        if (!target) {
          target = editable[0]!;
          await page.getByTestId('grid-search').fill(target.deal_name);
        }
        const cell = page.locator(`.ag-row[row-id="${target.id}"] .ag-cell[col-id="amount"]`).first();
        await cell.dblclick();
        await page.locator('.ag-cell-inline-editing input').fill('12,500,000');
        await page.locator('.ag-cell-inline-editing input').press('Enter');
        await page.getByTestId('violation').waitFor();
        await shoot(page, 'allocation-violation');

        await go(`#/calls/new?fund=${growth.id}`, '[data-testid=call-amount]');
        await page.getByTestId('call-amount').fill('7,333,333.33');
        await page.getByTestId('call-description').fill('Q3 2025 — new investments and management fees');
        await page.getByTestId('call-next').click();
        await page.getByTestId('preview-lines').waitFor();
        await shoot(page, 'capital-call-wizard');

        await go(overdue ? `#/calls/${overdue.id}` : '#/calls', '.ag-row');
        if (overdue) await page.getByTestId('call-detail').waitFor();
        await shoot(page, 'capital-calls');

        await go('#/investors', '[data-testid=investors-table]');
        await shoot(page, 'investors');

        // Credit workspace (issue 7): the demo borrower with a saved analysis version, on a taller page.
        const borrowers = listCreditBorrowers(host.workstation.db.raw).filter((b) => b.statementCount > 0);
        const borrower = borrowers.find((b) => b.analysisCount > 0) ?? borrowers[0];
        if (borrower) {
          await page.setViewportSize({ width: 1440, height: 1240 });
          await go(`#/credit/${borrower.borrowerId}`, '[data-testid=covenant-table]');
          await page.locator('[data-testid=chart-leverage]').waitFor();
          await shoot(page, 'credit');
          await page.setViewportSize({ width: 1440, height: 900 });
        } else {
          log('no credit borrower in the demo profile: credit.png not taken');
        }
      }

      await go('#/inbox', '[data-testid=rejection]');
      await shoot(page, scheme === 'light' ? 'rejection-inbox' : 'rejection-inbox-dark');
      await context.close();
    }
  } finally {
    await browser.close();
    await host.close();
    await app.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exitCode = 1;
});
