/**
 * window.meridian under Electron: exactly the contract's methods (derived
 * from `contractInputs`, so a method added to the contract appears here
 * without an edit) plus `on(event, listener)` for the contract's events.
 *
 * Pure and free of Node: the preload bundle runs in a sandboxed renderer,
 * where only `electron`'s renderer modules exist. `createBridge` takes the
 * IPC port as a parameter so tests drive it without Electron.
 *
 * Wire format (main side: electron/main/ipc-policy.ts):
 *   invoke  IPC_INVOKE_CHANNEL (method, input) → {ok: true, value} | {ok: false, error: {code, message, problems}}
 *   events  IPC_EVENT_CHANNEL (name, payload), only names in CONTRACT_EVENT_NAMES are delivered
 *
 * A failed call rejects with a plain {name, code, message, problems} object,
 * not an Error: contextBridge copies an Error's message only and drops its
 * code and problems (renderer code reads it through toApiError()).
 */
import { contractInputs, type ContractEvents, type ContractMethod, type MeridianApi } from '../../shared/api/contract';
import type { ErrorCode, Problem } from '../../shared/errors';

export const IPC_INVOKE_CHANNEL = 'meridian:invoke';
export const IPC_EVENT_CHANNEL = 'meridian:event';
/** The global the bridge is exposed as (window.meridian). */
export const BRIDGE_GLOBAL = 'meridian';

/** Every contract method, in contract order. */
export const CONTRACT_METHODS: readonly ContractMethod[] = Object.freeze(Object.keys(contractInputs) as ContractMethod[]);

/**
 * The contract's event names. `ContractEvents` is a type, so the list is
 * written out; the check below fails the type-check when ContractEvents
 * gains an event this list lacks (lead: a runtime `CONTRACT_EVENTS` list in
 * shared/api/contract.ts would let this derive the names as well).
 */
export const CONTRACT_EVENT_NAMES = Object.freeze(['jobProgress', 'dataChanged'] as const satisfies readonly (keyof ContractEvents)[]);
export type ContractEventName = (typeof CONTRACT_EVENT_NAMES)[number];
type MissingEvents = Exclude<keyof ContractEvents, ContractEventName>;
/** Compile-time proof that CONTRACT_EVENT_NAMES covers ContractEvents (names any event missing). */
export const CONTRACT_EVENT_NAMES_COMPLETE: [MissingEvents] extends [never] ? true : { missing: MissingEvents } = true;

/**
 * The browser bridge's own link-state event. Under Electron the link is the
 * in-process IPC, always up: a subscriber gets one {state: 'connected'} at
 * once and nothing crosses IPC for it.
 */
export const LOCAL_CONNECTION_EVENT = 'connection';

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

export interface BridgeEventsApi {
  /** Subscribes to a contract event; returns the unsubscribe function. */
  on<E extends keyof ContractEvents>(event: E, listener: (payload: ContractEvents[E]) => void): () => void;
}

export type DesktopBridge = MeridianApi & BridgeEventsApi;

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

const EVENT_SET: ReadonlySet<string> = new Set<string>(CONTRACT_EVENT_NAMES);

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

  const bridge: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const method of CONTRACT_METHODS) {
    bridge[method] = async (input?: unknown) => unwrapResult(await ipc.invoke(IPC_INVOKE_CHANNEL, method, input ?? {}));
  }

  bridge.on = (event: unknown, listener: unknown): (() => void) => {
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

  return Object.freeze(bridge) as unknown as DesktopBridge;
}
