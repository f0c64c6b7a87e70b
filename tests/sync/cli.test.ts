// meridian login / logout / sync [status] / rejections against the real
// server listening on 127.0.0.1, with the file credential store.
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSqlite } from '../../db/sqlite/open';
import { credentialAccount } from '../../electron/core/credentials';
import { applyLocalMutation } from '../../electron/core/local-mutations';
import { registerSyncCommands } from '../../electron/hosts/cli/commands/sync';
import type { GlobalOptions } from '../../electron/hosts/cli/context';
import { problemLine } from '../../electron/hosts/cli/output';
import { isMeridianError } from '../../shared/errors';
import { tempDir } from '../helpers/temp';
import { M, ServerProcess } from './support';

let server: ServerProcess;
let url: string;
let home: string;
const saved = { ...process.env };

beforeAll(async () => {
  server = await ServerProcess.start();
  url = await server.listen();
  home = tempDir();
  process.env.MERIDIAN_HOME = home;
  process.env.MERIDIAN_CREDENTIAL_STORE = 'file';
  delete process.env.MERIDIAN_USER;
  delete process.env.MERIDIAN_PASSWORD;
}, 90_000);

afterAll(async () => {
  process.env = saved;
  await server?.close();
});

/** Runs the sync commands as main.ts would (problems → stderr lines with a code, exit 1). */
async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`));
  const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.join(' ')}\n`));
  const errWrite = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  const program = new Command('meridian').option('--db <file>').option('--profile <name>').exitOverride();
  registerSyncCommands(program, () => program.opts<GlobalOptions>());
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.commands.forEach(override);
  });
  let code = 0;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) code = 2;
    else if (isMeridianError(e)) {
      for (const p of e.problems) stderr += `${problemLine(p)}\n`;
      code = 1;
    } else {
      stderr += `${e instanceof Error ? e.message : String(e)}\n`;
      code = e instanceof Error && e.name === 'UsageError' ? 2 : 1;
    }
  } finally {
    out.mockRestore();
    log.mockRestore();
    err.mockRestore();
    errWrite.mockRestore();
  }
  return { code, stdout, stderr };
}

describe('meridian sync commands', () => {
  it('login, sync, status, rejections, discard, logout', async () => {
    const pm = await server.createUser('portfolio_manager');
    const db = path.join(tempDir(), 'cli.sqlite');

    expect((await run('--db', db, 'sync')).code).toBe(2); // not signed in yet
    process.env.MERIDIAN_PASSWORD = 'wrong password entirely';
    const bad = await run('--db', db, 'login', '--server', url, '--user', pm.username);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/UNAUTHENTICATED: Wrong user name or password/);

    process.env.MERIDIAN_PASSWORD = pm.password;
    const login = await run('--db', db, 'login', '--server', url, '--user', pm.username, '--json');
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ server: url, user: pm.username, role: 'portfolio_manager', credentialStore: 'file' });
    const stored = fs.readFileSync(path.join(home, 'credentials.json'), 'utf8');
    expect((fs.statSync(path.join(home, 'credentials.json')).mode & 0o777).toString(8)).toBe('600');
    expect(login.stdout + login.stderr).not.toContain(Object.values(JSON.parse(stored) as Record<string, string>)[0]!); // tokens never printed
    delete process.env.MERIDIAN_PASSWORD;

    // The PM sets up a fund and a deal; another analyst syncs them.
    const local = openSqlite(db);
    const actor = { userId: 'local', role: 'admin' as const };
    await applyLocalMutation(local, actor, 'createFund', { id: 'CF', name: 'CLI fund', currency: 'USD', vintage: 2024, size: M(10_000_000) });
    await applyLocalMutation(local, actor, 'createDeal', { id: 'CD', name: 'CLI deal' });
    await local.close();
    const other = await server.createUser('analyst');
    const otherDb = path.join(tempDir(), 'other.sqlite');
    process.env.MERIDIAN_PASSWORD = other.password;
    expect((await run('--db', otherDb, 'login', '--server', url, '--user', other.username)).code).toBe(0);
    delete process.env.MERIDIAN_PASSWORD;
    const status00 = JSON.parse((await run('--db', db, 'sync', 'status', '--json')).stdout);
    expect(status00).toMatchObject({ server: url, user: pm.username, pending: 2, rejected: 0, cursor: 0, lastSyncAt: null });
    expect((await run('--db', db, 'sync')).code).toBe(0);
    expect((await run('--db', otherDb, 'sync')).code).toBe(0);
    // Both allocate 5,000,000 offline: together over the 95 % cap.
    const pmLocal = openSqlite(db);
    await applyLocalMutation(pmLocal, actor, 'createAllocation', { id: 'CA1', fundId: 'CF', dealId: 'CD', amount: M(5_000_000), date: '2024-01-02' });
    await pmLocal.close();
    const otherLocal = openSqlite(otherDb);
    await applyLocalMutation(otherLocal, actor, 'createAllocation', { id: 'CA2', fundId: 'CF', dealId: 'CD', amount: M(5_000_000), date: '2024-01-03' });
    await otherLocal.close();

    const status0 = JSON.parse((await run('--db', db, 'sync', 'status', '--json')).stdout);
    expect(status0).toMatchObject({ pending: 1, rejected: 0 });

    const synced = await run('--db', db, 'sync', '--json');
    expect(synced.code).toBe(0);
    const report = JSON.parse(synced.stdout);
    expect(report).toMatchObject({ pushed: 1, status: { pending: 0, rejected: 0 } });
    expect(report.status.lastSyncAt).toBeTruthy();

    const human = await run('--db', otherDb, 'sync');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/pushed 1, .* 0 pending, 1 rejected/);
    expect(human.stderr).toMatch(/FUND_UTILISATION_EXCEEDED/);

    const list = JSON.parse((await run('--db', otherDb, 'rejections', '--json')).stdout) as { id: number; code: string; args: { id: string } }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: 'FUND_UTILISATION_EXCEEDED', args: { id: 'CA2' } });
    const table = await run('--db', otherDb, 'rejections');
    expect(table.stdout).toMatch(/createAllocation\s+FUND_UTILISATION_EXCEEDED/);
    const discarded = await run('--db', otherDb, 'rejections', 'discard', String(list[0]!.id), '--json');
    expect(discarded.code).toBe(0);
    expect(JSON.parse(discarded.stdout)).toMatchObject({ status: 'discarded' });
    expect((await run('--db', otherDb, 'rejections', 'discard', String(list[0]!.id))).code).toBe(1); // already discarded
    expect((await run('--db', otherDb, 'rejections')).stdout).toMatch(/no open rejections/);
    expect(JSON.parse((await run('--db', otherDb, 'rejections', '--all', '--json')).stdout)).toHaveLength(1);

    const human2 = await run('--db', db, 'sync', 'status');
    expect(human2.stdout).toMatch(/pending\s+0/);

    const out = await run('--db', db, 'logout', '--json');
    expect(JSON.parse(out.stdout)).toMatchObject({ revoked: true, removed: true });
    const after = await run('--db', db, 'sync');
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/UNAUTHENTICATED: .*meridian login/);
  });

  it('signs in for the process from MERIDIAN_USER / MERIDIAN_PASSWORD when no sign-in is stored', async () => {
    const u = await server.createUser('analyst');
    const db = path.join(tempDir(), 'env.sqlite');
    process.env.MERIDIAN_PASSWORD = u.password;
    expect((await run('--db', db, 'login', '--server', url, '--user', u.username, '--credential-store', 'memory')).code).toBe(0);
    process.env.MERIDIAN_USER = u.username;
    const r = await run('--db', db, 'sync', '--json', '--credential-store', 'memory');
    delete process.env.MERIDIAN_USER;
    delete process.env.MERIDIAN_PASSWORD;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status.state).toBe('idle');
  });

  it('reports an unreachable server as a problem, keeping the changes', async () => {
    const u = await server.createUser('analyst');
    const db = path.join(tempDir(), 'down.sqlite');
    process.env.MERIDIAN_PASSWORD = u.password;
    expect((await run('--db', db, 'login', '--server', url, '--user', u.username)).code).toBe(0);
    delete process.env.MERIDIAN_PASSWORD;
    // The server moves to an address where nothing listens (the sign-in moves with it).
    const down = 'http://127.0.0.1:9';
    const file = path.join(home, 'credentials.json');
    const creds = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
    creds[credentialAccount(db, down)] = creds[credentialAccount(db, url)]!;
    fs.writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
    const local = openSqlite(db);
    local.raw.prepare('UPDATE sync_meta SET value = ? WHERE key = ?').run(down, 'server_url');
    await local.close();
    const r = await run('--db', db, 'sync');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Cannot reach the server.*kept/);
  });
});
