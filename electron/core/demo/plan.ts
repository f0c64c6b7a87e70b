/**
 * Plans the demo data: a pure, deterministic function of (seed, today,
 * business rules) that returns the named mutations to run, in the order a
 * firm would have made them. Nothing here touches a database; seed-demo.ts
 * runs the steps through Workstation.mutate.
 *
 * The plan is a small simulation of a private-markets firm:
 * 1. funds, LPs and commitments (summing exactly to each fund's size);
 * 2. allocations with a lifecycle (create → approve → commit → fund → exit,
 *    or reject / cancel), simulated in date order against a running tally
 *    checked with the shared rules engine, so every step is valid when it
 *    runs — allocations that would break a limit are shrunk or dropped,
 *    proposals that would breach at approval time are rejected;
 * 3. cash flows that follow from those allocations: quarterly capital calls
 *    (management fees + fundings) split pro rata and paid per LP line,
 *    distributions from exits (and coupons for the credit fund), quarterly
 *    NAV marks from a value model with a J-curve, and a monthly benchmark
 *    index.
 *
 * Money is integer cents throughout. Modelled values (exit proceeds, NAV
 * marks, coupons) come from float multiples and are rounded to whole
 * currency units once, when they become amounts; sums of amounts are exact.
 */
import type { AllocationStatus, SecurityType } from '../../../shared/domain/entities';
import { splitProRata } from '../../../shared/finance/prorata';
import { newId } from '../../../shared/ids';
import type { MutationName } from '../../../shared/mutators/registry';
import type { BusinessRules } from '../../../shared/rules/business-rules';
import { checkAllocation, needsApproval, utilisationHeadroom } from '../../../shared/rules/engine';
import {
  addDays,
  addMonths,
  addYears,
  between,
  businessDayOnOrAfter,
  businessDayOnOrBefore,
  dayNumber,
  maxDate,
  minDate,
  monthEnd,
  monthEndsBetween,
  quarterEnd,
  quarterKey,
  quarterStart,
  yearOf,
  yearsBetween,
} from './calendar';
import {
  COUNTRIES,
  COUPONS,
  FUND_SPECS,
  INDEX_NAME,
  LEGAL_FORMS,
  LP_SPECS,
  NAME_PREFIXES,
  SECTOR_WEIGHTS,
  SECTOR_WORDS,
  SECURITY_MIX,
  STAGES,
  type FundSpec,
  type LpSpec,
  type Strategy,
} from './catalog';
import { Rng } from './prng';

const UNIT = 100; // cents per major unit
const M = (major: number) => Math.round(major * UNIT);

/** One named mutation of the plan, with the date it belongs to in the firm's history. */
export interface PlannedStep {
  date: string;
  /** Tie-break within a date (see ORDER). */
  order: number;
  seq: number;
  name: MutationName;
  args: Record<string, unknown>;
}

/** Within one date: reference data, then releases before new commitments of capital, then cash, then marks. */
const ORDER = {
  index: 0,
  fund: 1,
  investor: 2,
  commitment: 3,
  deal: 4,
  exit: 10,
  cancel: 11,
  decision: 12,
  commit: 14,
  funding: 15,
  create: 16,
  distribution: 20,
  call: 30,
  callCancel: 31,
  payment: 32,
  nav: 40,
} as const;

export interface PlannedFund {
  id: string;
  spec: FundSpec;
  firstClose: string;
  vintage: number;
  size: number;
  /** First close at least five years before today. */
  mature: boolean;
}

export interface DemoPlan {
  seed: number;
  today: string;
  indexName: string;
  funds: PlannedFund[];
  steps: PlannedStep[];
  /** Designated calls: the latest call left partially paid (not yet due) and the overdue one. */
  partialCallId: string;
  overdueCallId: string;
}

// ───────────────────────────── helpers ─────────────────────────────

/** Rounds cents down to a multiple of `unitMajor` major units. */
function floorTo(cents: number, unitMajor: number): number {
  const u = unitMajor * UNIT;
  return Math.floor(cents / u) * u;
}

/** A modelled value (float cents) as whole currency units. */
function wholeUnits(valueCents: number): number {
  return Math.max(0, Math.round(valueCents / UNIT) * UNIT);
}

class StepList {
  readonly steps: PlannedStep[] = [];
  private seq = 0;
  nextSeq(): number {
    return this.seq++;
  }
  add<N extends MutationName>(date: string, order: number, name: N, args: Record<string, unknown>, seq = this.nextSeq()): void {
    this.steps.push({ date, order, seq, name, args });
  }
}

/** Binary min-heap of allocation events by (date, order, seq) — the order the steps will run in. */
class EventQueue<T extends { date: string; order: number; seq: number }> {
  private items: T[] = [];
  private less(a: T, b: T) {
    return a.date < b.date || (a.date === b.date && (a.order < b.order || (a.order === b.order && a.seq < b.seq)));
  }
  push(e: T) {
    const h = this.items;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const h = this.items;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

// ───────────────────────────── calendar shift ─────────────────────────────

/**
 * Whole years to move the catalog's calendar so the youngest fund's first
 * close lies 12–24 months before today. With today in Dec 2025 – Dec 2026
 * the shift is 0 and the vintages are 2016–2024; on other dates the story
 * (a harvested fund, a young fund in its J-curve) still holds.
 */
export function calendarShift(today: string): number {
  const youngest = FUND_SPECS.reduce((a, f) => (f.firstClose > a ? f.firstClose : a), FUND_SPECS[0]!.firstClose);
  let k = 0;
  while (addYears(youngest, k) > addMonths(today, -12)) k--;
  while (addYears(youngest, k) <= addMonths(today, -24)) k++;
  return k;
}

// ───────────────────────────── deals ─────────────────────────────

interface Deal {
  id: string;
  name: string;
  sector: string;
  country: string;
  stage: string;
  /** Earliest allocation create date, or a sourcing date for pipeline-only deals. */
  firstUse: string | null;
}

class DealBook {
  readonly deals: Deal[] = [];
  private names = new Set<string>();
  constructor(private readonly rng: Rng) {}

  create(strategy: Strategy, region: 'NA' | 'EU'): Deal {
    const r = this.rng;
    const sector = r.weighted(SECTOR_WEIGHTS[strategy]);
    const country = r.weighted(COUNTRIES[region]);
    let name = '';
    for (let attempt = 0; attempt < 60 && (name === '' || this.names.has(name)); attempt++) {
      const base = `${r.pick(NAME_PREFIXES)} ${r.pick(SECTOR_WORDS[sector])}`;
      const forms = LEGAL_FORMS[country];
      name = forms && r.chance(0.5) ? `${base} ${r.pick(forms)}` : base;
    }
    for (let n = 2; this.names.has(name); n++) name = `${name.replace(/ \d+$/, '')} ${n}`;
    this.names.add(name);
    const deal: Deal = { id: newId(), name, sector, country, stage: r.weighted(STAGES[strategy]), firstUse: null };
    this.deals.push(deal);
    return deal;
  }
}

// ───────────────────────────── allocations ─────────────────────────────

type Kind = 'platform' | 'followon' | 'pipeline' | 'declined';

interface Candidate {
  id: string;
  fund: number;
  deal: Deal;
  kind: Kind;
  securityType: SecurityType;
  wanted: number;
  date: string;
  /** Days from proposal to decision, decision to signing, signing to funding. */
  decisionDays: number;
  commitDays: number;
  fundDays: number;
  holdYears: number;
  /** Fall through after approval ('approved') or after signing ('committed'). */
  cancelAt?: 'approved' | 'committed';
  reject?: boolean;
  /** Equity: gross multiple at exit. Credit: repayment multiple on principal (par + fees; below 1 for a workout). */
  multiple: number;
  coupon: number;
  /** Picks the reason text of a rejection or cancellation. */
  reasonPick: number;
  // outcomes of the simulation
  amount: number;
  status: AllocationStatus | 'dropped';
  fundedOn?: string;
  exitedOn?: string;
  plannedExit?: string;
}

interface AllocEvent {
  date: string;
  order: number;
  seq: number;
  c: Candidate;
  type: 'create' | 'decision' | 'commit' | 'funding' | 'exit' | 'cancel';
}

function drawTicket(r: Rng, strategy: Strategy): number {
  const x = r.next();
  const big = strategy === 'credit' ? 0.06 : 0.035;
  if (x < (strategy === 'credit' ? 0.3 : 0.55)) return floorTo(M(r.float(50_000, 400_000)), 5_000);
  if (x < 1 - big - 0.1) return floorTo(M(r.float(400_000, 1_500_000)), 10_000);
  if (x < 1 - big) return floorTo(M(r.float(1_500_000, 5_000_000)), 50_000);
  return floorTo(M(r.float(5_250_000, 9_500_000)), 250_000);
}

/** Raw gross multiple of one equity position: write-offs, disappointments, base cases, winners. */
function drawEquityMultiple(r: Rng): number {
  const x = r.next();
  if (x < 0.08) return r.float(0, 0.25);
  if (x < 0.22) return r.float(0.5, 1.0);
  if (x < 0.72) return r.float(1.3, 2.5);
  if (x < 0.94) return r.float(2.5, 4.0);
  return r.float(4.0, 7.0);
}

function makeCandidate(
  r: Rng,
  fundIdx: number,
  spec: FundSpec,
  deal: Deal,
  kind: Kind,
  wanted: number,
  date: string,
  securityType?: SecurityType,
): Candidate {
  const st = securityType ?? r.weighted(SECURITY_MIX[spec.strategy]);
  const credit = spec.strategy === 'credit';
  const couponRange = COUPONS[st] ?? [0.08, 0.1];
  return {
    id: newId(),
    fund: fundIdx,
    deal,
    kind,
    securityType: st,
    wanted,
    date,
    decisionDays: r.int(6, 20),
    commitDays: r.int(12, 45),
    fundDays: r.int(7, 40),
    holdYears: r.float(spec.holdYears[0], spec.holdYears[1]),
    multiple: credit ? 1 + r.int(1, 3) / 100 : drawEquityMultiple(r),
    coupon: credit ? r.float(couponRange[0], couponRange[1]) : 0,
    reasonPick: r.int(0, 999),
    amount: 0,
    status: 'dropped',
  };
}

const REJECT_REASONS = [
  'Investment committee declined: entry valuation above our range.',
  'Declined: sector concentration in the fund would be too high.',
  'Declined after diligence: customer concentration and churn.',
];
const CANCEL_REASONS = [
  'Deal terminated in confirmatory due diligence.',
  'Seller accepted a competing offer.',
  'Financing conditions were not met before the long-stop date.',
  'Regulatory approval was not obtained.',
];

// ───────────────────────────── the plan ─────────────────────────────

export function planDemo(seed: number, today: string, rules: BusinessRules): DemoPlan {
  const root = new Rng(seed);
  const out = new StepList();
  const shift = calendarShift(today);

  // ── funds ──
  const funds: PlannedFund[] = FUND_SPECS.map((spec) => {
    const firstClose = addYears(spec.firstClose, shift);
    return {
      id: newId(),
      spec,
      firstClose,
      vintage: yearOf(firstClose),
      size: M(spec.size),
      mature: addYears(firstClose, 5) <= today,
    };
  });
  for (const f of funds) {
    out.add(addDays(f.firstClose, -30), ORDER.fund, 'createFund', { id: f.id, name: f.spec.name, currency: f.spec.currency, vintage: f.vintage, size: f.size });
  }

  // ── benchmark index: month ends from the December before the first vintage, and today ──
  const indexLevels = planIndex(root.fork('index'), funds, today);
  for (const l of indexLevels) out.add(l.date, ORDER.index, 'setIndexLevel', { indexName: INDEX_NAME, date: l.date, level: l.level });

  // ── LPs and commitments ──
  const lpIds = LP_SPECS.map(() => newId());
  const fundLps = chooseLps(root.fork('lps'), funds);
  const commitments: { investor: number; amount: number }[][] = funds.map((f, fi) => commitmentAmounts(root.fork(`commit-${fi}`), f.size, fundLps[fi]!));
  const firstCommit = new Map<number, string>();
  funds.forEach((f, fi) => {
    for (const c of commitments[fi]!) {
      const prev = firstCommit.get(c.investor);
      if (!prev || f.firstClose < prev) firstCommit.set(c.investor, f.firstClose);
      out.add(f.firstClose, ORDER.commitment, 'createCommitment', { id: newId(), investorId: lpIds[c.investor]!, fundId: f.id, amount: c.amount });
    }
  });
  LP_SPECS.forEach((lp, i) => {
    const d = firstCommit.get(i);
    if (d) out.add(addDays(d, -10), ORDER.investor, 'createInvestor', { id: lpIds[i]!, name: lp.name });
  });

  // ── allocations: candidates, then the rules simulation ──
  const book = new DealBook(root.fork('deals'));
  const candidates = planCandidates(root.fork('allocations'), funds, book, today, rules);
  simulateAllocations(candidates, funds, rules, today, out);
  calibrateMultiples(candidates, funds);
  designateWorkouts(root.fork('workouts'), candidates, funds, today);

  // deals: created some weeks before their first allocation; a few pipeline-only deals
  const dealRng = root.fork('deal-dates');
  for (const c of candidates) if (!c.deal.firstUse || c.date < c.deal.firstUse) c.deal.firstUse = c.date;
  const pipelineOnly = 24;
  for (let i = 0; i < pipelineOnly; i++) {
    const spec = dealRng.pick(funds).spec;
    const d = book.create(spec.strategy, spec.region);
    d.stage = dealRng.chance(0.5) ? d.stage : 'Screening';
    d.firstUse = addDays(today, -dealRng.int(5, 540));
  }
  for (const d of book.deals) {
    const date = d.firstUse === null ? today : addDays(d.firstUse, -dealRng.int(10, 120));
    out.add(date, ORDER.deal, 'createDeal', { id: d.id, name: d.name, sector: d.sector, country: d.country, stage: d.stage });
  }

  // ── cash: distributions, calls and payments, NAV marks ──
  const cashRng = root.fork('cash');
  const designated = { partialCallId: '', overdueCallId: '' };
  const youngest = funds.reduce((a, f, i) => (f.firstClose > funds[a]!.firstClose ? i : a), 0);
  funds.forEach((f, fi) => {
    const mine = candidates.filter((c) => c.fund === fi);
    const distributions = planDistributions(f, mine, today, out);
    const lines = commitments[fi]!.map((c) => ({ key: lpIds[c.investor]!, weight: c.amount, lp: LP_SPECS[c.investor]! }));
    const ids = planCalls(cashRng.fork(`calls-${fi}`), f, mine, lines, distributions, today, out, {
      partial: fi === youngest,
      overdue: f.spec.overdueCall === true,
      cancelledDuplicate: f.spec.overdueCall === true,
    });
    if (ids.partial) designated.partialCallId = ids.partial;
    if (ids.overdue) designated.overdueCallId = ids.overdue;
    planNavMarks(cashRng.fork(`nav-${fi}`), f, mine, indexLevels, today, out);
  });
  if (!designated.partialCallId || !designated.overdueCallId) throw new Error('demo plan: the designated partially paid and overdue calls were not planned');

  out.steps.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.order - b.order || a.seq - b.seq));
  return { seed, today, indexName: INDEX_NAME, funds, steps: out.steps, ...designated };
}

// ───────────────────────────── index ─────────────────────────────

/** Calendar shocks (log returns) that give the index a recognisable shape: 2018 Q4, 2020, 2022. */
const SHOCKS: Readonly<Record<string, number>> = {
  '2018-02': -0.05,
  '2018-10': -0.07,
  '2018-12': -0.075,
  '2019-01': 0.075,
  '2019-02': 0.03,
  '2020-02': -0.085,
  '2020-03': -0.14,
  '2020-04': 0.105,
  '2020-05': 0.045,
  '2020-11': 0.12,
  '2022-01': -0.05,
  '2022-04': -0.08,
  '2022-06': -0.085,
  '2022-07': 0.075,
  '2022-09': -0.09,
  '2022-10': 0.07,
  '2022-11': 0.065,
  '2023-11': 0.09,
  '2025-03': -0.045,
  '2025-04': -0.01,
  '2025-05': 0.055,
};

interface Level {
  date: string;
  level: number;
}

function planIndex(r: Rng, funds: PlannedFund[], today: string): Level[] {
  const firstYear = Math.min(...funds.map((f) => f.vintage));
  const start = monthEnd(firstYear - 1, 12);
  const dates = monthEndsBetween(start, today);
  if (dates[dates.length - 1] !== today) dates.push(today);
  const out: Level[] = [];
  let log = Math.log(1650);
  const drift = 0.085 / 12;
  const vol = 0.05 / Math.sqrt(12);
  // seeded wiggles that sum to zero: the path differs by seed, the decade's return does not
  const z = dates.map(() => r.normal());
  const mean = z.reduce((t, x) => t + x, 0) / z.length;
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    if (i > 0) {
      // month-end to month-end is one whole month (and carries the month's shock); the last step to today is prorated
      const wholeMonth = d === monthEnd(yearOf(d), Number(d.slice(5, 7)));
      const frac = wholeMonth ? 1 : Math.min(1, (dayNumber(d) - dayNumber(dates[i - 1]!)) / 30.4);
      log += (drift + vol * (z[i]! - mean)) * frac + (wholeMonth ? (SHOCKS[d.slice(0, 7)] ?? 0) : 0);
    }
    out.push({ date: d, level: Math.round(Math.exp(log) * 100) / 100 });
  }
  return out;
}

function levelOn(levels: Level[], date: string): number {
  let lo = 0;
  let hi = levels.length - 1;
  if (date < levels[0]!.date) return levels[0]!.level;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (levels[mid]!.date <= date) lo = mid;
    else hi = mid - 1;
  }
  return levels[lo]!.level;
}

// ───────────────────────────── LPs ─────────────────────────────

function chooseLps(r: Rng, funds: PlannedFund[]): number[][] {
  const regionFactor = (lp: LpSpec, region: 'NA' | 'EU') => (lp.region === region ? 3 : lp.region === 'ME' || lp.region === 'APAC' ? 1.5 : 0.6);
  const chosen = funds.map((f) => {
    const n = r.int(f.spec.lpCount[0], f.spec.lpCount[1]);
    const picked = LP_SPECS.map((lp, i) => (lp.anchor ? i : -1)).filter((i) => i >= 0);
    while (picked.length < n) {
      const pool = LP_SPECS.map((lp, i) => [i, picked.includes(i) ? 0 : Math.sqrt(lp.weight) * regionFactor(lp, f.spec.region)] as const).filter(([, w]) => w > 0);
      picked.push(r.weighted(pool));
    }
    return picked;
  });
  // every LP commits to at least one fund: to the home-region fund with the fewest LPs
  LP_SPECS.forEach((lp, i) => {
    if (chosen.some((c) => c.includes(i))) return;
    const home = lp.region === 'EU' ? 'EU' : 'NA';
    let best = -1;
    funds.forEach((f, fi) => {
      if (f.spec.region === home && (best < 0 || chosen[fi]!.length < chosen[best]!.length)) best = fi;
    });
    chosen[best]!.push(i);
  });
  return chosen;
}

/**
 * Commitments in units of 250,000.00 that sum exactly to the fund size:
 * four units each, the rest pro rata to the LP's appetite (largest
 * remainder). Amounts are made distinct so the pro-rata split of every call
 * never has to break a tie by investor id (random UUIDs): the seeded data is
 * then identical, to the cent, from run to run.
 */
function commitmentAmounts(r: Rng, size: number, lps: number[]): { investor: number; amount: number }[] {
  const unit = M(250_000);
  const totalUnits = Math.floor(size / unit);
  if (totalUnits * unit !== size) throw new Error('demo plan: fund size must be a multiple of 250,000.00');
  const base = 4;
  const rest = totalUnits - base * lps.length;
  const split = splitProRata(
    rest,
    lps.map((lp, i) => ({ key: String(i), weight: Math.round(LP_SPECS[lp]!.weight * r.float(0.7, 1.3) * 1000) })),
  );
  const units = split.map((s) => base + s.amount);
  for (let guard = 0; guard < 200; guard++) {
    const seen = new Map<number, number>();
    let dup = -1;
    units.forEach((u, i) => {
      if (seen.has(u) && dup < 0) dup = i;
      seen.set(u, i);
    });
    if (dup < 0) break;
    const largest = units.indexOf(Math.max(...units));
    units[largest] = units[largest]! - 1;
    units[dup] = units[dup]! + 1;
  }
  return lps.map((lp, i) => ({ investor: lp, amount: units[i]! * unit }));
}

// ───────────────────────────── allocation candidates ─────────────────────────────

function planCandidates(r: Rng, funds: PlannedFund[], book: DealBook, today: string, rules: BusinessRules): Candidate[] {
  const all: Candidate[] = [];
  funds.forEach((f, fi) => {
    const spec = f.spec;
    const rng = r.fork(`fund-${fi}`);
    const reinvest = spec.strategy === 'credit' ? 2 : 0;
    // a young fund's history is its first small deals, funded by now; its large tickets are the pipeline
    const young = yearsBetween(f.firstClose, today) < 3;
    const windowStart = addDays(f.firstClose, 20);
    const windowEnd = minDate(addYears(f.firstClose, spec.investYears + reinvest), addDays(today, young ? -100 : -20));
    const deploy = M(spec.deploy);
    const platformBudget = Math.round(deploy * (spec.strategy === 'credit' ? 1 : 0.85));
    const tickets: number[] = [];
    for (let sum = 0; sum < platformBudget; ) {
      const t = young ? Math.min(drawTicket(rng, spec.strategy), M(2_500_000)) : drawTicket(rng, spec.strategy);
      tickets.push(t);
      sum += t;
    }
    const platforms: Candidate[] = tickets.map((t, i) => {
      const frac = (i + rng.next()) / tickets.length;
      const date = between(windowStart, windowEnd, frac);
      // a successor fund backs some of its predecessor's companies again
      const predecessors = spec.predecessor ? all.filter((c) => funds[c.fund]!.spec.name === spec.predecessor && c.kind === 'platform') : [];
      const deal = predecessors.length && rng.chance(0.15) ? rng.pick(predecessors).deal : book.create(spec.strategy, spec.region);
      return makeCandidate(rng, fi, spec, deal, 'platform', t, date);
    });
    all.push(...platforms);

    // follow-ons into the fund's own companies, before their exit
    if (spec.strategy !== 'credit') {
      let sum = 0;
      for (let guard = 0; sum < deploy - platformBudget && guard < 200; guard++) {
        const p = rng.pick(platforms);
        const years = rng.float(0.4, Math.min(2.5, p.holdYears - 0.5));
        const date = addDays(p.date, Math.round(years * 365));
        if (date > addDays(today, -15)) continue;
        const t = Math.max(M(100_000), floorTo(Math.round(drawTicket(rng, spec.strategy) * 0.6), 10_000));
        const c = makeCandidate(rng, fi, spec, p.deal, 'followon', t, date, rng.chance(0.6) ? p.securityType : undefined);
        c.holdYears = Math.max(1, p.holdYears - years);
        c.multiple = Math.max(0, p.multiple * rng.float(0.7, 1.0));
        all.push(c);
        sum += t;
      }
    }

    // a declined proposal early in the fund's life (room is plentiful then), except the young fund
    if (addYears(f.firstClose, 3) <= today) {
      const c = makeCandidate(rng, fi, spec, book.create(spec.strategy, spec.region), 'declined', Math.max(rules.approvalThreshold + M(750_000), M(6_000_000)), addDays(f.firstClose, rng.int(60, 300)));
      c.reject = true;
      all.push(c);
    }
  });

  // random fall-throughs and rejections, with a guaranteed minimum
  const eligibleCancel = all.filter((c) => c.kind === 'platform' && c.wanted <= rules.approvalThreshold);
  for (const c of eligibleCancel) if (r.chance(0.025)) c.cancelAt = r.chance(0.5) ? 'approved' : 'committed';
  const early = eligibleCancel.filter((c) => yearsBetween(funds[c.fund]!.firstClose, c.date) < 3);
  for (let guard = 0; all.filter((c) => c.cancelAt).length < 5 && guard < 100 && early.length; guard++) r.pick(early).cancelAt = r.chance(0.5) ? 'approved' : 'committed';
  for (const c of all) if (c.kind === 'platform' && c.wanted > rules.approvalThreshold && r.chance(0.2)) c.reject = true;

  planPipeline(r.fork('pipeline'), funds, book, today, rules, all);
  return all;
}

/** The recent deal flow every dashboard wants to show: proposals awaiting approval, approved and signed deals. */
function planPipeline(r: Rng, funds: PlannedFund[], book: DealBook, today: string, rules: BusinessRules, all: Candidate[]) {
  const young = funds.reduce((a, f, i) => (f.firstClose > funds[a]!.firstClose ? i : a), 0);
  const add = (fi: number, wanted: number, createdDaysAgo: number, state: 'proposed' | 'approved' | 'committed', kind: Kind = 'pipeline') => {
    const f = funds[fi]!;
    const c = makeCandidate(r, fi, f.spec, book.create(f.spec.strategy, f.spec.region), kind, wanted, addDays(today, -createdDaysAgo));
    if (state === 'proposed') c.decisionDays = createdDaysAgo + 30; // decision after today: still awaiting approval
    if (state === 'approved') {
      c.decisionDays = Math.max(1, Math.floor(createdDaysAgo / 2));
      c.commitDays = createdDaysAgo + 30;
    }
    if (state === 'committed') {
      c.decisionDays = 2;
      c.commitDays = Math.max(1, createdDaysAgo - 12);
      c.fundDays = 60;
    }
    all.push(c);
  };
  const aboveThreshold = (x: number) => Math.max(floorTo(rules.approvalThreshold, 250_000) + M(x), M(1_000));
  const belowThreshold = (x: number) => Math.max(Math.min(M(x), floorTo(rules.approvalThreshold, 10_000)), rules.minAllocationAmount);
  // the young fund: three large proposals waiting for a portfolio manager, plus approved and signed deals
  add(young, aboveThreshold(500_000), r.int(2, 6), 'proposed');
  add(young, aboveThreshold(1_250_000), r.int(8, 14), 'proposed');
  add(young, aboveThreshold(3_000_000), r.int(15, 25), 'proposed');
  add(young, belowThreshold(1_500_000), r.int(3, 9), 'approved');
  add(young, belowThreshold(900_000), r.int(10, 20), 'approved');
  add(young, belowThreshold(2_250_000), r.int(40, 55), 'committed');
  add(young, belowThreshold(1_100_000), r.int(35, 50), 'committed');
  // every fund still investing or supporting its companies has something in flight
  funds.forEach((f, fi) => {
    if (fi === young) return;
    if (f.spec.targetUtilisation) {
      // the near-cap fund fills up to its target with follow-ons: the running tally shrinks them to fit
      add(fi, belowThreshold(5_000_000), r.int(40, 55), 'committed');
      add(fi, belowThreshold(5_000_000), r.int(8, 20), 'approved');
      add(fi, belowThreshold(5_000_000), r.int(3, 7), 'approved');
    } else if (f.spec.strategy === 'credit' || yearsBetween(f.firstClose, today) < 9) {
      add(fi, belowThreshold(r.float(800_000, 2_500_000)), r.int(30, 50), 'committed');
      add(fi, belowThreshold(r.float(400_000, 1_500_000)), r.int(3, 15), 'approved');
    }
  });
}

// ───────────────────────────── the rules simulation ─────────────────────────────

function simulateAllocations(cands: Candidate[], funds: PlannedFund[], rules: BusinessRules, today: string, out: StepList) {
  const q = new EventQueue<AllocEvent>();
  const counted = funds.map(() => 0);
  const pair = new Map<string, number>();
  const pairKey = (c: Candidate) => `${c.fund}|${c.deal.id}`;
  const push = (c: Candidate, type: AllocEvent['type'], date: string) => {
    if (date > today) return; // the future is not seeded: the allocation stays where it is
    const order = { create: ORDER.create, decision: ORDER.decision, commit: ORDER.commit, funding: ORDER.funding, exit: ORDER.exit, cancel: ORDER.cancel }[type];
    q.push({ date, order, seq: out.nextSeq(), c, type });
  };
  const count = (c: Candidate, sign: 1 | -1) => {
    counted[c.fund] = counted[c.fund]! + sign * c.amount;
    pair.set(pairKey(c), (pair.get(pairKey(c)) ?? 0) + sign * c.amount);
  };
  const afterApproval = (c: Candidate, date: string) => {
    if (c.cancelAt === 'approved') push(c, 'cancel', addDays(date, c.commitDays));
    else push(c, 'commit', addDays(date, c.commitDays));
  };
  const check = (c: Candidate, amount: number) => {
    const fund = funds[c.fund]!;
    return checkAllocation(rules, {
      fund: { name: fund.spec.name, size: fund.size, currency: fund.spec.currency },
      dealName: c.deal.name,
      fundCounted: counted[c.fund]!,
      pairCounted: pair.get(pairKey(c)) ?? 0,
      amount,
    });
  };

  for (const c of cands) push(c, 'create', c.date);
  for (let e = q.pop(); e; e = q.pop()) {
    const { c, date, order, seq } = e;
    const fund = funds[c.fund]!;
    const step = (name: MutationName, args: Record<string, unknown>) => out.add(date, order, name, args, seq);
    switch (e.type) {
      case 'create': {
        // shrink to what the rules (and the planner's own target) leave room for
        const fc = counted[c.fund]!;
        const rooms = [
          c.wanted,
          rules.maxAllocationPerFund - fc,
          utilisationHeadroom(rules, fund.size, fc),
          rules.maxAllocationPerDeal - (pair.get(pairKey(c)) ?? 0),
        ];
        if (fund.spec.targetUtilisation && c.kind !== 'declined') rooms.push(Math.floor(fund.size * fund.spec.targetUtilisation) - fc);
        let amount = Math.min(...rooms);
        amount = amount >= M(100_000) ? floorTo(amount, amount >= M(1_000_000) ? 10_000 : 1_000) : amount;
        if (amount < Math.max(rules.minAllocationAmount, M(50_000)) || check(c, amount).length > 0) break; // no room: the deal goes elsewhere
        c.amount = amount;
        c.status = needsApproval(rules, amount) ? 'proposed' : 'approved';
        step('createAllocation', { id: c.id, fundId: fund.id, dealId: c.deal.id, securityType: c.securityType, amount, date });
        if (c.status === 'approved') {
          count(c, 1);
          afterApproval(c, date);
        } else push(c, 'decision', addDays(date, c.decisionDays));
        break;
      }
      case 'decision': {
        const breach = check(c, c.amount);
        if (c.reject || breach.length > 0) {
          c.status = 'rejected';
          const reason = breach.length > 0 ? `Declined: ${breach[0]!.message}`.slice(0, 500) : REJECT_REASONS[c.reasonPick % REJECT_REASONS.length]!;
          step('rejectAllocation', { id: c.id, expectedVersion: 0, reason });
        } else {
          c.status = 'approved';
          count(c, 1);
          step('approveAllocation', { id: c.id, expectedVersion: 0 });
          afterApproval(c, date);
        }
        break;
      }
      case 'commit':
        c.status = 'committed';
        step('changeAllocationStatus', { id: c.id, expectedVersion: 0, to: 'committed' });
        if (c.cancelAt === 'committed') push(c, 'cancel', addDays(date, c.fundDays));
        else push(c, 'funding', addDays(date, c.fundDays));
        break;
      case 'funding':
        c.status = 'funded';
        c.fundedOn = date;
        c.plannedExit = addDays(date, Math.max(1, Math.round(c.holdYears * 365.25)));
        step('changeAllocationStatus', { id: c.id, expectedVersion: 0, to: 'funded' });
        push(c, 'exit', c.plannedExit);
        break;
      case 'exit':
        c.status = 'exited';
        c.exitedOn = date;
        count(c, -1);
        step('changeAllocationStatus', { id: c.id, expectedVersion: 0, to: 'exited' });
        break;
      case 'cancel':
        c.status = 'cancelled';
        count(c, -1);
        step('cancelAllocation', { id: c.id, expectedVersion: 0, reason: CANCEL_REASONS[c.reasonPick % CANCEL_REASONS.length]! });
        break;
    }
  }
}

/**
 * Equity funds: scales the non-written-off multiples of the positions
 * funded by today so the fund's cost-weighted gross multiple is its target,
 * whatever the seed drew — the story per fund is fixed, the noise is seeded.
 */
function calibrateMultiples(cands: Candidate[], funds: PlannedFund[]) {
  funds.forEach((f, fi) => {
    if (f.spec.strategy === 'credit') return;
    const funded = cands.filter((c) => c.fund === fi && c.fundedOn);
    const cost = funded.reduce((t, c) => t + c.amount, 0);
    if (cost === 0) return;
    const wo = funded.filter((c) => c.multiple < 0.3);
    const rest = funded.filter((c) => c.multiple >= 0.3);
    const woValue = wo.reduce((t, c) => t + c.amount * c.multiple, 0);
    const restValue = rest.reduce((t, c) => t + c.amount * c.multiple, 0);
    if (restValue === 0) return;
    const k = Math.min(1.8, Math.max(0.5, (f.spec.grossMultiple * cost - woValue) / restValue));
    for (const c of rest) c.multiple *= k;
  });
}

/**
 * Credit funds: exactly two loans go into workout (interest stops halfway
 * through their life, 60–80 % recovered) — mid-sized loans funded more than
 * a year ago, so the story is the same for every seed.
 */
function designateWorkouts(r: Rng, cands: Candidate[], funds: PlannedFund[], today: string) {
  funds.forEach((f, fi) => {
    if (f.spec.strategy !== 'credit') return;
    const pool = cands.filter((c) => c.fund === fi && c.fundedOn && c.fundedOn <= addYears(today, -1) && c.amount <= M(3_000_000));
    for (let i = 0; i < 2 && pool.length > 0; i++) {
      const c = pool.splice(Math.floor(r.next() * pool.length), 1)[0]!;
      c.multiple = r.float(0.6, 0.8);
    }
  });
}

// ───────────────────────────── cash ─────────────────────────────

interface PlannedDistribution {
  date: string;
  amount: number;
  recallable: number;
}

/** Exit proceeds (and, for credit, coupons) distributed once per quarter. */
function planDistributions(f: PlannedFund, cands: Candidate[], today: string, out: StepList): PlannedDistribution[] {
  const credit = f.spec.strategy === 'credit';
  const reinvestEnd = addYears(f.firstClose, f.spec.investYears);
  const byQuarter = new Map<string, { date: string; value: number; cost: number }>();
  const bucket = (date: string) => {
    const k = quarterKey(date);
    let b = byQuarter.get(k);
    if (!b) byQuarter.set(k, (b = { date, value: 0, cost: 0 }));
    return b;
  };
  for (const c of cands) {
    if (c.exitedOn) {
      const b = bucket(c.exitedOn);
      b.date = maxDate(b.date, c.exitedOn);
      b.value += c.amount * c.multiple;
      b.cost += c.amount;
    }
  }
  if (credit) {
    // quarterly coupons on drawn loans; a loan heading for a workout stops paying halfway through its life
    const quarters = new Set<string>();
    for (let d = quarterEnd(f.firstClose); d <= today; d = quarterEnd(addDays(d, 1))) quarters.add(d);
    for (const qe of quarters) {
      const qs = quarterStart(qe);
      let interest = 0;
      for (const c of cands) {
        if (!c.fundedOn || c.fundedOn > qe) continue;
        const end = c.exitedOn ?? today;
        const stop = c.multiple < 1 ? between(c.fundedOn, c.plannedExit ?? end, 0.5) : end;
        const from = maxDate(c.fundedOn, qs);
        const to = minDate(minDate(end, stop), qe);
        const days = dayNumber(to) - dayNumber(from);
        if (days > 0) interest += (c.amount * c.coupon * days) / 365;
      }
      if (interest > 0) {
        const b = bucket(qe);
        b.date = maxDate(b.date, businessDayOnOrBefore(qe));
        b.value += interest;
      }
    }
  }
  const list: PlannedDistribution[] = [];
  for (const b of [...byQuarter.values()].sort((x, y) => (x.date < y.date ? -1 : 1))) {
    const amount = wholeUnits(b.value);
    if (amount <= 0 || b.date > today) continue;
    // return of cost inside the investment (credit: reinvestment) period may be called again
    const recallable = b.date <= reinvestEnd ? Math.min(amount, b.cost) : 0;
    list.push({ date: b.date, amount, recallable });
    out.add(b.date, ORDER.distribution, 'recordDistribution', { id: newId(), fundId: f.id, date: b.date, amount, recallable });
  }
  return list;
}

interface CallOptions {
  partial: boolean;
  overdue: boolean;
  cancelledDuplicate: boolean;
}

interface Line {
  key: string;
  weight: number;
  lp: LpSpec;
}

/**
 * Quarterly capital calls for management fees and the quarter's fundings,
 * never above the unfunded commitment, every line paid (a few in two
 * instalments). Designated calls tell the collections story: the youngest
 * fund's latest call is partially paid and due today; the growth fund's
 * latest regular call is overdue with one LP not paid and one paid in part.
 */
function planCalls(r: Rng, f: PlannedFund, cands: Candidate[], lines: Line[], dists: PlannedDistribution[], today: string, out: StepList, opts: CallOptions) {
  const spec = f.spec;
  const ipEnd = addYears(f.firstClose, spec.investYears);
  const feeEnd = addYears(f.firstClose, spec.feeYears);
  const committed = lines.reduce((t, l) => t + l.weight, 0);
  const fundings = cands.filter((c) => c.fundedOn).map((c) => ({ date: c.fundedOn!, amount: c.amount }));
  let called = 0;
  let carried = 0;
  let feeAccrued = 0;
  let n = 0;
  const result: { partial?: string; overdue?: string } = {};
  const recallableBy = (date: string) => dists.filter((d) => d.date <= date).reduce((t, d) => t + d.recallable, 0);
  const feeFor = (date: string) => (date >= feeEnd ? 0 : Math.floor((f.size * (date < ipEnd ? spec.feeBp[0] : spec.feeBp[1])) / 40_000 / UNIT) * UNIT);
  const regular: { id: string; date: string; due: string; amount: number; split: ReturnType<typeof splitProRata> }[] = [];

  const issue = (date: string, due: string, wanted: number, what: string) => {
    const unfunded = committed - called + recallableBy(date);
    const amount = Math.min(wanted, unfunded);
    if (amount < M(1_000)) return undefined;
    const id = newId();
    n++;
    out.add(date, ORDER.call, 'createCapitalCall', {
      id,
      fundId: f.id,
      amount,
      callDate: date,
      dueDate: due,
      description: `Capital call ${n}: ${what}`.slice(0, 500),
      issue: true,
    });
    called += amount;
    return { id, amount, split: splitProRata(amount, lines.map((l) => ({ key: l.key, weight: l.weight }))) };
  };

  // the first call goes out a few days after the first close, in that quarter
  for (let qs = quarterStart(addDays(f.firstClose, 3)); qs <= today; qs = addMonths(qs, 3)) {
    const qe = quarterEnd(qs);
    const date = businessDayOnOrAfter(maxDate(addDays(qs, r.int(4, 12)), addDays(f.firstClose, 3)));
    const due = businessDayOnOrAfter(addDays(date, 14));
    const inQuarter = fundings.filter((x) => x.date >= qs && x.date <= qe);
    const invest = carried + inQuarter.reduce((t, x) => t + x.amount, 0);
    if (due >= today) {
      carried = invest; // not called yet: bridged by the subscription line
      break;
    }
    feeAccrued += feeFor(date);
    // after the investment period, quarters without a funding roll their fee into a half-yearly call
    if (date >= ipEnd && invest === 0 && Number(quarterKey(date).slice(-1)) % 2 === 1) continue;
    const fee = feeAccrued;
    feeAccrued = 0;
    const what = [fee > 0 ? 'management fee' : '', inQuarter.length ? `${inQuarter.length} investment${inQuarter.length > 1 ? 's' : ''}` : carried > 0 ? 'investments bridged last quarter' : '']
      .filter(Boolean)
      .join(' and ');
    const call = issue(date, due, fee + invest, `${quarterKey(date).replace('Q', ' Q')} ${what}`);
    carried = 0;
    if (!call) continue;
    regular.push({ id: call.id, date, due, amount: call.amount, split: call.split });
    if (opts.cancelledDuplicate && regular.length === 3) {
      // issued twice by mistake and cancelled the next day
      const dup = newId();
      out.add(date, ORDER.call, 'createCapitalCall', { id: dup, fundId: f.id, amount: call.amount, callDate: date, dueDate: due, description: `Duplicate of capital call ${n}: issued in error`, issue: true });
      out.add(addDays(date, 1), ORDER.callCancel, 'cancelCapitalCall', { id: dup, expectedVersion: 0 });
    }
  }

  const pay = (callId: string, investorId: string, amount: number, date: string) =>
    out.add(date, ORDER.payment, 'recordPayment', { id: newId(), callId, investorId, amount, date });

  const overdue = opts.overdue ? regular[regular.length - 1] : undefined;
  for (const call of regular) {
    // the overdue call's stragglers: the smallest LP has not paid, the next smallest paid part of its line
    const byWeight = [...lines].sort((a, b) => a.weight - b.weight);
    const unpaid = call === overdue ? byWeight[0]!.key : '';
    const partly = call === overdue ? byWeight[1]!.key : '';
    call.split.forEach((s, i) => {
      if (s.key === unpaid || s.amount === 0) return;
      const payDate = minDate(call.due, businessDayOnOrAfter(addDays(call.date, r.int(2, 12))));
      if (s.key === partly) {
        // half of the LP's floor share, in whole thousands: independent of any tie-break
        const floorShare = Number((BigInt(call.amount) * BigInt(lines[i]!.weight)) / BigInt(committed));
        pay(call.id, s.key, Math.max(UNIT, floorTo(Math.floor(floorShare / 2), 1_000)), payDate);
      } else if (s.amount > M(100_000) && r.chance(0.03)) {
        const first = floorTo(Math.floor(s.amount * 0.6), 1_000);
        pay(call.id, s.key, first, payDate);
        pay(call.id, s.key, s.amount - first, minDate(call.due, maxDate(payDate, businessDayOnOrAfter(addDays(payDate, 3)))));
      } else pay(call.id, s.key, s.amount, payDate);
    });
  }
  if (overdue) result.overdue = overdue.id;

  if (opts.partial) {
    // the latest call: issued nine days ago, due today, about half the LPs (the quick payers) have paid
    const last = regular[regular.length - 1];
    const date = businessDayOnOrBefore(addDays(today, -9));
    if (last && date > last.date) {
      const wanted = Math.max(carried, floorTo(Math.floor(f.size / 100), 1_000));
      const call = issue(date, today, wanted, carried > 0 ? 'investments closed this quarter' : 'repayment of the subscription line');
      if (call) {
        const order = r.shuffle(lines.map((_, i) => i));
        const paying = new Set(order.slice(0, Math.max(2, Math.floor(lines.length / 2))));
        call.split.forEach((s, i) => {
          if (paying.has(i) && s.amount > 0) pay(call.id, s.key, s.amount, minDate(today, businessDayOnOrAfter(addDays(date, r.int(1, 8)))));
        });
        result.partial = call.id;
      }
    }
  }
  return result;
}

/**
 * Quarter-end NAV: each position held at cost, marked down just after
 * funding (fees and deal costs: the J-curve), then growing toward its exit
 * multiple; credit marks near par, workouts written down. A mild market
 * factor from the benchmark makes marks dip with it (2020, 2022). The
 * last mark is dated today (a roll-forward of the last quarter), so calls
 * paid since the quarter end are matched by the value they bought.
 */
function planNavMarks(r: Rng, f: PlannedFund, cands: Candidate[], index: Level[], today: string, out: StepList) {
  const credit = f.spec.strategy === 'credit';
  const beta = credit ? 0.1 : 0.3;
  const i0 = index[0]!;
  const iT = index[index.length - 1]!;
  const span = Math.max(1, dayNumber(iT.date) - dayNumber(i0.date));
  const trend = (date: string) => i0.level * Math.pow(iT.level / i0.level, (dayNumber(date) - dayNumber(i0.date)) / span);
  const dates: string[] = [];
  for (let qe = quarterEnd(f.firstClose); qe <= today; qe = quarterEnd(addDays(qe, 1))) dates.push(qe);
  // the quarter's report is weeks away: a roll-forward estimate dated today keeps "as of today" figures honest
  if (dates[dates.length - 1] !== today) dates.push(today);
  for (const qe of dates) {
    let value = 0;
    let held = 0;
    for (const c of cands) {
      if (!c.fundedOn || c.fundedOn > qe || (c.exitedOn && c.exitedOn <= qe)) continue;
      held++;
      const age = yearsBetween(c.fundedOn, qe);
      const hold = Math.max(0.25, yearsBetween(c.fundedOn, c.plannedExit ?? qe));
      const x = Math.min(1, age / hold);
      let v: number;
      if (credit) v = c.multiple < 1 ? 1 + (c.multiple - 1) * Math.pow(x, 0.7) : 0.99;
      else {
        const path = c.multiple < 1 ? Math.pow(x, 0.8) : Math.pow(x, 1.6);
        const jCurve = 1 - 0.06 * Math.max(0, 1 - age / 1.25);
        v = (1 + (c.multiple - 1) * path) * jCurve;
      }
      value += c.amount * v;
    }
    if (held === 0) continue;
    const market = Math.min(1.1, Math.max(0.88, Math.pow(levelOn(index, qe) / trend(qe), beta)));
    const noise = 1 + 0.015 * Math.max(-2, Math.min(2, r.normal()));
    out.add(qe, ORDER.nav, 'recordNavMark', { id: newId(), fundId: f.id, date: qe, nav: wholeUnits(value * market * noise) });
  }
}
