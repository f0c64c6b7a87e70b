/**
 * What the renderer sees as `window.meridian`: the one contract
 * (shared/api/contract.ts — methods, inputs, outputs) and its events. The
 * Electron preload and the browser bridge (./ws-bridge) both satisfy
 * MeridianBridge, so the rest of the renderer cannot tell them apart.
 */
import type { MeridianBridge } from '../../../shared/api/contract';
import type { ErrorCode, Problem } from '../../../shared/errors';

export type { BridgeEventName, BridgeEvents, ConnectionEvent, MeridianBridge, MeridianEventsApi } from '../../../shared/api/contract';

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
