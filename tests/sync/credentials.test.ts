// The credentials port: memory and file stores, per-profile-and-server
// accounts, the fallback when no keychain is reachable, and — where a D-Bus
// session with a Secret Service is available (CI runs the suite inside
// `dbus-run-session` with gnome-keyring) — the real OS keychain.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  credentialAccount,
  FileCredentialStore,
  KeyringCredentialStore,
  MemoryCredentialStore,
  normalizeServerUrl,
  parseCredentialStoreChoice,
} from '../../electron/core/credentials';
import { tempDir } from '../helpers/temp';

describe('credential accounts', () => {
  it('differ per profile database and per server, and name no secret', () => {
    const a = credentialAccount('/home/ana/profiles/default/meridian.sqlite', 'https://sync.example.com/');
    const b = credentialAccount('/home/ana/profiles/work/meridian.sqlite', 'https://sync.example.com');
    const c = credentialAccount('/home/ana/profiles/default/meridian.sqlite', 'https://other.example.com');
    expect(new Set([a, b, c]).size).toBe(3);
    expect(credentialAccount('/home/ana/profiles/default/../default/meridian.sqlite', 'https://sync.example.com')).toBe(a);
    expect(a).toMatch(/^refresh-token https:\/\/sync\.example\.com profile:[0-9a-f]{20}$/);
  });

  it('normalises server URLs and refuses other schemes', () => {
    expect(normalizeServerUrl('HTTPS://Sync.Example.com:8443/api/?x=1')).toBe('https://sync.example.com:8443/api');
    expect(() => normalizeServerUrl('ftp://x')).toThrow(/http/);
  });
});

describe('memory and file stores', () => {
  it('memory: set, get, delete', async () => {
    const s = new MemoryCredentialStore();
    await s.set('acct', 'secret-1');
    expect(await s.get('acct')).toBe('secret-1');
    expect(await s.delete('acct')).toBe(true);
    expect(await s.get('acct')).toBeNull();
    expect(await s.delete('acct')).toBe(false);
  });

  it('file: mode 0600, several accounts, refuses a file others can read', async () => {
    const file = path.join(tempDir(), 'sub', 'credentials.json');
    const s = new FileCredentialStore(file);
    await s.set('p1', 'token-1');
    await s.set('p2', 'token-2');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(await new FileCredentialStore(file).get('p1')).toBe('token-1');
    expect(await s.delete('p1')).toBe(true);
    expect(await s.get('p1')).toBeNull();
    expect(await s.get('p2')).toBe('token-2');
    fs.chmodSync(file, 0o644);
    await expect(s.get('p2')).rejects.toThrow(/readable by other users/);
  });

  it('parses the store choice', () => {
    expect(parseCredentialStoreChoice(undefined)).toBe('auto');
    expect(parseCredentialStoreChoice('FILE')).toBe('file');
    expect(() => parseCredentialStoreChoice('vault')).toThrow(/auto, keychain, file or memory/);
  });
});

describe('no keychain reachable', () => {
  it('says so and keeps the token for the process only, unless the file store was chosen', async () => {
    // In a child process whose D-Bus address leads nowhere (the library keeps its bus connection per process).
    const dir = tempDir();
    const script = path.join(dir, 'probe.mts');
    const open = pathToFileURL(path.resolve('electron/core/credentials/index.ts')).href;
    fs.writeFileSync(
      script,
      `import { openCredentialStore } from ${JSON.stringify(open)};
       const file = ${JSON.stringify(path.join(dir, 'credentials.json'))};
       const auto = await openCredentialStore({ file, keyring: { timeoutMs: 3000 } });
       let required = null;
       try { await openCredentialStore({ file, choice: 'keychain', keyring: { timeoutMs: 3000 } }); } catch (e) { required = e.message; }
       const opted = await openCredentialStore({ file, choice: 'file' });
       console.log(JSON.stringify({ auto: auto.store.kind, notice: auto.notice, required, opted: opted.store.kind, optedNotice: opted.notice }));`,
    );
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/meridian-test-bus' },
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { auto: string; notice: string | null; required: string | null; opted: string; optedNotice: string | null };
    if (process.platform === 'linux') {
      expect(r.auto).toBe('memory');
      expect(r.notice).toMatch(/No OS keychain is reachable/);
      expect(r.notice).toMatch(/kept in memory for this process only/);
      expect(r.notice).toMatch(/MERIDIAN_CREDENTIAL_STORE=file/);
      expect(r.required).toMatch(/keychain was required/);
    }
    expect(r.opted).toBe('file');
    expect(r.optedNotice).toBeNull();
  });
});

/** Null when a Secret Service answers on this D-Bus session; otherwise why the keychain test is skipped. */
async function secretServiceUnavailable(): Promise<string | null> {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    return 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set); CI runs this suite inside dbus-run-session with gnome-keyring';
  }
  const reason = await new KeyringCredentialStore({ timeoutMs: 5000 }).unavailableReason();
  return reason === null ? null : `the OS keychain does not answer: ${reason}`;
}

const skipReason = await secretServiceUnavailable();
if (skipReason) console.warn(`[credentials.test] real keychain test skipped: ${skipReason}`);

describe('the OS keychain (real Secret Service)', () => {
  it.skipIf(skipReason !== null)(`stores, reads and deletes a token${skipReason ? ` — skipped: ${skipReason}` : ''}`, async () => {
    const store = new KeyringCredentialStore();
    const dir = tempDir();
    const server = 'https://meridian-ci.example';
    const one = credentialAccount(path.join(dir, 'one', 'meridian.sqlite'), server);
    const two = credentialAccount(path.join(dir, 'two', 'meridian.sqlite'), server);
    try {
      await store.set(one, 'refresh-token-of-profile-one');
      await store.set(two, 'refresh-token-of-profile-two');
      expect(await store.get(one)).toBe('refresh-token-of-profile-one');
      expect(await store.get(two)).toBe('refresh-token-of-profile-two'); // two profiles never overwrite each other
      await store.set(one, 'rotated-token');
      expect(await store.get(one)).toBe('rotated-token');
      expect(await store.delete(one)).toBe(true);
      expect(await store.get(one)).toBeNull();
      expect(await store.delete(one)).toBe(false);
      expect(await store.get(two)).toBe('refresh-token-of-profile-two');
    } finally {
      await store.delete(one).catch(() => false);
      await store.delete(two).catch(() => false);
    }
  });
});
