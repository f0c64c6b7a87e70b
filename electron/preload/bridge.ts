/**
 * window.meridian under Electron: exactly the contract's methods (derived
 * from `contractInputs`, so a method added to the contract appears here
 * without an edit) plus `on(event, listener)` for the contract's events
 * (CONTRACT_EVENTS). It `satisfies MeridianBridge`, the same type the
 * browser bridge (renderer/src/bridge/ws-bridge.ts) satisfies.
 *
 * Pure and free of Node: the preload bundle runs in a sandboxed renderer,
 * where only `electron`'s renderer modules exist. `createBridge` takes the
 * IPC port as a parameter so tests drive it without Electron.
 *
 * Wire format (main side: electron/main/ipc-policy.ts):
 *   invoke  IPC_INVOKE_CHANNEL (method, input) → {ok: true, value} | {ok: false, error: {code, message, problems}}
 *   events  IPC_EVENT_CHANNEL (name, payload), only names in CONTRACT_EVENTS are delivered
 *
 * A failed call rejects with a plain {name, code, message, problems} object,
 * not an Error: contextBridge copies an Error's message only and drops its
 * code and problems (renderer code reads it through toApiError()).
 */
import {
  CONNECTION_EVENT,
  CONTRACT_EVENTS,
  CONTRACT_METHODS,
  type BridgeEventName,
  type BridgeEvents,
  type ContractMethod,
  type MeridianApi,
  type MeridianBridge,
} from '../../shared/api/contract';
import type { ErrorCode, Problem } from '../../shared/errors';

export const IPC_INVOKE_CHANNEL = 'meridian:invoke';
export const IPC_EVENT_CHANNEL = 'meridian:event';
/** The global the bridge is exposed as (window.meridian). */
export const BRIDGE_GLOBAL = 'meridian';

export { CONTRACT_METHODS, CONTRACT_EVENTS };

/**
 * The browser bridge's own link-state event. Under Electron the link is the
 * in-process IPC, always up: a subscriber gets one {state: 'connected'} at
 * once and nothing crosses IPC for it.
 */
export const LOCAL_CONNECTION_EVENT = CONNECTION_EVENT;

export interface WireError {
  code: ErrorCode;
  message: string;
  problems: Problem[];
}

export type IpcResult = { ok: true; value: unknown } | { ok: false; error: WireError };

/** The part of ipcRenderer the bridge uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type DesktopBridge = MeridianBridge;

/** What a failed call rejects with (a plain object survives contextBridge with all its fields). */
export interface BridgeFailure extends WireError {
  name: 'MeridianError';
}

function failure(error: WireError): BridgeFailure {
  return { name: 'MeridianError', code: error.code, message: error.message, problems: Array.isArray(error.problems) ? error.problems : [] };
}

/** Turns the main process's answer into a value or a rejection. */
export function unwrapResult(result: unknown): unknown {
  const r = result as Partial<IpcResult> | null;
  if (r && r.ok === true && 'value' in r) return r.value;
  if (r && r.ok === false && r.error && typeof r.error.message === 'string') throw failure(r.error);
  throw failure({ code: 'INTERNAL', message: 'The Meridian main process sent an answer this window does not understand; restart Meridian.', problems: [] });
}

const EVENT_SET: ReadonlySet<string> = new Set<string>(CONTRACT_EVENTS);

export function createBridge(ipc: IpcRendererPort): DesktopBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  ipc.on(IPC_EVENT_CHANNEL, (_event, name, payload) => {
    if (typeof name !== 'string' || !EVENT_SET.has(name)) return;
    for (const listener of [...(listeners.get(name) ?? [])]) {
      try {
        listener(payload);
      } catch (e) {
        console.error(`window.meridian: a "${name}" listener failed`, e);
      }
    }
  });

  // One invoker per contract method (typed per method through MeridianApi).
  const methods = Object.create(null) as Record<ContractMethod, (input?: unknown) => Promise<unknown>>;
  for (const method of CONTRACT_METHODS) {
    methods[method] = async (input?: unknown) => unwrapResult(await ipc.invoke(IPC_INVOKE_CHANNEL, method, input ?? {}));
  }

  const on = (event: unknown, listener: unknown): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('window.meridian.on(event, listener): listener must be a function');
    const fn = listener as (payload: unknown) => void;
    if (event === LOCAL_CONNECTION_EVENT) {
      try {
        fn({ state: 'connected' });
      } catch (e) {
        console.error('window.meridian: a "connection" listener failed', e);
      }
      return () => {};
    }
    if (typeof event !== 'string' || !EVENT_SET.has(event)) {
      // Not a contract event: nothing will ever be delivered for it.
      return () => {};
    }
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  };

  const bridge = Object.assign(Object.create(null) as object, methods as unknown as MeridianApi, {
    on: on as <E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void) => () => void,
  }) satisfies MeridianBridge;
  return Object.freeze(bridge);
}
