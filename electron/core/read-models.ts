/** Read queries behind the contract's list/get methods (local SQLite). */
import type Database from 'better-sqlite3';
import type { AllocationView, CapitalCallView, CallLineView } from '../../shared/api/views';
import type { CapitalCallRow, DealRow, InvestorRow } from '../../shared/domain/entities';
import { effectiveCallStatus } from '../../shared/domain/capital-call-status';
import { MeridianError } from '../../shared/errors';

export function listAllocations(db: Database.Database, fundId?: string): AllocationView[] {
  const sql = `SELECT a.*, f.name AS fund_name, f.currency AS currency, d.name AS deal_name
    FROM allocation a JOIN fund f ON f.id = a.fund_id JOIN deal d ON d.id = a.deal_id
    WHERE a.deleted_at IS NULL ${fundId ? 'AND a.fund_id = ?' : ''} ORDER BY a.date, a.id`;
  return db.prepare<unknown[], AllocationView>(sql).all(...(fundId ? [fundId] : []));
}

export function listDeals(db: Database.Database): DealRow[] {
  return db.prepare<[], DealRow>('SELECT * FROM deal WHERE deleted_at IS NULL ORDER BY name').all();
}

export function listInvestors(db: Database.Database): InvestorRow[] {
  return db.prepare<[], InvestorRow>('SELECT * FROM investor WHERE deleted_at IS NULL ORDER BY name').all();
}

type CallWithFund = CapitalCallRow & { fund_name: string; currency: string };

function toView(db: Database.Database, call: CallWithFund, today: string, withLines: boolean): CapitalCallView {
  const lines = db
    .prepare<[string], CallLineView>(
      `SELECT l.*, i.name AS investor_name, l.amount - l.paid AS outstanding
       FROM capital_call_line l JOIN investor i ON i.id = l.investor_id
       WHERE l.call_id = ? AND l.deleted_at IS NULL ORDER BY i.name, l.investor_id`,
    )
    .all(call.id);
  const paid = lines.reduce((t, l) => t + l.paid, 0);
  const outstanding = call.status === 'cancelled' ? 0 : call.amount - paid;
  return {
    ...call,
    paid,
    outstanding,
    effective_status: effectiveCallStatus(call.status, call.due_date, outstanding, today),
    lines: withLines ? lines : [],
  };
}

const CALL_SELECT = `SELECT c.*, f.name AS fund_name, f.currency AS currency FROM capital_call c JOIN fund f ON f.id = c.fund_id WHERE c.deleted_at IS NULL`;

export function listCapitalCalls(db: Database.Database, today: string, fundId?: string): CapitalCallView[] {
  const rows = db.prepare<unknown[], CallWithFund>(`${CALL_SELECT} ${fundId ? 'AND c.fund_id = ?' : ''} ORDER BY c.call_date DESC, c.id`).all(...(fundId ? [fundId] : []));
  return rows.map((c) => toView(db, c, today, false));
}

export function getCapitalCall(db: Database.Database, id: string, today: string): CapitalCallView {
  const call = db.prepare<[string], CallWithFund>(`${CALL_SELECT} AND c.id = ?`).get(id);
  if (!call) throw new MeridianError('NOT_FOUND', `capital call ${id} does not exist`, { id });
  return toView(db, call, today, true);
}
