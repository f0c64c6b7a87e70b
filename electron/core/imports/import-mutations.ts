/**
 * The write phase of a CSV import in a profile bound to a server
 * (docs/imports-exports.md "Imports in a synced profile"): instead of the
 * direct upsert, the validated rows are queued as import mutations
 * (shared/mutators/imports) through the local mutation path, so they reach
 * the outbox with undo images, sync like any edit and are replayed by the
 * server under its rules.
 *
 * - Rows identical to the stored live ones are left out (a re-import of an
 *   unchanged file queues nothing).
 * - Allocations that would count above the approval threshold need a role
 *   allowed to approve them (the mutator's check, made here first so the
 *   problem names the line).
 * - The rest go in file order, in chunks of at most
 *   MAX_IMPORT_ROWS_PER_MUTATION rows and about MAX_MUTATION_BYTES of
 *   arguments (a push carries up to 200 mutations and the server takes
 *   8 MiB per request), one local transaction per chunk; progress and
 *   cancellation between chunks.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { COUNTED_STATUSES } from '../../../shared/domain/entities';
import { MeridianError, type Problem } from '../../../shared/errors';
import type { ImportKind } from '../../../shared/imports/formats';
import type { Actor, MutationName } from '../../../shared/mutators';
import { MAX_IMPORT_ROWS_PER_MUTATION } from '../../../shared/mutators/imports';
import { loadRules } from '../../../shared/mutators/queries';
import { checkApprover, needsApproval } from '../../../shared/rules/engine';
import { applyLocalMutation } from '../local-mutations';

/** Arguments of one import mutation stay under this many bytes of JSON (besides the row cap). */
export const MAX_MUTATION_BYTES = 32 * 1024;

export const IMPORT_MUTATION: Readonly<Record<ImportKind, MutationName>> = {
  funds: 'importFunds',
  deals: 'importDeals',
  investors: 'importInvestors',
  commitments: 'importCommitments',
  allocations: 'importAllocations',
  cashflows: 'importCashflows',
  navs: 'importNavMarks',
  index: 'importIndexLevels',
};

type ArgsRow = Record<string, unknown>;

/** [SQL of the stored live row, its parameters from an args row, and the (column, argument) pairs to compare]. */
const STORED: Record<ImportKind, { sql: string; key: (r: ArgsRow) => unknown[]; cols: [string, string][] }> = {
  funds: {
    sql: 'SELECT name, currency, vintage, size FROM fund WHERE id = ? AND deleted_at IS NULL',
    key: (r) => [r.id],
    cols: [['name', 'name'], ['currency', 'currency'], ['vintage', 'vintage'], ['size', 'size']],
  },
  deals: {
    sql: 'SELECT name, sector, country, stage FROM deal WHERE id = ? AND deleted_at IS NULL',
    key: (r) => [r.id],
    cols: [['name', 'name'], ['sector', 'sector'], ['country', 'country'], ['stage', 'stage']],
  },
  investors: { sql: 'SELECT name FROM investor WHERE id = ? AND deleted_at IS NULL', key: (r) => [r.id], cols: [['name', 'name']] },
  commitments: {
    sql: 'SELECT amount FROM commitment WHERE fund_id = ? AND investor_id = ? AND deleted_at IS NULL',
    key: (r) => [r.fundId, r.investorId],
    cols: [['amount', 'amount']],
  },
  allocations: {
    sql: 'SELECT fund_id, deal_id, security_type, amount, status, date FROM allocation WHERE id = ? AND deleted_at IS NULL',
    key: (r) => [r.id],
    cols: [['fund_id', 'fundId'], ['deal_id', 'dealId'], ['security_type', 'securityType'], ['amount', 'amount'], ['status', 'status'], ['date', 'date']],
  },
  cashflows: {
    // The id encodes the type (cashflowId), so one table per row; the other never holds it.
    sql: `SELECT fund_id, date, amount FROM contribution WHERE id = ? AND deleted_at IS NULL
          UNION ALL SELECT fund_id, date, amount FROM distribution WHERE id = ? AND deleted_at IS NULL`,
    key: (r) => [r.id, r.id],
    cols: [['fund_id', 'fundId'], ['date', 'date'], ['amount', 'amount']],
  },
  navs: { sql: 'SELECT nav FROM nav_mark WHERE fund_id = ? AND date = ? AND deleted_at IS NULL', key: (r) => [r.fundId, r.date], cols: [['nav', 'nav']] },
  index: {
    sql: 'SELECT level FROM index_level WHERE index_name = ? AND date = ? AND deleted_at IS NULL',
    key: (r) => [r.indexName, r.date],
    cols: [['level', 'level']],
  },
};

function storedSame(raw: BetterSqlite3.Database, kind: ImportKind): (r: ArgsRow) => boolean {
  const { sql, key, cols } = STORED[kind];
  const st = raw.prepare<unknown[], Record<string, unknown>>(sql);
  return (r) => {
    const row = st.get(...key(r));
    return row !== undefined && cols.every(([c, a]) => row[c] === r[a]);
  };
}

export interface QueueSource {
  /** Row slots validated by the import (some may be refused: null). */
  size: number;
  args(i: number): ArgsRow | null;
  line?(i: number): number;
}

export interface QueueOptions {
  kind: ImportKind;
  file: string;
  actor: Actor;
  now: string;
  skipInvalid: boolean;
  /** The validation's problems; the approver check adds to them. */
  problems: Problem[];
  /** Rows and invalid rows found by validation (for the INVALID_INPUT message). */
  rows: number;
  skipped: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; phase: 'write' }) => void;
}

export interface QueueResult {
  /** Rows queued for the server (in `mutations` mutations). */
  queued: number;
  mutations: number;
  /** Accepted rows identical to what is stored (nothing queued). */
  unchanged: number;
  /** Rows refused here (approval role), skipped with skipInvalid. */
  refused: number;
}

const COUNTED = new Set<string>(COUNTED_STATUSES);

/**
 * Queues the validated rows as import mutations. Throws INVALID_INPUT
 * (approval role problems, without skipInvalid: nothing queued) or
 * CANCELLED (nothing queued when cancelled before the first chunk; the chunks
 * already queued stay, and a re-import of the file finishes the job).
 */
export async function queueImportMutations(db: LocalDatabase, source: QueueSource, o: QueueOptions): Promise<QueueResult> {
  const raw = db.raw;
  const same = storedSame(raw, o.kind);
  const rules = o.kind === 'allocations' ? await loadRules(db.kysely) : null;
  const storedAlloc = raw.prepare<[string], { amount: number; status: string }>('SELECT amount, status FROM allocation WHERE id = ? AND deleted_at IS NULL');
  const currency = raw.prepare<[string], { currency: string }>('SELECT currency FROM fund WHERE id = ?');
  const changed: ArgsRow[] = [];
  let unchanged = 0;
  let refused = 0;
  for (let i = 0; i < source.size; i++) {
    const r = source.args(i);
    if (r === null) continue;
    if (same(r)) {
      unchanged++;
      continue;
    }
    if (rules && COUNTED.has(r.status as string) && needsApproval(rules, r.amount as number)) {
      const was = storedAlloc.get(r.id as string);
      if (!(was && COUNTED.has(was.status) && was.amount === r.amount)) {
        const found = checkApprover(rules, o.actor.role, r.amount as number, currency.get(r.fundId as string)?.currency ?? 'USD');
        if (found.length) {
          for (const p of found) o.problems.push({ ...p, path: 'status', line: source.line?.(i), details: { ...p.details, id: r.id } });
          refused++;
          continue;
        }
      }
    }
    changed.push(r);
  }
  if (refused > 0 && !o.skipInvalid) {
    const first = o.problems.find((p) => p.code === 'APPROVAL_ROLE_REQUIRED')!;
    throw new MeridianError(
      'INVALID_INPUT',
      `${o.skipped + refused} of ${o.rows} rows of ${o.file} cannot be imported; nothing was imported. First: line ${first.line}, ${first.message}`,
      { kind: o.kind, file: o.file, rows: o.rows, invalid: o.skipped + refused },
      o.problems,
    );
  }

  const name = IMPORT_MUTATION[o.kind];
  const total = changed.length;
  let queued = 0;
  let mutations = 0;
  o.onProgress?.({ done: 0, total, phase: 'write' });
  while (queued < total) {
    if (o.signal?.aborted) {
      throw new MeridianError(
        'CANCELLED',
        queued === 0
          ? 'Import cancelled while writing; nothing was imported.'
          : `Import cancelled after ${queued} of ${total} rows were imported and queued for the server; import the file again to add the rest (rows already imported are skipped).`,
        { queued, total, mutations },
      );
    }
    const rows: ArgsRow[] = [];
    let bytes = 0;
    while (queued + rows.length < total && rows.length < MAX_IMPORT_ROWS_PER_MUTATION) {
      const r = changed[queued + rows.length]!;
      const size = JSON.stringify(r).length + 1;
      if (rows.length > 0 && bytes + size > MAX_MUTATION_BYTES) break;
      rows.push(r);
      bytes += size;
    }
    await applyLocalMutation(db, o.actor, name, { rows }, o.now);
    queued += rows.length;
    mutations++;
    o.onProgress?.({ done: queued, total, phase: 'write' });
    if (queued < total) await nextTurn();
  }
  return { queued, mutations, unchanged, refused };
}
