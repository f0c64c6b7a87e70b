/**
 * The sign-in screen against a real central server, in Chromium: errors show
 * their code and the field they are about; a good sign-in shows "signed in
 * as … on …" and syncs; sign-out leaves the data and asks for a sign-in only
 * to sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../../electron/core/credentials/memory-store';
import { SyncSession } from '../../electron/hosts/web/sync-session';
import { M, allocate, seedBasics } from '../helpers/seed';
import { CentralServer } from './central-server';
import { expectCleanConsole, startApp, type App } from './harness';

const silent = { info() {}, warn() {}, error() {} };
let server: CentralServer;
let app: App;
let pm: { username: string; password: string };

beforeAll(async () => {
  server = await CentralServer.create();
  pm = await server.createUser('portfolio_manager', 'pm.signin');
  app = await startApp({
    today: () => '2024-06-30',
    seed: async (ws) => {
      await seedBasics(ws);
      await allocate(ws, 'A1', 'D1', M(2_000_000));
    },
    sync: async (ws) => {
      const session = await SyncSession.open({
        ws,
        credentials: new MemoryCredentialStore(),
        profile: 'default',
        host: 'web',
        suggestedServer: server.url,
        log: silent,
        scheduler: { debounceMs: 100, intervalMs: 0, backoff: { baseMs: 300, maxMs: 1000, jitter: 0 } },
      });
      return session.hostPort();
    },
  });
});

afterAll(async () => {
  await app?.close();
  await server?.close();
});

const page = () => app.page;
const syncState = () => page().getByTestId('sync-state').getAttribute('data-state');

describe('sign-in screen', () => {
  it('is reachable from the status bar of a profile that never signed in, with the server pre-filled', async () => {
    await page().goto(`${app.host.url}#/funds`);
    await page().getByTestId('sign-in-link').click();
    await page().getByTestId('sign-in-page').waitFor();
    await expect.poll(() => page().getByTestId('sign-in-server').inputValue()).toBe(server.url);
    expect(await page().getByTestId('sign-in-current').textContent()).toMatch(/Not signed in/);
    expect(await syncState()).toBe('standalone');
  });

  it('shows a bad server URL with its code and field, and sends nothing', async () => {
    await page().getByTestId('sign-in-server').fill('http://meridian.evil.example');
    await page().getByTestId('sign-in-username').fill(pm.username);
    await page().getByTestId('sign-in-password').fill(pm.password);
    await page().getByTestId('sign-in-submit').click();
    const error = page().getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('INVALID_INPUT');
    const field = page().getByTestId('sign-in-serverUrl-error');
    expect(await field.getAttribute('data-field')).toBe('serverUrl');
    expect(await field.textContent()).toMatch(/must start with https:\/\//);
    expect(await page().getByTestId('sign-in-server').getAttribute('aria-invalid')).toBe('true');
    expect(await page().getByTestId('sign-in-password').inputValue()).toBe(''); // never kept after a failure
  });

  it('shows a wrong password as UNAUTHENTICATED and stays signed out', async () => {
    await page().getByTestId('sign-in-server').fill(server.url);
    await page().getByTestId('sign-in-password').fill('not-the-password');
    await page().getByTestId('sign-in-submit').click();
    await expect.poll(() => page().getByTestId('sign-in-error').getAttribute('data-code')).toBe('UNAUTHENTICATED');
    expect(await page().getByTestId('sign-in-serverUrl-error').count()).toBe(0);
    expect(await syncState()).toBe('standalone');
  });

  it('signs in: "signed in as … on …" in the status bar, and the local work syncs', async () => {
    await page().getByTestId('sign-in-password').fill(pm.password);
    await page().getByTestId('sign-in-submit').click();
    const host = new URL(server.url).host;
    await expect.poll(() => page().getByTestId('signed-in-as').textContent(), { timeout: 20_000 }).toContain(`Signed in as ${pm.username} on ${host}`);
    await expect.poll(() => page().evaluate('location.hash')).toBe('#/funds');
    await expect.poll(syncState, { timeout: 30_000 }).toBe('online');
    await expect.poll(() => page().getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toBe('No pending changes');
    expect((await server.row('allocation', 'A1'))?.amount).toBe(M(2_000_000));
    expect(await page().getByTestId('session').getAttribute('data-role')).toBe('portfolio_manager');
  });

  it('signs out: the data stays, the status says signed out, and the sign-in screen asks to sign in again', async () => {
    await page().getByTestId('sign-out').click();
    await expect.poll(syncState).toBe('signed_out');
    await page().getByTestId('sign-in-page').waitFor();
    expect(await page().getByTestId('sign-in-current').textContent()).toMatch(/has ended.*kept on this machine/);
    expect(await page().getByTestId('sign-in-link').textContent()).toBe('Sign in again to sync');
    // Local data is still there and usable.
    await page().getByTestId('sign-in-offline').click();
    await expect.poll(() => page().evaluate('location.hash')).toBe('#/funds');
    await page().getByText('Growth Fund I').first().waitFor();
    expectCleanConsole(app);
  });
});
