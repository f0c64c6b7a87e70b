/**
 * Loads one fund's flows from the local database and computes its metrics
 * with the shared finance code. Reads go through prepared statements: the
 * metrics of a thousand funds are computed in one pass at start-up.
 */
import type Database from 'better-sqlite3';
import { computeFundMetrics, prepareIndexSeries, type FundMetrics, type IndexSeries } from '../../shared/finance';
import { MeridianError } from '../../shared/errors';

interface Statements {
  fund: Database.Statement<[string], { id: string; currency: string; size: number }>;
  committed: Database.Statement<[string], { v: number | null }>;
  calledInApp: Database.Statement<[string, string], { v: number | null }>;
  payments: Database.Statement<[string, string], { date: string; amount: number }>;
  contributions: Database.Statement<[string, string], { date: string; amount: number }>;
  distributions: Database.Statement<[string, string], { date: string; amount: number; recallable: number }>;
  navs: Database.Statement<[string, string], { date: string; nav: number }>;
  allocated: Database.Statement<[string], { v: number | null }>;
  index: Database.Statement<[string], { date: string; level: number }>;
}

const cache = new WeakMap<Database.Database, Statements>();

function statements(db: Database.Database): Statements {
  let s = cache.get(db);
  if (s) return s;
  s = {
    fund: db.prepare('SELECT id, currency, size FROM fund WHERE id = ? AND deleted_at IS NULL'),
    committed: db.prepare('SELECT sum(amount) v FROM commitment WHERE fund_id = ? AND deleted_at IS NULL'),
    calledInApp: db.prepare(
      "SELECT sum(amount) v FROM capital_call WHERE fund_id = ? AND call_date <= ? AND status IN ('issued','partially_paid','paid') AND deleted_at IS NULL",
    ),
    payments: db.prepare(
      'SELECT p.date, p.amount FROM payment p JOIN capital_call c ON c.id = p.call_id WHERE c.fund_id = ? AND p.date <= ? AND p.deleted_at IS NULL',
    ),
    contributions: db.prepare('SELECT date, amount FROM contribution WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL'),
    distributions: db.prepare('SELECT date, amount, recallable FROM distribution WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL'),
    navs: db.prepare('SELECT date, nav FROM nav_mark WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL ORDER BY date'),
    allocated: db.prepare(
      "SELECT sum(amount) v FROM allocation WHERE fund_id = ? AND status IN ('approved','committed','funded') AND deleted_at IS NULL",
    ),
    index: db.prepare('SELECT date, level FROM index_level WHERE index_name = ? AND deleted_at IS NULL ORDER BY date'),
  } as Statements;
  cache.set(db, s);
  return s;
}

/** The benchmark index series by name, or undefined when no level is stored. */
export function loadIndexSeries(db: Database.Database, name: string): IndexSeries | undefined {
  const levels = statements(db).index.all(name);
  return levels.length ? prepareIndexSeries(levels) : undefined;
}

export function listIndexNames(db: Database.Database): string[] {
  return db
    .prepare<[], { index_name: string }>('SELECT DISTINCT index_name FROM index_level WHERE deleted_at IS NULL ORDER BY index_name')
    .all()
    .map((r) => r.index_name);
}

/**
 * Metrics of one fund as of `asOf`. "Called" counts issued (not draft, not
 * cancelled) calls dated on or before asOf plus imported contributions;
 * paid-in capital counts payments and imported contributions.
 */
export function fundMetrics(db: Database.Database, fundId: string, asOf: string, index?: IndexSeries): FundMetrics {
  const s = statements(db);
  const fund = s.fund.get(fundId);
  if (!fund) throw new MeridianError('NOT_FOUND', `fund ${fundId} does not exist`, { fundId });
  const imported = s.contributions.all(fundId, asOf);
  const contributions = [...s.payments.all(fundId, asOf), ...imported];
  const importedTotal = imported.reduce((t, c) => t + c.amount, 0);
  return computeFundMetrics({
    fundId,
    currency: fund.currency,
    size: fund.size,
    asOf,
    committed: s.committed.get(fundId)?.v ?? 0,
    called: (s.calledInApp.get(fundId, asOf)?.v ?? 0) + importedTotal,
    contributions,
    distributions: s.distributions.all(fundId, asOf),
    navMarks: s.navs.all(fundId, asOf),
    allocated: s.allocated.get(fundId)?.v ?? 0,
    index,
  });
}
