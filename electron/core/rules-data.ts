/** Counted-allocation totals read synchronously, for instant rule checks in the UI and imports. */
import type Database from 'better-sqlite3';

export function countedTotalsSync(db: Database.Database, fundId: string, dealId: string, excludeId: string) {
  const r = db
    .prepare<[string, string, string], { fund_total: number | null; pair_total: number | null }>(
      `SELECT sum(amount) AS fund_total, sum(CASE WHEN deal_id = ? THEN amount ELSE 0 END) AS pair_total
       FROM allocation WHERE fund_id = ? AND id != ? AND status IN ('approved','committed','funded') AND deleted_at IS NULL`,
    )
    .get(dealId, fundId, excludeId);
  return { fundCounted: r?.fund_total ?? 0, pairCounted: r?.pair_total ?? 0 };
}
