/**
 * The borrower's financial statements as a spread: one row per figure, one
 * column per stored period (FY, LTM, Q). A cell edit is checked against the
 * statement schema at once (e.g. negative debt, senior above total debt),
 * then saved through `mutate`; a refusal — local or from the mutator — is
 * shown on the cell and in the banner above the grid, and nothing is saved.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { CellClassParams, CellEditRequestEvent, ColDef, GridApi, GridOptions } from 'ag-grid-community';
import { CREDIT_FIGURE_FIELDS, financialStatementRow, type CreditFigures, type FinancialStatementRow } from '../../../../shared/domain/credit';
import type { Problem } from '../../../../shared/errors';
import { useApp } from '../../app/context';
import { toApiError } from '../../bridge/api';
import { DataGrid } from '../../components/DataGrid';
import { gridThemes, styleNonce } from '../../components/grid';
import { Icon } from '../../components/icons';
import { gridExport } from '../../components/grid-export';
import { ExportCsvButton } from '../../components/ReportActions';
import { EmptyState } from '../../components/ui';
import { fmtAmount, fmtPct } from '../../lib/format';
import { saveStatement } from './credit-mutations';
import { figureLabel, formatFigure, parseFigure } from './model';

type Field = keyof CreditFigures;

interface SpreadRow {
  field: Field;
  label: string;
  /** Statement id → value. */
  values: Record<string, number | null>;
}

interface CellError {
  field: Field;
  statementId: string;
  period: string;
  attempted: string;
  problems: Problem[];
}

const labelOf = figureLabel;

export function FinancialsGrid({ statements, currency, canEdit }: { statements: FinancialStatementRow[]; currency: string; canEdit: boolean }) {
  const { theme, toast } = useApp();
  const nonce = useMemo(styleNonce, []);
  const gridApi = useRef<GridApi<SpreadRow> | null>(null);
  const errorsRef = useRef(new Map<string, CellError>());
  const pendingRef = useRef(new Set<string>());
  const [lastError, setLastError] = useState<CellError | null>(null);

  const sorted = useMemo(() => [...statements].sort((a, b) => (a.period_end < b.period_end ? -1 : a.period_end > b.period_end ? 1 : a.period_type.localeCompare(b.period_type))), [statements]);
  const byId = useMemo(() => new Map(sorted.map((s) => [s.id, s])), [sorted]);
  const rows = useMemo<SpreadRow[]>(
    () => CREDIT_FIGURE_FIELDS.map((field) => ({ field, label: labelOf(field), values: Object.fromEntries(sorted.map((s) => [s.id, s[field]])) })),
    [sorted],
  );

  const refresh = useCallback((field: Field, statementId: string) => {
    const node = gridApi.current?.getRowNode(field);
    if (node) gridApi.current?.refreshCells({ rowNodes: [node], columns: [statementId], force: true });
  }, []);

  const setCellError = useCallback(
    (e: CellError | null, field: Field, statementId: string) => {
      const next = new Map(errorsRef.current);
      if (e) next.set(`${field}:${statementId}`, e);
      else next.delete(`${field}:${statementId}`);
      errorsRef.current = next;
      if (e) setLastError(e);
      else setLastError((cur) => (cur && cur.field === field && cur.statementId === statementId ? null : cur));
      refresh(field, statementId);
    },
    [refresh],
  );

  const onEdit = useCallback(
    async (e: CellEditRequestEvent<SpreadRow>) => {
      const field = e.data?.field;
      const statementId = e.colDef.colId;
      const s = statementId ? byId.get(statementId) : undefined;
      if (!field || !s || !statementId) return;
      const text = String(e.newValue ?? '');
      // Enter on an untouched editor: nothing to save (a rounded percentage must not overwrite the exact share).
      if (text.trim() === formatFigure(field, s[field])) return;
      const period = `${s.period_type} ${s.period_end}`;
      const parsed = parseFigure(field, text);
      if (!parsed.ok) {
        setCellError({ field, statementId, period, attempted: text || 'an empty value', problems: [{ code: 'INVALID_INPUT', message: parsed.message }] }, field, statementId);
        return;
      }
      if (parsed.value === s[field]) return setCellError(null, field, statementId);
      const next = { ...s, [field]: parsed.value } as FinancialStatementRow;
      const attempted = parsed.value === null ? 'empty' : field === 'floating_rate_share' ? fmtPct(parsed.value, 1) : `${currency} ${fmtAmount(parsed.value)}`;
      const check = financialStatementRow.safeParse(next);
      if (!check.success) {
        const problems = check.error.issues.map((i) => ({ code: 'INVALID_INPUT' as const, message: `${labelOf((i.path[0] as Field) ?? field)}: ${i.message}`, path: i.path.join('.') }));
        setCellError({ field, statementId, period, attempted, problems }, field, statementId);
        return;
      }
      const key = `${field}:${statementId}`;
      pendingRef.current = new Set(pendingRef.current).add(key);
      refresh(field, statementId);
      try {
        await saveStatement(check.data);
        setCellError(null, field, statementId);
        toast('ok', `Saved ${labelOf(field)} for ${period}: ${attempted}`);
      } catch (err) {
        const x = toApiError(err);
        setCellError({ field, statementId, period, attempted, problems: x.problems.length ? x.problems : [{ code: x.code, message: x.message }] }, field, statementId);
      } finally {
        const p = new Set(pendingRef.current);
        p.delete(key);
        pendingRef.current = p;
        refresh(field, statementId);
      }
    },
    [byId, currency, refresh, setCellError, toast],
  );

  const cellClass = useCallback((p: CellClassParams<SpreadRow>) => {
    const key = `${p.data?.field}:${p.colDef.colId}`;
    return errorsRef.current.has(key) ? 'num cell-error' : pendingRef.current.has(key) ? 'num cell-pending' : 'num';
  }, []);

  const columnDefs = useMemo<ColDef<SpreadRow>[]>(
    () => [
      { field: 'label', headerName: currency ? `Figure (${currency})` : 'Figure', pinned: 'left', width: 190, cellClass: 'deal-cell', editable: false, sortable: false },
      ...sorted.map<ColDef<SpreadRow>>((s) => ({
        colId: s.id,
        headerName: `${s.period_type} ${s.period_end}`,
        headerTooltip: `${s.period_type === 'Q' ? 'Quarter' : s.period_type === 'LTM' ? 'Last twelve months' : 'Fiscal year'} ending ${s.period_end}`,
        minWidth: 140,
        flex: 1,
        type: 'rightAligned',
        sortable: false,
        editable: canEdit,
        cellClass,
        valueGetter: (p) => p.data?.values[s.id] ?? null,
        valueFormatter: (p) => (p.data ? formatFigure(p.data.field, p.value as number | null) : ''),
        // The editor starts from the value as shown (amounts, not cents); the text goes to onEdit unparsed.
        cellEditor: 'agTextCellEditor',
        cellEditorParams: { useFormatter: true },
        valueParser: (p) => p.newValue,
      })),
    ],
    [sorted, canEdit, cellClass, currency],
  );

  const options: GridOptions<SpreadRow> = {
    theme: gridThemes[theme],
    styleNonce: nonce,
    rowData: rows,
    columnDefs,
    getRowId: (p) => p.data.field,
    readOnlyEdit: true,
    onCellEditRequest: onEdit,
    stopEditingWhenCellsLoseFocus: true,
    singleClickEdit: false,
    suppressMovableColumns: true,
    animateRows: false,
    onGridReady: (e) => {
      gridApi.current = e.api;
    },
  };

  return (
    <section className="panel grid-panel financials-panel" aria-label="Financial statements" data-testid="financials">
      <div className="toolbar">
        <h3 style={{ margin: 0, fontSize: 'var(--fs)', fontWeight: 650 }}>Financials</h3>
        <span className="count">
          {sorted.length} statement{sorted.length === 1 ? '' : 's'} · {currency} · {canEdit ? 'double-click a figure to edit it' : 'read only for your role'}
        </span>
        <span className="spacer" />
        <ExportCsvButton
          className="btn sm"
          collect={() => (gridApi.current && !gridApi.current.isDestroyed() ? gridExport(gridApi.current) : null)}
          suggestedName={() => `financials-${sorted[0]?.borrower_id ?? 'borrower'}.csv`}
          what="figures"
          disabled={sorted.length === 0}
          testId="export-financials"
        />
      </div>
      {lastError && (
        <div className="violation" role="alert" data-testid="violation">
          <span className="what">
            <Icon.warn className="" /> Not saved — {labelOf(lastError.field)}, {lastError.period}: {lastError.attempted}
          </span>
          <ul>
            {lastError.problems.map((p, i) => (
              <li key={i} data-code={p.code}>
                {p.message}
              </li>
            ))}
          </ul>
          <button className="btn ghost sm" onClick={() => setCellError(null, lastError.field, lastError.statementId)} aria-label="Dismiss">
            Dismiss
          </button>
        </div>
      )}
      {sorted.length === 0 ? (
        <EmptyState title="No financial statements">
          Import them with <code>meridian import financials FILE</code> (header <code>borrower_id,period_end,period_type,…</code>, see docs/examples/financials.csv).
        </EmptyState>
      ) : (
        <DataGrid<SpreadRow> options={options} testId="financials-grid" />
      )}
    </section>
  );
}
