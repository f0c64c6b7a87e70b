/** The allocation grid's rows, sort, filters, search and totals as SQL over a real SQLite profile (electron/core/allocation-rows). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAllocationRowsReader } from '../../../electron/core/allocation-rows';
import { uiContractInputs, type UiContractInput } from '../../../shared/api/ui-contract';
import { M, seedBasics } from '../../helpers/seed';
import { tempWorkstation } from '../../helpers/temp-profile';

const ws = tempWorkstation({ today: () => '2024-06-30' });
const read = createAllocationRowsReader(ws.db.raw);
const rows = (input: Omit<UiContractInput<'allocationRows'>, 'fundId'>) => read(uiContractInputs.allocationRows.parse({ fundId: 'F1', ...input }));
const ids = (input: Omit<UiContractInput<'allocationRows'>, 'fundId'>) => rows(input).rows.map((r) => r[0]);

beforeAll(async () => {
  ws.actor = { userId: 'setup', role: 'admin' };
  await seedBasics(ws);
  // D1 Acme Robotics (Industrials), D2 Borealis Health (Healthcare), D3 Cobalt Software (Technology)
  for (const [id, deal, amount, date] of [
    ['A1', 'D1', 1_000_000, '2024-01-10'],
    ['A2', 'D2', 2_500_000, '2024-01-05'],
    ['A3', 'D3', 750_000, '2024-02-01'],
    ['A4', 'D2', 6_000_000, '2024-01-05'], // over the approval threshold: stays proposed
  ] as const) {
    await ws.mutate({ name: 'createAllocation', args: { id, fundId: 'F1', dealId: deal, amount: M(amount), date, securityType: id === 'A3' ? 'senior_debt' : 'common_equity' } });
  }
});

describe('allocation rows for the grid', () => {
  it('pages in the default order (date, id), also past the first page', () => {
    expect(ids({})).toEqual(['A2', 'A4', 'A1', 'A3']);
    expect(ids({ limit: 2 })).toEqual(['A2', 'A4']);
    expect(ids({ offset: 2, limit: 2 })).toEqual(['A1', 'A3']);
    expect(ids({ offset: 3, limit: 5 })).toEqual(['A3']);
    expect(rows({ limit: 1 }).total).toBe(4);
  });

  it('sorts by any grid column, ties broken by id, on every page', () => {
    expect(ids({ sort: [{ colId: 'amount', sort: 'desc' }] })).toEqual(['A4', 'A2', 'A1', 'A3']);
    expect(ids({ sort: [{ colId: 'amount', sort: 'desc' }], offset: 1, limit: 2 })).toEqual(['A2', 'A1']);
    expect(ids({ sort: [{ colId: 'deal_name', sort: 'desc' }] })).toEqual(['A3', 'A2', 'A4', 'A1']);
    expect(ids({ sort: [{ colId: 'sector', sort: 'asc' }, { colId: 'amount', sort: 'asc' }] })).toEqual(['A2', 'A4', 'A1', 'A3']);
  });

  it('filters as the grid shows values: humanized text, amounts in cents, combined conditions', () => {
    expect(ids({ filter: { security_type: { filterType: 'text', type: 'contains', filter: 'senior debt' } } })).toEqual(['A3']);
    expect(ids({ filter: { status: { filterType: 'text', type: 'equals', filter: 'Proposed' } } })).toEqual(['A4']);
    expect(ids({ filter: { amount: { filterType: 'number', type: 'inRange', filter: M(900_000), filterTo: M(2_500_000) } } })).toEqual(['A2', 'A1']);
    expect(
      ids({ filter: { deal_name: { filterType: 'text', operator: 'OR', conditions: [{ filterType: 'text', type: 'startsWith', filter: 'acme' }, { filterType: 'text', type: 'endsWith', filter: 'software' }] } } }),
    ).toEqual(['A1', 'A3']);
    expect(ids({ filter: { approved_by: { filterType: 'text', type: 'blank' } } })).toEqual(['A4']);
    // LIKE wildcards typed by the user are literal characters.
    expect(ids({ filter: { deal_name: { filterType: 'text', type: 'contains', filter: '%' } } })).toEqual([]);
    // An empty condition (the user is still typing) does not filter.
    expect(ids({ filter: { deal_name: { filterType: 'text', type: 'contains', filter: '' } } })).toHaveLength(4);
  });

  it('searches every word across deal, sector, security type, status, date and approver', () => {
    expect(ids({ search: 'health' })).toEqual(['A2', 'A4']);
    expect(ids({ search: 'health proposed' })).toEqual(['A4']);
    expect(ids({ search: '2024-02' })).toEqual(['A3']);
    expect(ids({ search: 'nothing-like-this' })).toEqual([]);
  });

  it('totals the matching rows in SQL: count, amount, counted amount, and whether anything awaits approval', () => {
    expect(rows({ limit: 1, totals: true }).totals).toEqual({ rows: 4, amount: M(10_250_000), counted: M(4_250_000), anyProposed: true });
    expect(rows({ limit: 1, totals: true, search: 'health' }).totals).toEqual({ rows: 2, amount: M(8_500_000), counted: M(2_500_000), anyProposed: true });
    expect(rows({ limit: 1 }).totals).toBeUndefined();
  });

  it('summarises counted allocations by sector and date for the charts', () => {
    expect(rows({ limit: 1, summary: true }).summary).toEqual({
      bySector: [
        { sector: 'Healthcare', amount: M(2_500_000), count: 1 },
        { sector: 'Industrials', amount: M(1_000_000), count: 1 },
        { sector: 'Technology', amount: M(750_000), count: 1 },
      ],
      countedByDate: [
        { date: '2024-01-05', amount: M(2_500_000) },
        { date: '2024-01-10', amount: M(1_000_000) },
        { date: '2024-02-01', amount: M(750_000) },
      ],
    });
  });

  it('forgets remembered counts and orders when the data changes', async () => {
    expect(ids({ sort: [{ colId: 'amount', sort: 'asc' }], offset: 1, limit: 10 })).toEqual(['A1', 'A2', 'A4']);
    const a3 = ws.db.raw.prepare<[], { version: number }>("SELECT version FROM allocation WHERE id = 'A3'").get()!;
    await ws.mutate({ name: 'updateAllocation', args: { id: 'A3', expectedVersion: a3.version, amount: M(3_000_000) } });
    expect(ids({ sort: [{ colId: 'amount', sort: 'asc' }], offset: 1, limit: 10 })).toEqual(['A2', 'A3', 'A4']);
    expect(rows({ limit: 1, totals: true }).totals).toMatchObject({ rows: 4, amount: M(12_500_000), counted: M(6_500_000) });
  });
});
