/**
 * Capital calls: the list (status, due date, outstanding, overdue
 * highlighted), the selected call with one line per LP, payments, issue and
 * cancel by role, CSV export, and the call's history.
 */
import { useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellClassRules, ColDef, GridApi, ICellRendererComp, ICellRendererParams, RowClassParams } from 'ag-grid-community';
import type { CallLineView, CapitalCallView } from '../../../shared/api/views';
import { newId } from '../../../shared/ids';
import { useApp } from '../app/context';
import { api, toApiError } from '../bridge/api';
import { gridThemes, rememberColumns, restoreColumns, styleNonce } from '../components/grid';
import { fileSlug, gridExport } from '../components/grid-export';
import { Icon } from '../components/icons';
import { ExportCsvButton, ReportButton } from '../components/ReportActions';
import { MoneyInput } from '../components/MoneyInput';
import { EmptyState, ErrorState, Modal, Skeleton, StatusBadge } from '../components/ui';
import { fmtAmount, fmtMoney, fmtPct, humanize } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { mutate } from '../lib/mutate';
import { href, navigate } from '../lib/router';
import { HistoryPanel } from './HistoryPanel';

const CALL_ENTITIES = ['capital_call', 'capital_call_line', 'payment', 'fund'];
const OVERDUE_RULES: CellClassRules<CapitalCallView> = { neg: (p) => p.data?.effective_status === 'overdue' };
const OUTSTANDING_RULES: CellClassRules<CapitalCallView> = { ...OVERDUE_RULES, zero: (p) => p.value === 0 };

class CallStatusCell implements ICellRendererComp {
  private el = document.createElement('span');
  init(p: ICellRendererParams) {
    this.set(p);
  }
  getGui() {
    return this.el;
  }
  refresh(p: ICellRendererParams) {
    this.set(p);
    return true;
  }
  private set(p: ICellRendererParams) {
    const v = String(p.value ?? '');
    this.el.className = `badge s-${v}`;
    this.el.dataset.status = v;
    this.el.textContent = v === 'overdue' ? 'Overdue' : humanize(v);
  }
}

function PaymentModal({ call, line, onClose }: { call: CapitalCallView; line: CallLineView; onClose: () => void }) {
  const { session, toast } = useApp();
  const [text, setText] = useState(fmtAmount(line.outstanding).replace(/,/g, ''));
  const [amount, setAmount] = useState<number | null>(line.outstanding);
  const [date, setDate] = useState(session?.today ?? '');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (amount === null || amount <= 0) return;
    setSaving(true);
    try {
      await mutate('recordPayment', { id: newId(), callId: call.id, investorId: line.investor_id, amount, date });
      toast('ok', `Payment of ${fmtMoney(amount, call.currency)} from ${line.investor_name} recorded.`);
      onClose();
    } catch (e) {
      setError(toApiError(e).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title={`Record payment — ${line.investor_name}`}
      onClose={onClose}
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={submit} disabled={saving || amount === null || amount <= 0 || !date} data-testid="save-payment">
            {saving ? 'Saving…' : 'Record payment'}
          </button>
        </>
      }
    >
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <MoneyInput label="Amount" value={text} currency={call.currency} onChange={(t, c) => (setText(t), setAmount(c), setError(null))} error={error} hint={`Outstanding ${fmtMoney(line.outstanding, call.currency)}`} testId="payment-amount" autoFocus />
        <div className="field">
          <label htmlFor="pay-date">Date received</label>
          <input id="pay-date" className="input" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </div>
        <dl className="dl wide">
          <dt>Line amount</dt>
          <dd>{fmtMoney(line.amount, call.currency)}</dd>
          <dt>Paid so far</dt>
          <dd>{fmtMoney(line.paid, call.currency)}</dd>
          <dt>Outstanding</dt>
          <dd>{fmtMoney(line.outstanding, call.currency)}</dd>
        </dl>
        <button type="submit" hidden />
      </form>
    </Modal>
  );
}

function CallDetail({ callId, onHistory, onClose }: { callId: string; onHistory: () => void; onClose: () => void }) {
  const { can, toast, session } = useApp();
  const q = useQuery(() => api().getCapitalCall({ id: callId }), [callId], CALL_ENTITIES);
  const [paying, setPaying] = useState<CallLineView | null>(null);
  const [busy, setBusy] = useState(false);
  const call = q.data;

  const act = async (what: 'issue' | 'cancel') => {
    if (!call) return;
    setBusy(true);
    try {
      await mutate(what === 'issue' ? 'issueCapitalCall' : 'cancelCapitalCall', { id: call.id, expectedVersion: call.version });
      toast('ok', what === 'issue' ? 'Capital call issued to LPs.' : 'Capital call cancelled.');
    } catch (e) {
      toast('error', toApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  const exportCsv = async () => {
    if (!call) return;
    try {
      const r = await api().saveExport({ kind: 'capital-call', id: call.id, suggestedName: `capital-call-${call.call_date}-${call.fund_name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.csv` });
      if (r) toast('ok', `Exported ${r.rows} lines to ${r.file}`);
    } catch (e) {
      toast('error', toApiError(e).message);
    }
  };

  if (q.error && !call) return <ErrorState error={q.error} retry={q.reload} what="The capital call could not be loaded" />;
  if (!call) return <Skeleton height={200} />;
  const payable = call.status === 'issued' || call.status === 'partially_paid';
  const overdue = call.effective_status === 'overdue';
  return (
    <div data-testid="call-detail" data-call-id={call.id} style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}>
      <div className="panel-head">
        <h3>{call.fund_name}</h3>
        <StatusBadge status={call.effective_status} />
        <span className="spacer" />
        <button className="btn ghost sm" onClick={onHistory}>
          <Icon.history /> History
        </button>
        <button className="btn sm" onClick={exportCsv} data-testid="export-call">
          <Icon.download /> Export CSV
        </button>
        <ReportButton
          label="Notices (PDF)"
          className="btn sm"
          testId="report-call-notices"
          disabled={call.status === 'cancelled'}
          title={call.status === 'cancelled' ? 'A cancelled call has no notices' : 'One capital call notice per LP, in one PDF'}
          request={() => ({ kind: 'capital-call-notice', id: call.id, suggestedName: `capital-call-notices-${call.call_date}-${fileSlug(call.fund_name)}.pdf` })}
        />
        {call.status === 'draft' && (
          <button className="btn sm primary" disabled={busy || !can('portfolio_manager')} onClick={() => act('issue')} title={can('portfolio_manager') ? 'Issue the call to the LPs' : 'Issuing a call needs a portfolio manager'} data-testid="issue-call">
            Issue
          </button>
        )}
        {(call.status === 'draft' || (payable && call.paid === 0)) && (
          <button className="btn sm danger" disabled={busy || !can('analyst')} onClick={() => act('cancel')}>
            Cancel call
          </button>
        )}
        <button className="btn ghost sm" onClick={onClose} aria-label="Close the call">
          Close
        </button>
      </div>
      <div className="panel-body" style={{ display: 'flex', flexDirection: 'column', gap: 12, overflow: 'auto' }}>
        <div className="kv-row" style={{ gridTemplateColumns: 'repeat(4, minmax(0,1fr)) minmax(0, 2fr)' }}>
          <div className="kpi">
            <div className="k">Amount</div>
            <div className="v tnum">{fmtMoney(call.amount, call.currency)}</div>
          </div>
          <div className="kpi">
            <div className="k">Paid</div>
            <div className="v tnum">{fmtMoney(call.paid, call.currency)}</div>
            <div className="s">{fmtPct(call.amount ? call.paid / call.amount : null, 0)}</div>
          </div>
          <div className="kpi">
            <div className="k">Outstanding</div>
            <div className={`v tnum${overdue ? ' neg' : ''}`}>{fmtMoney(call.outstanding, call.currency)}</div>
          </div>
          <div className="kpi">
            <div className="k">Call / due</div>
            <div className="v tnum">{call.call_date}</div>
            <div className={`s${overdue ? ' neg' : ''}`}>
              due {call.due_date}
              {overdue && session ? ` · ${Math.round((Date.parse(session.today) - Date.parse(call.due_date)) / 86_400_000)} days late` : ''}
            </div>
          </div>
          <div className="kpi">
            <div className="k">Description</div>
            <div className="s" style={{ whiteSpace: 'normal', color: 'var(--text)' }}>
              {call.description || '—'}
            </div>
          </div>
        </div>
        <table className="data" data-testid="call-lines">
          <thead>
            <tr>
              <th>Investor</th>
              <th className="num">Commitment</th>
              <th className="num">Amount</th>
              <th className="num">Paid</th>
              <th className="num">Outstanding</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {call.lines.map((l) => (
              <tr key={l.id} data-investor-id={l.investor_id}>
                <td>{l.investor_name}</td>
                <td className="num">{fmtAmount(l.basis_amount)}</td>
                <td className="num">{fmtAmount(l.amount)}</td>
                <td className="num">{fmtAmount(l.paid)}</td>
                <td className={`num${l.outstanding > 0 ? (overdue ? ' neg' : '') : ' zero'}`}>{fmtAmount(l.outstanding)}</td>
                <td style={{ width: 1 }}>
                  {payable && l.outstanding > 0 && can('analyst') && (
                    <button className="btn sm" onClick={() => setPaying(l)} data-testid="record-payment">
                      Record payment
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <td>Total · {call.lines.length} LPs</td>
              <td className="num">{fmtAmount(call.lines.reduce((t, l) => t + l.basis_amount, 0))}</td>
              <td className="num">{fmtAmount(call.lines.reduce((t, l) => t + l.amount, 0))}</td>
              <td className="num">{fmtAmount(call.paid)}</td>
              <td className="num">{fmtAmount(call.outstanding)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      {paying && <PaymentModal call={call} line={paying} onClose={() => setPaying(null)} />}
    </div>
  );
}

export function CapitalCalls({ callId, fundId }: { callId?: string; fundId?: string }) {
  const { theme } = useApp();
  const calls = useQuery(() => api().listCapitalCalls(fundId ? { fundId } : {}), [fundId], CALL_ENTITIES);
  const funds = useQuery(() => api().listFunds({}), [], ['fund']);
  const [search, setSearch] = useState('');
  const [history, setHistory] = useState(false);
  const nonce = useMemo(styleNonce, []);
  const grid = useRef<GridApi<CapitalCallView> | null>(null);
  const fundName = fundId ? funds.data?.find((f) => f.id === fundId)?.name : undefined;

  const columnDefs = useMemo<ColDef<CapitalCallView>[]>(
    () => [
      { field: 'fund_name', headerName: 'Fund', minWidth: 150, flex: 1.3 },
      { field: 'effective_status', headerName: 'Status', width: 118, cellRenderer: CallStatusCell, valueFormatter: (p) => (p.value === 'overdue' ? 'Overdue' : humanize(String(p.value ?? ''))) },
      { field: 'call_date', headerName: 'Call date', width: 104, cellClass: 'tnum', sort: 'desc' },
      { field: 'due_date', headerName: 'Due', width: 104, cellClass: 'tnum', cellClassRules: OVERDUE_RULES },
      { field: 'currency', headerName: 'Ccy', width: 62 },
      { field: 'amount', headerName: 'Amount', type: 'rightAligned', minWidth: 116, flex: 1, cellClass: 'num', valueFormatter: (p) => fmtAmount(p.value as number) },
      { field: 'paid', headerName: 'Paid', type: 'rightAligned', minWidth: 116, flex: 1, cellClass: 'num', valueFormatter: (p) => fmtAmount(p.value as number) },
      {
        field: 'outstanding',
        headerName: 'Outstanding',
        type: 'rightAligned',
        minWidth: 116,
        flex: 1,
        cellClass: 'num',
        valueFormatter: (p) => fmtAmount(p.value as number),
        cellClassRules: OUTSTANDING_RULES,
      },
      { field: 'description', headerName: 'Description', minWidth: 140, flex: 1.2 },
    ],
    [],
  );

  const list = calls.data ?? [];
  const overdue = list.filter((c) => c.effective_status === 'overdue');
  const byCcy = (pick: (c: CapitalCallView) => number, rows: CapitalCallView[]) => {
    const m = new Map<string, number>();
    for (const c of rows) m.set(c.currency, (m.get(c.currency) ?? 0) + pick(c));
    return [...m].map(([cur, v]) => fmtMoney(v, cur)).join(' · ') || '—';
  };

  return (
    <div className="page page-fixed" data-testid="screen-calls">
      <header className="page-head">
        <h1>Capital calls</h1>
        {fundId && (
          <span className="meta">
            {fundName ?? '…'} · <a href={href({ name: 'calls' })}>all funds</a>
          </span>
        )}
        <span className="meta">
          {calls.data ? `${list.length} call${list.length === 1 ? '' : 's'}` : ''}
          {overdue.length > 0 && <span className="neg"> · {overdue.length} overdue ({byCcy((c) => c.outstanding, overdue)})</span>}
        </span>
        <span className="spacer" />
        <div className="search">
          <Icon.search />
          <input className="input" data-search type="search" placeholder="Search calls…" aria-label="Search capital calls" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <ExportCsvButton
          collect={() => (grid.current && !grid.current.isDestroyed() ? gridExport(grid.current) : null)}
          suggestedName={() => `capital-calls${fundName ? `-${fileSlug(fundName)}` : ''}.csv`}
          what="calls"
          disabled={!list.length}
          testId="export-calls"
        />
        <button className="btn primary" onClick={() => navigate({ name: 'newCall', fundId })} data-testid="new-call">
          <Icon.plus /> New capital call
        </button>
      </header>
      <div className="page-body">
        <div className="split-v">
          <section className="panel list-pane" aria-label="Capital calls">
            {calls.error && !calls.data ? (
              <ErrorState error={calls.error} retry={calls.reload} what="The capital calls could not be loaded" />
            ) : calls.data && list.length === 0 ? (
              <EmptyState title="No capital calls yet" actions={<button className="btn primary" onClick={() => navigate({ name: 'newCall', fundId })}>New capital call</button>}>
                Create a call to draw capital from the LPs pro rata to their commitments; you see every LP's share before anything is issued.
              </EmptyState>
            ) : (
              <div className="grid-host" data-testid="calls-grid">
                <AgGridReact<CapitalCallView>
                  theme={gridThemes[theme]}
                  styleNonce={nonce}
                  rowData={calls.data}
                  loading={!calls.data}
                  columnDefs={columnDefs}
                  defaultColDef={{ sortable: true, resizable: true, filter: true }}
                  getRowId={(p) => p.data.id}
                  quickFilterText={search}
                  rowClassRules={{ 'row-overdue': (p: RowClassParams<CapitalCallView>) => p.data?.effective_status === 'overdue' }}
                  rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
                  onRowClicked={(e) => e.data && navigate({ name: 'calls', callId: e.data.id, fundId })}
                  onFirstDataRendered={(e) => {
                    if (!callId) return;
                    const node = e.api.getRowNode(callId);
                    node?.setSelected(true);
                    if (node?.rowIndex != null) e.api.ensureIndexVisible(node.rowIndex, 'middle');
                  }}
                  onGridReady={(e) => {
                    grid.current = e.api;
                    restoreColumns(e.api, 'calls.v2');
                  }}
                  onSortChanged={(e) => rememberColumns(e.api, 'calls.v2')}
                  onColumnMoved={(e) => e.finished && rememberColumns(e.api, 'calls.v2')}
                  onColumnResized={(e) => e.finished && rememberColumns(e.api, 'calls.v2')}
                  onCellKeyDown={(e) => {
                    const k = (e.event as KeyboardEvent | undefined)?.key;
                    if (k === 'Enter' && e.data) navigate({ name: 'calls', callId: e.data.id, fundId });
                  }}
                  animateRows={false}
                  suppressColumnVirtualisation
                />
              </div>
            )}
          </section>
          {callId && (
            <div className="detail-pane" style={{ flexDirection: 'row', gap: 'var(--gap)' }}>
              <section className="panel" style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }} aria-label="Selected capital call">
                <CallDetail key={callId} callId={callId} onHistory={() => setHistory((h) => !h)} onClose={() => navigate({ name: 'calls', fundId })} />
              </section>
              {history && <HistoryPanel entity="capital_call" id={callId} title="Capital call" onClose={() => setHistory(false)} />}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
