/**
 * Sign-in and sync in the desktop main process (plain Node: no Electron
 * import, so it runs under the unit tests too).
 *
 * - A profile that never signed in is standalone: everything works locally.
 * - signIn binds the profile to the server and user (electron/core/sync),
 *   keeps the refresh token in the credential store (OS keychain) and the
 *   access token in memory, and starts the background sync scheduler.
 * - At start a bound profile acts as its bound user at once — local work
 *   never waits for the network — and the scheduler refreshes the token in
 *   the background. When the server refuses the stored sign-in (expired,
 *   revoked), sync stops and the session says `signInRequired`: the analyst
 *   keeps working on local data and signs in again only to sync.
 * - signOut revokes the refresh token on the server (best effort), deletes
 *   the keychain entry, forgets the access token and stops syncing; local
 *   data and pending changes stay.
 * Tokens never leave this module's objects: session() returns names only.
 */
import { EventEmitter } from 'node:events';
import type { Actor } from '../../shared/mutators';
import { MeridianError, type ErrorCode } from '../../shared/errors';
import type { CredentialStore } from '../core/credentials/credential-store';
import { boundServer, openProfileSync, signIn as coreSignIn, type ProfileSync } from '../core/sync/profile-sync';
import type { FetchLike } from '../core/sync/auth-session';
import { SyncScheduler, type SyncSchedulerOptions } from '../core/sync/scheduler';
import type { SyncStatus } from '../core/sync/sync-client';
import { isSyncTransportError } from '../core/sync/transport';
import { entityOfMutation } from '../core/sync/local-store';
import { LOCAL_ACTOR, type Workstation } from '../core/workstation';
import { businessDateOf } from '../../shared/dates';
import { standaloneSync, type SyncPort } from '../hosts/web/sync-port';
import type { RejectionView, SyncStatusView } from '../hosts/web/ui-contract';
import type { DesktopSessionView, SignInInput } from './sign-in-contract';

export interface SessionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface DesktopSessionOptions {
  ws: Workstation;
  credentials: CredentialStore;
  /** From openCredentialStore: set when no keychain is reachable. */
  credentialNotice?: string | null;
  profile: string;
  /** Pre-filled server URL for a profile that never signed in. */
  suggestedServer?: string | null;
  log: SessionLog;
  today?: () => string;
  fetch?: FetchLike;
  scheduler?: SyncSchedulerOptions;
  /** Start background sync for a bound profile (default true; tests pass false). */
  autoStart?: boolean;
}

interface SessionEvents {
  session: [DesktopSessionView];
  syncStatus: [SyncStatusView];
  /** The server's changes were applied locally. */
  dataChanged: [{ entities: string[] }];
}

/** A sync failure the user can act on, as a MeridianError (its message is already written for people). */
export function signInError(e: unknown): unknown {
  if (!isSyncTransportError(e)) return e;
  const code: ErrorCode =
    e.kind === 'unauthenticated' ? 'UNAUTHENTICATED' : e.kind === 'rate_limited' ? 'RATE_LIMITED' : e.kind === 'client_too_old' ? 'CLIENT_TOO_OLD' : 'INTERNAL';
  const lead = e.kind === 'offline' || e.kind === 'timeout' ? 'Could not sign in: ' : '';
  return new MeridianError(code, `${lead}${e.message}`, { kind: e.kind });
}

const STATE_MESSAGE: Record<SyncStatusView['state'], (s: SyncStatus | null) => string | null> = {
  standalone: () => null,
  signed_out: () => 'Your sign-in has ended. Your work is kept on this machine; sign in again (File ▸ Sign In…) to sync.',
  online: () => null,
  syncing: () => null,
  offline: () => 'The server cannot be reached. Changes are kept on this machine and sent when it is back.',
  error: (s) =>
    s?.updateRequired ? 'The server needs a newer Meridian. Your changes are kept; install the update to sync.' : (s?.lastError?.message ?? 'The last sync failed; Meridian retries on its own.'),
};

/** The UI's sync status from the sync client's. */
export function syncStatusView(s: SyncStatus, server: string, signInRequired: boolean, paused: boolean): SyncStatusView {
  let state: SyncStatusView['state'];
  if (s.syncing) state = 'syncing';
  else if (signInRequired || s.state === 'login_required') state = 'signed_out';
  else if (s.state === 'offline') state = 'offline';
  else if (s.state === 'error' || s.state === 'update_required') state = 'error';
  else state = 'online';
  const base = STATE_MESSAGE[state](s);
  const message = paused && state !== 'syncing' ? `Automatic sync is paused (Sync ▸ Pause Sync).${base ? ` ${base}` : ''}` : base;
  return {
    state,
    server,
    pending: s.pending,
    rejections: s.rejected,
    lastSyncAt: s.lastSyncAt,
    progress: s.progress ? { done: s.progress.done, total: s.progress.estimated } : null,
    message,
  };
}

export class DesktopSession extends EventEmitter<SessionEvents> {
  private ps: ProfileSync | null = null;
  private scheduler: SyncScheduler | null = null;
  private signInRequired = false;
  private detachers: Array<() => void> = [];
  private readonly closers: Array<() => void> = [];
  private readonly today: () => string;
  private readonly standalone: SyncPort;

  constructor(private readonly o: DesktopSessionOptions) {
    super();
    this.today = o.today ?? (() => businessDateOf(new Date()));
    this.standalone = standaloneSync(o.ws);
    // Standalone (or signed-out) profiles: the pending count changes with every local change.
    const onLocalChange = () => {
      if (!this.ps || this.signInRequired) this.emitStatus();
    };
    o.ws.events.on('dataChanged', onLocalChange);
    this.closers.push(() => o.ws.events.off('dataChanged', onLocalChange));
    if (boundServer(o.ws.db)) {
      const ps = openProfileSync({ db: o.ws.db, credentials: o.credentials, fetch: o.fetch });
      const user = ps.client.store.user;
      if (user) o.ws.actor = { userId: user.id, role: user.role };
      this.attach(ps);
    }
  }

  get server(): string | null {
    return this.ps?.serverUrl ?? null;
  }

  get signedIn(): boolean {
    return this.ps !== null && !this.signInRequired;
  }

  get paused(): boolean {
    return this.scheduler?.isPaused ?? false;
  }

  get syncing(): boolean {
    return this.ps?.client.running ?? false;
  }

  private attach(ps: ProfileSync): void {
    this.detach();
    this.ps = ps;
    this.signInRequired = false;
    const scheduler = new SyncScheduler(ps.client, this.o.scheduler);
    this.scheduler = scheduler;
    const onLoginRequired = ({ reason }: { reason: string }) => {
      this.o.log.warn({ server: ps.serverUrl, reason }, 'sign-in required to sync');
      this.signInRequired = true;
      this.emit('session', this.session());
      this.emitStatus();
    };
    const onStatus = () => this.emitStatus();
    const onData = (e: { entities: string[] }) => this.emit('dataChanged', { entities: e.entities });
    const onLocal = () => scheduler.notifyLocalChange();
    const onCycle = (c: { reason: string; ok: boolean; error?: Error }) => {
      if (!c.ok) this.o.log.warn({ reason: c.reason, error: c.error?.message }, 'sync cycle failed');
    };
    ps.session.on('loginRequired', onLoginRequired);
    ps.client.on('status', onStatus);
    ps.client.on('dataChanged', onData);
    scheduler.on('cycle', onCycle);
    this.o.ws.events.on('dataChanged', onLocal);
    this.detachers = [
      () => ps.session.off('loginRequired', onLoginRequired),
      () => ps.client.off('status', onStatus),
      () => ps.client.off('dataChanged', onData),
      () => scheduler.off('cycle', onCycle),
      () => this.o.ws.events.off('dataChanged', onLocal),
      () => scheduler.stop(),
    ];
    if (this.o.autoStart ?? true) scheduler.start();
  }

  private detach(): void {
    for (const d of this.detachers.splice(0)) d();
    this.scheduler = null;
    this.ps = null;
  }

  private emitStatus(): void {
    void Promise.resolve(this.syncPort().status()).then(
      (s) => this.emit('syncStatus', s),
      () => {},
    );
  }

  session(): DesktopSessionView {
    const a: Actor = this.o.ws.actor;
    const user = this.ps?.session.user ?? this.ps?.client.store.user ?? null;
    return {
      userId: a.userId,
      role: a.role,
      displayName: user ? user.username : a.userId === LOCAL_ACTOR.userId ? 'Local user (not signed in)' : a.userId,
      profile: this.o.profile,
      today: this.today(),
      host: 'desktop',
      server: this.server,
      signedIn: this.signedIn,
      signInRequired: this.ps !== null && this.signInRequired,
      suggestedServer: this.server ?? this.o.suggestedServer ?? null,
      credentialNotice: this.o.credentialNotice ?? null,
    };
  }

  async signIn(input: SignInInput<'signIn'>): Promise<DesktopSessionView> {
    let r;
    try {
      r = await coreSignIn({ db: this.o.ws.db, credentials: this.o.credentials, fetch: this.o.fetch, serverUrl: input.serverUrl.trim(), username: input.username.trim(), password: input.password });
    } catch (e) {
      this.o.log.warn({ server: input.serverUrl, error: e instanceof Error ? e.message : String(e) }, 'sign-in failed');
      throw signInError(e);
    }
    this.o.ws.actor = { userId: r.user.id, role: r.user.role };
    this.attach(r.sync);
    this.o.log.info({ server: r.sync.serverUrl, user: r.user.username, newClient: r.newClient }, 'signed in');
    const view = this.session();
    this.emit('session', view);
    this.emitStatus();
    return view;
  }

  /** Revokes and forgets the sign-in; the profile stays bound so local work and pending changes remain. */
  async signOut(): Promise<DesktopSessionView> {
    if (this.ps) {
      const result = await this.ps.session.logout();
      this.o.log.info({ server: this.ps.serverUrl, revoked: result.revoked, removed: result.removed }, 'signed out');
      this.scheduler?.stop();
      this.signInRequired = true;
    }
    const view = this.session();
    this.emit('session', view);
    this.emitStatus();
    return view;
  }

  async syncNow(): Promise<SyncStatusView> {
    if (!this.ps || !this.scheduler) return this.standalone.syncNow();
    if (this.signInRequired) throw new MeridianError('UNAUTHENTICATED', 'Sign in again to sync (File ▸ Sign In…). Your work is kept on this machine.');
    try {
      await this.scheduler.syncNow();
    } catch (e) {
      throw signInError(e);
    }
    return this.syncPort().status();
  }

  pause(): void {
    this.scheduler?.pause();
    this.emitStatus();
  }

  resume(): void {
    this.scheduler?.resume();
    this.emitStatus();
  }

  notifyConnectivity(online: boolean): void {
    this.scheduler?.notifyConnectivity(online);
  }

  /** The sync port behind the status bar and the inbox. */
  syncPort(): SyncPort {
    const ps = this.ps;
    if (!ps) return this.standalone;
    const listen = (listener: (s: SyncStatusView) => void) => {
      const l = (s: SyncStatusView) => listener(s);
      this.on('syncStatus', l);
      return () => {
        this.off('syncStatus', l);
      };
    };
    return {
      status: () => syncStatusView(ps.client.status(), ps.serverUrl, this.signInRequired, this.paused),
      syncNow: () => this.syncNow(),
      listRejections: async () => ps.client.rejections.list().map(rejectionView).reverse(),
      discardRejection: async (id) => {
        ps.client.rejections.discard(rejectionId(id));
        return true;
      },
      resubmitRejection: async (id, args) => {
        const r = await ps.client.rejections.resubmit(rejectionId(id), { args: (args ?? undefined) as Record<string, unknown> | undefined });
        return { mutationId: r.mutationId, name: r.name };
      },
      onStatus: listen,
    };
  }

  async close(): Promise<void> {
    this.detach();
    for (const c of this.closers.splice(0)) c();
    await this.standalone.close?.();
  }
}

function rejectionId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n <= 0) throw new MeridianError('NOT_FOUND', `There is no rejection ${id} in the inbox.`, { id });
  return n;
}

function rejectionView(r: ReturnType<ProfileSync['client']['rejections']['list']>[number]): RejectionView {
  let entity: string | null = null;
  try {
    entity = entityOfMutation(r.name);
  } catch {
    entity = null;
  }
  const recordId = typeof r.args.id === 'string' ? r.args.id : typeof r.args.callId === 'string' ? r.args.callId : null;
  return {
    id: String(r.id),
    mutationId: r.id,
    name: r.name,
    args: r.args,
    code: r.code as RejectionView['code'],
    message: r.message,
    problems: r.problems,
    rejectedAt: r.rejectedAt,
    entity,
    recordId,
  };
}
