// Demo data on real SQLite files: counts, the business rules, capital-call
// arithmetic, the collections story, performance figures, determinism and
// the empty-profile guard (docs/demo-data.md).
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_SEED, DEMO_INDEX_NAME, isEmptyProfile, seedDemoData, type DemoSummary } from '../../../electron/core/demo/seed-demo';
import { calendarShift, planDemo } from '../../../electron/core/demo/plan';
import type { Workstation } from '../../../electron/core/workstation';
import { MeridianError } from '../../../shared/errors';
import { DEFAULT_RULES, type BusinessRules } from '../../../shared/rules/business-rules';
import { utilisationHeadroom } from '../../../shared/rules/engine';
import { tempWorkstation } from '../../helpers/temp-profile';

const TODAY = '2026-11-20';
/** Seeding takes a few seconds; give it room on a busy CI machine. */
const SEEDING = 120_000;
const M = (major: number) => Math.round(major * 100);

function all<T>(ws: Workstation, sql: string, ...params: unknown[]): T[] {
  return ws.db.raw.prepare<unknown[], T>(sql).all(...params);
}
function one<T>(ws: Workstation, sql: string, ...params: unknown[]): T {
  return ws.db.raw.prepare<unknown[], T>(sql).get(...params)!;
}

async function refusal(p: Promise<unknown>): Promise<MeridianError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MeridianError) return e;
    throw e;
  }
  throw new Error('expected the demo seeding to be refused');
}

/** Every way the seeded data must respect a rules record. */
function expectWithinRules(ws: Workstation, rules: BusinessRules) {
  const funds = all<{ id: string; name: string; size: number }>(ws, 'SELECT id, name, size FROM fund');
  for (const f of funds) {
    const counted = one<{ v: number | null }>(ws, "SELECT sum(amount) v FROM allocation WHERE fund_id = ? AND status IN ('approved','committed','funded')", f.id).v ?? 0;
    expect(counted, f.name).toBeLessThanOrEqual(rules.maxAllocationPerFund);
    expect(utilisationHeadroom(rules, f.size, counted), f.name).toBeGreaterThanOrEqual(0);
    expect(counted / f.size, f.name).toBeLessThanOrEqual(rules.maxFundUtilisationPct / 100);
  }
  const pairs = all<{ total: number }>(ws, "SELECT sum(amount) total FROM allocation WHERE status IN ('approved','committed','funded') GROUP BY fund_id, deal_id");
  expect(Math.max(...pairs.map((p) => p.total))).toBeLessThanOrEqual(rules.maxAllocationPerDeal);
  const { lo, hi } = one<{ lo: number; hi: number }>(ws, 'SELECT min(amount) lo, max(amount) hi FROM allocation');
  expect(lo).toBeGreaterThanOrEqual(rules.minAllocationAmount);
  expect(hi).toBeLessThanOrEqual(rules.maxAllocationPerDeal);
  // allocations above the threshold never counted without an approval step: they are proposed, rejected or were approved
  const unapprovedLarge = one<{ n: number }>(ws, "SELECT count(*) n FROM allocation WHERE amount > ? AND status = 'approved' AND approved_by IS NULL", rules.approvalThreshold);
  expect(unapprovedLarge.n).toBe(0);
  const smallProposed = one<{ n: number }>(ws, "SELECT count(*) n FROM allocation WHERE amount <= ? AND status = 'proposed'", rules.approvalThreshold);
  expect(smallProposed.n).toBe(0);
}

describe('demo data', () => {
  let ws: Workstation;
  let summary: DemoSummary;

  beforeAll(async () => {
    ws = tempWorkstation({ today: () => TODAY });
    expect(isEmptyProfile(ws)).toBe(true);
    summary = await seedDemoData(ws, { today: TODAY });
    console.log(
      `demo seed ${summary.seed}: ${summary.mutations} mutations in ${summary.elapsedMs} ms\n` +
        summary.funds
          .map((f) => `  ${f.name} (${f.vintage} ${f.currency}): IRR ${((f.irr ?? NaN) * 100).toFixed(1)} %, TVPI ${(f.tvpi ?? NaN).toFixed(2)}x, utilisation ${((f.utilisation ?? NaN) * 100).toFixed(1)} %, KS-PME ${(f.ksPme ?? NaN).toFixed(2)}`)
          .join('\n'),
    );
  }, SEEDING);

  it('fills the profile with the stated numbers of each entity', () => {
    const c = summary.counts;
    expect(summary.seed).toBe(DEFAULT_DEMO_SEED);
    expect(c.funds).toBeGreaterThanOrEqual(4);
    expect(c.funds).toBeLessThanOrEqual(5);
    expect(c.investors).toBeGreaterThanOrEqual(12);
    expect(c.investors).toBeLessThanOrEqual(20);
    expect(c.deals).toBeGreaterThanOrEqual(200);
    expect(c.deals).toBeLessThanOrEqual(400);
    expect(c.allocations).toBeGreaterThanOrEqual(200);
    expect(c.allocations).toBeLessThanOrEqual(400);
    for (const [status, n] of Object.entries(c.allocationsByStatus)) expect(n, status).toBeGreaterThan(0);
    expect(c.allocationsByStatus.rejected + c.allocationsByStatus.cancelled).toBeLessThan(c.allocations * 0.1);
    expect(c.capitalCalls).toBeGreaterThanOrEqual(60);
    expect(c.payments).toBeGreaterThanOrEqual(c.capitalCalls * 4);
    expect(c.distributions).toBeGreaterThanOrEqual(20);
    expect(c.navMarks).toBeGreaterThanOrEqual(80);
    expect(c.indexLevels).toBeGreaterThanOrEqual(120); // monthly from Dec 2015
    // the summary counts what is in the database, and every mutation is queued for the server like user work
    expect(one<{ n: number }>(ws, 'SELECT count(*) n FROM allocation').n).toBe(c.allocations);
    expect(one<{ n: number }>(ws, 'SELECT count(*) n FROM outbox').n).toBe(summary.mutations);
    // the seeding acted as the demo admin and gave the profile its actor back
    expect(one<{ n: number }>(ws, "SELECT count(DISTINCT updated_by) n FROM fund WHERE updated_by = 'demo'").n).toBe(1);
    expect(ws.actor.userId).toBe('local');
  });

  it('spreads funds over vintages 2016–2024 in USD and EUR, commitments summing to each fund size', () => {
    const funds = all<{ id: string; vintage: number; currency: string; size: number }>(ws, 'SELECT id, vintage, currency, size FROM fund');
    expect(Math.min(...funds.map((f) => f.vintage))).toBe(2016);
    expect(Math.max(...funds.map((f) => f.vintage))).toBe(2024);
    expect(new Set(funds.map((f) => f.currency))).toEqual(new Set(['USD', 'EUR']));
    for (const f of funds) {
      expect(f.size).toBeGreaterThanOrEqual(M(50_000_000));
      expect(f.size).toBeLessThanOrEqual(M(120_000_000));
      expect(one<{ v: number }>(ws, 'SELECT sum(amount) v FROM commitment WHERE fund_id = ?', f.id).v).toBe(f.size);
    }
    expect(one<{ n: number }>(ws, 'SELECT count(*) n FROM investor WHERE id NOT IN (SELECT investor_id FROM commitment)').n).toBe(0);
    expect(one<{ n: number }>(ws, 'SELECT count(DISTINCT name) n FROM deal').n).toBe(summary.counts.deals);
    expect(one<{ n: number }>(ws, 'SELECT count(DISTINCT security_type) n FROM allocation').n).toBeGreaterThanOrEqual(6);
    expect(one<{ n: number }>(ws, 'SELECT count(DISTINCT sector) n FROM deal').n).toBeGreaterThanOrEqual(8);
  });

  it('dates nothing after today', () => {
    const latest = one<Record<string, string>>(
      ws,
      `SELECT (SELECT max(date) FROM allocation) allocation, (SELECT max(call_date) FROM capital_call) call_date,
              (SELECT max(due_date) FROM capital_call) due_date, (SELECT max(date) FROM payment) payment,
              (SELECT max(date) FROM distribution) distribution, (SELECT max(date) FROM nav_mark) nav_mark,
              (SELECT max(date) FROM index_level) index_level`,
    );
    for (const [what, date] of Object.entries(latest)) expect(date <= TODAY, `${what} ${date}`).toBe(true);
    expect(latest.index_level).toBe(TODAY);
  });

  it('keeps every fund and fund × deal within the business rules', () => {
    expectWithinRules(ws, DEFAULT_RULES);
    const util = summary.funds.map((f) => f.utilisation ?? 0);
    expect(Math.max(...util)).toBeGreaterThanOrEqual(0.85); // one fund near its cap
    expect(Math.max(...util)).toBeLessThanOrEqual(0.95);
    const youngest = summary.funds.reduce((a, f) => (f.vintage > a.vintage ? f : a));
    expect(youngest.utilisation!).toBeLessThanOrEqual(0.25); // one fund barely deployed
  });

  it('splits every call into lines that sum exactly to it, with payments matching each line', () => {
    const bad = all<{ id: string }>(
      ws,
      `SELECT c.id FROM capital_call c LEFT JOIN capital_call_line l ON l.call_id = c.id
       GROUP BY c.id HAVING count(l.id) = 0 OR sum(l.amount) != c.amount`,
    );
    expect(bad).toEqual([]);
    const mismatched = all<{ id: string }>(
      ws,
      `SELECT l.id FROM capital_call_line l LEFT JOIN payment p ON p.call_id = l.call_id AND p.investor_id = l.investor_id
       GROUP BY l.id HAVING coalesce(sum(p.amount), 0) != l.paid OR l.paid > l.amount`,
    );
    expect(mismatched).toEqual([]);
    expect(one<{ n: number }>(ws, 'SELECT count(*) n FROM payment p JOIN capital_call c ON c.id = p.call_id WHERE p.date < c.call_date').n).toBe(0);
  });

  it('tells the collections story: calls paid, the latest partially paid, one overdue', async () => {
    const calls = await ws.listCapitalCalls();
    const byStatus = (s: string) => calls.filter((c) => c.effective_status === s);
    expect(byStatus('paid').length).toBeGreaterThan(calls.length * 0.9);
    expect(byStatus('overdue').map((c) => c.id)).toEqual([summary.overdueCallId]);
    expect(byStatus('partially_paid').map((c) => c.id)).toEqual([summary.partiallyPaidCallId]);
    expect(byStatus('cancelled')).toHaveLength(1);
    const partial = await ws.getCapitalCall({ id: summary.partiallyPaidCallId });
    expect(partial.due_date).toBe(TODAY);
    expect(partial.paid).toBeGreaterThan(0);
    expect(partial.outstanding).toBeGreaterThan(0);
    const latestOfFund = calls.filter((c) => c.fund_id === partial.fund_id && c.status !== 'cancelled')[0]!;
    expect(latestOfFund.id).toBe(partial.id);
    const overdue = await ws.getCapitalCall({ id: summary.overdueCallId });
    expect(overdue.due_date < TODAY).toBe(true);
    expect(overdue.lines.filter((l) => l.paid === 0)).toHaveLength(1);
    expect(overdue.lines.filter((l) => l.paid > 0 && l.outstanding > 0)).toHaveLength(1);
  });

  it('gives mature funds plausible returns and the young fund a J-curve', async () => {
    const mature = summary.funds.filter((f) => f.mature);
    expect(mature.length).toBeGreaterThanOrEqual(3);
    for (const f of mature) {
      expect(f.irr!, f.name).toBeGreaterThan(0.05);
      expect(f.irr!, f.name).toBeLessThan(0.3);
      expect(f.tvpi!, f.name).toBeGreaterThan(1);
      expect(f.tvpi!, f.name).toBeLessThan(2.3);
    }
    const oldest = summary.funds.reduce((a, f) => (f.vintage < a.vintage ? f : a));
    expect(oldest.dpi!).toBeGreaterThan(1); // harvested
    const youngest = summary.funds.reduce((a, f) => (f.vintage > a.vintage ? f : a));
    expect(youngest.irr!).toBeLessThan(0);
    expect(youngest.tvpi!).toBeGreaterThan(0.6);
    expect(youngest.tvpi!).toBeLessThan(1);
    // the J-curve of a mature fund: under water after its first year, well above later
    const early = await ws.fundMetrics({ fundId: oldest.id, asOf: `${oldest.vintage + 1}-09-30` });
    expect(early.irr!).toBeLessThan(0);
    expect(early.nav).toBeGreaterThan(0);
  });

  it('defines every fund against the benchmark index (KS-PME and the other PMEs)', async () => {
    expect(await ws.listIndexNames()).toEqual([DEMO_INDEX_NAME]);
    for (const f of summary.funds) {
      expect(f.ksPme, f.name).not.toBeNull();
      expect(f.ksPme!, f.name).toBeGreaterThan(0);
      const m = await ws.fundMetrics({ fundId: f.id, index: DEMO_INDEX_NAME });
      expect(m.ksPme, f.name).toBe(f.ksPme);
      expect(m.directAlpha, f.name).not.toBeNull();
    }
    // mature equity funds beat the index
    const oldest = summary.funds.reduce((a, f) => (f.vintage < a.vintage ? f : a));
    expect(oldest.ksPme!).toBeGreaterThan(1);
  });

  it('is deterministic: the same seed gives the same figures in another profile', async () => {
    const other = tempWorkstation({ today: () => TODAY });
    const again = await seedDemoData(other, { today: TODAY });
    expect(again.counts).toEqual(summary.counts);
    expect(again.mutations).toBe(summary.mutations);
    const figures = (s: DemoSummary) => s.funds.map(({ id: _id, ...rest }) => rest);
    expect(figures(again)).toEqual(figures(summary));
    const full = async (w: Workstation) => (await w.listFunds({ asOf: TODAY })).map((f) => ({ name: f.name, ...f.metrics, fundId: undefined }));
    expect(await full(other)).toEqual(await full(ws));
    // fresh ids (UUIDv7), so two seeded profiles never collide on a server
    expect(again.funds.map((f) => f.id)).not.toEqual(summary.funds.map((f) => f.id));
  }, SEEDING);

  it('refuses a profile that is not empty, and says why', async () => {
    expect(isEmptyProfile(ws)).toBe(false);
    const e = await refusal(seedDemoData(ws, { today: TODAY }));
    expect(e.code).toBe('DUPLICATE');
    expect(e.message).toMatch(/empty profile/);
    expect(e.message).toMatch(/already has 5 funds/);
    expect(e.details.reason).toBe('PROFILE_NOT_EMPTY');
    expect(one<{ n: number }>(ws, 'SELECT count(*) n FROM fund').n).toBe(5);

    const mine = tempWorkstation({ today: () => TODAY });
    await mine.mutate({ name: 'createFund', args: { id: 'F1', name: 'Real Fund I', currency: 'USD', vintage: 2025, size: M(10_000_000) } });
    expect(isEmptyProfile(mine)).toBe(false);
    expect((await refusal(seedDemoData(mine, { today: TODAY }))).message).toMatch(/already has 1 fund\b/);
    const onlyDeals = tempWorkstation({ today: () => TODAY });
    await onlyDeals.mutate({ name: 'createDeal', args: { id: 'D1', name: 'Acme' } });
    expect((await refusal(seedDemoData(onlyDeals, { today: TODAY }))).details.present).toEqual({ deal: 1 });
    expect((await refusal(seedDemoData(tempWorkstation(), { today: '2026-02-30' }))).code).toBe('INVALID_DATE');
  });
});

describe('demo data under stricter rules', () => {
  it('adapts to the rules record in force and breaks none of them', async () => {
    const rules: BusinessRules = {
      maxAllocationPerFund: M(30_000_000),
      maxAllocationPerDeal: M(4_000_000),
      minAllocationAmount: M(250_000),
      maxFundUtilisationPct: 80,
      approvalThreshold: M(2_000_000),
    };
    const ws = tempWorkstation({ today: () => TODAY });
    ws.db.raw
      .prepare("INSERT INTO business_rules (id, revision, body, version, updated_at, updated_by, deleted_at) VALUES ('R1', 1, ?, 1, '2026-01-01T00:00:00.000Z', 'server', NULL)")
      .run(JSON.stringify(rules));
    const summary = await seedDemoData(ws, { today: TODAY, seed: 7 });
    expectWithinRules(ws, rules);
    expect(summary.counts.allocationsByStatus.proposed).toBeGreaterThan(0);
    expect(summary.counts.allocations).toBeGreaterThan(100);
  }, SEEDING);
});

describe('demo plan (pure)', () => {
  it('moves the calendar with today so the story holds, and never dates a step after today', () => {
    expect(calendarShift('2025-12-16')).toBe(0);
    expect(calendarShift('2026-12-15')).toBe(0);
    expect(calendarShift('2026-12-16')).toBe(1);
    expect(calendarShift('2025-12-15')).toBe(-1);
    for (const today of ['2026-11-20', '2031-05-10', '2024-02-29']) {
      const plan = planDemo(42, today, DEFAULT_RULES);
      expect(plan.steps.every((s) => s.date <= today)).toBe(true);
      const vintages = plan.funds.map((f) => f.vintage).sort();
      expect(vintages[vintages.length - 1]! - vintages[0]!).toBe(8);
      expect(plan.funds.filter((f) => f.mature).length).toBeGreaterThanOrEqual(3);
    }
    expect(planDemo(42, '2031-05-10', DEFAULT_RULES).funds.map((f) => f.vintage)).toEqual([2021, 2023, 2024, 2026, 2029]);
  });

  it('plans the same mutations for the same seed, and different ones for another seed', () => {
    const shape = (seed: number) => planDemo(seed, TODAY, DEFAULT_RULES).steps.map((s) => `${s.date} ${s.name} ${String(s.args.amount ?? s.args.nav ?? s.args.level ?? '')}`);
    expect(shape(5)).toEqual(shape(5));
    expect(shape(6)).not.toEqual(shape(5));
  });
});
