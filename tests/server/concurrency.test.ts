/**
 * Concurrency (DESIGN §5 invariants 1, 3, 4): many clients pushing against
 * one fund near its utilisation cap never commit a state over it, every
 * refusal is recorded with its audit entry, and the same push delivered
 * several times at once has its effects once. On PostgreSQL (TEST_DATABASE_URL)
 * the pushes really run in parallel transactions.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUNTED_STATUSES } from '../../shared/domain/entities';
import type { PushResponse } from '../../shared/sync/protocol';
import { toSafeInteger } from '../../shared/validation';
import { allocation, fund } from './fixtures';
import { ON_POSTGRES, startTestServer, units, type Session, type TestServer } from './harness';

let s: TestServer;
let pm: Session;

beforeAll(async () => {
  s = await startTestServer();
  pm = await s.user('portfolio_manager');
});
afterAll(async () => s?.close());

async function counted(fundId: string): Promise<number> {
  const r = await s.db.database.db
    .selectFrom('allocation')
    .select(sql<string | number | null>`sum(amount)`.as('v'))
    .where('fund_id', '=', fundId)
    .where('status', 'in', [...COUNTED_STATUSES])
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return toSafeInteger(r?.v ?? 0);
}

describe(`8 concurrent clients near the 95 % cap (${ON_POSTGRES ? 'PostgreSQL' : 'PGlite'})`, () => {
  const CLIENTS = 8;
  const PER_CLIENT = 5;
  const AMOUNT = 60_000; // units per allocation
  // Fund of 10,000,000.00: the 95 % cap is 9,500,000.00; 9,000,000.00 already counts, so 500,000.00 is left:
  // room for exactly 8 allocations of 60,000.00 out of the 40 pushed.
  const SIZE = 10_000_000;
  const CAP = units(9_500_000);

  let responses: PushResponse[];
  let clients: { session: Session; clientId: string }[];

  beforeAll(async () => {
    const setup = await s.push(pm, 'cap-setup', [
      { id: 1, name: 'createFund', args: fund('CAP', SIZE) },
      ...Array.from({ length: CLIENTS }, (_, i) => ({ id: 2 + i, name: 'createDeal', args: { id: `CAP-D${i}`, name: `Deal ${i}` } })),
      { id: 2 + CLIENTS, name: 'createAllocation', args: allocation('CAP-pre-1', 'CAP', 'CAP-D0', 4_500_000) },
      { id: 3 + CLIENTS, name: 'createAllocation', args: allocation('CAP-pre-2', 'CAP', 'CAP-D1', 4_500_000) },
    ]);
    expect(setup.results.every((r) => r.status === 'applied')).toBe(true);
    expect(await counted('CAP')).toBe(units(9_000_000));

    clients = await Promise.all(Array.from({ length: CLIENTS }, async (_, i) => ({ session: await s.user('analyst'), clientId: `cap-client-${i}` })));
    responses = await Promise.all(
      clients.map(({ session, clientId }, i) =>
        s.push(
          session,
          clientId,
          Array.from({ length: PER_CLIENT }, (_, k) => ({ id: k + 1, name: 'createAllocation', args: allocation(`CAP-${i}-${k}`, 'CAP', `CAP-D${i}`, AMOUNT) })),
        ),
      ),
    );
  });

  it('commits no state over the cap, and exactly as many allocations as fit', async () => {
    const total = await counted('CAP');
    expect(total).toBeLessThanOrEqual(CAP);
    const applied = responses.flatMap((r) => r.results).filter((r) => r.status === 'applied');
    expect(applied).toHaveLength(8);
    expect(total).toBe(units(9_000_000) + applied.length * units(AMOUNT));
  });

  it('records every refused one as a rejection with the utilisation code and the numbers', async () => {
    const rejected = responses.flatMap((r) => r.results).filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(CLIENTS * PER_CLIENT - 8);
    for (const r of rejected) {
      if (r.status !== 'rejected') continue;
      expect(r.code).toBe('FUND_UTILISATION_EXCEEDED');
      expect(r.problems.find((p) => p.code === 'FUND_UTILISATION_EXCEEDED')?.details).toMatchObject({ limit: 95, size: units(SIZE), proposed: units(AMOUNT) });
    }
    const stored = await s.db.database.db.selectFrom('mutation_result').select(['client_id', 'mutation_id', 'status', 'code']).where('client_id', 'like', 'cap-client-%').execute();
    expect(stored).toHaveLength(CLIENTS * PER_CLIENT);
    expect(stored.filter((r) => r.status === 'rejected')).toHaveLength(rejected.length);
  });

  it('writes exactly one audit entry per applied or rejected mutation', async () => {
    const entries = await s.db.database.db
      .selectFrom('audit_log')
      .select(['client_id', 'mutation_id', 'status', 'code', 'entity', 'entity_id'])
      .where('client_id', 'like', 'cap-client-%')
      .execute();
    expect(entries).toHaveLength(CLIENTS * PER_CLIENT);
    const keys = new Set(entries.map((e) => `${e.client_id}#${e.mutation_id}`));
    expect(keys.size).toBe(CLIENTS * PER_CLIENT);
    for (const r of responses.flatMap((x) => x.results.map((res) => ({ clientId: x.clientId, res })))) {
      const e = entries.find((x) => x.client_id === r.clientId && x.mutation_id === r.res.id)!;
      expect(e.status).toBe(r.res.status);
      expect(e.entity).toBe('allocation');
      if (r.res.status === 'rejected') expect(e.code).toBe('FUND_UTILISATION_EXCEEDED');
    }
    const verify = await s.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: s.admin.auth });
    expect(verify.json()).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it("advances every client to its last mutation and keeps the change log in one gap-free order", async () => {
    for (const r of responses) expect(r.lastMutationId).toBe(PER_CLIENT);
    const seqs = await s.db.database.db.selectFrom('mutation_result').select('seq').orderBy('seq').execute();
    const distinct = new Set(seqs.map((x) => x.seq));
    expect(distinct.size).toBe(seqs.length); // every decided mutation has its own sequence number
  });

  it('keeps the cap under a second wave that approves proposals concurrently', async () => {
    // Two proposals above the approval threshold fit the per-deal limit but not the cap together.
    const a = await s.push(pm, 'cap-wave', [
      { id: 1, name: 'createFund', args: fund('CAP2', 20_000_000) },
      { id: 2, name: 'createDeal', args: { id: 'CAP2-D1', name: 'x' } },
      { id: 3, name: 'createDeal', args: { id: 'CAP2-D2', name: 'y' } },
      { id: 4, name: 'createDeal', args: { id: 'CAP2-D3', name: 'z' } },
      { id: 5, name: 'createAllocation', args: allocation('CAP2-a', 'CAP2', 'CAP2-D1', 9_000_000) },
      { id: 6, name: 'createAllocation', args: allocation('CAP2-b', 'CAP2', 'CAP2-D2', 9_000_000) },
      { id: 7, name: 'createAllocation', args: allocation('CAP2-c', 'CAP2', 'CAP2-D3', 9_000_000) },
    ]);
    expect(a.results.every((r) => r.status === 'applied')).toBe(true);
    const rows = await s.db.database.db.selectFrom('allocation').select(['id', 'version', 'status']).where('fund_id', '=', 'CAP2').orderBy('id').execute();
    expect(rows.every((r) => r.status === 'proposed')).toBe(true);
    const pms = await Promise.all(rows.map(() => s.user('portfolio_manager')));
    const res = await Promise.all(
      rows.map((r, i) => s.push(pms[i]!, `cap-approver-${i}`, [{ id: 1, name: 'approveAllocation', args: { id: r.id, expectedVersion: r.version } }])),
    );
    const outcomes = res.map((r) => r.results[0]!);
    // 19,000,000.00 is the cap: two approvals of 9,000,000.00 fit, the third does not.
    expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.code === 'FUND_UTILISATION_EXCEEDED')).toHaveLength(1);
    expect(await counted('CAP2')).toBe(units(18_000_000));
  });
});

describe('the same push delivered several times at once', () => {
  it('has its effects once, and every delivery gets the same results', async () => {
    const analyst = await s.user('analyst');
    await s.push(pm, 'dup-setup', [
      { id: 1, name: 'createFund', args: fund('DUP', 50_000_000) },
      { id: 2, name: 'createDeal', args: { id: 'DUP-D', name: 'Dup deal' } },
    ]);
    const batch = [
      { id: 1, name: 'createAllocation', args: allocation('DUP-1', 'DUP', 'DUP-D', 100_000) },
      { id: 2, name: 'createAllocation', args: allocation('DUP-2', 'DUP', 'DUP-D', 10) }, // rejected: below the minimum
      { id: 3, name: 'createAllocation', args: allocation('DUP-3', 'DUP', 'DUP-D', 200_000) },
      { id: 4, name: 'createDeal', args: { id: 'DUP-D2', name: 'Another' } },
    ];
    const deliveries = await Promise.all(Array.from({ length: 4 }, () => s.push(analyst, 'dup-client', batch)));
    for (const d of deliveries) {
      expect(d.results).toEqual(deliveries[0]!.results);
      expect(d.lastMutationId).toBe(4);
    }
    expect(deliveries[0]!.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied', 'applied']);

    const db = s.db.database.db;
    const allocs = await db.selectFrom('allocation').select('id').where('fund_id', '=', 'DUP').execute();
    expect(allocs.map((a) => a.id).sort()).toEqual(['DUP-1', 'DUP-3']);
    const log = await db.selectFrom('change_log').select(['mutation_id']).where('client_id', '=', 'dup-client').execute();
    expect(log.map((l) => l.mutation_id).sort()).toEqual([1, 3, 4]);
    const results = await db.selectFrom('mutation_result').select('mutation_id').where('client_id', '=', 'dup-client').execute();
    expect(results).toHaveLength(4);
    const audit = await db.selectFrom('audit_log').select(['mutation_id', 'status']).where('client_id', '=', 'dup-client').orderBy('mutation_id').execute();
    // createDeal is not financial: three audit entries, one each.
    expect(audit).toEqual([
      { mutation_id: 1, status: 'applied' },
      { mutation_id: 2, status: 'rejected' },
      { mutation_id: 3, status: 'applied' },
    ]);
    expect(await counted('DUP')).toBe(units(300_000));
  });
});
