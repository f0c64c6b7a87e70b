/** Reads the records the LP documents derive their figures from (lp-figures.ts). */
import type Database from 'better-sqlite3';
import type { ProRataBasis } from '../../../shared/finance';
import type { FundRow, InvestorRow } from '../../../shared/domain/entities';
import { MeridianError } from '../../../shared/errors';
import type { Dated } from './lp-figures';

export interface FundLpRecords {
  fund: FundRow;
  /** Live commitments with an amount, by investor id (the split basis capital calls use). */
  commitments: ProRataBasis[];
  investorNames: Map<string, string>;
  fundContributions: Dated[];
  fundDistributions: Array<Dated & { recallable: number }>;
  navMarks: Array<{ date: string; nav: number }>;
}

export function loadFund(db: Database.Database, fundId: string): FundRow {
  const fund = db.prepare<[string], FundRow>('SELECT * FROM fund WHERE id = ? AND deleted_at IS NULL').get(fundId);
  if (!fund) throw new MeridianError('NOT_FOUND', `fund ${fundId} does not exist`, { entity: 'fund', id: fundId });
  return fund;
}

export function loadInvestor(db: Database.Database, investorId: string): InvestorRow {
  const inv = db.prepare<[string], InvestorRow>('SELECT * FROM investor WHERE id = ? AND deleted_at IS NULL').get(investorId);
  if (!inv) throw new MeridianError('NOT_FOUND', `investor ${investorId} does not exist`, { entity: 'investor', id: investorId });
  return inv;
}

export function loadFundLpRecords(db: Database.Database, fundId: string): FundLpRecords {
  const fund = loadFund(db, fundId);
  const rows = db
    .prepare<[string], { key: string; weight: number; name: string }>(
      `SELECT c.investor_id AS key, c.amount AS weight, i.name FROM commitment c JOIN investor i ON i.id = c.investor_id
        WHERE c.fund_id = ? AND c.deleted_at IS NULL AND c.amount > 0 ORDER BY c.investor_id`,
    )
    .all(fundId);
  return {
    fund,
    commitments: rows.map((r) => ({ key: r.key, weight: r.weight })),
    investorNames: new Map(rows.map((r) => [r.key, r.name])),
    fundContributions: db.prepare<[string], Dated>('SELECT date, amount FROM contribution WHERE fund_id = ? AND deleted_at IS NULL ORDER BY date, id').all(fundId),
    fundDistributions: db
      .prepare<[string], Dated & { recallable: number }>('SELECT date, amount, recallable FROM distribution WHERE fund_id = ? AND deleted_at IS NULL ORDER BY date, id')
      .all(fundId),
    navMarks: db.prepare<[string], { date: string; nav: number }>('SELECT date, nav FROM nav_mark WHERE fund_id = ? AND deleted_at IS NULL ORDER BY date').all(fundId),
  };
}

/** The LP's lines on the fund's issued, partially paid or paid calls, at their call dates. */
export function loadLpCalls(db: Database.Database, fundId: string, investorId: string): Dated[] {
  return db
    .prepare<[string, string], Dated>(
      `SELECT c.call_date AS date, l.amount FROM capital_call_line l JOIN capital_call c ON c.id = l.call_id
        WHERE c.fund_id = ? AND l.investor_id = ? AND l.deleted_at IS NULL AND c.deleted_at IS NULL
          AND c.status IN ('issued','partially_paid','paid') ORDER BY c.call_date, c.id`,
    )
    .all(fundId, investorId);
}

/** The LP's payments on the fund's calls. */
export function loadLpPayments(db: Database.Database, fundId: string, investorId: string): Dated[] {
  return db
    .prepare<[string, string], Dated>(
      `SELECT p.date, p.amount FROM payment p JOIN capital_call c ON c.id = p.call_id
        WHERE c.fund_id = ? AND p.investor_id = ? AND p.deleted_at IS NULL ORDER BY p.date, p.id`,
    )
    .all(fundId, investorId);
}
