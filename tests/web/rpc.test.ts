import { describe, expect, it, vi } from 'vitest';
import { MeridianError } from '../../shared/errors';
import { dispatch } from '../../electron/hosts/web/rpc';
import type { MeridianApi as HostApi } from '../../shared/api/contract';

function fakeApi(overrides: Partial<Record<keyof HostApi, (input: unknown) => Promise<unknown>>> = {}): HostApi {
  return new Proxy({} as HostApi, {
    get: (_t, name: string) => overrides[name as keyof HostApi] ?? (async () => ({ called: name })),
  });
}

describe('contract over the WebSocket: dispatch', () => {
  it('answers a valid request with its id', async () => {
    const listFunds = vi.fn(async () => []);
    const r = await dispatch(fakeApi({ listFunds }), JSON.stringify({ id: 7, method: 'listFunds', input: {} }));
    expect(r).toEqual({ id: 7, ok: true, value: [] });
    expect(listFunds).toHaveBeenCalledWith({});
  });

  it('validates input with the contract schema before calling anything', async () => {
    const previewCapitalCall = vi.fn(async () => null);
    const r = await dispatch(fakeApi({ previewCapitalCall }), JSON.stringify({ id: 1, method: 'previewCapitalCall', input: { fundId: 'F1', amount: 12.5 } }));
    expect(previewCapitalCall).not.toHaveBeenCalled();
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.problems[0]).toMatchObject({ code: 'INVALID_INPUT', path: 'amount' });
    }
  });

  it('refuses unknown keys (strict inputs), unknown methods, bad JSON and bad envelopes', async () => {
    const api = fakeApi();
    const extra = await dispatch(api, JSON.stringify({ id: 2, method: 'listFunds', input: { asOf: '2024-01-01', evil: 1 } }));
    expect(extra).toMatchObject({ id: 2, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(api, JSON.stringify({ id: 3, method: 'constructor', input: {} }))).toMatchObject({ id: 3, ok: false, error: { message: 'There is no method named "constructor".' } });
    expect(await dispatch(api, '{nope')).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(api, JSON.stringify({ id: 4, method: 'listFunds', input: {}, extra: true }))).toMatchObject({ id: 4, ok: false });
    expect(await dispatch(api, JSON.stringify({ method: 'listFunds' }))).toMatchObject({ id: null, ok: false });
  });

  it('never lets a browser page read or write files by path', async () => {
    const exportCsv = vi.fn();
    const r = await dispatch(fakeApi({ exportCsv }), JSON.stringify({ id: 5, method: 'exportCsv', input: { kind: 'allocations', file: '/etc/cron.d/x' } }));
    expect(exportCsv).not.toHaveBeenCalled();
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const i = await dispatch(fakeApi(), JSON.stringify({ id: 6, method: 'importCsv', input: { kind: 'funds', file: '/etc/passwd' } }));
    expect(i.ok).toBe(false);
  });

  it('passes MeridianErrors through verbatim, with every problem', async () => {
    const problems = [{ code: 'DEAL_ALLOCATION_LIMIT_EXCEEDED' as const, message: 'at most USD 1.00 more can go to this deal', path: 'amount', details: { headroom: 100 } }];
    const mutate = async () => {
      throw new MeridianError('DEAL_ALLOCATION_LIMIT_EXCEEDED', 'at most USD 1.00 more can go to this deal', {}, problems);
    };
    const r = await dispatch(fakeApi({ mutate }), JSON.stringify({ id: 8, method: 'mutate', input: { name: 'createAllocation', args: {} } }));
    expect(r).toEqual({ id: 8, ok: false, error: { code: 'DEAL_ALLOCATION_LIMIT_EXCEEDED', message: 'at most USD 1.00 more can go to this deal', problems } });
  });

  it('hides internal errors behind a message for people and logs the stack', async () => {
    const log = vi.fn();
    const r = await dispatch(
      fakeApi({
        listDeals: async () => {
          throw new TypeError('secret internals');
        },
      }),
      JSON.stringify({ id: 9, method: 'listDeals' }),
      log,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INTERNAL');
      expect(r.error.message).not.toMatch(/secret/);
    }
    expect(log.mock.calls[0]![0]).toMatch(/secret internals/);
  });

  it('validates the UI additions too', async () => {
    const r = await dispatch(fakeApi(), JSON.stringify({ id: 10, method: 'recordHistory', input: { entity: 'sqlite_master', id: 'x' } }));
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const ok = await dispatch(fakeApi(), JSON.stringify({ id: 11, method: 'saveExport', input: { kind: 'allocations', suggestedName: 'a.csv' } }));
    expect(ok).toMatchObject({ ok: true, value: { called: 'saveExport' } });
  });
});
