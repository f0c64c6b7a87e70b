/**
 * The status bar: link to the host, sync state, pending changes, last sync,
 * sync progress, the rejection inbox, and who is signed in where (sign in /
 * sign out). When the session says a sign-in is required, it opens
 * #/sign-in once (work continues locally if the analyst goes back).
 */
import { useEffect, useRef, useState } from 'react';
import { api, type ConnectionEvent } from '../bridge/api';
import type { SyncStatusView } from '../bridge/ui-contract';
import type { JobProgressEvent } from '../../../shared/api/contract';
import { useApp } from '../app/context';
import { useEvent, useEventState } from '../lib/hooks';
import { fmtAgo, fmtInstant } from '../lib/format';
import { href, navigate, parseRoute } from '../lib/router';
import { serverHost } from '../screens/sign-in/server-host';
import { Icon } from '../components/icons';

const STATE_LABEL: Record<SyncStatusView['state'], string> = {
  standalone: 'Local only',
  signed_out: 'Signed out',
  online: 'Online',
  syncing: 'Syncing',
  offline: 'Offline',
  error: 'Sync error',
};

const DOT: Record<SyncStatusView['state'], string> = {
  standalone: '',
  signed_out: 'warn',
  online: 'ok',
  syncing: 'busy',
  offline: 'warn',
  error: 'bad',
};

export function StatusBar() {
  const { session, toast } = useApp();
  const sync = useEventState('syncStatus', () => api().syncStatus({}));
  const [conn, setConn] = useState<ConnectionEvent>({ state: 'connecting' });
  const [job, setJob] = useState<JobProgressEvent | null>(null);
  const [, tick] = useState(0);

  useEvent('connection', setConn);
  useEvent('jobProgress', (p) => setJob(p.state === 'running' ? p : null));
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);

  // A sign-in that ends (expired, revoked) or is missing at start: go to the sign-in screen once per occurrence.
  const wasRequired = useRef(false);
  useEffect(() => {
    const required = session?.signInRequired === true;
    if (required && !wasRequired.current && parseRoute(location.hash).name !== 'signIn') {
      navigate({ name: 'signIn', next: location.hash || undefined });
    }
    wasRequired.current = required;
  }, [session?.signInRequired]);

  const signOut = () => {
    api()
      .signOut({})
      .then(
        () => toast('info', 'Signed out. Your work stays on this machine; sign in again to sync.'),
        (e: unknown) => toast('error', e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e)),
      );
  };

  const syncNow = () => {
    api()
      .syncNow({})
      .catch((e: unknown) => toast('error', e instanceof Error ? e.message : String(e)));
  };

  const progress = sync?.progress;
  return (
    <footer className="statusbar" role="contentinfo" data-testid="statusbar">
      {conn.state !== 'connected' ? (
        <span className="item alert" role="alert" data-testid="host-connection">
          <span className="dot bad" />
          {conn.state === 'connecting' ? 'Connecting to the Meridian host…' : `Host disconnected — reconnecting in ${conn.retryInSeconds ?? 1}s`}
        </span>
      ) : (
        <span className="item" data-testid="sync-state" data-state={sync?.state ?? 'unknown'} title={sync?.message ?? undefined}>
          <span className={`dot ${sync ? DOT[sync.state] : ''}`} />
          {sync ? STATE_LABEL[sync.state] : '…'}
          {sync?.server && <span className="faint">{new URL(sync.server).host}</span>}
        </span>
      )}
      <span className="sep" />
      <span className="item tnum" data-testid="sync-pending" title="Changes saved on this machine and not yet acknowledged by the central server">
        {sync ? (sync.pending === 0 ? 'No pending changes' : `${sync.pending} pending change${sync.pending === 1 ? '' : 's'}`) : ''}
      </span>
      {sync && sync.state !== 'standalone' && (
        <>
          <span className="sep" />
          <span className="item" title={sync.lastSyncAt ? fmtInstant(sync.lastSyncAt) : undefined} data-testid="sync-last">
            Last sync {fmtAgo(sync.lastSyncAt)}
          </span>
        </>
      )}
      {progress && (
        <span className="item" data-testid="sync-progress">
          <span className={`progress${progress.total ? '' : ' indeterminate'}`} role="progressbar" aria-valuenow={progress.done} aria-valuemax={progress.total ?? undefined}>
            <span style={progress.total ? { width: `${Math.min(100, (progress.done / progress.total) * 100)}%` } : undefined} />
          </span>
          <span className="tnum">{progress.total ? `${progress.done}/${progress.total}` : ''}</span>
        </span>
      )}
      {sync && sync.server && (
        <button className="item" onClick={syncNow} disabled={sync.state === 'syncing'} title="Send pending changes and fetch the latest now">
          <Icon.sync className="" /> Sync now
        </button>
      )}
      {sync && sync.rejections > 0 && (
        <button className="item alert" onClick={() => navigate({ name: 'inbox' })} data-testid="sync-rejections">
          <Icon.warn /> {sync.rejections} rejected change{sync.rejections === 1 ? '' : 's'} — review
        </button>
      )}
      {job && (
        <span className="item">
          {job.kind}
          <span className={`progress${job.total ? '' : ' indeterminate'}`}>
            <span style={job.total ? { width: `${(job.done / job.total) * 100}%` } : undefined} />
          </span>
        </span>
      )}
      <span className="spacer" />
      {sync?.message && sync.state !== 'online' && <span className="item faint">{sync.message}</span>}
      {session && (
        <>
          <span className="sep" />
          {session.signedIn && session.server ? (
            <span className="item" data-testid="signed-in-as">
              Signed in as {session.displayName} on {serverHost(session.server)}
              <button className="item" onClick={signOut} data-testid="sign-out" title="Sign out of the central server; your work stays on this machine">
                Sign out
              </button>
            </span>
          ) : (
            <a className={`item${session.signInRequired ? ' alert' : ''}`} href={href({ name: 'signIn' })} data-testid="sign-in-link">
              {session.signInRequired ? 'Sign in again to sync' : 'Sign in'}
            </a>
          )}
          <span className="sep" />
          <span className="item">Profile {session.profile}</span>
          <span className="sep" />
          <span className="item tnum">As of {session.today}</span>
        </>
      )}
    </footer>
  );
}
