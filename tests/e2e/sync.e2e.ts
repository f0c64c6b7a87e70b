/**
 * Offline work and the rejection inbox against a real central server:
 * the server stops, the analyst edits, the server comes back and the change
 * syncs; then a change the server refuses lands in the inbox and is discarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { M, allocate, seedBasics } from '../helpers/seed';
import { profileSyncPort, type ProfileSyncPort } from '../../electron/hosts/web/sync-adapter';
import { CentralServer, otherClient } from './central-server';
import { cell, expectCleanConsole, startApp, type App } from './harness';

let server: CentralServer;
let app: App;
let analyst2: { username: string; password: string };

beforeAll(async () => {
  server = await CentralServer.create();
  const pm = await server.createUser('portfolio_manager', 'pm.jones');
  analyst2 = await server.createUser('analyst', 'ana.other');
  app = await startApp({
    today: () => '2024-06-30',
    seed: async (ws) => {
      await seedBasics(ws);
      await allocate(ws, 'A1', 'D1', M(4_000_000));
    },
    sync: (ws) =>
      profileSyncPort(ws, {
        serverUrl: server.url,
        login: pm,
        scheduler: { debounceMs: 100, intervalMs: 0, backoff: { baseMs: 300, maxMs: 1000, jitter: 0 } },
      }),
  });
  await app.page.goto(`${app.host.url}#/funds/F1`);
  await app.page.locator('.ag-row[row-id="A1"]').first().waitFor();
});

afterAll(async () => {
  await app?.close();
  await server?.close();
});

const state = () => app.page.getByTestId('sync-state').getAttribute('data-state');
const pending = () => app.page.getByTestId('sync-pending').textContent();

async function editAmount(rowId: string, text: string) {
  await cell(app.page, rowId, 'amount').dblclick();
  const input = app.page.locator('.ag-cell-inline-editing input');
  await input.fill(text);
  await input.press('Enter');
}

describe('sync with the central server', () => {
  it('starts online and sends the local work', async () => {
    await expect.poll(state, { timeout: 30_000 }).toBe('online');
    await expect.poll(pending, { timeout: 30_000 }).toBe('No pending changes');
    expect((await server.row('allocation', 'A1'))?.amount).toBe(M(4_000_000));
  });

  it('going offline, editing, reconnecting and seeing the change synced', async () => {
    await server.stop();
    await editAmount('A1', '4,250,000');
    await expect.poll(() => app.ws.db.raw.prepare<[], { amount: number }>("SELECT amount FROM allocation WHERE id = 'A1'").get()!.amount).toBe(M(4_250_000));
    await expect.poll(state, { timeout: 15_000 }).toBe('offline');
    expect(await pending()).toBe('1 pending change');
    // The scheduler keeps retrying with backoff, so the bar alternates between "Syncing" and the
    // offline line; wait for the offline line rather than reading it once.
    await expect.poll(async () => (await app.page.getByTestId('statusbar').textContent()) ?? '', { timeout: 15_000 }).toContain('unreachable');
    expect((await server.row('allocation', 'A1'))?.amount).toBe(M(4_000_000)); // not there yet

    await server.start(); // same database, same port
    await expect.poll(pending, { timeout: 30_000 }).toBe('No pending changes');
    await expect.poll(state, { timeout: 30_000 }).toBe('online');
    expect((await server.row('allocation', 'A1'))?.amount).toBe(M(4_250_000));
    expect(await app.page.getByTestId('sync-last').textContent()).toContain('just now');
  });

  it('a server-side rejection appears in the inbox and is discarded', async () => {
    const { page } = app;
    const port = app.host.sync as ProfileSyncPort;
    // Another analyst puts 5m into deal D1 on the server; this workstation does not hear of it
    // (its automatic sync is paused, as on a laptop that is about to go offline).
    port.scheduler.pause();
    const other = await otherClient(server, analyst2);
    try {
      await other.sync();
      await other.ws.mutate({ name: 'createAllocation', args: { id: 'B1', fundId: 'F1', dealId: 'D1', amount: M(5_000_000), date: '2024-06-01' } });
      await other.sync();
    } finally {
      await other.close();
    }
    // Offline, the analyst raises A1 to 9m: fine by the rules as this machine knows them (only A1 in the deal).
    await server.stop();
    await editAmount('A1', '9,000,000');
    await expect.poll(() => app.ws.db.raw.prepare<[], { amount: number }>("SELECT amount FROM allocation WHERE id = 'A1'").get()!.amount).toBe(M(9_000_000));
    expect(await page.getByTestId('violation').count()).toBe(0);
    port.scheduler.resume();
    await expect.poll(state, { timeout: 15_000 }).toBe('offline');
    // Back online: the server replays the change under the rules with B1 counted, and refuses it.
    await server.start();
    await page.getByRole('button', { name: 'Sync now' }).click();

    const review = page.getByTestId('sync-rejections');
    await review.waitFor({ timeout: 30_000 });
    expect(await review.textContent()).toContain('1 rejected change');
    await review.click();
    const item = page.getByTestId('rejection');
    await item.waitFor();
    const text = await item.textContent();
    expect(text).toContain('DEAL_ALLOCATION_LIMIT_EXCEEDED');
    expect(text).toContain('over the per-deal limit');
    // The server's state won: A1 is back at 4.25m locally, B1 arrived.
    expect(app.ws.db.raw.prepare<[], { amount: number }>("SELECT amount FROM allocation WHERE id = 'A1'").get()!.amount).toBe(M(4_250_000));
    expect(app.ws.db.raw.prepare<[], { n: number }>("SELECT count(*) n FROM allocation WHERE id = 'B1'").get()!.n).toBe(1);

    await item.getByTestId('discard').click();
    await expect.poll(() => page.getByTestId('rejection').count()).toBe(0);
    await expect.poll(() => page.getByTestId('sync-rejections').count()).toBe(0);
    await page.getByText('No rejected changes').waitFor();
  });

  it('keeps the console clean', () => {
    expectCleanConsole(app);
  });
});
