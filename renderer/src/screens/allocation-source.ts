/**
 * Where the allocations grid gets its rows: AG Grid's infinite row model
 * asks for blocks, and each block is one `allocationRows` call with the
 * grid's sort, filters and quick search, answered by SQL on the host. The
 * renderer never holds the whole fund; totals for the pinned row come from
 * the host too (`totals: true`), once per query.
 */
import type { IDatasource, IGetRowsParams, SortModelItem } from 'ag-grid-community';
import type { AllocationView } from '../../../shared/api/views';
import { api } from '../bridge/api';
import { FIRST_PAGE, takeFirstPage } from '../lib/prefetch';
import type { AllocationGridColumn, AllocationTuple, AllocationTotalsView, UiContractInput } from '../bridge/ui-contract';

/** Rows per block: one request each; the first page prefetched at start-up is the first block. */
export const BLOCK_ROWS = FIRST_PAGE;

export type AllocationQuery = Required<Pick<UiContractInput<'allocationRows'>, 'sort' | 'filter' | 'search'>>;

export function fromTuple(t: AllocationTuple, f: { fundId: string; fundName: string; currency: string }): AllocationView {
  return {
    id: t[0],
    fund_id: f.fundId,
    deal_id: t[1],
    deal_name: t[2],
    security_type: t[3],
    amount: t[4],
    status: t[5],
    date: t[6],
    approved_by: t[7],
    approved_at: t[8],
    version: t[9],
    updated_at: t[10],
    updated_by: t[11],
    deleted_at: null,
    fund_name: f.fundName,
    currency: f.currency,
  };
}

/** The columns the host sorts and filters by (shared/api/ui-contract ALLOCATION_GRID_COLUMNS; the renderer bundles no schemas). */
const COLUMNS = new Set<string>(['deal_name', 'sector', 'security_type', 'amount', 'status', 'date', 'approved_by', 'updated_at', 'version', 'id'] satisfies AllocationGridColumn[]);
type Filter = AllocationQuery['filter'][keyof AllocationQuery['filter']];
type Condition = { filterType?: string; type?: string; filter?: unknown; filterTo?: unknown };

/** The amount column filters in currency units (what the user types); the host compares cents. */
function toCents(c: Condition): Condition {
  const cents = (v: unknown) => (typeof v === 'number' ? Math.round(v * 100) : v);
  return { ...c, filter: cents(c.filter), filterTo: cents(c.filterTo) };
}

/** The grid's sort and filter models and the search box as an allocationRows query. */
export function toQuery(sortModel: SortModelItem[], filterModel: Record<string, unknown> | null, search: string): AllocationQuery {
  const sort = sortModel.filter((s) => COLUMNS.has(s.colId)).map((s) => ({ colId: s.colId as AllocationQuery['sort'][number]['colId'], sort: s.sort }));
  const filter: Record<string, Filter> = {};
  for (const [col, f] of Object.entries(filterModel ?? {})) {
    if (!COLUMNS.has(col) || !f) continue;
    const m = f as Condition & { conditions?: Condition[] };
    filter[col] = (col === 'amount' ? (m.conditions ? { ...m, conditions: m.conditions.map(toCents) } : toCents(m)) : m) as Filter;
  }
  return { sort, filter: filter as AllocationQuery['filter'], search: search.trim() };
}

export const queryKey = (q: AllocationQuery) => JSON.stringify(q);
export const isDefaultQuery = (q: AllocationQuery) => !q.sort.length && !Object.keys(q.filter).length && !q.search;

export interface SourceEvents {
  /** Totals over the rows matching the current query (the pinned row, the toolbar count). */
  onTotals: (totals: AllocationTotalsView, total: number, key: string) => void;
  onError: (e: unknown) => void;
  onLoaded: () => void;
}

/**
 * A datasource for one fund. `search()` reads the search box at request
 * time; the first page prefetched at start-up (lib/prefetch), if any, is
 * taken by the grid's first request when that is exactly the first block
 * of the default order.
 */
export function allocationDatasource(fundId: string, search: () => string, events: SourceEvents): IDatasource & { totalsKey: string | null } {
  let first = true;
  const ds = {
    totalsKey: null as string | null,
    getRows(p: IGetRowsParams) {
      const q = toQuery(p.sortModel, p.filterModel as Record<string, unknown> | null, search());
      const key = queryKey(q);
      const limit = p.endRow - p.startRow;
      const prefetched = first && p.startRow === 0 && limit === BLOCK_ROWS && isDefaultQuery(q) ? takeFirstPage(fundId) : undefined;
      first = false;
      const request = prefetched ?? api().allocationRows({ fundId, offset: p.startRow, limit, ...q });
      // Totals (a scan of the fund on the host) go in their own request, after the rows, so the first rows do not wait.
      if (ds.totalsKey !== key) {
        ds.totalsKey = key;
        void request
          .catch(() => undefined)
          .then(() => api().allocationRows({ fundId, limit: 1, ...q, totals: true }))
          .then(
            (r) => r.totals && ds.totalsKey === key && events.onTotals(r.totals, r.total, key),
            (e: unknown) => {
              if (ds.totalsKey === key) ds.totalsKey = null;
              events.onError(e);
            },
          );
      }
      request.then(
        (r) => {
          const rows = r.rows.map((t) => fromTuple(t, r));
          // The last row: known when the page ends short, or (unfiltered) from the fund's count.
          const last = rows.length < limit ? p.startRow + rows.length : isDefaultQuery(q) ? r.total : -1;
          p.successCallback(rows, last);
          events.onLoaded();
        },
        (e: unknown) => {
          p.failCallback();
          events.onError(e);
        },
      );
    },
  };
  return ds;
}
