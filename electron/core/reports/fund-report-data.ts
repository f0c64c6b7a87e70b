/**
 * What the fund report shows, read from the local database in one pass:
 * the fund, its metrics (electron/core/metrics.ts → shared/finance), the
 * quarterly J-curve, counted allocations by sector and every live
 * allocation for the table.
 */
import type Database from 'better-sqlite3';
import type { FundMetrics } from '../../../shared/finance';
import { MeridianError } from '../../../shared/errors';
import type { FundRow } from '../../../shared/domain/entities';
import { fundMetrics, listIndexNames, loadIndexSeries } from '../metrics';
import type { JCurvePoint, SectorSlice } from './charts';

export interface AllocationLine {
  date: string;
  dealName: string;
  sector: string;
  securityType: string;
  status: string;
  amount: number;
}

export interface FundReportData {
  fund: FundRow;
  asOf: string;
  metrics: FundMetrics;
  /** The benchmark the PME figures use, or null when no index is stored. */
  indexName: string | null;
  jCurve: JCurvePoint[];
  sectors: SectorSlice[];
  allocations: AllocationLine[];
  /** Σ of the listed allocations' amounts (all statuses), and of the counted ones. */
  allocationTotal: number;
  countedTotal: number;
}

const COUNTED = "('approved','committed','funded')";

/** The quarter ends from the quarter of `from` to the one of `to`, the last one capped at `to`. */
export function quarterEnds(from: string, to: string): { label: string; date: string }[] {
  const out: { label: string; date: string }[] = [];
  let y = Number(from.slice(0, 4));
  let q = Math.floor((Number(from.slice(5, 7)) - 1) / 3) + 1;
  const ENDS = ['03-31', '06-30', '09-30', '12-31'];
  for (;;) {
    const end = `${y}-${ENDS[q - 1]}`;
    out.push({ label: `${y} Q${q}`, date: end < to ? end : to });
    if (end >= to) break;
    if (++q > 4) {
      q = 1;
      y++;
    }
  }
  return out;
}

/** Cumulative net cash flow to the LPs (distributions − contributions) and with NAV added, at each quarter end. */
export function jCurvePoints(flows: ReadonlyArray<{ date: string; amount: number }>, navs: ReadonlyArray<{ date: string; nav: number }>, asOf: string): JCurvePoint[] {
  const sorted = flows.filter((f) => f.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const marks = navs.filter((n) => n.date <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (!sorted.length) return [];
  const points: JCurvePoint[] = [];
  let i = 0;
  let j = 0;
  let net = 0;
  let nav = 0;
  for (const q of quarterEnds(sorted[0]!.date, asOf)) {
    while (i < sorted.length && sorted[i]!.date <= q.date) net += sorted[i++]!.amount;
    while (j < marks.length && marks[j]!.date <= q.date) nav = marks[j++]!.nav;
    points.push({ label: q.label, netCashFlow: net, netValue: net + nav });
  }
  return points;
}

export function loadFundReportData(db: Database.Database, input: { fundId: string; asOf: string; index?: string }): FundReportData {
  const fund = db.prepare<[string], FundRow>('SELECT * FROM fund WHERE id = ? AND deleted_at IS NULL').get(input.fundId);
  if (!fund) throw new MeridianError('NOT_FOUND', `fund ${input.fundId} does not exist`, { entity: 'fund', id: input.fundId });
  const { asOf } = input;
  const indexName = input.index ?? listIndexNames(db)[0] ?? null;
  const series = indexName ? loadIndexSeries(db, indexName) : undefined;
  if (input.index && !series) throw new MeridianError('NOT_FOUND', `benchmark index "${input.index}" has no levels; import it first (meridian import index FILE)`, { index: input.index });
  const metrics = fundMetrics(db, fund.id, asOf, series);

  const flows = db
    .prepare<[string, string, string, string, string, string], { date: string; amount: number }>(
      `SELECT p.date, -p.amount AS amount FROM payment p JOIN capital_call c ON c.id = p.call_id WHERE c.fund_id = ? AND p.date <= ? AND p.deleted_at IS NULL
       UNION ALL SELECT date, -amount FROM contribution WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL
       UNION ALL SELECT date, amount FROM distribution WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL`,
    )
    .all(fund.id, asOf, fund.id, asOf, fund.id, asOf);
  const navs = db.prepare<[string, string], { date: string; nav: number }>('SELECT date, nav FROM nav_mark WHERE fund_id = ? AND date <= ? AND deleted_at IS NULL ORDER BY date').all(fund.id, asOf);

  const sectors = db
    .prepare<[string], SectorSlice>(
      `SELECT d.sector AS sector, sum(a.amount) AS amount FROM allocation a JOIN deal d ON d.id = a.deal_id
        WHERE a.fund_id = ? AND a.deleted_at IS NULL AND a.status IN ${COUNTED} GROUP BY d.sector ORDER BY amount DESC, d.sector`,
    )
    .all(fund.id);

  const allocations = db
    .prepare<[string], AllocationLine>(
      `SELECT a.date, d.name AS dealName, d.sector, a.security_type AS securityType, a.status, a.amount
         FROM allocation a JOIN deal d ON d.id = a.deal_id
        WHERE a.fund_id = ? AND a.deleted_at IS NULL ORDER BY a.date, a.id`,
    )
    .all(fund.id);
  let allocationTotal = 0;
  let countedTotal = 0;
  for (const a of allocations) {
    allocationTotal += a.amount;
    if (a.status === 'approved' || a.status === 'committed' || a.status === 'funded') countedTotal += a.amount;
  }
  return { fund, asOf, metrics, indexName: series ? indexName : null, jCurve: jCurvePoints(flows, navs, asOf), sectors, allocations, allocationTotal, countedTotal };
}
