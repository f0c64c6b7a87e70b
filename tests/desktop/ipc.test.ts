import { describe, expect, it, vi } from 'vitest';
import { contractInputs } from '../../shared/api/contract';
import { MeridianError } from '../../shared/errors';
import { createBridge } from '../../electron/preload/bridge';
import { dispatchIpc, MAX_IPC_PAYLOAD_CHARS, pathGrantDecision, toWireError, validateIpcPayload, validateSender, type HandlerTable } from '../../electron/main/ipc-policy';

const APP_FRAME = { url: 'app://meridian/index.html#/funds', parent: null };
const FUND = '0190f5b2-7c1a-7cc3-9a1e-2b3c4d5e6f70';
const noGrants = { read: new Set<string>(), write: new Set<string>() };

describe('validateSender()', () => {
  it('accepts the app page in its main frame', () => {
    expect(validateSender(APP_FRAME)).toEqual({ ok: true });
  });
  it('refuses subframes, other origins and vanished frames', () => {
    expect(validateSender({ url: 'app://meridian/index.html', parent: {} }).ok).toBe(false);
    expect(validateSender({ url: 'https://evil.com/', parent: null }).ok).toBe(false);
    expect(validateSender({ url: 'file:///tmp/x.html', parent: null }).ok).toBe(false);
    expect(validateSender({ url: 'app://evil/index.html', parent: null }).ok).toBe(false);
    expect(validateSender({ url: 'about:blank', parent: null }).ok).toBe(false);
    expect(validateSender(null).ok).toBe(false);
    expect(validateSender(undefined).ok).toBe(false);
  });
});

describe('validateIpcPayload()', () => {
  it('accepts each contract method with a valid input, applying defaults', () => {
    expect(validateIpcPayload('listFunds', {})).toEqual({ ok: true, method: 'listFunds', input: {} });
    expect(validateIpcPayload('listDeals', undefined)).toMatchObject({ ok: true, method: 'listDeals' });
    const r = validateIpcPayload('importCsv', { kind: 'funds', file: '/x.csv' });
    expect(r).toEqual({ ok: true, method: 'importCsv', input: { kind: 'funds', file: '/x.csv', skipInvalid: false } });
  });

  it('refuses methods outside the contract, including prototype names', () => {
    for (const m of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'signInWithToken', 'eval', '', 42, null, undefined]) {
      const r = validateIpcPayload(m, {});
      expect(r.ok, String(m)).toBe(false);
    }
  });

  it('refuses invalid inputs with every problem named', () => {
    const r = validateIpcPayload('fundMetrics', { fundId: 'not-an-id', asOf: '2024-13-40', extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    expect(r.error.problems.length).toBeGreaterThanOrEqual(2);
    expect(validateIpcPayload('previewCapitalCall', { fundId: FUND, amount: 1.5 }).ok).toBe(false);
    expect(validateIpcPayload('listFunds', 'string').ok).toBe(false);
  });

  it('refuses oversized and non-plain payloads', () => {
    expect(validateIpcPayload('mutate', { name: 'x', args: 'a'.repeat(MAX_IPC_PAYLOAD_CHARS) }).ok).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(validateIpcPayload('mutate', { name: 'x', args: cyclic }).ok).toBe(false);
  });

  it('knows every contract method (a refusal is about the input, never the name)', () => {
    for (const m of Object.keys(contractInputs)) {
      const r = validateIpcPayload(m, {});
      if (!r.ok) expect(r.error.message, m).toMatch(new RegExp(`^invalid ${m} input`));
    }
  });
});

describe('file paths from the page', () => {
  it('are allowed only when the user picked them in a native dialog', () => {
    const grants = { read: new Set(['/home/a/funds.csv']), write: new Set(['/home/a/out.csv']) };
    expect(pathGrantDecision('importCsv', { kind: 'funds', file: '/home/a/funds.csv' }, grants).ok).toBe(true);
    expect(pathGrantDecision('importCsv', { kind: 'funds', file: '/etc/passwd' }, grants).ok).toBe(false);
    expect(pathGrantDecision('importCsv', { kind: 'funds', file: '/home/a/out.csv' }, grants).ok).toBe(false);
    expect(pathGrantDecision('exportCsv', { kind: 'allocations', file: '/home/a/out.csv' }, grants).ok).toBe(true);
    expect(pathGrantDecision('exportCsv', { kind: 'allocations', file: '/home/a/.bashrc' }, grants).ok).toBe(false);
    expect(pathGrantDecision('listFunds', {}, noGrants).ok).toBe(true);
  });
});

describe('dispatchIpc()', () => {
  const handlers: HandlerTable = {
    listFunds: vi.fn(async () => [{ id: 'f' }]),
    listDeals: async () => {
      throw new MeridianError('NOT_FOUND', 'no such deal');
    },
    listInvestors: async () => {
      throw new Error('SQLITE_CORRUPT: /home/a/secret/path');
    },
    importCsv: vi.fn(async () => ({ imported: 1 })),
  };
  const log = { warn: vi.fn(), error: vi.fn() };

  it('runs a valid call from the app and answers {ok, value}', async () => {
    expect(await dispatchIpc(APP_FRAME, 'listFunds', {}, handlers, noGrants, log)).toEqual({ ok: true, value: [{ id: 'f' }] });
  });

  it('never runs a handler for a bad sender, method, payload or path', async () => {
    const calls = (handlers.listFunds as ReturnType<typeof vi.fn>).mock.calls.length;
    expect((await dispatchIpc({ url: 'https://evil.com', parent: null }, 'listFunds', {}, handlers, noGrants, log)).ok).toBe(false);
    expect((await dispatchIpc({ url: APP_FRAME.url, parent: {} }, 'listFunds', {}, handlers, noGrants, log)).ok).toBe(false);
    expect((await dispatchIpc(APP_FRAME, 'listFunds', { asOf: 'yesterday' }, handlers, noGrants, log)).ok).toBe(false);
    expect((handlers.listFunds as ReturnType<typeof vi.fn>).mock.calls.length).toBe(calls);
    expect(await dispatchIpc(APP_FRAME, 'importCsv', { kind: 'funds', file: '/etc/shadow' }, handlers, noGrants, log)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(handlers.importCsv).not.toHaveBeenCalled();
  });

  it('passes MeridianErrors through and hides everything else', async () => {
    expect(await dispatchIpc(APP_FRAME, 'listDeals', {}, handlers, noGrants, log)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'no such deal' } });
    const r = await dispatchIpc(APP_FRAME, 'listInvestors', {}, handlers, noGrants, log);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('secret');
    expect(log.error).toHaveBeenCalled();
    expect(toWireError('x').code).toBe('INTERNAL');
  });

  it('answers INTERNAL for a contract method the host does not implement', async () => {
    expect(await dispatchIpc(APP_FRAME, 'cancelJob', { jobId: 'j' }, handlers, noGrants, log)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('the merged contract through preload → IPC policy → handlers', () => {
  // The preload bridge wired straight to dispatchIpc, as Electron would carry it.
  const calls: string[] = [];
  const table: HandlerTable = Object.fromEntries(
    [...Object.keys(contractInputs), 'openExternal', 'readFile'].map((m) => [
      m,
      async (input: unknown) => {
        calls.push(m);
        return { method: m, input };
      },
    ]),
  );
  const bridge = createBridge({
    invoke: (_channel, method, input) => dispatchIpc(APP_FRAME, method, input, table, noGrants),
    on: () => undefined,
  });

  it('carries host-provided methods (UI, sign-in) as well as core ones', async () => {
    await expect(bridge.session({})).resolves.toEqual({ method: 'session', input: {} });
    await expect(bridge.allocationRows({ fundId: FUND })).resolves.toMatchObject({ method: 'allocationRows', input: { fundId: FUND, offset: 0 } });
    await expect(bridge.signIn({ serverUrl: ' https://meridian.firm.example ', username: 'ana', password: 'pw' })).resolves.toMatchObject({
      input: { serverUrl: 'https://meridian.firm.example', username: 'ana' },
    });
  });

  it('refuses a method outside the contract even when a handler for it exists', async () => {
    const before = calls.length;
    for (const m of ['openExternal', 'readFile']) {
      const r = await dispatchIpc(APP_FRAME, m, {}, table, noGrants);
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: `There is no method named "${m}".` } });
    }
    expect(calls.length).toBe(before);
    expect('openExternal' in bridge).toBe(false);
  });

  it('refuses a bad input with the field path, before any handler runs', async () => {
    const before = calls.length;
    const e1 = await bridge.signIn({ serverUrl: 'http://evil.example', username: 'ana', password: 'pw' }).catch((e: unknown) => e);
    expect(e1).toMatchObject({ name: 'MeridianError', code: 'INVALID_INPUT', problems: [{ code: 'INVALID_INPUT', path: 'serverUrl', message: expect.stringMatching(/^serverUrl: server URL must start with https:\/\//) }] });
    const e2 = await bridge.allocationRows({ fundId: FUND, offset: -1 }).catch((e: unknown) => e);
    expect(e2).toMatchObject({ code: 'INVALID_INPUT', problems: [{ path: 'offset' }] });
    const e3 = await bridge.discardRejection({ id: '' }).catch((e: unknown) => e);
    expect(e3).toMatchObject({ code: 'INVALID_INPUT', problems: [{ path: 'id' }] });
    const e4 = await bridge.signOut({ everywhere: true } as never).catch((e: unknown) => e);
    expect(e4).toMatchObject({ code: 'INVALID_INPUT' });
    expect(calls.length).toBe(before);
  });
});
