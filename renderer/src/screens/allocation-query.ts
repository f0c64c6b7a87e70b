/**
 * The allocation grid's query (pure): AG Grid's sort and filter models and
 * the search box as an `allocationRows` input, and compact rows back to
 * allocation views.
 */
import type { SortModelItem } from 'ag-grid-community';
import type { AllocationView } from '../../../shared/api/views';
import type { AllocationGridColumn, AllocationTuple, UiContractInput } from '../bridge/ui-contract';

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

