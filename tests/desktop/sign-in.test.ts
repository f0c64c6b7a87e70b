/**
 * Sign-in of a host (electron/hosts/web/sync-session, used by the desktop main process) against
 * the real central server over inject, and the desktop's IPC handler table
 * (electron/main/desktop-api): tokens stay in main, sign-out clears the
 * keychain entry, and an ended sign-in leaves local work possible.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractInputs } from '../../shared/api/contract';
import { MemoryCredentialStore } from '../../electron/core/credentials/memory-store';
import { credentialAccount } from '../../electron/core/credentials/credential-store';
import { createDesktopApi, importOutcomeDialog, PathGrantStore, type DesktopShell } from '../../electron/main/desktop-api';
import { SyncSession, overlayStatus } from '../../electron/hosts/web/sync-session';
import { toStatusView } from '../../electron/hosts/web/sync-adapter';
import { serverUrlProblem, signInContractInputs } from '../../shared/api/sign-in-contract';
import { startTestServer, type TestServer } from '../server/harness';
import { injectFetch } from '../sync/support';
import { tempDir, tempWorkstation } from '../helpers/temp-profile';

const SERVER_URL = 'https://meridian.test';
const silent = { info() {}, warn() {}, error() {} };
let server: TestServer;
let analyst: { username: string; password: string };

beforeAll(async () => {
  server = await startTestServer();
  const s = await server.user('analyst', 'ana');
  analyst = { username: s.user.username, password: 'password-of-ana' };
}, 120_000);

afterAll(async () => {
  await server?.close();
});

async function desktop(credentials = new MemoryCredentialStore(), ws = tempWorkstation()) {
  const session = await SyncSession.open({ ws, credentials, profile: 'default', log: silent, fetch: injectFetch(() => server.app), scheduler: { intervalMs: 0 }, suggestedServer: SERVER_URL });
  return { ws, credentials, session };
}

describe('sign-in contract piece', () => {
  it('accepts https servers, and http only on this machine', () => {
    expect(serverUrlProblem('https://meridian.firm.example')).toBeNull();
    expect(serverUrlProblem('http://127.0.0.1:8787')).toBeNull();
    expect(serverUrlProblem('http://localhost:8787')).toBeNull();
    expect(serverUrlProblem('http://meridian.firm.example')).toMatch(/https/);
    expect(serverUrlProblem('https://u:p@meridian.firm.example')).toMatch(/user name/);
    expect(serverUrlProblem('ftp://x')).toMatch(/https/);
    expect(serverUrlProblem('nope')).toMatch(/not a URL/);
    expect(signInContractInputs.signIn.safeParse({ serverUrl: 'https://a.example', username: 'ana', password: 'x' }).success).toBe(true);
    expect(signInContractInputs.signIn.safeParse({ serverUrl: 'https://a.example', username: 'ana', password: 'x', token: 'y' }).success).toBe(false);
    expect(signInContractInputs.signIn.safeParse({ serverUrl: 'http://evil.example', username: 'ana', password: 'x' }).success).toBe(false);
  });
});

describe('desktop session', () => {
  it('starts standalone: local user, no server, nothing to sign out of', async () => {
    const { session } = await desktop();
    expect(session.session()).toMatchObject({ host: 'desktop', userId: 'local', server: null, signedIn: false, signInRequired: false, suggestedServer: SERVER_URL });
    expect((await session.syncPort().status()).state).toBe('standalone');
    await session.close();
  });

  it('refuses a wrong password with a message and stores nothing', async () => {
    const { session, credentials, ws } = await desktop();
    const e = await session.signIn({ serverUrl: SERVER_URL, username: analyst.username, password: 'wrong password!' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(session.session().signedIn).toBe(false);
    expect(await credentials.get(credentialAccount(ws.db.file, SERVER_URL))).toBeNull();
    await session.close();
  });

  it('signs in, keeps the refresh token in the keychain and never hands a token out; sign-out clears it; local work goes on', async () => {
    const { session, credentials, ws } = await desktop();
    const view = await session.signIn({ serverUrl: SERVER_URL, username: analyst.username, password: analyst.password });
    expect(view).toMatchObject({ host: 'desktop', role: 'analyst', displayName: analyst.username, server: SERVER_URL, signedIn: true, signInRequired: false });
    expect(ws.actor).toMatchObject({ role: 'analyst' });
    const account = credentialAccount(ws.db.file, SERVER_URL);
    const refresh = await credentials.get(account);
    expect(refresh).toBeTruthy();
    const exposed = JSON.stringify([view, session.session(), await session.syncPort().status()]);
    expect(exposed).not.toContain(refresh!);
    expect(exposed).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no JWT anywhere

    const status = await session.syncNow();
    expect(status).toMatchObject({ state: 'online', server: SERVER_URL, pending: 0 });

    const out = await session.signOut();
    expect(out).toMatchObject({ signedIn: false, signInRequired: true, server: SERVER_URL });
    expect(await credentials.get(account)).toBeNull(); // the keychain entry is gone
    expect(await session.syncNow()).toMatchObject({ state: 'signed_out', message: expect.stringMatching(/sign in again/i) });
    expect((await session.syncPort().status()).state).toBe('signed_out');
    // Still usable offline on the local data.
    await expect(ws.listFunds({})).resolves.toEqual(expect.any(Array));
    await session.close();
  });

  it('after the sign-in ends (expired or revoked), works on local data and asks to sign in only to sync', async () => {
    const first = await desktop(new MemoryCredentialStore(), tempWorkstation());
    const ws1 = first.ws;
    await first.session.signIn({ serverUrl: SERVER_URL, username: analyst.username, password: analyst.password });
    await first.session.close();
    // A new run of the app whose stored sign-in is no longer there (expired and removed by the refresh).
    const later = await desktop(new MemoryCredentialStore(), ws1);
    expect(later.session.session()).toMatchObject({ server: SERVER_URL, role: 'analyst', userId: ws1.actor.userId });
    await expect(ws1.listFunds({})).resolves.toEqual(expect.any(Array));
    expect(await later.session.syncNow()).toMatchObject({ state: 'signed_out' });
    expect(later.session.session()).toMatchObject({ signedIn: false, signInRequired: true });
    expect((await later.session.syncPort().status()).message).toMatch(/sign in again/i);
    // Signing in again resumes sync.
    await later.session.signIn({ serverUrl: SERVER_URL, username: analyst.username, password: analyst.password });
    expect(await later.session.syncNow()).toMatchObject({ state: 'online' });
    await later.session.close();
  });

  it('shows signed-out and paused on top of the sync client status', () => {
    const base = { state: 'idle' as const, online: true, syncing: false, pending: 2, rejected: 1, cursor: 5, lastSyncAt: '2026-11-20T10:00:00.000Z', lastError: null, updateRequired: null, progress: null };
    const online = toStatusView(base, SERVER_URL);
    expect(overlayStatus(online, { signInRequired: false, paused: false })).toMatchObject({ state: 'online', pending: 2, rejections: 1 });
    expect(overlayStatus(online, { signInRequired: true, paused: false })).toMatchObject({ state: 'signed_out', message: expect.stringMatching(/kept on this machine/) });
    expect(overlayStatus(online, { signInRequired: false, paused: true }).message).toMatch(/paused/);
    const syncing = toStatusView({ ...base, syncing: true, state: 'syncing', progress: { phase: 'pull', done: 10, estimated: 100 } }, SERVER_URL);
    expect(overlayStatus(syncing, { signInRequired: true, paused: true })).toMatchObject({ state: 'syncing', progress: { done: 10, total: 100 } });
  });
});

describe('desktop IPC handlers', () => {
  async function api(choose: { save?: string | null; open?: string | null } = {}) {
    const { ws, session } = await desktop();
    const shell: DesktopShell = { chooseSaveFile: async () => choose.save ?? null, chooseOpenFile: async () => choose.open ?? null };
    const grants = new PathGrantStore();
    return { ws, session, grants, ...createDesktopApi({ ws, session, shell, grants, profile: 'default' }) };
  }

  it('answer every contract method', async () => {
    const { handlers } = await api();
    for (const m of Object.keys(contractInputs)) expect(typeof handlers[m], m).toBe('function');
    for (const m of ['session', 'signIn', 'signOut', 'syncStatus', 'syncNow', 'saveExport', 'listRejections']) expect(typeof handlers[m], m).toBe('function');
  });

  it('export through the native save dialog: cancelled is null, a chosen file is written and granted', async () => {
    const cancelled = await api({ save: null });
    expect(await cancelled.api.saveExport({ kind: 'allocations', suggestedName: 'a.csv' })).toBeNull();
    const target = path.join(tempDir(), 'allocations.csv');
    const chosen = await api({ save: target });
    const r = await chosen.api.saveExport({ kind: 'allocations', suggestedName: '../../evil.csv' });
    expect(r).toMatchObject({ file: target });
    expect(fs.readFileSync(target, 'utf8')).toMatch(/^\uFEFF?[a-z_]+,/);
    expect(chosen.grants.write.has(target)).toBe(true);
  });

  it('import through the native open dialog: invalid files import nothing and say why', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'id,name,currency,vintage,size\nF9,,usd,1800,-1.00\n');
    const a = await api({ open: bad });
    const outcome = await a.importFromDialog('funds');
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind !== 'invalid') return;
    const dialog = importOutcomeDialog(outcome);
    expect(dialog.buttons).toEqual(['Import Valid Rows Only', 'Cancel']);
    expect(dialog.detail).toMatch(/line 2/);
    expect(a.grants.read.has(bad)).toBe(true);

    const good = path.join(dir, 'funds.csv');
    fs.writeFileSync(good, 'id,name,currency,vintage,size\nF1,Growth Fund I,USD,2022,10000000.00\n');
    const b = await api({ open: good });
    const done = await b.importFromDialog('funds');
    expect(done).toMatchObject({ kind: 'done', report: { imported: 1 } });
    if (done.kind === 'done') expect(importOutcomeDialog(done).message).toMatch(/Imported 1 of 1/);
    expect((await (await api({ open: null })).importFromDialog('funds')).kind).toBe('cancelled');
  });
});
