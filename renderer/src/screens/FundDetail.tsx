/** Fund detail: metrics, charts, the allocations grid and the history of the selected allocation. */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { utilisationHeadroom } from '../../../shared/rules/engine';
import { useApp } from '../app/context';
import { api, toApiError } from '../bridge/api';
import { Icon } from '../components/icons';
import { ReportButton } from '../components/ReportActions';
import { ErrorState, Gauge, Kpi } from '../components/ui';
import { fmtCompact, fmtMoney, fmtMultiple, fmtPct } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { ownMutationInFlight } from '../lib/mutate';
import { href, navigate } from '../lib/router';
import { load, save } from '../lib/storage';
import { AllocationsGrid, type AllocationGridRow } from './AllocationsGrid';
import type { AllocationQuery } from './allocation-source';
import { HistoryPanel } from './HistoryPanel';
import { NewAllocation } from './NewAllocation';

// ECharts loads behind the grid: the first rows do not wait for the chart library.
const FundCharts = lazy(() => import('./FundCharts').then((m) => ({ default: m.FundCharts })));


const FLOW_ENTITIES = ['capital_call', 'capital_call_line', 'payment', 'contribution', 'distribution', 'nav_mark', 'commitment', 'index_level', 'fund'];

function slug(s: string) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function FundDetail({ fundId }: { fundId: string }) {
  // Allocations: the grid asks the host for blocks (sorted, filtered and totalled there); the first block
  // prefetched at start-up, if any, is its first. Changes by others (e.g. pulled by sync) reload what is on
  // screen; our own edits patch their row.
  const [reloadKey, setReloadKey] = useState(0);
  const [rowsShown, setRowsShown] = useState(false);
  const onRowsShown = useCallback(() => setRowsShown(true), []);
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | undefined;
    const off = api().on('dataChanged', (e) => {
      if (!e.entities.includes('allocation') || ownMutationInFlight()) return;
      clearTimeout(t);
      t = setTimeout(() => setReloadKey((k) => k + 1), 250);
    });
    return () => {
      off();
      clearTimeout(t);
    };
  }, []);
  // The charts' aggregates (SQL on the host), asked for once the first rows are on screen.
  const summary = useQuery(
    () => (rowsShown ? api().allocationRows({ fundId, limit: 1, summary: true }).then((r) => r.summary) : new Promise<never>(() => undefined)),
    [fundId, rowsShown],
    ['allocation', 'deal'],
  );

  const { theme, rules, session, toast } = useApp();
  const [index, setIndex] = useState<string>(() => load('pme.index', ''));
  const funds = useQuery(() => api().listFunds({}), [], ['fund']);
  const fund = funds.data?.find((f) => f.id === fundId);
  const indexNames = useQuery(() => api().listIndexNames({}), [], ['index_level']);
  const chosenIndex = index && indexNames.data?.includes(index) ? index : (indexNames.data?.[0] ?? '');
  const metrics = useQuery(() => api().fundMetrics({ fundId, ...(chosenIndex ? { index: chosenIndex } : {}) }), [fundId, chosenIndex], [...FLOW_ENTITIES, 'allocation']);
  const cashflows = useQuery(() => api().fundCashflows({ fundId }), [fundId], FLOW_ENTITIES);
  const deals = useQuery(() => api().listDeals({}), [], ['deal']);

  // The selected allocation as it is now (our edits replace the row object).
  const [selected, setSelected] = useState<AllocationGridRow | null>(null);
  const onSelect = useCallback((row: AllocationGridRow | null) => setSelected(row), []);
  const onRowsPatched = useCallback((row: AllocationGridRow) => setSelected((cur) => (cur && cur.id === row.id ? row : cur)), []);
  const [showHistory, setShowHistory] = useState(true);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);

  const exportCsv = async (query: AllocationQuery) => {
    if (!fund) return;
    setExporting(true);
    try {
      const r = await api().saveExport({ kind: 'allocations', fundId, query, suggestedName: `allocations-${slug(fund.name)}-${session?.today ?? ''}.csv` });
      if (r) toast('ok', `Exported ${r.rows.toLocaleString()} allocations to ${r.file}`);
    } catch (e) {
      toast('error', toApiError(e).message);
    } finally {
      setExporting(false);
    }
  };

  const m = metrics.data;
  const currency = fund?.currency ?? m?.currency ?? '';
  const headroom = useMemo(() => (fund && m ? Math.max(0, utilisationHeadroom(rules, fund.size, m.allocated)) : null), [fund, m, rules]);

  if (funds.data && !fund) {
    return (
      <div className="page">
        <ErrorState
          error={{ code: 'NOT_FOUND', message: `There is no fund with id ${fundId} in this profile; it may have been removed, or the link comes from another profile.`, problems: [] }}
          what="Fund not found"
        />
        <div style={{ textAlign: 'center' }}>
          <a href={href({ name: 'funds' })}>Back to funds</a>
        </div>
      </div>
    );
  }

  return (
    <div className="page page-fixed" data-testid="screen-fund">
      <header className="page-head">
        <nav className="crumbs" aria-label="Breadcrumb">
          <a href={href({ name: 'funds' })}>Funds</a>
          <span className="sep">/</span>
        </nav>
        <h1 data-testid="fund-name">{fund?.name ?? '…'}</h1>
        {fund && (
          <span className="meta">
            {fund.currency} · vintage {fund.vintage} · size {fmtMoney(fund.size, fund.currency)}
          </span>
        )}
        <span className="spacer" />
        <label className="meta" htmlFor="pme-index">
          PME vs
        </label>
        <select
          id="pme-index"
          className="select"
          value={chosenIndex}
          onChange={(e) => {
            setIndex(e.target.value);
            save('pme.index', e.target.value);
          }}
          disabled={!indexNames.data?.length}
          title={indexNames.data?.length ? 'Benchmark index for the PME figures' : 'No benchmark index in this profile: import one with meridian import index FILE'}
        >
          {indexNames.data?.length ? indexNames.data.map((n) => <option key={n}>{n}</option>) : <option value="">No index</option>}
        </select>
        <ReportButton
          label="Fund report (PDF)"
          testId="report-fund"
          disabled={!fund}
          title={`Fund report as of ${session?.today ?? 'today'}${chosenIndex ? `, PME against ${chosenIndex}` : ''}`}
          request={() =>
            fund ? { kind: 'fund-report', fundId, ...(session?.today ? { asOf: session.today } : {}), ...(chosenIndex ? { index: chosenIndex } : {}), suggestedName: `fund-report-${slug(fund.name)}-${session?.today ?? ''}.pdf` } : null
          }
        />
        <button className="btn" onClick={() => navigate({ name: 'calls', fundId })}>
          Capital calls
        </button>
        <button className="btn" onClick={() => navigate({ name: 'newCall', fundId })}>
          <Icon.plus /> New capital call
        </button>
        <button className="btn ghost" aria-pressed={showHistory} onClick={() => setShowHistory((s) => !s)} title="Show or hide the history of the selected allocation">
          <Icon.history /> History
        </button>
      </header>
      <div className="page-body">
        {metrics.error && !m ? (
          <ErrorState error={metrics.error} retry={metrics.reload} what="The fund's metrics could not be computed" />
        ) : (
          <div className="metrics" data-testid="metrics">
            <Kpi label="Committed" value={m ? fmtCompact(m.committed) : '…'} title={m ? fmtMoney(m.committed, currency) : undefined} sub={m && fund?.size ? `${fmtPct(m.committed / fund.size, 0)} of size` : ''} />
            <Kpi label="Called" value={m ? fmtCompact(m.called) : '…'} title={m ? fmtMoney(m.called, currency) : undefined} sub={m && m.committed ? `${fmtPct(m.called / m.committed, 0)} drawn` : ''} />
            <Kpi label="Paid in" value={m ? fmtCompact(m.pic) : '…'} title={m ? fmtMoney(m.pic, currency) : undefined} />
            <Kpi label="Distributed" value={m ? fmtCompact(m.distributions) : '…'} title={m ? fmtMoney(m.distributions, currency) : undefined} />
            <Kpi label="NAV" value={m ? fmtCompact(m.nav) : '…'} title={m ? fmtMoney(m.nav, currency) : undefined} />
            <Kpi label="Unfunded" value={m ? fmtCompact(m.unfunded) : '…'} title={m ? fmtMoney(m.unfunded, currency) : undefined} />
            <div className="kpi group-break">
              {m ? (
                <Gauge ratio={m.utilisation} capPct={rules.maxFundUtilisationPct} left={`Allocated ${fmtCompact(m.allocated)}`} right={headroom !== null ? `Headroom ${fmtCompact(headroom)}` : ''} />
              ) : (
                '…'
              )}
            </div>
            <Kpi label="Net IRR" group value={m ? <span className={m.irr !== null && m.irr < 0 ? 'neg' : ''}>{fmtPct(m.irr)}</span> : '…'} testId="kpi-irr" />
            <Kpi label="TVPI" value={m ? fmtMultiple(m.tvpi) : '…'} testId="kpi-tvpi" />
            <Kpi label="DPI" value={m ? fmtMultiple(m.dpi) : '…'} testId="kpi-dpi" />
            <Kpi label="RVPI" value={m ? fmtMultiple(m.rvpi) : '…'} testId="kpi-rvpi" />
            <Kpi
              label="KS-PME"
              value={m ? fmtMultiple(m.ksPme) : '…'}
              sub={m ? (chosenIndex ? `α ${fmtPct(m.directAlpha)}` : 'no index') : ''}
              title={chosenIndex ? `Kaplan–Schoar PME against ${chosenIndex}; α is Direct Alpha. LN-PME ${fmtPct(m?.lnPme)}, PME+ ${fmtPct(m?.pmePlus)}.` : 'Import a benchmark index to compute PME'}
              testId="kpi-pme"
            />
          </div>
        )}
        {/* The charts (and the ECharts chunk) wait for the first rows: their ~300 ms of main-thread work is not in the rows' way. */}
        <Suspense fallback={<div className="charts" style={{ height: 240 }} />}>
          {rowsShown ? (
            <FundCharts
              theme={theme}
              currency={currency}
              size={fund?.size ?? 0}
              asOf={session?.today ?? m?.asOf ?? ''}
              capPct={rules.maxFundUtilisationPct}
              cashflows={cashflows.data}
              summary={summary.data}
            />
          ) : (
            <div className="charts" style={{ height: 240 }} />
          )}
        </Suspense>
        <div className="split">
          <div className="grow">
            <AllocationsGrid
              key={fundId}
              fundId={fundId}
              currency={currency}
              reloadKey={reloadKey}
              deals={deals.data}
              onRowsPatched={onRowsPatched}
              onRowsShown={onRowsShown}
              onSelect={onSelect}
              onExport={exportCsv}
              onNew={() => setCreating(true)}
              exporting={exporting}
            />
          </div>
          {showHistory && selected && <HistoryPanel entity="allocation" id={selected.id} title={`${selected.deal_name} · ${fmtMoney(selected.amount, selected.currency)}`} onClose={() => setShowHistory(false)} />}
        </div>
      </div>
      {creating && fund && deals.data && (
        <NewAllocation fundId={fundId} fundName={fund.name} currency={fund.currency} deals={deals.data} onClose={() => setCreating(false)} onCreated={() => setReloadKey((k) => k + 1)} />
      )}
    </div>
  );
}
