/**
 * Sign-in and sync of a host at run time: the desktop main process and the
 * web host (plain Node, no Electron import, so it runs under the unit tests
 * too). The sync itself is ./sync-adapter (ProfileSync + SyncScheduler +
 * status/inbox views); this class adds sign in, sign out, pause and the
 * session view the renderer sees, and its syncPort() carries the contract's
 * signIn/signOut for the web host (./sync-port signInMethods).
 *
 * - A profile that never signed in is standalone: everything works locally.
 * - signIn binds the profile to the server and user, keeps the refresh
 *   token in the credential store (the OS keychain) and the access token in
 *   memory, and starts background sync.
 * - At start a bound profile acts as its bound user at once — local work
 *   never waits for the network — and the scheduler refreshes the token in
 *   the background. When the server refuses the stored sign-in (expired,
 *   revoked), sync stops and the session says `signInRequired`: the analyst
 *   keeps working on local data and signs in again only to sync.
 * - signOut revokes the refresh token on the server (best effort), deletes
 *   the keychain entry, forgets the access token and stops syncing; local
 *   data, pending changes and the rejection inbox stay.
 * Tokens never leave the AuthSession: session() returns names only.
 */
import { EventEmitter } from 'node:events';
import { businessDateOf } from '../../../shared/dates';
import { MeridianError, type ErrorCode } from '../../../shared/errors';
import type { CredentialStore } from '../../core/credentials/credential-store';
import type { FetchLike } from '../../core/sync/auth-session';
import { boundServer } from '../../core/sync/profile-sync';
import type { SyncSchedulerOptions } from '../../core/sync/scheduler';
import { isSyncTransportError } from '../../core/sync/transport';
import { LOCAL_ACTOR, type Workstation } from '../../core/workstation';
import { profileSyncPort, type ProfileSyncPort } from './sync-adapter';
import { standaloneSync, type SignInState, type SyncPort } from './sync-port';
import type { SignInInput } from '../../../shared/api/sign-in-contract';
import type { SessionView, SyncStatusView } from '../../../shared/api/ui-contract';

export interface SessionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SyncSessionOptions {
  ws: Workstation;
  credentials: CredentialStore;
  /** From openCredentialStore: set when no keychain is reachable. */
  credentialNotice?: string | null;
  profile: string;
  /** Which host shows the session (default desktop). */
  host?: SessionView['host'];
  /** Pre-filled server URL for a profile that never signed in. */
  suggestedServer?: string | null;
  log: SessionLog;
  today?: () => string;
  fetch?: FetchLike;
  scheduler?: SyncSchedulerOptions;
}

interface SessionEvents {
  session: [SessionView];
  syncStatus: [SyncStatusView];
  /** The server's changes (or a resubmission) were applied locally. */
  dataChanged: [{ entities: string[] }];
}

/** A failure the user can act on, as a MeridianError (transport messages are already written for people). */
export function signInError(e: unknown): unknown {
  if (!isSyncTransportError(e)) return e;
  const code: ErrorCode =
    e.kind === 'unauthenticated' ? 'UNAUTHENTICATED' : e.kind === 'rate_limited' ? 'RATE_LIMITED' : e.kind === 'client_too_old' ? 'CLIENT_TOO_OLD' : 'INTERNAL';
  const lead = e.kind === 'offline' || e.kind === 'timeout' ? 'Could not sign in: ' : '';
  return new MeridianError(code, `${lead}${e.message}`, { kind: e.kind });
}

export const SIGNED_OUT_MESSAGE = 'You are signed out of the central server. Your work is kept on this machine; sign in again (File ▸ Sign In…) to sync.';

/** The status bar's view, with what the desktop knows on top of the sync client: signed out, paused. */
export function overlayStatus(view: SyncStatusView, o: { signInRequired: boolean; paused: boolean }): SyncStatusView {
  let v = view;
  if (o.signInRequired && v.state !== 'syncing') v = { ...v, state: 'signed_out', message: SIGNED_OUT_MESSAGE };
  if (o.paused && v.state !== 'syncing' && v.state !== 'signed_out') v = { ...v, message: `Automatic sync is paused (Sync ▸ Pause Sync).${v.message ? ` ${v.message}` : ''}` };
  return v;
}

export class SyncSession extends EventEmitter<SessionEvents> {
  private port: ProfileSyncPort | null = null;
  private signInRequired = false;
  private detachers: Array<() => void> = [];
  private readonly closers: Array<() => void> = [];
  private readonly today: () => string;
  private readonly standalone: SyncPort;

  private constructor(private readonly o: SyncSessionOptions) {
    super();
    this.today = o.today ?? (() => businessDateOf(new Date()));
    this.standalone = standaloneSync(o.ws);
    // Standalone or signed out: the pending count changes with every local change.
    const onLocalChange = () => {
      if (!this.port || this.signInRequired) this.emitStatus();
    };
    o.ws.events.on('dataChanged', onLocalChange);
    this.closers.push(() => o.ws.events.off('dataChanged', onLocalChange));
  }

  /** Opens the session of a profile: standalone, or syncing with the server it is bound to. */
  static async open(o: SyncSessionOptions): Promise<SyncSession> {
    const s = new SyncSession(o);
    const bound = boundServer(o.ws.db);
    if (bound) s.attach(await s.openPort(bound));
    return s;
  }

  private openPort(serverUrl: string, login?: { username: string; password: string }): Promise<ProfileSyncPort> {
    return profileSyncPort(this.o.ws, {
      serverUrl,
      credentials: this.o.credentials,
      login,
      fetch: this.o.fetch,
      scheduler: this.o.scheduler,
      log: (line) => this.o.log.info({}, line),
    });
  }

  get server(): string | null {
    return this.port?.profileSync.serverUrl ?? null;
  }

  get signedIn(): boolean {
    return this.port !== null && !this.signInRequired;
  }

  get paused(): boolean {
    return this.port?.scheduler.isPaused ?? false;
  }

  get syncing(): boolean {
    return this.port?.profileSync.client.running ?? false;
  }

  private attach(port: ProfileSyncPort): void {
    this.port = port;
    this.signInRequired = false;
    const session = port.profileSync.session;
    const onLoginRequired = ({ reason }: { reason: string }) => {
      this.o.log.warn({ server: port.profileSync.serverUrl, reason }, 'sign-in required to sync');
      this.signInRequired = true;
      port.scheduler.stop();
      this.emit('session', this.session());
      this.emitStatus();
    };
    const onCycle = (c: { reason: string; ok: boolean; error?: Error }) => {
      if (!c.ok) this.o.log.warn({ reason: c.reason, error: c.error?.message }, 'sync cycle failed');
    };
    session.on('loginRequired', onLoginRequired);
    port.scheduler.on('cycle', onCycle);
    const offStatus = port.onStatus(() => this.emitStatus());
    const offData = port.onDataChanged?.((e) => this.emit('dataChanged', e)) ?? (() => {});
    this.detachers = [() => session.off('loginRequired', onLoginRequired), () => port.scheduler.off('cycle', onCycle), offStatus, offData];
  }

  private async detach(): Promise<void> {
    const port = this.port;
    for (const d of this.detachers.splice(0)) d();
    this.port = null;
    await port?.close?.();
  }

  private emitStatus(): void {
    void Promise.resolve(this.syncPort().status()).then(
      (s) => this.emit('syncStatus', s),
      () => {},
    );
  }

  /** The sign-in part of the session view. */
  signInState(): SignInState {
    return {
      server: this.server,
      signedIn: this.signedIn,
      signInRequired: this.port !== null && this.signInRequired,
      suggestedServer: this.server ?? this.o.suggestedServer ?? null,
      credentialNotice: this.o.credentialNotice ?? null,
    };
  }

  /** Display name of the user acting locally. */
  displayName(): string {
    const a = this.o.ws.actor;
    return this.port?.displayName?.() ?? (a.userId === LOCAL_ACTOR.userId ? 'Local user (not signed in)' : a.userId);
  }

  session(): SessionView {
    const a = this.o.ws.actor;
    return {
      userId: a.userId,
      role: a.role,
      displayName: this.displayName(),
      profile: this.o.profile,
      today: this.today(),
      host: this.o.host ?? 'desktop',
      ...this.signInState(),
    };
  }

  async signIn(input: SignInInput<'signIn'>): Promise<SessionView> {
    const serverUrl = input.serverUrl.trim();
    const previous = this.server;
    // One sync client per profile at a time: stop the current one (it finishes its cycle) first.
    await this.detach();
    let port: ProfileSyncPort;
    try {
      port = await this.openPort(serverUrl, { username: input.username.trim(), password: input.password });
    } catch (e) {
      this.o.log.warn({ server: serverUrl, error: e instanceof Error ? e.message : String(e) }, 'sign-in failed');
      if (previous) {
        this.attach(await this.openPort(previous));
        this.signInRequired = !(await this.port!.profileSync.session.hasStoredLogin());
        if (this.signInRequired) this.port!.scheduler.stop();
      }
      throw signInError(e);
    }
    this.attach(port);
    this.o.log.info({ server: port.profileSync.serverUrl, user: port.displayName?.() }, 'signed in');
    const view = this.session();
    this.emit('session', view);
    this.emitStatus();
    return view;
  }

  /** Revokes and forgets the sign-in; the profile stays bound, so local work, pending changes and the inbox remain. */
  async signOut(): Promise<SessionView> {
    if (this.port) {
      this.port.scheduler.stop();
      const result = await this.port.profileSync.session.logout();
      this.o.log.info({ server: this.server, revoked: result.revoked, removed: result.removed }, 'signed out');
      this.signInRequired = true;
    }
    const view = this.session();
    this.emit('session', view);
    this.emitStatus();
    return view;
  }

  /** One sync now; resolves with the status after it (signed out, offline, … say what to do). */
  async syncNow(): Promise<SyncStatusView> {
    if (!this.port) return this.standalone.syncNow();
    if (this.signInRequired) return this.syncPort().status();
    await this.port.syncNow();
    return this.syncPort().status();
  }

  pause(): void {
    this.port?.scheduler.pause();
    this.emitStatus();
  }

  resume(): void {
    if (!this.signInRequired) this.port?.scheduler.resume();
    this.emitStatus();
  }

  notifyConnectivity(online: boolean): void {
    if (!this.signInRequired) this.port?.scheduler.notifyConnectivity(online);
  }

  /** The sync port behind the status bar and the inbox (standalone until the profile signs in). */
  syncPort(): SyncPort {
    const port = this.port;
    if (!port) return this.standalone;
    return {
      status: async () => overlayStatus(await port.status(), { signInRequired: this.signInRequired, paused: this.paused }),
      syncNow: () => this.syncNow(),
      listRejections: () => port.listRejections(),
      discardRejection: (id) => port.discardRejection(id),
      resubmitRejection: (id, args) => port.resubmitRejection(id, args),
      serverHistory: (entity, id) => (this.signInRequired ? Promise.resolve([]) : (port.serverHistory?.(entity, id) ?? Promise.resolve([]))),
      onStatus: (listener) => {
        this.on('syncStatus', listener);
        return () => {
          this.off('syncStatus', listener);
        };
      },
      onDataChanged: (listener) => {
        this.on('dataChanged', listener);
        return () => {
          this.off('dataChanged', listener);
        };
      },
      displayName: () => port.displayName?.() ?? null,
    };
  }

  /**
   * One SyncPort for a host's whole run (the web host subscribes once): it
   * follows sign-in and sign-out, and carries the contract's signIn/signOut.
   */
  hostPort(): SyncPort {
    return {
      status: () => this.syncPort().status(),
      syncNow: () => this.syncNow(),
      listRejections: () => this.syncPort().listRejections(),
      discardRejection: (id) => this.syncPort().discardRejection(id),
      resubmitRejection: (id, args) => this.syncPort().resubmitRejection(id, args),
      serverHistory: (entity, id) => this.syncPort().serverHistory?.(entity, id) ?? Promise.resolve([]),
      onStatus: (listener) => {
        this.on('syncStatus', listener);
        return () => {
          this.off('syncStatus', listener);
        };
      },
      onDataChanged: (listener) => {
        this.on('dataChanged', listener);
        return () => {
          this.off('dataChanged', listener);
        };
      },
      displayName: () => this.displayName(),
      signInState: () => this.signInState(),
      signIn: async (input) => {
        await this.signIn(input);
      },
      signOut: async () => {
        await this.signOut();
      },
      onSession: (listener) => {
        this.on('session', listener);
        return () => {
          this.off('session', listener);
        };
      },
      close: () => this.close(),
    };
  }

  async close(): Promise<void> {
    await this.detach();
    for (const c of this.closers.splice(0)) c();
    await this.standalone.close?.();
  }
}
