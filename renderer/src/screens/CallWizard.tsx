/**
 * Capital call wizard: details → pro-rata preview per LP (the lines sum
 * exactly to the call, in cents) → save as draft or issue (by role).
 */
import { useEffect, useMemo, useState } from 'react';
import type { CallPreviewView } from '../../../shared/api/views';
import { addDays } from '../../../shared/dates';
import { newId } from '../../../shared/ids';
import { useApp } from '../app/context';
import { api, toApiError, type ApiError } from '../bridge/api';
import { Icon } from '../components/icons';
import { MoneyInput } from '../components/MoneyInput';
import { EmptyState, ErrorState, Skeleton } from '../components/ui';
import { fmtAmount, fmtMoney, fmtPct } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { mutate } from '../lib/mutate';
import { href, navigate } from '../lib/router';

type Step = 'details' | 'preview' | 'issue';
const STEPS: { id: Step; label: string }[] = [
  { id: 'details', label: 'Details' },
  { id: 'preview', label: 'Pro-rata preview' },
  { id: 'issue', label: 'Issue' },
];

export function CallWizard({ fundId: initialFund }: { fundId?: string }) {
  const { session, can, toast } = useApp();
  const funds = useQuery(() => api().listFunds({}), [], ['fund', 'commitment', 'capital_call']);
  const [step, setStep] = useState<Step>('details');
  const [fundId, setFundId] = useState(initialFund ?? '');
  const [text, setText] = useState('');
  const [amount, setAmount] = useState<number | null>(null);
  const [callDate, setCallDate] = useState(session?.today ?? '');
  const [dueDate, setDueDate] = useState(session ? addDays(session.today, 14) : '');
  const [description, setDescription] = useState('');
  const [preview, setPreview] = useState<CallPreviewView | null>(null);
  const [previewError, setPreviewError] = useState<ApiError | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (session && !callDate) {
      setCallDate(session.today);
      setDueDate(addDays(session.today, 14));
    }
  }, [session, callDate]);
  useEffect(() => {
    if (!fundId && funds.data?.length) setFundId(funds.data[0]!.id);
  }, [funds.data, fundId]);

  const fund = funds.data?.find((f) => f.id === fundId);
  const currency = fund?.currency ?? 'USD';
  const detailsOk = !!fund && amount !== null && amount > 0 && !!callDate && !!dueDate && dueDate >= callDate;

  const goPreview = async () => {
    if (!detailsOk || amount === null) return;
    setPreview(null);
    setPreviewError(null);
    setStep('preview');
    try {
      setPreview(await api().previewCapitalCall({ fundId, amount }));
    } catch (e) {
      setPreviewError(toApiError(e));
    }
  };

  const save = async (issue: boolean) => {
    if (!fund || amount === null) return;
    setSaving(true);
    setSaveError(null);
    const id = newId();
    try {
      await mutate('createCapitalCall', { id, fundId, amount, callDate, dueDate, description, issue });
      toast('ok', issue ? `Capital call of ${fmtMoney(amount, currency)} issued to ${preview?.lines.length ?? ''} LPs.` : `Draft capital call of ${fmtMoney(amount, currency)} saved.`);
      navigate({ name: 'calls', callId: id });
    } catch (e) {
      setSaveError(toApiError(e));
    } finally {
      setSaving(false);
    }
  };

  const totalCommitment = useMemo(() => preview?.lines.reduce((t, l) => t + l.commitment, 0) ?? 0, [preview]);
  const sumsExactly = !!preview && preview.total === preview.amount && preview.lines.reduce((t, l) => t + l.amount, 0) === preview.amount;
  const idx = STEPS.findIndex((s) => s.id === step);

  return (
    <div className="page" data-testid="screen-call-wizard">
      <header className="page-head">
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href={href({ name: 'calls' })}>Capital calls</a>
          <span className="sep">/</span>
        </nav>
        <h1>New capital call</h1>
        <span className="spacer" />
        <div className="steps" aria-label="Steps">
          {STEPS.map((s, i) => (
            <span key={s.id} style={{ display: 'flex' }}>
              {i > 0 && <span className="step-line" />}
              <span className={`step${i < idx ? ' done' : i === idx ? ' active' : ''}`} aria-current={i === idx ? 'step' : undefined}>
                {s.label}
              </span>
            </span>
          ))}
        </div>
      </header>
      <div className="page-body" style={{ maxWidth: 980, width: '100%' }}>
        {funds.error && !funds.data ? (
          <ErrorState error={funds.error} retry={funds.reload} />
        ) : funds.data && funds.data.length === 0 ? (
          <EmptyState title="No funds to call capital for">Import funds, investors and commitments first.</EmptyState>
        ) : step === 'details' ? (
          <section className="panel">
            <div className="panel-head">
              <h2>Details</h2>
              <span className="sub">The call is split across LPs pro rata to their commitments.</span>
            </div>
            <form
              className="panel-body form-grid"
              onSubmit={(e) => {
                e.preventDefault();
                void goPreview();
              }}
            >
              <div className="field wide">
                <label htmlFor="cw-fund">Fund</label>
                <select id="cw-fund" className="select" value={fundId} onChange={(e) => setFundId(e.target.value)} data-testid="call-fund">
                  {funds.data?.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name} ({f.currency})
                    </option>
                  ))}
                </select>
                {fund && (
                  <span className="hint tnum">
                    Committed {fmtMoney(fund.metrics.committed, fund.currency)} · called {fmtMoney(fund.metrics.called, fund.currency)} ({fmtPct(fund.metrics.committed ? fund.metrics.called / fund.metrics.committed : null, 0)}) · unfunded{' '}
                    {fmtMoney(fund.metrics.unfunded, fund.currency)}
                  </span>
                )}
              </div>
              <MoneyInput label="Call amount" value={text} currency={currency} onChange={(t, c) => (setText(t), setAmount(c))} testId="call-amount" autoFocus />
              <div className="field">
                <label htmlFor="cw-desc">Description</label>
                <input id="cw-desc" className="input" value={description} maxLength={500} placeholder="e.g. Q3 investments and fees" onChange={(e) => setDescription(e.target.value)} data-testid="call-description" />
              </div>
              <div className="field">
                <label htmlFor="cw-date">Call date</label>
                <input id="cw-date" className="input" type="date" value={callDate} onChange={(e) => setCallDate(e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor="cw-due">Due date</label>
                <input id="cw-due" className="input" type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} aria-invalid={!!dueDate && !!callDate && dueDate < callDate} />
                {dueDate && callDate && dueDate < callDate && <span className="error">The due date must be on or after the call date.</span>}
              </div>
              <div className="wide" style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
                <button type="button" className="btn" onClick={() => history.back()}>
                  Cancel
                </button>
                <button type="submit" className="btn primary" disabled={!detailsOk} data-testid="call-next">
                  Preview split →
                </button>
              </div>
            </form>
          </section>
        ) : (
          <section className="panel" data-testid="call-preview">
            <div className="panel-head">
              <h2>{fund?.name}</h2>
              <span className="sub tnum">
                {amount !== null ? fmtMoney(amount, currency) : ''} · call {callDate} · due {dueDate}
              </span>
              <span className="spacer" />
              {preview && (
                <span className={`check${sumsExactly ? '' : ' bad'}`} data-testid="preview-check">
                  {sumsExactly ? <Icon.check /> : <Icon.warn />}
                  {sumsExactly ? 'Lines sum exactly to the call' : 'Lines do not sum to the call'}
                </span>
              )}
            </div>
            <div className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 12 }}>
              {previewError ? (
                <div className="note error" role="alert">
                  {previewError.message}
                </div>
              ) : !preview ? (
                <Skeleton height={120} />
              ) : (
                <table className="data" data-testid="preview-lines">
                  <thead>
                    <tr>
                      <th>Investor</th>
                      <th className="num">Commitment</th>
                      <th className="num">Share</th>
                      <th className="num">Call amount ({currency})</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.lines.map((l) => (
                      <tr key={l.investorId} data-investor-id={l.investorId}>
                        <td>{l.investorName}</td>
                        <td className="num">{fmtAmount(l.commitment)}</td>
                        <td className="num">{fmtPct(totalCommitment ? l.commitment / totalCommitment : null, 2)}</td>
                        <td className="num" data-cents={l.amount}>
                          {fmtAmount(l.amount)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <td>Total · {preview.lines.length} LPs</td>
                      <td className="num">{fmtAmount(totalCommitment)}</td>
                      <td className="num">{fmtPct(1, 2)}</td>
                      <td className="num" data-testid="preview-total" data-cents={preview.total}>
                        {fmtAmount(preview.total)}
                      </td>
                    </tr>
                  </tfoot>
                </table>
              )}
              {preview && (
                <p className="muted" style={{ margin: 0 }}>
                  Split with the largest-remainder method in whole cents, ties broken by investor id, so the lines always add up to the call.
                </p>
              )}
              {saveError && (
                <div className="note error" role="alert" data-testid="call-error">
                  {saveError.problems.length > 1 ? saveError.problems.map((p, i) => <div key={i}>{p.message}</div>) : saveError.message}
                </div>
              )}
              <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
                <button className="btn" onClick={() => setStep('details')}>
                  ← Back
                </button>
                <span style={{ flex: 1 }} />
                {!can('portfolio_manager') && preview && <span className="muted" style={{ alignSelf: 'center' }}>Issuing needs a portfolio manager; save a draft for one to issue.</span>}
                <button className="btn" disabled={!preview || saving || !can('analyst')} onClick={() => (setStep('issue'), void save(false))} data-testid="call-save-draft">
                  Save as draft
                </button>
                <button className="btn primary" disabled={!preview || saving || !can('portfolio_manager')} onClick={() => (setStep('issue'), void save(true))} data-testid="call-issue">
                  {saving ? 'Issuing…' : 'Issue call'}
                </button>
              </div>
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
