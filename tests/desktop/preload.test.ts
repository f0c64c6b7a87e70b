/**
 * The preload exposes exactly the contract: one function per contractInputs
 * key, plus on() for the contract's events — nothing else (no ipcRenderer,
 * no send, no invoke).
 */
import { describe, expect, it, vi } from 'vitest';
import { contractInputs, type ContractEvents } from '../../shared/api/contract';
import { CONTRACT_EVENTS_COMPLETE } from '../../shared/api/contract-events';
import {
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  createBridge,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  unwrapResult,
  type IpcRendererPort,
} from '../../electron/preload/bridge';

function fakeIpc(answer: (method: string, input: unknown) => unknown = () => ({ ok: true, value: 'v' })) {
  let onEvent: ((event: unknown, ...args: unknown[]) => void) | null = null;
  const ipc: IpcRendererPort & { invoke: ReturnType<typeof vi.fn> } = {
    invoke: vi.fn(async (_channel: string, method: unknown, input: unknown) => answer(method as string, input)),
    on: (channel, listener) => {
      expect(channel).toBe(IPC_EVENT_CHANNEL);
      onEvent = listener;
    },
  };
  return { ipc, fire: (name: unknown, payload: unknown) => onEvent?.({ sender: 'main' }, name, payload) };
}

describe('preload bridge', () => {
  it('exposes exactly the contract methods and on()', () => {
    const { ipc } = fakeIpc();
    const bridge = createBridge(ipc);
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(contractInputs), 'on'].sort());
    expect(CONTRACT_METHODS).toEqual(Object.keys(contractInputs));
    for (const k of Object.keys(bridge)) expect(typeof (bridge as unknown as Record<string, unknown>)[k]).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.getPrototypeOf(bridge)).toBeNull();
  });

  it('knows every contract event (the type-level check holds)', () => {
    expect(CONTRACT_EVENTS_COMPLETE).toBe(true);
    const sample: { [K in keyof ContractEvents]: true } = { jobProgress: true, dataChanged: true, syncStatus: true, session: true };
    expect([...CONTRACT_EVENTS].sort()).toEqual(Object.keys(sample).sort());
  });

  it('sends each call as (method, input) on the one invoke channel and unwraps the answer', async () => {
    const { ipc } = fakeIpc(() => ({ ok: true, value: [{ id: 'f1' }] }));
    const bridge = createBridge(ipc);
    await expect(bridge.listFunds({})).resolves.toEqual([{ id: 'f1' }]);
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'listFunds', {});
    await bridge.listDeals(undefined as never);
    expect(ipc.invoke).toHaveBeenLastCalledWith(IPC_INVOKE_CHANNEL, 'listDeals', {});
  });

  it('rejects with a plain {code, message, problems} object that survives contextBridge', async () => {
    const { ipc } = fakeIpc(() => ({ ok: false, error: { code: 'NOT_FOUND', message: 'fund x does not exist', problems: [{ code: 'NOT_FOUND', message: 'fund x does not exist' }] } }));
    const bridge = createBridge(ipc);
    const e = await bridge.getCapitalCall({ id: 'x' }).catch((err: unknown) => err);
    expect(e).toEqual({ name: 'MeridianError', code: 'NOT_FOUND', message: 'fund x does not exist', problems: [{ code: 'NOT_FOUND', message: 'fund x does not exist' }] });
    expect(e).not.toBeInstanceOf(Error);
    expect(() => unwrapResult('garbage')).toThrow();
    expect(() => unwrapResult({ ok: true })).toThrow();
  });

  it('delivers contract events only, and unsubscribes', () => {
    const { ipc, fire } = fakeIpc();
    const bridge = createBridge(ipc);
    const got: unknown[] = [];
    const off = bridge.on('dataChanged', (p) => got.push(p));
    fire('dataChanged', { entities: ['fund'] });
    fire('secretEvent', { x: 1 });
    fire(42, {});
    off();
    fire('dataChanged', { entities: ['deal'] });
    expect(got).toEqual([{ entities: ['fund'] }]);
    const unknown = (bridge.on as (e: string, l: (p: unknown) => void) => () => void)('ipcRenderer', () => got.push('leak'));
    fire('ipcRenderer', {});
    unknown();
    expect(got).toHaveLength(1);
    expect(() => (bridge.on as (e: string, l: unknown) => unknown)('dataChanged', 'not a function')).toThrow(TypeError);
  });

  it('answers the bridge-local "connection" event with connected at once', () => {
    const { ipc } = fakeIpc();
    const bridge = createBridge(ipc);
    const states: unknown[] = [];
    (bridge.on as (e: string, l: (p: unknown) => void) => () => void)('connection', (c) => states.push(c));
    expect(states).toEqual([{ state: 'connected' }]);
  });
});
