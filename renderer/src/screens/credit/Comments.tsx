/** The comment thread of one analysis version (insert-only), with a box to add one. */
import { useState } from 'react';
import type { CreditAnalysisSummaryView } from '../../../../shared/api/credit-contract';
import type { CreditCommentRow } from '../../../../shared/domain/credit';
import { useApp } from '../../app/context';
import { toApiError } from '../../bridge/api';
import { EmptyState } from '../../components/ui';
import { fmtInstant } from '../../lib/format';
import { addComment } from './credit-mutations';

export function Comments({ analysis, comments, canComment }: { analysis: CreditAnalysisSummaryView | null; comments: CreditCommentRow[]; canComment: boolean }) {
  const { toast } = useApp();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const thread = analysis ? comments.filter((c) => c.analysis_id === analysis.id) : [];

  const submit = async () => {
    if (!analysis || !body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await addComment(analysis.id, body.trim());
      setBody('');
      toast('ok', `Comment added to version ${analysis.analysis_version}`);
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-label="Comments" data-testid="comments">
      <div className="panel-head">
        <h3>Comments</h3>
        <span className="sub">{analysis ? `on version ${analysis.analysis_version}` : ''}</span>
      </div>
      {!analysis ? (
        <EmptyState title="No version to discuss">Comments belong to a saved analysis version; save one first.</EmptyState>
      ) : (
        <div className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
          {analysis.recommendation && (
            <div className="note" data-testid="recommendation">
              <b>Recommendation (v{analysis.analysis_version}):</b> {analysis.recommendation}
              {analysis.rating_override && (
                <div className="muted" style={{ marginTop: 4 }}>
                  Rating overridden {analysis.model_rating.toUpperCase()} → {analysis.rating_override.toUpperCase()}: {analysis.override_reason}
                </div>
              )}
            </div>
          )}
          {thread.length === 0 ? (
            <span className="faint">No comments on this version yet.</span>
          ) : (
            <ul className="thread" data-testid="comment-thread">
              {thread.map((c) => (
                <li key={c.id} data-testid="comment">
                  <div className="who">
                    <b>{c.author}</b> · {fmtInstant(c.created_at)}
                    {c.version === 0 && <span className="faint"> · not synced yet</span>}
                  </div>
                  <div className="body">{c.body}</div>
                </li>
              ))}
            </ul>
          )}
          {canComment && (
            <div>
              <textarea
                className="input"
                placeholder={`Comment on version ${analysis.analysis_version}…`}
                aria-label="New comment"
                value={body}
                maxLength={20_000}
                onChange={(e) => setBody(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit();
                }}
                data-testid="comment-input"
              />
              {error && (
                <div className="note error" role="alert" style={{ marginTop: 6 }}>
                  {error}
                </div>
              )}
              <div style={{ display: 'flex', justifyContent: 'flex-end', marginTop: 6 }}>
                <button className="btn primary sm" disabled={busy || !body.trim()} onClick={() => void submit()} data-testid="add-comment">
                  {busy ? 'Adding…' : 'Add comment'}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
