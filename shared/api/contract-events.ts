/**
 * The contract's events, and their names as a runtime list. Free of zod on
 * purpose: the renderer's web bridge imports CONTRACT_EVENTS without
 * bundling any schema. Hosts push these; `window.meridian.on(name, fn)`
 * subscribes (the bridges also offer their own `connection` event).
 */
import type { SessionView, SyncStatusView } from './ui-contract';

export interface JobProgressEvent {
  jobId: string;
  kind: string;
  done: number;
  total: number | null;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  message?: string;
}

/** Events pushed to the renderer. Who emits each: docs/desktop.md ("The contract"). */
export interface ContractEvents {
  /** A long job (import, export) made progress — Workstation. */
  jobProgress: JobProgressEvent;
  /** Rows changed (local mutation, import, pulled changes) — Workstation and the sync client. */
  dataChanged: { entities: string[] };
  /** The status bar's sync state changed — host (sync client). */
  syncStatus: SyncStatusView;
  /** Who is signed in, where, or whether a sign-in is required, changed — host (sign-in). */
  session: SessionView;
}

export type ContractEventName = keyof ContractEvents;

/** Every contract event, at run time (the preload and the web bridge deliver only these). */
export const CONTRACT_EVENTS = Object.freeze(['jobProgress', 'dataChanged', 'syncStatus', 'session'] as const satisfies readonly ContractEventName[]);

type MissingEvents = Exclude<ContractEventName, (typeof CONTRACT_EVENTS)[number]>;
/** Compile-time proof that CONTRACT_EVENTS lists every key of ContractEvents (names a missing one otherwise). */
export const CONTRACT_EVENTS_COMPLETE: [MissingEvents] extends [never] ? true : { missing: MissingEvents } = true;

export function isContractEvent(name: unknown): name is ContractEventName {
  return typeof name === 'string' && (CONTRACT_EVENTS as readonly string[]).includes(name);
}

/** The bridges' own event (not sent by a host): the link to the host; always "connected" under Electron. */
export interface ConnectionEvent {
  state: 'connecting' | 'connected' | 'disconnected';
  /** Seconds until the next reconnection attempt, when disconnected. */
  retryInSeconds?: number;
}

/** The bridge-local event name for ConnectionEvent. */
export const CONNECTION_EVENT = 'connection';

/** What `window.meridian.on` accepts: the contract's events plus the bridge's connection event. */
export type BridgeEvents = ContractEvents & { connection: ConnectionEvent };
export type BridgeEventName = keyof BridgeEvents;

export interface MeridianEventsApi {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void): () => void;
}
