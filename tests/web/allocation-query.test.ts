/** The allocation grid's models as an allocationRows query (renderer/src/screens/allocation-query), checked against the contract's schema. */
import { describe, expect, it } from 'vitest';
import { isDefaultQuery, toQuery } from '../../renderer/src/screens/allocation-query';
import { uiContractInputs } from '../../shared/api/ui-contract';

describe('allocation grid query', () => {
  it('turns sort, filters and search into a valid allocationRows input; amount filters go in cents', () => {
    const q = toQuery(
      [{ colId: 'amount', sort: 'desc' }],
      {
        amount: { filterType: 'number', type: 'inRange', filter: 1_000_000.5, filterTo: 2_500_000 },
        deal_name: { filterType: 'text', operator: 'OR', conditions: [{ filterType: 'text', type: 'contains', filter: 'acme' }, { filterType: 'text', type: 'startsWith', filter: 'co' }] },
      },
      '  health  ',
    );
    expect(q).toEqual({
      sort: [{ colId: 'amount', sort: 'desc' }],
      filter: {
        amount: { filterType: 'number', type: 'inRange', filter: 100_000_050, filterTo: 250_000_000 },
        deal_name: { filterType: 'text', operator: 'OR', conditions: [{ filterType: 'text', type: 'contains', filter: 'acme' }, { filterType: 'text', type: 'startsWith', filter: 'co' }] },
      },
      search: 'health',
    });
    expect(() => uiContractInputs.allocationRows.parse({ fundId: '0190f000-0000-7000-8000-0000000000f1', ...q })).not.toThrow();
    expect(isDefaultQuery(q)).toBe(false);
  });

  it('leaves out columns the host does not know (e.g. the actions column) and is the default query when empty', () => {
    const q = toQuery([{ colId: 'actions', sort: 'asc' }], { actions: { filterType: 'text', type: 'contains', filter: 'x' } }, '');
    expect(q).toEqual({ sort: [], filter: {}, search: '' });
    expect(isDefaultQuery(q)).toBe(true);
  });
});
