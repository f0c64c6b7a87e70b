// Allocation mutators on a real SQLite file: limits, approval, lifecycle,
// versions and all-or-nothing writes (DESIGN §3).
import { describe, expect, it } from 'vitest';
import { MeridianError } from '../../../shared/errors';
import { tempWorkstation } from '../../helpers/temp-profile';
import { allocate, M, seedBasics } from '../../helpers/seed';

async function rejection(p: Promise<unknown>): Promise<MeridianError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MeridianError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

function status(ws: ReturnType<typeof tempWorkstation>, id: string) {
  return ws.db.raw.prepare<[string], { status: string; amount: number; version: number }>('SELECT status, amount, version FROM allocation WHERE id = ?').get(id);
}

describe('allocation limits', () => {
  it('counts at once at or under the approval threshold and waits for approval above it', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    await allocate(ws, 'A1', 'D1', M(5_000_000)); // exactly the threshold
    await allocate(ws, 'A2', 'D2', M(5_000_000.01));
    expect(status(ws, 'A1')!.status).toBe('approved');
    expect(status(ws, 'A2')!.status).toBe('proposed');
  });

  it('refuses an allocation over the per-deal limit with the numbers involved', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    await allocate(ws, 'A1', 'D1', M(4_000_000));
    await allocate(ws, 'A2', 'D1', M(4_000_000));
    const e = await rejection(allocate(ws, 'A3', 'D1', M(2_500_000)));
    expect(e.code).toBe('DEAL_ALLOCATION_LIMIT_EXCEEDED');
    expect(e.problems[0]!.details).toMatchObject({ limit: M(10_000_000), current: M(8_000_000), proposed: M(2_500_000), resulting: M(10_500_000), headroom: M(2_000_000) });
    expect(e.message).toContain('USD 2,000,000.00 more can go to this deal');
    expect(status(ws, 'A3')).toBeUndefined();
  });

  it('reports every violation at once: below minimum is independent of the caps', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws, M(1_000_000));
    await allocate(ws, 'A1', 'D1', M(900_000)); // 90 % of size
    const e = await rejection(allocate(ws, 'A2', 'D2', M(60_000))); // 96 % after
    expect(e.problems.map((p) => p.code)).toEqual(['FUND_UTILISATION_EXCEEDED']);
    expect(e.problems[0]!.details).toMatchObject({ headroom: M(50_000), resulting: M(960_000) });
    const tiny = await rejection(allocate(ws, 'A3', 'D2', M(999.99)));
    expect(tiny.problems.map((p) => p.code)).toEqual(['ALLOCATION_BELOW_MINIMUM']);
    // exactly at the 95 % cap is allowed
    await allocate(ws, 'A4', 'D2', M(50_000));
    expect(status(ws, 'A4')!.status).toBe('approved');
  });

  it('refuses going over the per-fund total across deals', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws, M(100_000_000));
    for (const id of ['D4', 'D5', 'D6']) await ws.mutate({ name: 'createDeal', args: { id, name: `Deal ${id}` } });
    // two of 4,900,000.00 per deal (9,800,000.00, under the per-deal limit) in five deals: 49,000,000.00 counted
    for (let i = 0; i < 10; i++) await allocate(ws, `A${i}`, `D${(i % 5) + 1}`, M(4_900_000));
    // 1,000,000.01 more breaks the 50,000,000.00 fund limit
    const e = await rejection(allocate(ws, 'AX', 'D6', M(1_000_000.01)));
    expect(e.code).toBe('FUND_ALLOCATION_LIMIT_EXCEEDED');
    expect(e.problems[0]!.details).toMatchObject({ current: M(49_000_000), headroom: M(1_000_000) });
  });

  it('proposed, rejected and cancelled allocations do not count', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws, M(100_000_000));
    await allocate(ws, 'P1', 'D1', M(6_000_000)); // proposed (above threshold)
    await allocate(ws, 'A1', 'D1', M(4_000_000)); // counted
    expect((await ws.checkAllocation({ fundId: 'F1', dealId: 'D1', amount: M(6_000_000) })).map((p) => p.code)).toEqual([]);
    expect((await ws.checkAllocation({ fundId: 'F1', dealId: 'D1', amount: M(6_000_000.01) })).map((p) => p.code)).toEqual(['DEAL_ALLOCATION_LIMIT_EXCEEDED']);
  });
});

describe('approval and lifecycle', () => {
  it('an analyst cannot approve above the threshold; a portfolio manager can, re-checked against current totals', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws, M(100_000_000));
    await allocate(ws, 'P1', 'D1', M(6_000_000));
    ws.actor = { userId: 'ann', role: 'analyst' };
    const e = await rejection(ws.mutate({ name: 'approveAllocation', args: { id: 'P1', expectedVersion: 0 } }));
    expect(e.code).toBe('APPROVAL_ROLE_REQUIRED');
    expect(e.problems[0]!.details).toMatchObject({ requiredRole: 'portfolio_manager', role: 'analyst' });
    // meanwhile the deal fills up with counted allocations
    await allocate(ws, 'A1', 'D1', M(4_500_000));
    ws.actor = { userId: 'pat', role: 'portfolio_manager' };
    const over = await rejection(ws.mutate({ name: 'approveAllocation', args: { id: 'P1', expectedVersion: 0 } }));
    expect(over.code).toBe('DEAL_ALLOCATION_LIMIT_EXCEEDED');
    await ws.mutate({ name: 'cancelAllocation', args: { id: 'A1', expectedVersion: 0 } });
    await ws.mutate({ name: 'approveAllocation', args: { id: 'P1', expectedVersion: 0 } });
    const row = ws.db.raw.prepare('SELECT status, approved_by FROM allocation WHERE id = ?').get('P1');
    expect(row).toEqual({ status: 'approved', approved_by: 'pat' });
  });

  it('enforces the status lifecycle', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    await allocate(ws, 'A1', 'D1', M(1_000_000));
    await ws.mutate({ name: 'changeAllocationStatus', args: { id: 'A1', expectedVersion: 0, to: 'committed' } });
    await ws.mutate({ name: 'changeAllocationStatus', args: { id: 'A1', expectedVersion: 0, to: 'funded' } });
    const e = await rejection(ws.mutate({ name: 'changeAllocationStatus', args: { id: 'A1', expectedVersion: 0, to: 'proposed' } }));
    expect(e.code).toBe('INVALID_STATUS_TRANSITION');
    expect(e.details).toEqual({ from: 'funded', to: 'proposed' });
    const edit = await rejection(ws.mutate({ name: 'cancelAllocation', args: { id: 'A1', expectedVersion: 0 } }));
    expect(edit.code).toBe('INVALID_STATUS_TRANSITION');
  });

  it('refuses an edit based on a stale version', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    await allocate(ws, 'A1', 'D1', M(1_000_000));
    ws.db.raw.prepare('UPDATE allocation SET version = 7 WHERE id = ?').run('A1'); // as if the server had moved on
    const e = await rejection(ws.mutate({ name: 'updateAllocation', args: { id: 'A1', expectedVersion: 3, amount: M(2_000_000) } }));
    expect(e.code).toBe('STALE_VERSION');
    expect(status(ws, 'A1')!.amount).toBe(M(1_000_000));
    await ws.mutate({ name: 'updateAllocation', args: { id: 'A1', expectedVersion: 7, amount: M(2_000_000) } });
    expect(status(ws, 'A1')!.amount).toBe(M(2_000_000));
  });

  it('a refused mutation leaves no trace: no rows and no outbox entry', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    const outbox = () => ws.db.raw.prepare('SELECT count(*) n FROM outbox').get() as { n: number };
    const before = outbox().n;
    await rejection(allocate(ws, 'A1', 'D1', M(10_000_000.01)));
    await rejection(ws.mutate({ name: 'createAllocation', args: { id: 'A2', fundId: 'F1', dealId: 'D1', amount: -5, date: '2024-13-01' } }));
    expect(outbox().n).toBe(before);
    expect(ws.db.raw.prepare('SELECT count(*) n FROM allocation').get()).toEqual({ n: 0 });
  });

  it('names every invalid argument with its field path', async () => {
    const ws = tempWorkstation();
    const e = await rejection(ws.mutate({ name: 'createAllocation', args: { id: 'A2', fundId: 'F1', dealId: 'D1', amount: 1.5, date: '2024-02-30', extra: 1 } }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.problems.map((p) => p.path).sort()).toEqual(['', 'amount', 'date']);
    expect(e.problems.find((p) => p.path === '')!.message).toMatch(/extra/);
  });

  it('outbox mutation ids increase and hold the replayable arguments', async () => {
    const ws = tempWorkstation();
    await seedBasics(ws);
    const rows = ws.db.raw.prepare('SELECT mutation_id, name, args FROM outbox ORDER BY mutation_id').all() as { mutation_id: number; name: string; args: string }[];
    expect(rows.map((r) => r.mutation_id)).toEqual(rows.map((_, i) => i + 1));
    expect(JSON.parse(rows[1]!.args)).toEqual({ id: 'D1', name: 'Acme Robotics', sector: 'Industrials', country: 'US', stage: 'Growth' });
  });
});
