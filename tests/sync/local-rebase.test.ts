// The local rebase without a server: undo every pending mutation, apply a
// page, replay — with a page that changes nothing, the tables must come back
// exactly as they were (fast-check over random offline work); a rejection
// reverts exactly the rejected mutation's effects.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSqlite, type LocalDatabase } from '../../db/sqlite/open';
import { applyLocalMutation } from '../../electron/core/local-mutations';
import { BackgroundCheckpointer, pageChunk, SyncStore } from '../../electron/core/sync';
import { ENTITY_NAMES } from '../../shared/domain/entities';
import type { Change, MutationResult } from '../../shared/sync/protocol';
import { tempDir } from '../helpers/temp';

const actor = { userId: 'u-local', role: 'portfolio_manager' as const };
const SERVER_ROW = { version: 1, updated_at: '2024-01-01T00:00:00.000Z', updated_by: 'server', deleted_at: null };
const fundRow = { id: 'F', name: 'Fund', currency: 'USD', vintage: 2024, size: 1_000_000_000, ...SERVER_ROW };

function seeded(): { db: LocalDatabase; store: SyncStore } {
  const db = openSqlite(path.join(tempDir(), 'local.sqlite'));
  const store = new SyncStore(db);
  store.raw.transaction(() => {
    store.rows.upsert('fund', fundRow);
    for (const d of ['D0', 'D1', 'D2']) store.rows.upsert('deal', { id: d, name: d, sector: '', country: '', stage: '', ...SERVER_ROW });
  })();
  return { db, store };
}

function dump(db: LocalDatabase) {
  return Object.fromEntries(ENTITY_NAMES.map((e) => [e, db.raw.prepare(`SELECT * FROM "${e}" ORDER BY id`).all()]));
}

type Op = { k: 'create'; deal: number; amount: number } | { k: 'update'; pick: number; amount: number } | { k: 'approve' | 'cancel' | 'delete'; pick: number } | { k: 'rename'; deal: number; name: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('create' as const), deal: fc.nat(2), amount: fc.integer({ min: 100_000, max: 700_000_000 }) }),
  fc.record({ k: fc.constant('update' as const), pick: fc.nat(9), amount: fc.integer({ min: 100_000, max: 700_000_000 }) }),
  fc.record({ k: fc.constantFrom('approve' as const, 'cancel' as const, 'delete' as const), pick: fc.nat(9) }),
  fc.record({ k: fc.constant('rename' as const), deal: fc.nat(2), name: fc.string({ minLength: 1, maxLength: 8 }) }),
);

async function play(db: LocalDatabase, ops: Op[]): Promise<number[]> {
  const made: number[] = [];
  let n = 0;
  for (const o of ops) {
    const live = db.raw.prepare<[], { id: string; version: number }>('SELECT id, version FROM allocation WHERE deleted_at IS NULL ORDER BY id').all();
    const pick = (i: number) => live[i % Math.max(1, live.length)];
    let r;
    try {
      if (o.k === 'create') r = await applyLocalMutation(db, actor, 'createAllocation', { id: `A${n++}`, fundId: 'F', dealId: `D${o.deal}`, amount: o.amount, date: '2024-01-01' });
      else if (o.k === 'rename') r = await applyLocalMutation(db, actor, 'updateDeal', { id: `D${o.deal}`, name: o.name });
      else {
        const row = pick(o.pick);
        if (!row) continue;
        const name = o.k === 'update' ? 'updateAllocation' : `${o.k}Allocation`;
        r = await applyLocalMutation(db, actor, name, { id: row.id, expectedVersion: row.version, ...(o.k === 'update' ? { amount: o.amount } : {}) });
      }
      made.push(r.mutationId);
    } catch {
      // refused locally: never queued
    }
  }
  return made;
}

/** A page whose only change rewrites a server row with the same content: forces the full rebase. */
function noOpPage(store: SyncStore): { changes: Change[]; cursor: number; lastMutationId: number; results: [] } {
  return { changes: [{ seq: 1, idx: 0, entity: 'fund', id: 'F', op: 'update', row: fundRow } as Change], cursor: store.cursor, lastMutationId: 0, results: [] };
}

describe('local rebase', () => {
  it('undo → apply nothing new → replay gives back exactly the same tables', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), async (ops) => {
        const { db, store } = seeded();
        const made = await play(db, ops);
        const before = dump(db);
        await store.applyPage(noOpPage(store), actor, new Date().toISOString());
        expect(store.lastPath).toBe(made.length ? 'slow' : 'plain');
        expect(dump(db)).toEqual(before);
        expect(store.pending().map((p) => p.mutation_id)).toEqual(made);
        expect(store.pending().every((p) => p.local_code === null)).toBe(true);
        await db.close();
      }),
      { numRuns: 40 },
    );
  });

  it('a rejected mutation is reverted and moved to the inbox; the others stay applied', async () => {
    const { db, store } = seeded();
    const a = await applyLocalMutation(db, actor, 'createAllocation', { id: 'X1', fundId: 'F', dealId: 'D0', amount: 100_000_000, date: '2024-01-01' });
    await applyLocalMutation(db, actor, 'updateDeal', { id: 'D1', name: 'Renamed' });
    await applyLocalMutation(db, actor, 'createAllocation', { id: 'X2', fundId: 'F', dealId: 'D2', amount: 200_000_000, date: '2024-01-01' });
    const out = await store.applyPage(
      {
        changes: [],
        cursor: 7,
        lastMutationId: a.mutationId,
        results: [{ id: a.mutationId, name: 'createAllocation', status: 'rejected', seq: 7, code: 'FUND_UTILISATION_EXCEEDED', message: 'over the cap', problems: [], details: { headroom: 0 } }],
      },
      actor,
      '2024-02-01T00:00:00.000Z',
    );
    expect(out.rejected).toEqual([{ mutationId: a.mutationId, name: 'createAllocation', code: 'FUND_UTILISATION_EXCEEDED', message: 'over the cap' }]);
    expect(db.raw.prepare("SELECT id FROM allocation WHERE id = 'X1'").get()).toBeUndefined();
    expect(db.raw.prepare("SELECT amount FROM allocation WHERE id = 'X2'").get()).toEqual({ amount: 200_000_000 });
    expect(db.raw.prepare("SELECT name FROM deal WHERE id = 'D1'").get()).toEqual({ name: 'Renamed' });
    expect(store.pendingCount()).toBe(2);
    expect(store.cursor).toBe(7);
    const [r] = db.raw.prepare('SELECT * FROM rejection').all() as Record<string, unknown>[];
    expect(r).toMatchObject({ mutation_id: a.mutationId, code: 'FUND_UTILISATION_EXCEEDED', status: 'open', rejected_at: '2024-02-01T00:00:00.000Z' });
    await db.close();
  });
});

describe('pageChunk', () => {
  it('splits a page into valid pages: on seq boundaries, results partitioned, the last one with the page cursor', () => {
    const arb = fc.record({
      seqs: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 40 }), // rows per seq
      rejectedAfter: fc.array(fc.nat(40), { maxLength: 5 }),
      rows: fc.integer({ min: 1, max: 12 }),
    });
    fc.assert(
      fc.property(arb, ({ seqs, rejectedAfter, rows }) => {
        const changes: Change[] = [];
        const results: MutationResult[] = [];
        let seq = 100;
        let id = 0;
        seqs.forEach((n, i) => {
          seq++;
          for (let k = 0; k < n; k++) changes.push({ seq, idx: k, entity: 'deal', id: `d${seq}-${k}`, op: 'insert', row: {} } as unknown as Change);
          results.push({ id: ++id, name: 'createDeal', status: 'applied', seq, versions: [] });
          if (rejectedAfter.includes(i)) results.push({ id: ++id, name: 'x', status: 'rejected', seq: ++seq, code: 'INTERNAL', message: '', problems: [], details: {} });
        });
        const page = { cursor: seq + 3, lastMutationId: id };
        const got: Change[] = [];
        const gotResults: MutationResult[] = [];
        let from = 0;
        let lastCursor = 100;
        do {
          const c = pageChunk(changes, results, from, rows, page);
          expect(c.end).toBeGreaterThan(from === changes.length ? -1 : from);
          if (c.end < changes.length) expect(changes[c.end]!.seq).not.toBe(changes[c.end - 1]!.seq);
          expect(c.page.cursor).toBeGreaterThanOrEqual(lastCursor);
          for (const ch of c.page.changes) expect(ch.seq).toBeLessThanOrEqual(c.page.cursor);
          for (const r of c.page.results) expect(r.seq).toBeLessThanOrEqual(c.page.cursor);
          expect(c.page.lastMutationId).toBe(c.end >= changes.length ? page.lastMutationId : results.filter((r) => r.seq <= c.page.cursor).reduce((m, r) => Math.max(m, r.id), 0));
          got.push(...c.page.changes);
          gotResults.push(...c.page.results);
          lastCursor = c.page.cursor;
          from = c.end;
        } while (from < changes.length);
        expect(got).toEqual(changes);
        expect(gotResults).toEqual(results);
        expect(lastCursor).toBe(page.cursor);
      }),
      { numRuns: 300 },
    );
  });
});

describe('BackgroundCheckpointer', () => {
  it('turns automatic checkpoints off, checkpoints from a worker thread, and restores the setting', async () => {
    const { db, store } = seeded();
    const before = db.raw.pragma('wal_autocheckpoint', { simple: true });
    const cp = new BackgroundCheckpointer(db.raw, db.file, 20);
    expect(cp.start()).toBe(true);
    expect(db.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    for (let i = 0; i < 50; i++) store.raw.transaction(() => store.rows.upsert('deal', { id: `W${i}`, name: 'w', sector: '', country: '', stage: '', ...SERVER_ROW }))();
    for (let i = 0; i < 100 && cp.runs < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(cp.runs).toBeGreaterThanOrEqual(2);
    await cp.finish();
    const [state] = db.raw.pragma('wal_checkpoint(PASSIVE)') as { log: number; checkpointed: number }[];
    expect(state!.checkpointed).toBe(state!.log); // everything written is already in the database file
    expect(db.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    const memory = openSqlite(':memory:');
    expect(new BackgroundCheckpointer(memory.raw, ':memory:').start()).toBe(false);
    await memory.close();
    await db.close();
  });
});
