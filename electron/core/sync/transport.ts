/**
 * How the sync client reaches the server: four calls of the sync protocol
 * (shared/sync/protocol). The production implementation is HttpTransport
 * (./http-transport); tests use one over the in-process server with fault
 * injection (tests/sync). Every failure is a SyncTransportError whose `kind`
 * tells the client and the scheduler what to do.
 */
import type { PullResponse, PushRequest, PushResponse, ResultsResponse, SnapshotResponse } from '../../../shared/sync/protocol';
import type { EntityName } from '../../../shared/domain/entities';

export interface PullRequest {
  clientId: string;
  schemaVersion: number;
  cursor: number;
  limit: number;
}

export interface SnapshotRequest {
  clientId: string;
  schemaVersion: number;
  entity: EntityName;
  after?: string;
  limit: number;
}

export interface ResultsRequest {
  clientId: string;
  schemaVersion: number;
  after: number;
  limit: number;
}

export interface SyncTransport {
  push(req: PushRequest): Promise<PushResponse>;
  pull(req: PullRequest): Promise<PullResponse>;
  snapshot(req: SnapshotRequest): Promise<SnapshotResponse>;
  results(req: ResultsRequest): Promise<ResultsResponse>;
}

/**
 * - offline: the server could not be reached (no network, refused, reset).
 * - timeout: no answer in time (the request may or may not have been processed).
 * - server: the server failed or is restarting (5xx); retry later.
 * - rate_limited: 429; retry after `retryAfterMs`.
 * - unauthenticated: no valid sign-in (after one refresh); the user must sign in again.
 * - client_too_old: 426 CLIENT_TOO_OLD; the app must be updated (the outbox is kept).
 * - refused: any other 4xx (e.g. this profile's client id belongs to another user).
 * - protocol: an answer that does not match the protocol.
 */
export type SyncErrorKind = 'offline' | 'timeout' | 'server' | 'rate_limited' | 'unauthenticated' | 'client_too_old' | 'refused' | 'protocol';

const RETRYABLE: ReadonlySet<SyncErrorKind> = new Set(['offline', 'timeout', 'server', 'rate_limited']);

export class SyncTransportError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
    readonly extra: {
      status?: number;
      code?: string;
      retryAfterMs?: number;
      details?: Record<string, unknown>;
      correlationId?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'SyncTransportError';
  }

  /** Worth retrying later without the user doing anything. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** The server was not reached or did not answer: the client is offline for status purposes. */
  get offline(): boolean {
    return this.kind === 'offline' || this.kind === 'timeout';
  }
}

export function isSyncTransportError(e: unknown): e is SyncTransportError {
  return e instanceof SyncTransportError;
}
