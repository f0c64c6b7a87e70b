/**
 * The allocations grid (AG Grid community): sorting, filtering, remembered
 * column state, quick search, a pinned totals row, inline editing of
 * amount, status and security type, and approve/reject per role.
 *
 * Rows come a block at a time through AG Grid's infinite row model
 * (./allocation-source): sort, filters, search and the totals are done by
 * SQL on the host, so a fund of 100,000 allocations shows its first rows
 * as soon as the first block is in and scrolling only ever renders rows.
 *
 * An edit is checked by the rules engine before anything is written: a
 * violation is shown on the cell and in the banner above the grid, and
 * nothing is saved. Only a clean edit becomes a mutation.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  CellClassParams,
  CellEditRequestEvent,
  ColDef,
  ColumnMovedEvent,
  ColumnResizedEvent,
  EditableCallbackParams,
  GetRowIdParams,
  GridApi,
  GridOptions,
  GridReadyEvent,
  ICellRendererComp,
  IDatasource,
  ICellRendererParams,
  SelectionChangedEvent,
  ValueFormatterParams,
  ValueParserParams,
} from 'ag-grid-community';
import type { AllocationView } from '../../../shared/api/views';
import type { AllocationTotalsView } from '../bridge/ui-contract';
import { ALLOCATION_TRANSITIONS, EDITABLE_STATUSES } from '../../../shared/domain/allocation-lifecycle';
import { SECURITY_TYPES, type AllocationRow, type AllocationStatus, type DealRow } from '../../../shared/domain/entities';
import { hasRole, ROLE_LABEL, type Role } from '../../../shared/domain/roles';
import type { Problem } from '../../../shared/errors';
import { roleRequiredToApprove } from '../../../shared/rules/engine';
import { formatMoney } from '../../../shared/money';
import { useApp } from '../app/context';
import { api, toApiError } from '../bridge/api';
import { DataGrid } from '../components/DataGrid';
import { forgetColumns, gridThemes, rememberColumns, restoreColumns, styleNonce } from '../components/grid';
import { Icon } from '../components/icons';
import { fmtAmount, fmtDate, fmtMoney, humanize, parseAmountInput } from '../lib/format';
import { mutate } from '../lib/mutate';
import { allocationDatasource, BLOCK_ROWS, toQuery, type AllocationQuery } from './allocation-source';

type Row = AllocationView & { sector?: string };
type EditField = 'amount' | 'status' | 'security_type';

export interface CellError {
  rowId: string;
  field: EditField;
  dealName: string;
  attempted: string;
  problems: Problem[];
}

const GRID_KEY = 'allocations.v1';
const ROW_SELECTION = { mode: 'singleRow', checkboxes: false, enableClickSelection: true } as const;
const NO_ROWS = '<span class="muted">No allocations yet in this fund. Use “New allocation”, or import them with <code>meridian import allocations FILE</code>.</span>';
const TOTAL_ID = '__total__';

/** Status badge without React (fast while scrolling 100,000 rows). */
class StatusCell implements ICellRendererComp {
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
    const v = p.value as string | undefined;
    if (!v || p.node.rowPinned) {
      this.el.className = '';
      this.el.textContent = '';
      return;
    }
    this.el.className = `badge s-${v}`;
    this.el.dataset.status = v;
    this.el.textContent = humanize(v);
  }
}

interface GridContext {
  role: Role | null;
  approveRole: (amount: number) => Role;
  thresholdText: (currency: string) => string;
  act: (row: Row, to: 'approved' | 'rejected') => void;
}

/** Approve / Reject buttons on proposed rows, enabled by role and the approval threshold. */
class ActionsCell implements ICellRendererComp {
  private el = document.createElement('div');
  init(p: ICellRendererParams<Row, unknown, GridContext>) {
    this.el.className = 'cell-actions';
    this.set(p);
  }
  getGui() {
    return this.el;
  }
  refresh(p: ICellRendererParams<Row, unknown, GridContext>) {
    this.set(p);
    return true;
  }
  private set(p: ICellRendererParams<Row, unknown, GridContext>) {
    this.el.replaceChildren();
    const row = p.data;
    if (!row || p.node.rowPinned || row.status !== 'proposed' || !p.context.role) return;
    const needed = p.context.approveRole(row.amount);
    const allowed = hasRole(p.context.role, needed) && hasRole(p.context.role, 'analyst');
    for (const [to, label] of [
      ['approved', 'Approve'],
      ['rejected', 'Reject'],
    ] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `btn sm${to === 'approved' ? ' primary' : ''}`;
      b.textContent = label;
      b.dataset.action = to === 'approved' ? 'approve' : 'reject';
      b.disabled = !allowed;
      b.title = allowed
        ? `${label} this allocation`
        : `Allocations above ${p.context.thresholdText(row.currency)} need a ${ROLE_LABEL[needed]}; you are signed in as ${ROLE_LABEL[p.context.role]}.`;
      b.addEventListener('click', (e) => {
        e.stopPropagation();
        p.context.act(row, to);
      });
      this.el.appendChild(b);
    }
  }
}

/** The grid's current sort (in sort order), filters and search, as the host's query. */
function currentQuery(api: GridApi<Row> | null, search: string): AllocationQuery {
  if (!api || api.isDestroyed()) return toQuery([], null, search);
  const sort = api
    .getColumnState()
    .filter((c) => c.sort)
    .sort((a, b) => (a.sortIndex ?? 0) - (b.sortIndex ?? 0))
    .map((c) => ({ colId: c.colId, sort: c.sort! }));
  return toQuery(sort, api.getFilterModel() as Record<string, unknown>, search);
}

export interface AllocationsGridProps {
  fundId: string;
  currency: string;
  /** Changing it reloads the rows on screen and the totals (someone else changed allocations). */
  reloadKey: number;
  deals: readonly DealRow[] | undefined;
  /** An allocation of this fund as it is after one of our edits. */
  onRowsPatched: (row: Row) => void;
  /** Called when the first rows are in the grid, or could not be loaded (the screen then shows what can wait, e.g. the charts). */
  onRowsShown?: () => void;
  onSelect: (row: Row | null) => void;
  /** Export CSV, with the grid's sort, filters and search (the file holds the rows the grid shows). */
  onExport: (query: AllocationQuery) => void;
  onNew: () => void;
  exporting: boolean;
}

export function AllocationsGrid({ fundId, currency, reloadKey, deals, onRowsPatched, onRowsShown, onSelect, onExport, onNew, exporting }: AllocationsGridProps) {
  const { theme, session, rules, toast, can } = useApp();
  const gridApi = useRef<GridApi<Row> | null>(null);
  const [search, setSearch] = useState('');
  const searchRef = useRef('');
  const [lastError, setLastError] = useState<CellError | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [totals, setTotals] = useState<(AllocationTotalsView & { total: number }) | null>(null);
  const errorsRef = useRef(new Map<string, CellError>());
  const pendingRef = useRef(new Set<string>());
  const nonce = useMemo(styleNonce, []);

  const role = session?.role ?? null;
  const canEdit = can('analyst');

  // Sector comes from the deal; a ref keeps the column definitions stable while deals load.
  const sectorOf = useRef(new Map<string, string>());
  useEffect(() => {
    sectorOf.current = new Map((deals ?? []).map((d) => [d.id, d.sector || 'Unclassified']));
    gridApi.current?.refreshCells({ columns: ['sector'], force: true });
    gridApi.current?.resetQuickFilter();
  }, [deals]);

  const shown = useRef(onRowsShown);
  shown.current = onRowsShown;
  // The rows: one datasource per fund (the prefetched first page is used by the first one only).
  const [datasource] = useState(() =>
    allocationDatasource(
      fundId,
      () => searchRef.current,
      {
        onTotals: (t, total) => {
          setTotals({ ...t, total });
          gridApi.current?.setRowCount(t.rows, true);
        },
        onError: (e) => {
          setLoadError(toApiError(e).message);
          shown.current?.(); // the rest of the screen need not wait for rows that are not coming
        },
        onLoaded: () => {
          setLoadError(null);
          shown.current?.();
        },
      },
    ),
  );
  /** Reloads the blocks on screen and the totals, keeping the scroll position. */
  const reload = useCallback(() => {
    datasource.totalsKey = null;
    gridApi.current?.refreshInfiniteCache();
  }, [datasource]);
  useEffect(() => {
    if (reloadKey) reload();
  }, [reloadKey, reload]);
  // Quick search, on the host: after a pause in typing the grid asks again from the top.
  useEffect(() => {
    if (searchRef.current === search.trim()) return;
    const t = setTimeout(() => {
      searchRef.current = search.trim();
      gridApi.current?.ensureIndexVisible(0, 'top');
      gridApi.current?.purgeInfiniteCache();
    }, 200);
    return () => clearTimeout(t);
  }, [search]);

  const refreshCell = useCallback((rowId: string, field: EditField) => {
    const node = gridApi.current?.getRowNode(rowId);
    if (node) gridApi.current?.refreshCells({ rowNodes: [node], columns: [field], force: true });
  }, []);

  // Refs are updated synchronously (the grid's class rules read them at once); state re-renders the banner.
  const setCellError = useCallback(
    (e: CellError | null, rowId: string, field: EditField) => {
      const next = new Map(errorsRef.current);
      if (e) next.set(`${rowId}:${field}`, e);
      else next.delete(`${rowId}:${field}`);
      errorsRef.current = next;
      if (e) setLastError(e);
      else setLastError((cur) => (cur && cur.rowId === rowId && cur.field === field ? null : cur));
      refreshCell(rowId, field);
    },
    [refreshCell],
  );

  const setCellPending = useCallback(
    (rowId: string, field: EditField, on: boolean) => {
      const next = new Set(pendingRef.current);
      if (on) next.add(`${rowId}:${field}`);
      else next.delete(`${rowId}:${field}`);
      pendingRef.current = next;
      refreshCell(rowId, field);
    },
    [refreshCell],
  );

  /** Runs the mutation for an edit; shows a refusal on the cell. */
  const commit = useCallback(
    async (row: Row, field: EditField, attempted: string, run: () => Promise<{ result: unknown }>, success: string) => {
      setCellPending(row.id, field, true);
      try {
        const r = await run();
        setCellError(null, row.id, field);
        const next: Row = { ...row, ...(r.result as AllocationRow) };
        gridApi.current?.getRowNode(row.id)?.setData(next);
        onRowsPatched(next);
        reload();
        toast('ok', success);
      } catch (e) {
        const err = toApiError(e);
        setCellError({ rowId: row.id, field, dealName: row.deal_name, attempted, problems: err.problems.length ? err.problems : [{ code: err.code, message: err.message }] }, row.id, field);
      } finally {
        setCellPending(row.id, field, false);
      }
    },
    [onRowsPatched, reload, setCellError, setCellPending, toast],
  );

  const changeStatus = useCallback(
    (row: Row, to: AllocationStatus) => {
      const args = { id: row.id, expectedVersion: row.version };
      const label = `${row.deal_name}: ${humanize(row.status)} → ${humanize(to)}`;
      if (to === 'approved') return commit(row, 'status', humanize(to), () => mutate('approveAllocation', args), `Approved ${row.deal_name}`);
      if (to === 'rejected') return commit(row, 'status', humanize(to), () => mutate('rejectAllocation', args), `Rejected ${row.deal_name}`);
      if (to === 'cancelled') return commit(row, 'status', humanize(to), () => mutate('cancelAllocation', args), `Cancelled ${row.deal_name}`);
      return commit(row, 'status', humanize(to), () => mutate('changeAllocationStatus', { ...args, to }), label);
    },
    [commit],
  );

  const onEdit = useCallback(
    async (e: CellEditRequestEvent<Row>) => {
      const row = e.data;
      const field = e.colDef.field as EditField;
      if (!row || e.node.rowPinned) return;
      if (field === 'amount') {
        const amount = e.newValue as number | null;
        const attempted = amount === null ? String(e.newValue) : fmtMoney(amount, row.currency);
        if (amount === null || !Number.isSafeInteger(amount) || amount <= 0) {
          setCellError(
            { rowId: row.id, field, dealName: row.deal_name, attempted: 'that', problems: [{ code: 'INVALID_AMOUNT', message: 'Enter a positive amount with at most two decimals, such as 2,500,000.00 or 2.5m.' }] },
            row.id,
            field,
          );
          return;
        }
        if (amount === row.amount) return setCellError(null, row.id, field);
        setCellPending(row.id, field, true);
        let problems: Problem[];
        try {
          problems = await api().checkAllocation({ fundId: row.fund_id, dealId: row.deal_id, amount, excludeId: row.id });
        } catch (err) {
          const x = toApiError(err);
          problems = x.problems.length ? x.problems : [{ code: x.code, message: x.message }];
        }
        setCellPending(row.id, field, false);
        if (problems.length) {
          setCellError({ rowId: row.id, field, dealName: row.deal_name, attempted, problems }, row.id, field);
          return;
        }
        await commit(row, field, attempted, () => mutate('updateAllocation', { id: row.id, expectedVersion: row.version, amount }), `Saved ${row.deal_name}: ${attempted}`);
      } else if (field === 'security_type') {
        const securityType = e.newValue as (typeof SECURITY_TYPES)[number];
        if (securityType === row.security_type) return;
        await commit(row, field, humanize(securityType), () => mutate('updateAllocation', { id: row.id, expectedVersion: row.version, securityType }), `Saved ${row.deal_name}: ${humanize(securityType)}`);
      } else if (field === 'status') {
        const to = e.newValue as AllocationStatus;
        if (to === row.status) return;
        await changeStatus(row, to);
      }
    },
    [changeStatus, commit, setCellError, setCellPending],
  );

  const context = useMemo<GridContext>(
    () => ({
      role,
      approveRole: (amount) => roleRequiredToApprove(rules, amount),
      thresholdText: (cur) => formatMoney(rules.approvalThreshold, cur),
      act: (row, to) => void changeStatus(row, to),
    }),
    [role, rules, changeStatus],
  );

  useEffect(() => {
    gridApi.current?.refreshCells({ columns: ['actions'], force: true });
  }, [context]);

  // The Approve / Reject column only takes room while something awaits approval.
  const anyProposed = !!totals?.anyProposed;
  const showActions = useRef(false);
  useEffect(() => {
    showActions.current = anyProposed && !!role && role !== 'viewer';
    gridApi.current?.setColumnsVisible(['actions'], showActions.current);
  }, [anyProposed, role]);

  const statusOptions = useCallback(
    (row: Row): AllocationStatus[] => {
      if (!role) return [];
      return ALLOCATION_TRANSITIONS[row.status].filter((to) => {
        if (to === 'approved' || to === 'rejected') return hasRole(role, roleRequiredToApprove(rules, row.amount));
        if (to === 'cancelled') return hasRole(role, 'analyst');
        return hasRole(role, 'portfolio_manager');
      });
    },
    [role, rules],
  );

  // Edit state classes, as a function evaluated when a cell is (re)drawn: cheaper while scrolling
  // 100,000 rows than class rules toggled on every cell. refreshCell() redraws the edited cell.
  const editClass = useCallback((p: CellClassParams<Row>, base?: string) => {
    if (!p.data || p.node.rowPinned) return base;
    const key = `${p.data.id}:${p.colDef.field}`;
    const state = errorsRef.current.has(key) ? 'cell-error' : pendingRef.current.has(key) ? 'cell-pending' : '';
    return state ? (base ? `${base} ${state}` : state) : base;
  }, []);

  const columnDefs = useMemo<ColDef<Row>[]>(
    () => [
      { field: 'deal_name', headerName: 'Deal', minWidth: 170, flex: 1.4, filter: 'agTextColumnFilter', cellClass: 'deal-cell' },
      { colId: 'sector', headerName: 'Sector', valueGetter: (p) => (p.data && !p.node?.rowPinned ? (sectorOf.current.get(p.data.deal_id) ?? '') : ''), minWidth: 120, flex: 0.9, filter: 'agTextColumnFilter' },
      {
        field: 'security_type',
        headerName: 'Security',
        minWidth: 130,
        flex: 0.9,
        valueFormatter: (p: ValueFormatterParams<Row>) => (p.value ? humanize(String(p.value)) : ''),
        editable: (p: EditableCallbackParams<Row>) => canEdit && !p.node.rowPinned && !!p.data && EDITABLE_STATUSES.includes(p.data.status),
        cellEditor: 'agSelectCellEditor',
        cellEditorParams: { values: [...SECURITY_TYPES] },
        cellClass: (p: CellClassParams<Row>) => editClass(p),
        filter: 'agTextColumnFilter',
        filterValueGetter: (p) => (p.data ? humanize(p.data.security_type) : ''),
      },
      {
        field: 'amount',
        headerName: `Amount (${currency})`,
        type: 'rightAligned',
        minWidth: 150,
        flex: 1,
        cellClass: (p: CellClassParams<Row>) => editClass(p, 'num'),
        valueFormatter: (p: ValueFormatterParams<Row>) => fmtAmount(p.value as number),
        valueParser: (p: ValueParserParams<Row>) => parseAmountInput(String(p.newValue ?? '')),
        editable: (p: EditableCallbackParams<Row>) => canEdit && !p.node.rowPinned && !!p.data && EDITABLE_STATUSES.includes(p.data.status),
        cellEditor: 'agTextCellEditor',
        filter: 'agNumberColumnFilter',
      },
      {
        field: 'status',
        headerName: 'Status',
        minWidth: 118,
        flex: 0.7,
        cellRenderer: StatusCell,
        editable: (p: EditableCallbackParams<Row>) => !p.node.rowPinned && !!p.data && statusOptions(p.data).length > 0,
        cellEditor: 'agSelectCellEditor',
        cellEditorParams: (p: { data?: Row }) => ({ values: p.data ? [p.data.status, ...statusOptions(p.data)] : [], formatValue: (v: string) => humanize(v) }),
        cellClass: (p: CellClassParams<Row>) => editClass(p),
        filter: 'agTextColumnFilter',
      },
      { field: 'date', headerName: 'Date', minWidth: 104, width: 110, cellClass: 'tnum', valueFormatter: (p) => (p.node?.rowPinned ? '' : fmtDate(p.value as string)) },
      { field: 'approved_by', headerName: 'Approved by', minWidth: 110, flex: 0.7, valueFormatter: (p) => (p.value as string | null) ?? '' },
      { field: 'updated_at', headerName: 'Updated', minWidth: 140, hide: true, cellClass: 'tnum', valueFormatter: (p) => String(p.value ?? '').replace('T', ' ').slice(0, 16) },
      { field: 'version', headerName: 'Ver.', width: 70, hide: true, type: 'rightAligned', cellClass: 'num' },
      { field: 'id', headerName: 'Id', width: 200, hide: true, cellClass: 'mono' },
      { colId: 'actions', headerName: '', minWidth: 132, width: 132, sortable: false, filter: false, resizable: false, cellRenderer: ActionsCell, suppressColumnsToolPanel: true },
    ],
    [currency, canEdit, editClass, statusOptions],
  );

  const defaultColDef = useMemo<ColDef<Row>>(() => ({ sortable: true, resizable: true, filter: true, suppressHeaderMenuButton: false }), []);

  const pinned = useMemo(
    () => (totals ? [{ id: TOTAL_ID, deal_name: `Total · ${totals.rows.toLocaleString()} row${totals.rows === 1 ? '' : 's'}`, amount: totals.amount, currency } as unknown as Row] : undefined),
    [totals, currency],
  );

  const onGridReady = useCallback((e: GridReadyEvent<Row>) => {
    gridApi.current = e.api;
    restoreColumns(e.api, GRID_KEY);
    e.api.setColumnsVisible(['actions'], showActions.current);
  }, []);
  const remember = useCallback(() => gridApi.current && rememberColumns(gridApi.current, GRID_KEY), []);

  const getRowId = useCallback((p: GetRowIdParams<Row>) => p.data.id, []);
  const onSelectionChanged = useCallback((e: SelectionChangedEvent<Row>) => onSelect(e.api.getSelectedRows()[0] ?? null), [onSelect]);
  const onColumnMoved = useCallback((e: ColumnMovedEvent<Row>) => e.finished && remember(), [remember]);
  const onColumnResized = useCallback((e: ColumnResizedEvent<Row>) => e.finished && remember(), [remember]);
  const gridOptions: GridOptions<Row> = {
    theme: gridThemes[theme],
    styleNonce: nonce,
    rowModelType: 'infinite',
    datasource: datasource as IDatasource,
    cacheBlockSize: BLOCK_ROWS,
    // At most 10,000 rows in the browser. No load debounce: it would hold back the first block too (the
    // grid's option is initial-only), and a block flown past costs the host a primary-key lookup of 200 ids.
    maxBlocksInCache: 50,
    maxConcurrentDatasourceRequests: 2,
    infiniteInitialRowCount: BLOCK_ROWS,
    columnDefs,
    defaultColDef,
    getRowId,
    context,
    readOnlyEdit: true,
    onCellEditRequest: onEdit,
    pinnedBottomRowData: pinned,
    onGridReady,
    onSortChanged: remember,
    onColumnMoved,
    onColumnResized,
    onColumnVisible: remember,
    onColumnPinned: remember,
    rowSelection: ROW_SELECTION,
    onSelectionChanged,
    stopEditingWhenCellsLoseFocus: true,
    enterNavigatesVerticallyAfterEdit: true,
    rowBuffer: 2,
    suppressAnimationFrame: true,
    animateRows: false,
    suppressDragLeaveHidesColumns: true,
    overlayNoRowsTemplate: NO_ROWS,
  };

  const errorList = lastError ? lastError.problems : [];

  return (
    <section className="panel grid-panel" aria-label="Allocations" data-testid="allocations">
      <div className="toolbar">
        <h3 style={{ margin: 0, fontSize: 'var(--fs)', fontWeight: 650 }}>Allocations</h3>
        <div className="search">
          <Icon.search />
          <input
            className="input"
            data-search
            type="search"
            placeholder="Search deals, sectors, status…"
            aria-label="Search allocations"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="grid-search"
          />
          {!search && <kbd>/</kbd>}
        </div>
        <span className="count" data-testid="grid-count">
          {!totals
            ? 'Loading…'
            : `${totals.rows === totals.total && !searchRef.current ? `${totals.total.toLocaleString()} allocations` : `${totals.rows.toLocaleString()} of ${totals.total.toLocaleString()}`} · counted ${fmtMoney(totals.counted, currency)}`}
        </span>
        <span className="spacer" />
        <button className="btn ghost sm" onClick={() => gridApi.current && forgetColumns(gridApi.current, GRID_KEY)} title="Reset columns: restore the default order, widths and sort" aria-label="Reset columns">
          <Icon.reset />
        </button>
        <button className="btn sm" onClick={() => onExport(currentQuery(gridApi.current, searchRef.current))} disabled={exporting} data-testid="export-allocations">
          <Icon.download /> {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
        {canEdit && (
          <button className="btn sm primary" onClick={onNew} disabled={!deals} data-testid="new-allocation">
            <Icon.plus /> New allocation
          </button>
        )}
      </div>
      {loadError && (
        <div className="violation" role="alert" data-testid="grid-load-error">
          <span className="what">
            <Icon.warn className="" /> The allocations could not be loaded — {loadError}
          </span>
          <button className="btn ghost sm" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {lastError && (
        <div className="violation" role="alert" data-testid="violation">
          <span className="what">
            <Icon.warn className="" /> Not saved — {lastError.dealName}, {humanize(lastError.field)} {lastError.attempted}
          </span>
          <ul>
            {errorList.map((p, i) => (
              <li key={i} data-code={p.code}>
                {p.message}
              </li>
            ))}
          </ul>
          <button className="btn ghost sm" onClick={() => setCellError(null, lastError.rowId, lastError.field)} aria-label="Dismiss">
            Dismiss
          </button>
        </div>
      )}
      <DataGrid<Row> options={gridOptions} testId="allocations-grid" />
    </section>
  );
}

export type { Row as AllocationGridRow };
