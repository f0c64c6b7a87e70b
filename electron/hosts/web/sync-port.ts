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
 * electron/core/sync (ProfileSync + SyncScheduler).
 */
import type { Workstation } from '../../core/workstation';
import { MeridianError } from '../../../shared/errors';
import type { HistoryEntryView, RejectionView, SyncStatusView } from './ui-contract';

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
  close?(): Promise<void>;
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
