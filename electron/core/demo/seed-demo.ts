/**
 * Demo data for an empty profile: a small private-markets firm with five
 * funds, its LPs, a few hundred deals and allocations, capital calls and
 * payments, distributions, NAV marks and a benchmark index, so every
 * dashboard has a story to tell (docs/demo-data.md).
 *
 * Deterministic: the same seed and `today` give the same figures (a seeded
 * generator, never Math.random). Everything is written through
 * Workstation.mutate, i.e. the shared mutators under the business rules in
 * force, and lands in the outbox like user work; record ids are fresh
 * UUIDv7s, so two profiles seeded alike never collide on a server.
 */
import { performance } from 'node:perf_hooks';
import type { AllocationStatus } from '../../../shared/domain/entities';
import { ALLOCATION_STATUSES } from '../../../shared/domain/entities';
import { businessDateOf, isBusinessDate } from '../../../shared/dates';
import { MeridianError } from '../../../shared/errors';
import { loadRules } from '../../../shared/mutators';
import type { Workstation } from '../workstation';
import { planCreditDemo } from './credit-demo';
import { planDemo } from './plan';

export { INDEX_NAME as DEMO_INDEX_NAME } from './catalog';

export const DEFAULT_DEMO_SEED = 20_160_630;

export interface SeedDemoOptions {
  /** Seed of the generator (any integer; default DEFAULT_DEMO_SEED). */
  seed?: number;
  /** Business date the data ends on, 'YYYY-MM-DD' (default: today's UTC date). Nothing is dated after it. */
  today?: string;
  /** Progress, every few hundred mutations (for a job's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoFundHeadline {
  id: string;
  name: string;
  currency: string;
  vintage: number;
  /** Cents. */
  size: number;
  /** First close at least five years before `today`. */
  mature: boolean;
  story: string;
  irr: number | null;
  tvpi: number | null;
  dpi: number | null;
  /** Counted allocations ÷ size. */
  utilisation: number | null;
  /** Kaplan–Schoar PME against the demo index. */
  ksPme: number | null;
  /** Cents. */
  pic: number;
  distributions: number;
  nav: number;
  allocated: number;
}

export interface DemoCounts {
  funds: number;
  investors: number;
  commitments: number;
  deals: number;
  allocations: number;
  allocationsByStatus: Record<AllocationStatus, number>;
  capitalCalls: number;
  capitalCallLines: number;
  payments: number;
  distributions: number;
  navMarks: number;
  indexLevels: number;
}

export interface DemoSummary {
  seed: number;
  today: string;
  indexName: string;
  /** Named mutations run (each one is also queued in the outbox). */
  mutations: number;
  /** Wall-clock time of planning and seeding. */
  elapsedMs: number;
  counts: DemoCounts;
  funds: DemoFundHeadline[];
  /** The designated calls of the collections story. */
  partiallyPaidCallId: string;
  overdueCallId: string;
}

/** Tables whose live rows make a profile "not empty" (business rules and sync state do not). */
const CONTENT_TABLES = ['fund', 'deal', 'investor', 'commitment', 'allocation', 'capital_call', 'payment', 'contribution', 'distribution', 'nav_mark', 'index_level'] as const;

function liveRows(ws: Workstation, table: (typeof CONTENT_TABLES)[number]): number {
  return ws.db.raw.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`).get()?.n ?? 0;
}

/** True when the profile holds no portfolio data at all (funds, deals, LPs, flows, marks or index levels). */
export function isEmptyProfile(ws: Workstation): boolean {
  return CONTENT_TABLES.every((t) => liveRows(ws, t) === 0);
}

/**
 * Fills an empty profile with the demo firm. Refuses (DUPLICATE) when the
 * profile already has data, so it can never mix with real work.
 */
export async function seedDemoData(ws: Workstation, opts: SeedDemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const today = opts.today ?? businessDateOf(new Date());
  if (!Number.isSafeInteger(seed)) throw new MeridianError('INVALID_INPUT', `The demo seed must be a whole number; got ${String(seed)}.`, { path: 'seed', value: seed });
  if (!isBusinessDate(today)) throw new MeridianError('INVALID_DATE', `The demo "today" must be a date YYYY-MM-DD; got "${today}".`, { path: 'today', value: today });
  if (!isEmptyProfile(ws)) {
    const present = Object.fromEntries(CONTENT_TABLES.map((t) => [t, liveRows(ws, t)]).filter(([, n]) => (n as number) > 0));
    const funds = liveRows(ws, 'fund');
    throw new MeridianError(
      'DUPLICATE',
      funds > 0
        ? `Demo data can only be loaded into an empty profile; this one already has ${funds} fund${funds === 1 ? '' : 's'}. Create a new profile (or point MERIDIAN_DB at a new file) for the demo.`
        : 'Demo data can only be loaded into an empty profile; this one already holds data. Create a new profile (or point MERIDIAN_DB at a new file) for the demo.',
      { reason: 'PROFILE_NOT_EMPTY', present },
    );
  }

  const rules = await loadRules(ws.db.kysely);
  const plan = planDemo(seed >>> 0, today, rules);
  plan.steps.push(...planCreditDemo(plan.steps, today)); // credit borrowers, covenants, methodology, one analysis (issue 7)
  const previousActor = ws.actor;
  ws.actor = { userId: 'demo', role: 'admin' };
  // Thousands of small commits: WAL checkpoints (the only fsyncs under synchronous=NORMAL) are
  // deferred to one at the end. Crash safety is unchanged; a crash mid-seed leaves a consistent,
  // partly seeded profile.
  const autoCheckpoint = ws.db.raw.pragma('wal_autocheckpoint', { simple: true }) as number;
  ws.db.raw.pragma('wal_autocheckpoint = 0');
  try {
    const total = plan.steps.length;
    for (let i = 0; i < total; i++) {
      const step = plan.steps[i]!;
      try {
        await ws.mutate({ name: step.name, args: step.args });
      } catch (e) {
        if (e instanceof MeridianError) {
          throw new MeridianError(e.code, `Demo data step ${i + 1} of ${total} (${step.name} dated ${step.date}) was refused: ${e.message}`, { ...e.details, step: i + 1, mutation: step.name }, e.problems);
        }
        throw e;
      }
      if (opts.onProgress && (i % 250 === 249 || i === total - 1)) opts.onProgress(i + 1, total);
    }
  } finally {
    ws.actor = previousActor;
    ws.db.raw.pragma(`wal_autocheckpoint = ${Number(autoCheckpoint)}`);
    ws.db.raw.pragma('wal_checkpoint(TRUNCATE)');
  }

  const funds: DemoFundHeadline[] = [];
  for (const f of plan.funds) {
    const m = await ws.fundMetrics({ fundId: f.id, asOf: today, index: plan.indexName });
    funds.push({
      id: f.id,
      name: f.spec.name,
      currency: f.spec.currency,
      vintage: f.vintage,
      size: f.size,
      mature: f.mature,
      story: f.spec.story,
      irr: m.irr,
      tvpi: m.tvpi,
      dpi: m.dpi,
      utilisation: m.utilisation,
      ksPme: m.ksPme,
      pic: m.pic,
      distributions: m.distributions,
      nav: m.nav,
      allocated: m.allocated,
    });
  }
  const byStatus = Object.fromEntries(ALLOCATION_STATUSES.map((s) => [s, 0])) as Record<AllocationStatus, number>;
  for (const row of ws.db.raw.prepare<[], { status: AllocationStatus; n: number }>('SELECT status, count(*) AS n FROM allocation WHERE deleted_at IS NULL GROUP BY status').all()) {
    byStatus[row.status] = row.n;
  }
  const count = (table: string) => ws.db.raw.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table} WHERE deleted_at IS NULL`).get()?.n ?? 0;
  return {
    seed,
    today,
    indexName: plan.indexName,
    mutations: plan.steps.length,
    elapsedMs: Math.round(performance.now() - started),
    counts: {
      funds: count('fund'),
      investors: count('investor'),
      commitments: count('commitment'),
      deals: count('deal'),
      allocations: count('allocation'),
      allocationsByStatus: byStatus,
      capitalCalls: count('capital_call'),
      capitalCallLines: count('capital_call_line'),
      payments: count('payment'),
      distributions: count('distribution'),
      navMarks: count('nav_mark'),
      indexLevels: count('index_level'),
    },
    funds,
    partiallyPaidCallId: plan.partialCallId,
    overdueCallId: plan.overdueCallId,
  };
}
