/**
 * The renderer's grid export helper (renderer/src/components/grid-export.ts)
 * over a stand-in for AG Grid's api: displayed columns only, in order, with
 * their header names; pinned top rows, then the rows after filter and sort,
 * then pinned bottom rows; each cell the formatted text.
 */
import { describe, expect, it } from 'vitest';
import type { Column, ColDef, GridApi, IRowNode } from 'ag-grid-community';
import { cellText, fileSlug, gridExport } from '../../renderer/src/components/grid-export';

type Row = { name: string; amount: number; note: string | null };

function fakeGrid(opts: { cols: ColDef<Row>[]; rows: Row[]; top?: Row[]; bottom?: Row[]; groupAt?: number }) {
  const columns = opts.cols.map((d) => ({ getColDef: () => d, getColId: () => d.colId ?? d.field ?? '' }) as unknown as Column);
  const node = (data: Row, group = false) => ({ data, group }) as unknown as IRowNode<Row>;
  const formatted = (n: IRowNode<Row>, c: Column) => {
    const d = c.getColDef() as ColDef<Row>;
    const v = d.field ? (n.data as Record<string, unknown>)[d.field] : null;
    return d.valueFormatter && typeof d.valueFormatter === 'function' ? d.valueFormatter({ value: v } as never) : v;
  };
  const api = {
    getAllDisplayedColumns: () => columns,
    getDisplayNameForColumn: (c: Column) => c.getColDef().headerName ?? c.getColId(),
    forEachNodeAfterFilterAndSort: (cb: (n: IRowNode<Row>, i: number) => void) => {
      opts.rows.forEach((r, i) => {
        if (i === opts.groupAt) cb(node(r, true), i);
        else cb(node(r), i);
      });
    },
    getCellValue: ({ rowNode, colKey }: { rowNode: IRowNode<Row>; colKey: Column }) => formatted(rowNode, colKey),
    getPinnedTopRowCount: () => opts.top?.length ?? 0,
    getPinnedTopRow: (i: number) => (opts.top?.[i] ? node(opts.top[i]) : undefined),
    getPinnedBottomRowCount: () => opts.bottom?.length ?? 0,
    getPinnedBottomRow: (i: number) => (opts.bottom?.[i] ? node(opts.bottom[i]) : undefined),
  };
  return api as unknown as GridApi<Row>;
}

const money = (p: { value: unknown }) => (typeof p.value === 'number' ? (p.value / 100).toLocaleString('en-US', { minimumFractionDigits: 2 }) : '');

describe('gridExport', () => {
  it('takes the displayed columns in order and the rows as shown, formatted, with pinned rows around them', () => {
    const api = fakeGrid({
      cols: [
        { field: 'amount', headerName: 'Amount', valueFormatter: money },
        { field: 'name', headerName: 'Name' },
        { field: 'note', headerName: 'Note' },
        { colId: 'actions', headerName: '' }, // a button column: no field, no getter, no header
      ],
      rows: [
        { name: 'Beta', amount: 123_456_78, note: null },
        { name: '=cmd', amount: -5_00, note: 'x' },
      ],
      bottom: [{ name: 'Total', amount: 122_956_78, note: null }],
    });
    expect(gridExport(api)).toEqual({
      columns: [{ header: 'Amount' }, { header: 'Name' }, { header: 'Note' }],
      rows: [
        ['123,456.78', 'Beta', ''],
        ['-5.00', '=cmd', 'x'],
        ['122,956.78', 'Total', ''],
      ],
    });
  });

  it('leaves out group rows and columns marked context.export = false', () => {
    const api = fakeGrid({
      cols: [{ field: 'name', headerName: 'Name' }, { field: 'note', headerName: 'Secret', context: { export: false } }],
      rows: [{ name: 'A', amount: 1, note: null }, { name: 'G', amount: 0, note: null }, { name: 'B', amount: 2, note: null }],
      top: [{ name: 'Top', amount: 0, note: null }],
      groupAt: 1,
    });
    expect(gridExport(api)).toEqual({ columns: [{ header: 'Name' }], rows: [['Top'], ['A'], ['B']] });
  });

  it('writes every value as text', () => {
    expect([cellText(null), cellText(undefined), cellText(0), cellText(true), cellText('a'), cellText({ a: 1 })]).toEqual(['', '', '0', 'true', 'a', '{"a":1}']);
    expect(fileSlug('Growth Fund I (USD)')).toBe('growth-fund-i-usd');
  });
});
