/**
 * The rejection inbox: every change the central server refused, with its
 * reason verbatim. Discard it, or edit and resubmit it. Nothing is dropped
 * silently (DESIGN §5).
 */
import { useState } from 'react';
import { useApp } from '../app/context';
import { api, toApiError } from '../bridge/api';
import type { RejectionView } from '../bridge/ui-contract';
import { MoneyInput } from '../components/MoneyInput';
import { EmptyState, ErrorState, Modal, Skeleton } from '../components/ui';
import { centsToInput, fmtAmount, fmtInstant, humanize, parseAmountInput } from '../lib/format';
import { useEventState, useQuery } from '../lib/hooks';
import { href } from '../lib/router';

const MONEY = new Set(['amount', 'size', 'nav', 'recallable']);
const LOCKED = new Set(['id', 'fundId', 'dealId', 'investorId', 'callId']);

function argText(k: string, v: unknown): string {
  if (MONEY.has(k) && typeof v === 'number') return fmtAmount(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function ResubmitModal({ rejection, currency, onClose }: { rejection: RejectionView; currency: string; onClose: () => void }) {
  const { toast } = useApp();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(Object.entries(rejection.args).map(([k, v]) => [k, MONEY.has(k) && typeof v === 'number' ? centsToInput(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)])),
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const build = (): Record<string, unknown> | string => {
    const out: Record<string, unknown> = {};
    for (const [k, orig] of Object.entries(rejection.args)) {
      const t = values[k] ?? '';
      if (MONEY.has(k) && typeof orig === 'number') {
        const c = parseAmountInput(t);
        if (c === null) return `${humanize(k)}: enter an amount with at most two decimals.`;
        out[k] = c;
      } else if (typeof orig === 'number') {
        if (!/^-?\d+(\.\d+)?$/.test(t.trim())) return `${humanize(k)}: enter a number.`;
        out[k] = Number(t);
      } else if (typeof orig === 'boolean') out[k] = t === 'true';
      else out[k] = t;
    }
    return out;
  };

  const submit = async () => {
    const args = build();
    if (typeof args === 'string') return setError(args);
    setSaving(true);
    try {
      const r = await api().resubmitRejection({ id: rejection.id, args });
      toast('ok', `${humanize(rejection.name)} resubmitted as change #${r.mutationId}; it is sent on the next sync.`);
      onClose();
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={`Edit and resubmit — ${humanize(rejection.name)}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={submit} disabled={saving} data-testid="resubmit">
            {saving ? 'Resubmitting…' : 'Resubmit'}
          </button>
        </>
      }
    >
      <div className="note error" style={{ marginBottom: 12 }}>
        {rejection.message}
      </div>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {Object.entries(rejection.args).map(([k, orig]) =>
          MONEY.has(k) && typeof orig === 'number' ? (
            <MoneyInput key={k} label={humanize(k)} currency={currency} value={values[k] ?? ''} onChange={(t) => setValues((v) => ({ ...v, [k]: t }))} testId={`resubmit-${k}`} />
          ) : (
            <div className="field" key={k}>
              <label htmlFor={`rs-${k}`}>{humanize(k)}</label>
              <input
                id={`rs-${k}`}
                className={`input${typeof orig === 'number' ? ' num' : ''}`}
                type={/date$/i.test(k) ? 'date' : 'text'}
                value={values[k] ?? ''}
                readOnly={LOCKED.has(k)}
                onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}
              />
            </div>
          ),
        )}
        {error && (
          <div className="note error wide" role="alert">
            {error}
          </div>
        )}
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

export function Inbox() {
  const { toast } = useApp();
  const sync = useEventState('syncStatus', () => api().syncStatus({}));
  const q = useQuery(() => api().listRejections({}), [sync?.rejections], ['rejection']);
  const funds = useQuery(() => api().listFunds({}), [], ['fund']);
  const [editing, setEditing] = useState<RejectionView | null>(null);

  const discard = async (r: RejectionView) => {
    try {
      await api().discardRejection({ id: r.id });
      toast('ok', `Discarded: ${humanize(r.name)}. The server's version stays.`);
      q.reload();
    } catch (e) {
      toast('error', toApiError(e).message);
    }
  };
  const currencyOf = (r: RejectionView) => {
    const fundId = typeof r.args.fundId === 'string' ? r.args.fundId : r.entity === 'fund' ? r.recordId : null;
    return funds.data?.find((f) => f.id === fundId)?.currency ?? '';
  };

  const list = q.data ?? [];
  return (
    <div className="page" data-testid="screen-inbox">
      <header className="page-head">
        <h1>Rejection inbox</h1>
        <span className="meta">{q.data ? `${list.length} change${list.length === 1 ? '' : 's'} refused by the server` : ''}</span>
      </header>
      <div className="page-body" style={{ maxWidth: 1100 }}>
        <section className="panel">
          {q.error && !q.data ? (
            <ErrorState error={q.error} retry={q.reload} what="The inbox could not be loaded" />
          ) : !q.data ? (
            <div className="panel-body">
              <Skeleton height={80} />
            </div>
          ) : list.length === 0 ? (
            <EmptyState title="No rejected changes">
              {sync?.state === 'standalone'
                ? 'This profile is not connected to a central server, so nothing can be refused. Once it syncs, any change the server refuses appears here with the reason.'
                : 'When the central server refuses a change you made offline — a limit was reached meanwhile, someone else changed the record — it appears here with the reason, and you can fix and resend it or discard it.'}
            </EmptyState>
          ) : (
            <div className="list" data-testid="rejections">
              {list.map((r) => (
                <article className="rejection" key={r.id} data-testid="rejection" data-rejection-id={r.id}>
                  <div className="title">
                    {humanize(r.name)}
                    {r.context && <span className="context">— {r.context.label}</span>}
                    <span className="badge code">{r.code}</span>
                    <span className="faint" style={{ fontWeight: 400 }}>
                      change #{r.mutationId} · refused {fmtInstant(r.rejectedAt)}
                    </span>
                  </div>
                  <div className="msg">{r.message}</div>
                  {r.problems.length > 1 && (
                    <ul className="args" style={{ margin: 0, paddingLeft: 16 }}>
                      {r.problems.map((p, i) => (
                        <li key={i}>{p.message}</li>
                      ))}
                    </ul>
                  )}
                  <div className="args tnum">
                    {Object.entries(r.args)
                      .filter(([k]) => k !== 'id')
                      .map(([k, v]) => `${humanize(k)}: ${argText(k, v)}`)
                      .join(' · ')}
                    {r.context?.fundId && (
                      <>
                        {' '}
                        · <a href={href({ name: 'fund', fundId: r.context.fundId })}>open fund</a>
                      </>
                    )}
                  </div>
                  <div className="actions">
                    <button className="btn sm" onClick={() => setEditing(r)} data-testid="edit-resubmit">
                      Edit &amp; resubmit
                    </button>
                    <button className="btn sm danger" onClick={() => discard(r)} data-testid="discard">
                      Discard
                    </button>
                  </div>
                </article>
              ))}
            </div>
          )}
        </section>
      </div>
      {editing && <ResubmitModal rejection={editing} currency={currencyOf(editing)} onClose={() => (setEditing(null), q.reload())} />}
    </div>
  );
}
