/**
 * SyncPort over the real sync client (electron/core/sync): sign-in, the
 * background scheduler, status for the status bar, the rejection inbox and
 * the server's audit trail for the history panel.
 */
import { MemoryCredentialStore, type CredentialStore } from '../../core/credentials';
import { entityOfMutation } from '../../core/sync/local-store';
import { openProfileSync, signIn, type ProfileSync } from '../../core/sync/profile-sync';
import { SyncScheduler, type SyncSchedulerOptions } from '../../core/sync/scheduler';
import type { SyncStatus } from '../../core/sync/sync-client';
import type { FetchLike } from '../../core/sync/auth-session';
import type { RejectionView as CoreRejection } from '../../core/sync/rejections';
import type { Workstation } from '../../core/workstation';
import { auditPageSchema } from '../../../shared/sync/api';
import { ERROR_CODES, MeridianError, type ErrorCode } from '../../../shared/errors';
import type { SyncPort } from './sync-port';
import type { HistoryEntryView, RejectionView, SyncStatusView } from '../../../shared/api/ui-contract';

export interface ProfileSyncPortOptions {
  serverUrl: string;
  /** Where the refresh token is kept (default: in memory for this run). */
  credentials?: CredentialStore;
  /** Sign in at start (the embedded demo server); otherwise the profile's stored sign-in is used. */
  login?: { username: string; password: string };
  scheduler?: SyncSchedulerOptions;
  fetch?: FetchLike;
  log?: (line: string) => void;
}

export interface ProfileSyncPort extends SyncPort {
  readonly profileSync: ProfileSync;
  readonly scheduler: SyncScheduler;
}

const ERROR_SET: ReadonlySet<string> = new Set(ERROR_CODES);

export function toStatusView(s: SyncStatus, serverUrl: string): SyncStatusView {
  let state: SyncStatusView['state'];
  let message: string | null = null;
  switch (s.state) {
    case 'syncing':
      state = 'syncing';
      break;
    case 'offline':
      state = 'offline';
      message = `The central server is unreachable; your changes are kept on this machine${s.pending ? ` (${s.pending} pending)` : ''} and sent when it is back.`;
      break;
    case 'error':
      state = 'error';
      message = s.lastError ? `Sync failed: ${s.lastError.message}` : 'Sync failed; it is retried shortly.';
      break;
    case 'update_required':
      state = 'error';
      message = s.updateRequired?.message ?? 'The server needs a newer Meridian; update the app. Your changes are kept.';
      break;
    case 'login_required':
      state = 'signed_out';
      message = 'Sign in to the central server again to sync; your changes are kept on this machine.';
      break;
    default:
      state = s.online === false ? 'offline' : 'online';
  }
  const progress = s.progress ? { done: s.progress.done, total: s.progress.estimated } : null;
  return { state, server: serverUrl, pending: s.pending, rejections: s.rejected, lastSyncAt: s.lastSyncAt, progress, message };
}

/** "Aurora Fintech Inc. · Meridian Growth Fund IV": what a rejected change was about, from the local rows. */
export function rejectionContext(ws: Workstation, r: Pick<CoreRejection, 'name' | 'args'>, entity: string | null): RejectionView['context'] {
  const raw = ws.db.raw;
  const id = typeof r.args.id === 'string' ? r.args.id : null;
  const name = (table: 'fund' | 'deal' | 'investor', key: unknown) =>
    typeof key === 'string' ? (raw.prepare<[string], { name: string }>(`SELECT name FROM ${table} WHERE id = ?`).get(key)?.name ?? null) : null;
  if (entity === 'allocation' && id) {
    const a = raw
      .prepare<[string], { deal: string; fund: string; fund_id: string }>('SELECT d.name AS deal, f.name AS fund, a.fund_id FROM allocation a JOIN deal d ON d.id = a.deal_id JOIN fund f ON f.id = a.fund_id WHERE a.id = ?')
      .get(id);
    if (a) return { label: `${a.deal} · ${a.fund}`, fundId: a.fund_id };
  }
  if ((entity === 'capital_call' || entity === 'payment') && (id || typeof r.args.callId === 'string')) {
    const callId = typeof r.args.callId === 'string' ? r.args.callId : id!;
    const c = raw.prepare<[string], { fund: string; fund_id: string; call_date: string }>('SELECT f.name AS fund, c.fund_id, c.call_date FROM capital_call c JOIN fund f ON f.id = c.fund_id WHERE c.id = ?').get(callId);
    const investor = name('investor', r.args.investorId);
    if (c) return { label: `Capital call of ${c.call_date} · ${c.fund}${investor ? ` · ${investor}` : ''}`, fundId: c.fund_id };
  }
  const parts = [name('deal', r.args.dealId), name('investor', r.args.investorId), name('fund', r.args.fundId)].filter((x): x is string => !!x);
  return parts.length ? { label: parts.join(' · '), fundId: typeof r.args.fundId === 'string' ? r.args.fundId : null } : null;
}

export function toRejectionView(r: CoreRejection, ws?: Workstation): RejectionView {
  const recordId = typeof r.args.id === 'string' ? r.args.id : typeof r.args.callId === 'string' ? r.args.callId : null;
  let entity: string | null;
  try {
    entity = entityOfMutation(r.name);
  } catch {
    entity = null;
  }
  return {
    id: String(r.id),
    mutationId: r.id,
    name: r.name,
    args: r.args,
    code: (ERROR_SET.has(r.code) ? r.code : 'INTERNAL') as ErrorCode,
    message: r.message,
    problems: r.problems,
    rejectedAt: r.rejectedAt,
    entity,
    recordId,
    context: ws ? rejectionContext(ws, r, entity) : null,
  };
}

export async function profileSyncPort(ws: Workstation, o: ProfileSyncPortOptions): Promise<ProfileSyncPort> {
  const credentials = o.credentials ?? new MemoryCredentialStore();
  const log = o.log ?? (() => {});
  // Sync writes (pulled changes, rebase, rollback, resubmission) take the Workstation's write lock, so a
  // sync apply and a local mutation or import never interleave on the profile's connection.
  const clientOptions = { writeLock: ws.writes };
  let profileSync: ProfileSync;
  let displayName: string | null = null;
  if (o.login) {
    const r = await signIn({ db: ws.db, credentials, serverUrl: o.serverUrl, fetch: o.fetch, client: clientOptions, username: o.login.username, password: o.login.password });
    profileSync = r.sync;
    ws.actor = { userId: r.user.id, role: r.user.role };
    displayName = r.user.username;
    log(`Signed in to ${profileSync.serverUrl} as ${r.user.username} (${r.user.role.replace('_', ' ')}).`);
  } else {
    profileSync = openProfileSync({ db: ws.db, credentials, serverUrl: o.serverUrl, fetch: o.fetch, client: clientOptions });
    const user = profileSync.client.store.user;
    if (user) {
      ws.actor = { userId: user.id, role: user.role };
      displayName = user.username;
    }
  }
  const { client } = profileSync;
  const scheduler = new SyncScheduler(client, o.scheduler);
  const statusListeners = new Set<(s: SyncStatusView) => void>();
  const dataListeners = new Set<(e: { entities: string[] }) => void>();
  const view = () => toStatusView(client.status(), profileSync.serverUrl);
  const onStatus = () => {
    const s = view();
    for (const l of statusListeners) l(s);
  };
  const onData = (e: { entities: string[] }) => {
    for (const l of dataListeners) l(e);
  };
  const onLocal = () => {
    scheduler.notifyLocalChange();
    onStatus(); // the pending count changed
  };
  client.on('status', onStatus);
  client.on('dataChanged', onData);
  client.rejections.on('changed', onStatus);
  ws.events.on('dataChanged', onLocal);
  scheduler.start();

  return {
    profileSync,
    scheduler,
    status: view,
    async syncNow() {
      try {
        await scheduler.syncNow();
      } catch {
        // The status says what went wrong (offline, sign-in, …).
      }
      return view();
    },
    async listRejections() {
      return client.rejections.list().reverse().map((r) => toRejectionView(r, ws));
    },
    async discardRejection(id) {
      client.rejections.discard(Number(id));
      return true;
    },
    async resubmitRejection(id, args) {
      const before = client.rejections.get(Number(id));
      if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
        throw new MeridianError('INVALID_INPUT', 'The edited arguments must be an object.', {}, [{ code: 'INVALID_INPUT', path: 'args', message: 'args: must be an object' }]);
      }
      const r = await client.rejections.resubmit(Number(id), { args: args as Record<string, unknown> | undefined, useCurrentVersion: true });
      onData({ entities: [...new Set(r.changes.map((c) => c.entity as string))] });
      scheduler.notifyLocalChange();
      onStatus();
      return { mutationId: r.mutationId, name: before.name };
    },
    async serverHistory(entity, id) {
      if (!['portfolio_manager', 'admin'].includes(ws.actor.role)) return [];
      try {
        const token = await profileSync.session.accessToken();
        const url = `${profileSync.serverUrl}/v1/audit?entity=${encodeURIComponent(entity)}&id=${encodeURIComponent(id)}&limit=100`;
        const res = await (o.fetch ?? fetch)(url, { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        if (!res.ok) return [];
        const page = auditPageSchema.parse(await res.json());
        return page.entries.map(
          (e): HistoryEntryView => ({
            at: e.at,
            actor: e.userId === ws.actor.userId ? `${displayName ?? 'you'} (you)` : `user ${e.userId.slice(0, 8)}…`,
            action: e.mutation,
            source: 'server',
            state: e.status,
            mutationId: e.mutationId,
            summary: e.status === 'rejected' ? `${e.code ?? 'REJECTED'}: ${e.message ?? ''}` : `server change #${e.changeSeq}`,
            details: null,
          }),
        );
      } catch {
        return []; // offline: the local entries still show
      }
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onDataChanged(listener) {
      dataListeners.add(listener);
      return () => dataListeners.delete(listener);
    },
    displayName: () => displayName,
    signInState: () => {
      const required = client.status().state === 'login_required';
      return { server: profileSync.serverUrl, signedIn: !required, signInRequired: required, suggestedServer: profileSync.serverUrl, credentialNotice: null };
    },
    async close() {
      scheduler.stop();
      ws.events.off('dataChanged', onLocal);
      client.off('status', onStatus);
      client.off('dataChanged', onData);
      client.rejections.off('changed', onStatus);
      statusListeners.clear();
      dataListeners.clear();
      // Let a cycle in flight finish before the database closes.
      for (let i = 0; i < 100 && client.running; i++) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
