/**
 * Chart series from contract data, pure and unit-tested. Sums stay in
 * integer cents; only the plotted values become major-unit floats.
 */
import type { AllocationView } from '../../../shared/api/views';
import type { DealRow } from '../../../shared/domain/entities';
import type { FundCashflowsView } from '../bridge/ui-contract';

const COUNTED = new Set(['approved', 'committed', 'funded']);

/** Last day of the quarter containing `date` (YYYY-MM-DD). */
export function quarterEnd(date: string): string {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  const month = q * 3 + 3;
  const last = new Date(Date.UTC(y, month, 0)).getUTCDate();
  return `${y}-${String(month).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
}

function nextQuarterEnd(qe: string): string {
  const y = Number(qe.slice(0, 4));
  const m = Number(qe.slice(5, 7));
  return m === 12 ? quarterEnd(`${y + 1}-01-01`) : quarterEnd(`${y}-${String(m + 1).padStart(2, '0')}-01`);
}

/** "2023-06-30" → "Q2 23" */
export function quarterLabel(qe: string): string {
  return `Q${Math.ceil(Number(qe.slice(5, 7)) / 3)} ${qe.slice(2, 4)}`;
}

export interface JCurvePoint {
  date: string;
  /** Cumulative paid-in, cents (positive). */
  contributions: number;
  /** Cumulative distributions, cents. */
  distributions: number;
  /** Latest NAV mark on or before the quarter end, cents. */
  nav: number;
  /** distributions + nav − contributions, cents. */
  net: number;
}

/** Quarter-end points from the first flow to asOf. Empty when the fund has no flows. */
export function jCurve(cf: FundCashflowsView): JCurvePoint[] {
  const dates = [...cf.contributions.map((c) => c.date), ...cf.distributions.map((d) => d.date), ...cf.navMarks.map((n) => n.date)].sort();
  if (!dates.length) return [];
  const end = quarterEnd(cf.asOf < dates[dates.length - 1]! ? dates[dates.length - 1]! : cf.asOf);
  const contributions = [...cf.contributions].sort((a, b) => (a.date < b.date ? -1 : 1));
  const distributions = [...cf.distributions].sort((a, b) => (a.date < b.date ? -1 : 1));
  const navs = [...cf.navMarks].sort((a, b) => (a.date < b.date ? -1 : 1));
  const out: JCurvePoint[] = [];
  let ci = 0;
  let di = 0;
  let ni = 0;
  let paid = 0;
  let dist = 0;
  let nav = 0;
  for (let qe = quarterEnd(dates[0]!); qe <= end; qe = nextQuarterEnd(qe)) {
    while (ci < contributions.length && contributions[ci]!.date <= qe) paid += contributions[ci++]!.amount;
    while (di < distributions.length && distributions[di]!.date <= qe) dist += distributions[di++]!.amount;
    while (ni < navs.length && navs[ni]!.date <= qe) nav = navs[ni++]!.nav;
    out.push({ date: qe, contributions: paid, distributions: dist, nav, net: dist + nav - paid });
  }
  return out;
}

export interface SectorSlice {
  sector: string;
  /** Counted allocations, cents. */
  amount: number;
  count: number;
}

/** Counted allocations by deal sector, largest first. */
export function allocationBySector(allocations: readonly AllocationView[], deals: readonly DealRow[]): SectorSlice[] {
  const sectorOf = new Map(deals.map((d) => [d.id, d.sector || 'Unclassified']));
  const by = new Map<string, SectorSlice>();
  for (const a of allocations) {
    if (!COUNTED.has(a.status)) continue;
    const sector = sectorOf.get(a.deal_id) ?? 'Unclassified';
    let s = by.get(sector);
    if (!s) by.set(sector, (s = { sector, amount: 0, count: 0 }));
    s.amount += a.amount;
    s.count++;
  }
  return [...by.values()].sort((a, b) => b.amount - a.amount || a.sector.localeCompare(b.sector));
}

export interface UtilisationPoint {
  date: string;
  /** Counted allocations dated on or before the quarter end, cents. */
  allocated: number;
  /** allocated ÷ size, or null for a fund of size 0. */
  utilisation: number | null;
}

/** Utilisation at each quarter end, from the dates of the allocations that count today. */
export function utilisationOverTime(allocations: readonly AllocationView[], size: number, asOf: string): UtilisationPoint[] {
  const counted = allocations.filter((a) => COUNTED.has(a.status)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (!counted.length) return [];
  const end = quarterEnd(asOf > counted[counted.length - 1]!.date ? asOf : counted[counted.length - 1]!.date);
  const out: UtilisationPoint[] = [];
  let i = 0;
  let allocated = 0;
  for (let qe = quarterEnd(counted[0]!.date); qe <= end; qe = nextQuarterEnd(qe)) {
    while (i < counted.length && counted[i]!.date <= qe) allocated += counted[i++]!.amount;
    out.push({ date: qe, allocated, utilisation: size > 0 ? allocated / size : null });
  }
  return out;
}

/** Cents → major units for plotting only. */
export function toMajor(cents: number): number {
  return cents / 100;
}
