/**
 * Where the allocations grid gets its rows: AG Grid's infinite row model
 * asks for blocks, and each block is one `allocationRows` call with the
 * grid's sort, filters and quick search, answered by SQL on the host. The
 * renderer never holds the whole fund; totals for the pinned row come from
 * the host too (`totals: true`), once per query.
 */
import type { IDatasource, IGetRowsParams } from 'ag-grid-community';
import { api } from '../bridge/api';
import type { AllocationTotalsView } from '../bridge/ui-contract';
import { FIRST_PAGE, takeFirstPage } from '../lib/prefetch';
import { fromTuple, isDefaultQuery, queryKey, toQuery } from './allocation-query';

export { fromTuple, isDefaultQuery, queryKey, toQuery, type AllocationQuery } from './allocation-query';

/** Rows per block: one request each; the first page prefetched at start-up is the first block. */
export const BLOCK_ROWS = FIRST_PAGE;

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
