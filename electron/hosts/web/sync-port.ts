/**
 * What the UI needs from the sync client (electron/core/sync, being written
 * elsewhere). The web host (and later electron/main) talks to sync only
 * through this port. Until the sync client exists, `standaloneSync` serves
 * an honest standalone status: the pending count is the real outbox, the
 * inbox is empty and there is nothing to sync with.
 *
 * TO CONNECT (lead): implement SyncPort over the sync client —
 *   status()            ← client state (online/offline/syncing/error), outbox count,
 *                          rejection count, last sync instant, page progress
 *   syncNow()           ← push then pull; resolve with status()
 *   listRejections()    ← rows of the client's `rejection` table, newest first
 *   discardRejection()  ← delete one row (audit it locally if desired)
 *   resubmitRejection() ← run `name` again through Workstation.mutate with the
 *                          edited args; drop the rejection row in the same
 *                          SQLite transaction; return the new mutation id
 *   serverHistory()     ← GET /v1/audit?entity=&id= with the session token
 *   onStatus()          ← fire on every state change and page of progress
 * and pass it as `createWebHost({ sync })`. ./sync-adapter does this over
 * electron/core/sync (ProfileSync + SyncScheduler); ./sync-session adds
 * sign-in and sign-out at run time (the contract's signIn/signOut).
 */
import type { Workstation } from '../../core/workstation';
import { MeridianError } from '../../../shared/errors';
import { signInContractInputs, type SignInInput } from '../../../shared/api/sign-in-contract';
import { parseOrThrow } from '../../../shared/validation';
import type { HistoryEntryView, RejectionView, SessionView, SyncStatusView } from '../../../shared/api/ui-contract';

/** The sign-in fields of SessionView, as the sync side knows them. */
export type SignInState = Pick<SessionView, 'server' | 'signedIn' | 'signInRequired' | 'suggestedServer' | 'credentialNotice'>;

export interface SyncPort {
  status(): SyncStatusView | Promise<SyncStatusView>;
  syncNow(): Promise<SyncStatusView>;
  listRejections(): Promise<RejectionView[]>;
  discardRejection(id: string): Promise<boolean>;
  resubmitRejection(id: string, args: unknown): Promise<{ mutationId: number; name: string }>;
  /** The server's audit entries for one record (empty when offline or standalone). */
  serverHistory?(entity: string, id: string): Promise<HistoryEntryView[]>;
  /** Subscribe to status changes; returns an unsubscribe function. */
  onStatus(listener: (status: SyncStatusView) => void): () => void;
  /** Rows the sync wrote (pulled changes, rebased or rolled-back optimistic writes, resubmissions). */
  onDataChanged?(listener: (e: { entities: string[] }) => void): () => void;
  /** The signed-in user's name, for the UI (null when not signed in). */
  displayName?(): string | null;
  /** Where the profile syncs and whether a (new) sign-in is needed (default: standalone). */
  signInState?(): SignInState;
  /** Ports that can sign in and out at run time (SyncSession); others refuse the contract's signIn/signOut. */
  signIn?(input: SignInInput<'signIn'>): Promise<void>;
  signOut?(): Promise<void>;
  /** Fires when who is signed in, or whether a sign-in is required, changed. */
  onSession?(listener: () => void): () => void;
  close?(): Promise<void>;
}

export const STANDALONE_SIGN_IN: SignInState = Object.freeze({ server: null, signedIn: false, signInRequired: false, suggestedServer: null, credentialNotice: null });

export function signInStateOf(port: SyncPort): SignInState {
  return port.signInState?.() ?? STANDALONE_SIGN_IN;
}

export function outboxCount(ws: Workstation): number {
  return ws.db.raw.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n ?? 0;
}

/** A profile with no central server: nothing to sync, the outbox keeps every change. */
export function standaloneSync(ws: Workstation): SyncPort {
  const listeners = new Set<(s: SyncStatusView) => void>();
  const status = (): SyncStatusView => {
    const pending = outboxCount(ws);
    return {
      state: 'standalone',
      server: null,
      pending,
      rejections: 0,
      lastSyncAt: null,
      progress: null,
      message:
        pending > 0
          ? `Not connected to a central server: ${pending} change${pending === 1 ? ' is' : 's are'} kept on this machine and will be sent when a server is configured.`
          : 'Not connected to a central server: changes are kept on this machine.',
    };
  };
  const onChange = () => {
    const s = status();
    for (const l of listeners) l(s);
  };
  ws.events.on('dataChanged', onChange);
  const noSuch = (id: string) => new MeridianError('NOT_FOUND', `There is no rejection ${id} in the inbox; it may have been discarded or resubmitted already.`, { id });
  return {
    status,
    async syncNow() {
      return status();
    },
    async listRejections() {
      return [];
    },
    async discardRejection(id) {
      throw noSuch(id);
    },
    async resubmitRejection(id) {
      throw noSuch(id);
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      ws.events.off('dataChanged', onChange);
      listeners.clear();
    },
  };
}

/**
 * The contract's signIn/signOut over a sync port: ports that can sign in at
 * run time (./sync-session) do it; a host started with a fixed sign-in or
 * none (start:web with the embedded demo login, tests) says so.
 */
export function signInMethods<S>(port: SyncPort, session: () => S): { signIn(input: SignInInput<'signIn'>): Promise<S>; signOut(input?: SignInInput<'signOut'>): Promise<S> } {
  const unsupported = () =>
    new MeridianError(
      'INVALID_INPUT',
      'This Meridian host was started without sign-in (a standalone profile or a fixed demo login); start it with a central server (npm run start:web -- --server URL) or use the desktop app to sign in.',
    );
  return {
    async signIn(input) {
      const parsed = parseOrThrow(signInContractInputs.signIn, input ?? {}, 'signIn input');
      if (!port.signIn) throw unsupported();
      await port.signIn(parsed);
      return session();
    },
    async signOut() {
      if (!port.signOut) throw unsupported();
      await port.signOut();
      return session();
    },
  };
}
