import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FieldError,
  IGNORED_COLUMNS,
  IMPORT_FIELDS,
  IMPORT_HEADERS,
  IMPORT_KINDS,
  IMPORT_SCHEMAS,
  issueCode,
  type FieldSpec,
} from '../../../shared/imports/formats';
import { IMPORT_KINDS as CONTRACT_KINDS } from '../../../shared/imports/kinds';

describe('import formats', () => {
  it('has the exact header of every kind', () => {
    expect(IMPORT_KINDS).toBe(CONTRACT_KINDS);
    expect(Object.fromEntries(IMPORT_KINDS.map((k) => [k, IMPORT_HEADERS[k].join(',')]))).toEqual({
      funds: 'id,name,currency,vintage,size',
      deals: 'id,name,sector,country,stage',
      investors: 'id,name',
      commitments: 'investor_id,fund_id,amount',
      allocations: 'id,fund_id,deal_id,security_type,amount,status,date',
      cashflows: 'fund_id,date,type,amount',
      navs: 'fund_id,date,nav',
      index: 'index,date,level',
    });
    for (const k of IMPORT_KINDS) for (const c of IGNORED_COLUMNS[k]) expect(IMPORT_HEADERS[k]).not.toContain(c);
  });

  it('turns a record into typed values: cents without floats, dates, enums', () => {
    const r = IMPORT_SCHEMAS.allocations.parse({
      id: 'A1',
      fund_id: 'F1',
      deal_id: 'D1',
      security_type: 'senior_debt',
      amount: ' 1208053.71 ',
      status: 'approved',
      date: '2024-02-29',
      fund_name: 'ignored',
    } as never);
    expect(r).toEqual({ id: 'A1', fund_id: 'F1', deal_id: 'D1', security_type: 'senior_debt', amount: 120_805_371, status: 'approved', date: '2024-02-29' });
    expect(IMPORT_SCHEMAS.funds.parse({ id: 'F', name: 'Fund', currency: 'EUR', vintage: '2021', size: '0.1' })).toMatchObject({ vintage: 2021, size: 10 });
    expect(IMPORT_SCHEMAS.navs.parse({ fund_id: 'F', date: '2024-01-01', nav: '-0.00' }).nav).toBe(0);
    expect(Object.is(IMPORT_SCHEMAS.navs.parse({ fund_id: 'F', date: '2024-01-01', nav: '-0.00' }).nav, -0)).toBe(false);
    expect(IMPORT_SCHEMAS.index.parse({ index: 'MSCI World', date: '2024-01-01', level: '3437.54' }).level).toBe(3437.54);
    expect(IMPORT_SCHEMAS.cashflows.parse({ fund_id: 'F', date: '2024-01-01', type: 'distribution', amount: '5' })).toMatchObject({ type: 'distribution', amount: 500 });
  });

  it('puts a stable code on every zod issue', () => {
    const r = IMPORT_SCHEMAS.allocations.safeParse({
      id: '',
      fund_id: 'F1',
      deal_id: 'D1',
      security_type: 'bond',
      amount: '1,000.00',
      status: 'approved',
      date: '2023-02-29',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => [i.path.join('.'), issueCode(i)])).toEqual([
      ['id', 'INVALID_INPUT'],
      ['security_type', 'INVALID_INPUT'],
      ['amount', 'INVALID_AMOUNT'],
      ['date', 'INVALID_DATE'],
    ]);
  });

  it('refuses amounts a person could misread: three decimals, grouping, exponents, comma decimals', () => {
    const amount = IMPORT_FIELDS.allocations.amount;
    for (const bad of ['12.345', '1,000.00', '1 000', '1e3', '12,50', '.5', '5.', '+5', 'NaN', '0', '-1']) {
      expect(amount.parse(bad), bad).toBeInstanceOf(FieldError);
    }
    expect(amount.parse('0.01')).toBe(1);
    expect(amount.parse('90071992547409.91')).toBe(9_007_199_254_740_991);
    expect(amount.parse('90071992547409.92')).toBeInstanceOf(FieldError);
  });

  it('the zod schema and the importer hot path (spec.parse) agree on any text', () => {
    const texts = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^-?\d{0,16}(\.\d{0,3})?$/),
      fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      fc.constantFrom(...['approved', 'proposed', 'Approved', 'senior_debt', 'USD', 'usd', '2021', '1899']),
    );
    const columns: [string, string, FieldSpec<unknown>][] = [];
    for (const k of IMPORT_KINDS) {
      for (const [c, spec] of Object.entries(IMPORT_FIELDS[k])) columns.push([k, c, spec as FieldSpec<unknown>]);
    }
    fc.assert(
      fc.property(fc.constantFrom(...columns), texts, ([kind, column, spec], text) => {
        const record = Object.fromEntries(IMPORT_HEADERS[kind as 'funds'].map((c) => [c, c === column ? text : 'x']));
        const viaZod = (IMPORT_SCHEMAS[kind as 'funds'] as unknown as { safeParse(v: unknown): { success: boolean; data?: Record<string, unknown>; error?: { issues: { path: PropertyKey[] }[] } } }).safeParse(record);
        const direct = spec.parse(text.trim());
        const zodIssue = viaZod.error?.issues.find((i) => i.path[0] === column);
        if (direct instanceof FieldError) {
          expect(zodIssue).toBeDefined();
          expect(issueCode(zodIssue as never)).toBe(direct.code);
        } else {
          expect(zodIssue).toBeUndefined();
          if (viaZod.success) expect(viaZod.data![column]).toEqual(direct);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
