/**
 * "Export CSV" for the client-side grids: what the grid shows, as the user
 * sees it — the displayed columns in order (hidden ones left out) with their
 * header names, the rows after filter, quick search and sort, each cell the
 * displayed (formatted) text, and the pinned total rows where the grid shows
 * them. The host writes the file (shared/api/report-contract.ts
 * `saveGridCsv`: save dialog on the desktop, a download in the browser) with
 * the core's CSV writer, which neutralises formula-looking cells.
 *
 * Pure (no DOM, no bridge), so it is unit-tested in Node. Plain HTML tables
 * (the funds comparison) export the same way from the DOM (`tableExport`,
 * ./ReportActions). The allocation grid (server-side rows) exports on the
 * host instead (saveExport 'allocations' with the grid's query).
 */
import type { Column, GridApi, IRowNode } from 'ag-grid-community';

export interface GridExport {
  columns: { header: string }[];
  rows: string[][];
}

/** Columns that carry no value (action buttons, checkboxes): no field, no getter, no header. */
function exported(col: Column): boolean {
  const d = col.getColDef();
  if (d.context && (d.context as { export?: boolean }).export === false) return false;
  return d.field !== undefined || d.valueGetter !== undefined || Boolean(d.headerName);
}

/** A cell's value as the grid displays it (its valueFormatter), or the value itself as text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** What `api` displays now: columns, and pinned-top, filtered-and-sorted, pinned-bottom rows. */
export function gridExport<T>(api: Pick<GridApi<T>, 'getAllDisplayedColumns' | 'getDisplayNameForColumn' | 'forEachNodeAfterFilterAndSort' | 'getCellValue' | 'getPinnedTopRowCount' | 'getPinnedTopRow' | 'getPinnedBottomRowCount' | 'getPinnedBottomRow'>): GridExport {
  const cols = api.getAllDisplayedColumns().filter(exported);
  const row = (node: IRowNode<T>) => cols.map((col) => cellText(api.getCellValue({ rowNode: node, colKey: col, useFormatter: true })));
  const rows: string[][] = [];
  for (let i = 0; i < api.getPinnedTopRowCount(); i++) {
    const n = api.getPinnedTopRow(i);
    if (n) rows.push(row(n));
  }
  api.forEachNodeAfterFilterAndSort((node) => {
    if (!node.group && node.data !== undefined) rows.push(row(node));
  });
  for (let i = 0; i < api.getPinnedBottomRowCount(); i++) {
    const n = api.getPinnedBottomRow(i);
    if (n) rows.push(row(n));
  }
  return { columns: cols.map((c) => ({ header: api.getDisplayNameForColumn(c, 'csv') })), rows };
}

/** A file name part from free text: "Growth Fund I" → "growth-fund-i". */
export function fileSlug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
