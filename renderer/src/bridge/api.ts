/**
 * What the renderer sees as `window.meridian`: the contract (shared/api),
 * the proposed UI additions, and event subscriptions. The Electron preload
 * and the browser bridge (./ws-bridge) both implement MeridianBridge, so the
 * rest of the renderer cannot tell them apart.
 */
import type { ContractEvents, MeridianApi } from '../../../shared/api/contract';
import type { ErrorCode, Problem } from '../../../shared/errors';
import type { MeridianUiApi, UiContractEvents } from './ui-contract';

/** The bridge's own event: the link to the host (always "connected" under Electron). */
export interface ConnectionEvent {
  state: 'connecting' | 'connected' | 'disconnected';
  /** Seconds until the next reconnection attempt, when disconnected. */
  retryInSeconds?: number;
}

export type BridgeEvents = ContractEvents & UiContractEvents & { connection: ConnectionEvent };
export type BridgeEventName = keyof BridgeEvents;

export interface MeridianEventsApi {
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void): () => void;
}

export type MeridianBridge = MeridianApi & MeridianUiApi & MeridianEventsApi;

/** An error as the contract reports it: a code, a message for people, and every problem. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  problems: Problem[];
}

declare global {
  interface Window {
    meridian?: MeridianBridge;
  }
}

/** The bridge the renderer talks to (installed at start-up). */
export function api(): MeridianBridge {
  const m = window.meridian;
  if (!m) throw new Error('window.meridian is not installed');
  return m;
}

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && typeof (e as ApiError).code === 'string' && typeof (e as ApiError).message === 'string';
}

/** The error as the UI shows it: the contract's message verbatim, or a generic line for anything else. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return { code: e.code, message: e.message, problems: Array.isArray(e.problems) ? e.problems : [] };
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), problems: [] };
}
