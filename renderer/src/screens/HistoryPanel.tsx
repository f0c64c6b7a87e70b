/** Audit history of the selected record: pending local changes and the server's entries. */
import { api } from '../bridge/api';
import { ErrorState, Skeleton } from '../components/ui';
import { fmtInstant, humanize } from '../lib/format';
import { useQuery } from '../lib/hooks';

export function HistoryPanel({ entity, id, title, onClose }: { entity: string; id: string; title: string; onClose: () => void }) {
  const q = useQuery(() => api().recordHistory({ entity, id }), [entity, id], [entity, 'payment', 'capital_call_line']);
  return (
    <aside className="panel side" aria-label="History" data-testid="history-panel">
      <div className="panel-head">
        <h3>History</h3>
        <span className="sub" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {title}
        </span>
        <span className="spacer" />
        <button className="btn ghost sm" onClick={onClose} aria-label="Close history">
          Close
        </button>
      </div>
      <div className="panel-body">
        {q.error ? (
          <ErrorState error={q.error} retry={q.reload} what="The history could not be loaded" />
        ) : !q.data ? (
          <Skeleton height={60} />
        ) : q.data.length === 0 ? (
          <p className="muted" style={{ margin: 0 }}>
            No changes recorded on this machine yet. Entries appear here when you change the record, and the server's audit trail once it is synced.
          </p>
        ) : (
          <ul className="history">
            {q.data.map((h, i) => (
              <li key={i} className={h.state}>
                <div className="h-top">
                  <span className="h-action">{humanize(h.action)}</span>
                  <span className={`badge plain ${h.state === 'pending' ? 's-proposed' : h.state === 'rejected' ? 's-rejected' : 's-funded'}`}>
                    {h.state === 'pending' ? 'Pending sync' : h.state === 'rejected' ? 'Rejected' : h.source === 'server' ? 'On server' : 'Applied'}
                  </span>
                  <span className="h-when">{fmtInstant(h.at)}</span>
                </div>
                <div className="h-sum">
                  {h.summary || '—'} <span className="faint">· {h.actor}</span>
                  {h.mutationId !== null && <span className="faint"> · #{h.mutationId}</span>}
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
    </aside>
  );
}
