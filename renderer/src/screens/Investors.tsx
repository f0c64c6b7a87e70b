/**
 * Investors: per LP and fund — commitment, called, paid, outstanding,
 * unfunded — in a sortable, filterable grid with totals per currency
 * (pinned, over the rows shown). Export CSV gives what the grid shows; the
 * selected LP × fund gets an LP capital account statement (PDF) for a period.
 */
import { useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { ColDef, GridApi } from 'ag-grid-community';
import { useApp } from '../app/context';
import { api } from '../bridge/api';
import type { InvestorPositionView } from '../bridge/ui-contract';
import { gridThemes, rememberColumns, restoreColumns, styleNonce } from '../components/grid';
import { fileSlug, gridExport } from '../components/grid-export';
import { Icon } from '../components/icons';
import { ExportCsvButton, ReportButton } from '../components/ReportActions';
import { EmptyState, ErrorState } from '../components/ui';
import { fmtAmount, fmtPct } from '../lib/format';
import { useQuery } from '../lib/hooks';
import { navigate } from '../lib/router';

/** A grid row: one LP × fund position, or (pinned) the total of one currency. */
interface PositionRow extends InvestorPositionView {
  total?: boolean;
}

const amount = (p: { value: unknown }) => fmtAmount(p.value as number);

/** The first day of `date`'s calendar quarter (the LP statement's default period start). */
function quarterStart(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return `${y}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}

function totalsOf(rows: PositionRow[]): PositionRow[] {
  const by = new Map<string, PositionRow>();
  for (const r of rows) {
    const t = by.get(r.currency) ?? { investorId: '', investorName: 'All investors', fundId: '', fundName: '', currency: r.currency, commitment: 0, called: 0, paid: 0, unfunded: 0, total: true };
    t.commitment += r.commitment;
    t.called += r.called;
    t.paid += r.paid;
    t.unfunded += r.unfunded;
    by.set(r.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

export function Investors() {
  const { theme, session } = useApp();
  const q = useQuery(() => api().investorPositions({}), [], ['investor', 'commitment', 'capital_call', 'capital_call_line', 'payment', 'fund']);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<PositionRow | null>(null);
  const [totals, setTotals] = useState<PositionRow[]>([]);
  const [shown, setShown] = useState<number | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const grid = useRef<GridApi<PositionRow> | null>(null);
  const nonce = useMemo(styleNonce, []);
  const today = session?.today ?? '';
  const periodTo = to || today;
  const periodFrom = from || (periodTo ? quarterStart(periodTo) : '');

  const columnDefs = useMemo<ColDef<PositionRow>[]>(
    () => [
      { field: 'investorName', headerName: 'Investor', minWidth: 170, flex: 1.4 },
      { field: 'fundName', headerName: 'Fund', minWidth: 150, flex: 1.2 },
      { field: 'currency', headerName: 'Ccy', width: 70 },
      { field: 'commitment', headerName: 'Commitment', type: 'rightAligned', minWidth: 120, flex: 1, cellClass: 'num', valueFormatter: amount, filter: 'agNumberColumnFilter' },
      { field: 'called', headerName: 'Called', type: 'rightAligned', minWidth: 120, flex: 1, cellClass: 'num', valueFormatter: amount, filter: 'agNumberColumnFilter' },
      {
        colId: 'calledPct',
        headerName: '% called',
        type: 'rightAligned',
        width: 96,
        cellClass: 'num',
        valueGetter: (p) => (p.data && p.data.commitment > 0 ? p.data.called / p.data.commitment : null),
        valueFormatter: (p) => fmtPct(p.value as number | null, 0),
        filter: false,
      },
      { field: 'paid', headerName: 'Paid', type: 'rightAligned', minWidth: 120, flex: 1, cellClass: 'num', valueFormatter: amount, filter: 'agNumberColumnFilter' },
      {
        colId: 'outstanding',
        headerName: 'Outstanding',
        type: 'rightAligned',
        minWidth: 120,
        flex: 1,
        valueGetter: (p) => (p.data ? p.data.called - p.data.paid : null),
        valueFormatter: amount,
        cellClass: 'num',
        cellClassRules: { neg: (p) => (p.value as number) > 0, zero: (p) => p.value === 0 },
        filter: false,
      },
      { field: 'unfunded', headerName: 'Unfunded', type: 'rightAligned', minWidth: 120, flex: 1, cellClass: 'num', valueFormatter: amount, filter: 'agNumberColumnFilter' },
    ],
    [],
  );

  /** Totals and the count over the rows the grid shows (after filter and quick search). */
  const refreshTotals = () => {
    const a = grid.current;
    if (!a || a.isDestroyed()) return;
    const rows: PositionRow[] = [];
    a.forEachNodeAfterFilter((n) => n.data && rows.push(n.data));
    const next = totalsOf(rows);
    setTotals((cur) => (JSON.stringify(cur) === JSON.stringify(next) ? cur : next));
    setShown(rows.length);
  };

  const data = q.data;
  const lps = data ? new Set(data.map((r) => r.investorId)).size : 0;
  const selectedLabel = selected ? `${selected.investorName} · ${selected.fundName}` : null;

  return (
    <div className="page page-fixed" data-testid="screen-investors">
      <header className="page-head">
        <h1>Investors</h1>
        <span className="meta" data-testid="investors-count">
          {data ? `${lps} LPs · ${data.length} commitments${shown !== null && shown !== data.length ? ` · ${shown} shown` : ''}` : ''}
        </span>
        <span className="spacer" />
        <div className="search">
          <Icon.search />
          <input className="input" data-search type="search" placeholder="Search investors or funds…" aria-label="Search investors" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="investors-search" />
          {!search && <kbd>/</kbd>}
        </div>
        <ExportCsvButton
          collect={() => (grid.current && !grid.current.isDestroyed() ? gridExport(grid.current) : null)}
          suggestedName={() => `investors-${today}.csv`}
          what="rows"
          disabled={!data?.length}
          testId="export-investors"
        />
      </header>
      <div className="page-body">
        <section className="panel" style={{ overflow: 'hidden', display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} aria-label="LP positions">
          {q.error && !data ? (
            <ErrorState error={q.error} retry={q.reload} what="The investors could not be loaded" />
          ) : data && data.length === 0 ? (
            <EmptyState title="No LP commitments yet">
              Import investors and commitments (<code>meridian import investors FILE</code>, then <code>commitments</code>); each LP's called, paid and unfunded amounts appear here.
            </EmptyState>
          ) : (
            <>
              <div className="toolbar" data-testid="lp-statement-bar">
                <span className="count">{selectedLabel ? `Selected: ${selectedLabel}` : 'Select an LP position for its capital account statement'}</span>
                <span className="spacer" />
                <label className="meta" htmlFor="lp-from">
                  Period
                </label>
                <input id="lp-from" className="input" type="date" value={periodFrom} max={periodTo || undefined} onChange={(e) => setFrom(e.target.value)} aria-label="Statement period from" />
                <span className="meta">to</span>
                <input className="input" type="date" value={periodTo} onChange={(e) => setTo(e.target.value)} aria-label="Statement period to" />
                <ReportButton
                  label="LP statement (PDF)"
                  testId="report-lp-statement"
                  disabled={!selected || !periodFrom || !periodTo || periodFrom > periodTo}
                  title={selected ? `Capital account statement of ${selectedLabel}, ${periodFrom} to ${periodTo}` : 'Select an LP position first'}
                  request={() =>
                    selected
                      ? {
                          kind: 'lp-statement',
                          fundId: selected.fundId,
                          investorId: selected.investorId,
                          from: periodFrom,
                          asOf: periodTo,
                          suggestedName: `lp-statement-${fileSlug(selected.investorName)}-${fileSlug(selected.fundName)}-${periodTo}.pdf`,
                        }
                      : null
                  }
                />
              </div>
              <div className="grid-host" data-testid="investors-table">
                <AgGridReact<PositionRow>
                  theme={gridThemes[theme]}
                  styleNonce={nonce}
                  rowData={data}
                  loading={!data}
                  columnDefs={columnDefs}
                  defaultColDef={{ sortable: true, resizable: true, filter: true }}
                  getRowId={(p) => `${p.data.investorId}:${p.data.fundId}:${p.data.total ? p.data.currency : ''}`}
                  quickFilterText={search}
                  pinnedBottomRowData={totals}
                  rowSelection={{ mode: 'singleRow', checkboxes: false, enableClickSelection: true }}
                  onSelectionChanged={(e) => setSelected(e.api.getSelectedRows()[0] ?? null)}
                  onRowDoubleClicked={(e) => e.data && !e.data.total && navigate({ name: 'fund', fundId: e.data.fundId })}
                  onGridReady={(e) => {
                    grid.current = e.api;
                    restoreColumns(e.api, 'investors.v1');
                  }}
                  onModelUpdated={refreshTotals}
                  onSortChanged={(e) => rememberColumns(e.api, 'investors.v1')}
                  onColumnMoved={(e) => e.finished && rememberColumns(e.api, 'investors.v1')}
                  onColumnResized={(e) => e.finished && rememberColumns(e.api, 'investors.v1')}
                  animateRows={false}
                  suppressColumnVirtualisation
                />
              </div>
            </>
          )}
        </section>
      </div>
    </div>
  );
}
