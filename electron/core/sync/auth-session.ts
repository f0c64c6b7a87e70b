/**
 * A signed-in session with the server (DESIGN §6). The refresh token lives in
 * a CredentialStore (the OS keychain by default) under the account of this
 * profile and server; the access token lives only in this object's memory.
 * Neither is ever logged, put in an error message or sent to the renderer.
 *
 * A 401 on a request triggers one refresh (single flight: concurrent callers
 * share it); if the server refuses that too, the session asks for a new
 * sign-in ('loginRequired') and requests fail as 'unauthenticated'.
 */
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import { tokenResponseSchema, errorEnvelopeSchema } from '../../../shared/sync/api';
import type { CredentialStore } from '../credentials/credential-store';
import { normalizeServerUrl } from '../credentials/credential-store';
import { SyncTransportError } from './transport';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<Response>;

export interface SessionUser {
  id: string;
  username: string;
  role: 'viewer' | 'analyst' | 'portfolio_manager' | 'admin';
}

export interface AuthSessionOptions {
  serverUrl: string;
  credentials: CredentialStore;
  /** The credential account of this profile on this server (credentialAccount()). */
  account: string;
  fetch?: FetchLike;
  /** Per-request timeout, ms (default 30 s). */
  timeoutMs?: number;
}

interface SessionEvents {
  /** The stored sign-in ended (refresh refused): ask the user to sign in again. */
  loginRequired: [{ reason: string }];
  signedIn: [SessionUser];
  signedOut: [];
}

type TokenResponse = z.infer<typeof tokenResponseSchema>;

const RESET_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);

/** True when a request failed because a kept-alive connection was closed under it (worth one immediate retry). */
function isConnectionReset(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } }).cause;
  return (e as { name?: string }).name !== 'TimeoutError' && cause?.code !== undefined && RESET_CODES.has(cause.code);
}

/**
 * Sends one JSON request and maps transport failures; shared with
 * HttpTransport. `idempotent` requests (every sync request: a repeated push
 * is answered from stored results) are retried once at once when a
 * kept-alive connection was closed under them; refresh never is (refresh
 * tokens are single use).
 */
export async function sendJson(
  fetchFn: FetchLike,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown; timeoutMs: number; idempotent?: boolean },
): Promise<{ status: number; text: string; headers: Headers }> {
  try {
    return await sendOnce(fetchFn, url, init);
  } catch (e) {
    if (init.idempotent && e instanceof SyncTransportError && isConnectionReset(e.extra.cause)) return sendOnce(fetchFn, url, init);
    throw e;
  }
}

async function sendOnce(
  fetchFn: FetchLike,
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<{ status: number; text: string; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let res: Response;
  try {
    res = await fetchFn(url, { method: init.method, headers, body, signal: AbortSignal.timeout(init.timeoutMs) });
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new SyncTransportError('timeout', `The server did not answer within ${Math.round(init.timeoutMs / 1000)} s.`, { cause: e });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new SyncTransportError('offline', `Cannot reach the server (${cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))}).`, { cause: e });
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw new SyncTransportError('offline', 'The connection to the server broke while reading its answer.', { cause: e });
  }
  return { status: res.status, text, headers: res.headers };
}

/** Turns a non-2xx answer into a SyncTransportError of the right kind. */
export function errorFromResponse(status: number, text: string, headers: Headers): SyncTransportError {
  let env: z.infer<typeof errorEnvelopeSchema>['error'] | null = null;
  try {
    const parsed = errorEnvelopeSchema.safeParse(JSON.parse(text));
    if (parsed.success) env = parsed.data.error;
  } catch {
    // not JSON: a proxy's error page
  }
  const retryAfter = Number(headers.get('retry-after'));
  const extra = {
    status,
    code: env?.code,
    details: env?.details,
    correlationId: env?.correlationId,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : undefined,
  };
  const message = env?.message ?? `The server answered HTTP ${status}.`;
  if (status === 401) return new SyncTransportError('unauthenticated', message, extra);
  if (status === 426 || env?.code === 'CLIENT_TOO_OLD') return new SyncTransportError('client_too_old', message, extra);
  if (status === 429) return new SyncTransportError('rate_limited', message, extra);
  if (status >= 500 || status === 408) return new SyncTransportError('server', message, extra);
  return new SyncTransportError('refused', message, extra);
}

export class AuthSession extends EventEmitter<SessionEvents> {
  readonly serverUrl: string;
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;
  private access: string | null = null;
  private refreshing: Promise<string> | null = null;
  private current: SessionUser | null = null;

  constructor(private readonly options: AuthSessionOptions) {
    super();
    this.serverUrl = normalizeServerUrl(options.serverUrl);
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get credentials(): CredentialStore {
    return this.options.credentials;
  }

  /** The user of the last sign-in or refresh in this process (null before one). */
  get user(): SessionUser | null {
    return this.current;
  }

  private async tokenCall(path: string, body: unknown): Promise<TokenResponse> {
    const r = await sendJson(this.fetchFn, `${this.serverUrl}${path}`, { method: 'POST', body, timeoutMs: this.timeoutMs });
    if (r.status !== 200) throw errorFromResponse(r.status, r.text, r.headers);
    const parsed = tokenResponseSchema.safeParse(JSON.parse(r.text));
    if (!parsed.success) throw new SyncTransportError('protocol', 'The server sent a sign-in answer this app does not understand.');
    return parsed.data;
  }

  private async accept(t: TokenResponse): Promise<string> {
    await this.options.credentials.set(this.options.account, t.refreshToken);
    this.access = t.accessToken;
    this.current = t.user;
    return t.accessToken;
  }

  /** Signs in with a password; keeps the refresh token in the credential store. */
  async login(username: string, password: string): Promise<SessionUser> {
    const t = await this.tokenCall('/v1/auth/login', { username, password });
    await this.accept(t);
    this.emit('signedIn', t.user);
    return t.user;
  }

  /** True when a refresh token is stored for this profile and server. */
  async hasStoredLogin(): Promise<boolean> {
    return (await this.options.credentials.get(this.options.account)) !== null;
  }

  /** The access token, refreshing (once, shared) when there is none in memory. */
  async accessToken(): Promise<string> {
    return this.access ?? this.refresh();
  }

  /**
   * Called after a 401 with the token that was refused: refreshes once (or
   * joins a refresh already under way) and returns the new token.
   */
  async afterUnauthorized(refused: string): Promise<string> {
    if (this.access !== null && this.access !== refused) return this.access; // someone refreshed meanwhile
    this.access = null;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.refreshing ??= (async () => {
      try {
        const stored = await this.options.credentials.get(this.options.account);
        if (!stored) throw this.loginRequired('You are not signed in to this server from this profile; sign in (meridian login).');
        let t: TokenResponse;
        try {
          t = await this.tokenCall('/v1/auth/refresh', { refreshToken: stored });
        } catch (e) {
          if (e instanceof SyncTransportError && e.kind === 'unauthenticated') {
            await this.options.credentials.delete(this.options.account).catch(() => false);
            throw this.loginRequired(`Your sign-in has ended (${e.message}); sign in again.`);
          }
          throw e;
        }
        return await this.accept(t);
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private loginRequired(message: string): SyncTransportError {
    this.access = null;
    this.emit('loginRequired', { reason: message });
    return new SyncTransportError('unauthenticated', message);
  }

  /** Ends the sign-in: revokes the refresh token on the server (best effort) and forgets both tokens. */
  async logout(): Promise<{ revoked: boolean; removed: boolean }> {
    const stored = await this.options.credentials.get(this.options.account).catch(() => null);
    let revoked = false;
    if (stored) {
      try {
        const r = await sendJson(this.fetchFn, `${this.serverUrl}/v1/auth/logout`, { method: 'POST', body: { refreshToken: stored }, timeoutMs: this.timeoutMs });
        revoked = r.status === 200;
      } catch {
        revoked = false; // offline: the token is forgotten here all the same
      }
    }
    const removed = await this.options.credentials.delete(this.options.account);
    this.access = null;
    this.current = null;
    this.emit('signedOut');
    return { revoked, removed };
  }
}
