/**
 * CSV import into the local database (docs/imports-exports.md).
 *
 * Two phases:
 * 1. Validate: the file is streamed (./csv-records: quote-free chunks are
 *    split directly, anything quoted goes through csv-parse); every record is
 *    checked (cells with the shared formats, references, repeated keys, and
 *    for allocations the business rules, with the shared engine, against
 *    running totals kept in memory). Good rows are kept compactly for
 *    phase 2 (allocations in typed-array columns); every bad row becomes a
 *    Problem with its line (header = line 1), column and stable code.
 * 2. Write: unless the file had problems and `skipInvalid` is off (then
 *    NOTHING is written and a MeridianError('INVALID_INPUT') carries every
 *    problem), all good rows are upserted in ONE transaction with prepared
 *    statements, in batches; between batches the event loop runs (progress,
 *    cancellation). Cancel → ROLLBACK and MeridianError('CANCELLED').
 *
 * Ids: the file's ids are the keys (upsert by id). Commitments upsert on
 * (fund_id, investor_id), nav marks on (fund_id, date), index levels on
 * (index, date). Cash flows have no id in the file: see cashflowId.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { LocalDatabase } from '../../../db/sqlite/open';
import { ALLOCATION_STATUSES, COUNTED_STATUSES, SECURITY_TYPES, type AllocationStatus, type SecurityType } from '../../../shared/domain/entities';
import { MeridianError, type Problem } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import {
  FieldError,
  fieldList,
  IGNORED_COLUMNS,
  IMPORT_HEADERS,
  isImportKind,
  type CashflowType,
  type FieldSpec,
  type ImportKind,
} from '../../../shared/imports/formats';
import type { Actor } from '../../../shared/mutators';
import { loadRules } from '../../../shared/mutators/queries';
import type { BusinessRules } from '../../../shared/rules/business-rules';
import { checkAllocation, checkFundSize } from '../../../shared/rules/engine';
import { restoreCell } from '../exports/csv-safe';
import { CsvSyntaxError, readCsvRecords, type CsvReaderMode } from './csv-records';
import { queueImportMutations } from './import-mutations';

export interface ImportProgress {
  /** Records validated (phase 'validate') or rows written (phase 'write'). */
  done: number;
  /** Unknown while reading; the number of rows to write in phase 'write'. */
  total: number | null;
  phase: 'validate' | 'write';
}

export interface ImportOptions {
  /** Import the good rows and report the bad ones instead of importing nothing. */
  skipInvalid?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Stamped into updated_by. */
  userId: string;
  /** Stamped into updated_at (ISO-8601 UTC); default: the current time. */
  now?: string;
  /** Problems listed at most (one more summarises the rest); default 10,000. */
  maxProblems?: number;
  /** Rows per write batch inside the one transaction; default 10,000. */
  batchSize?: number;
  /** CSV reader (see ./csv-records); default 'fast'. */
  parser?: CsvReaderMode;
  /**
   * The profile is bound to a server: after the same validation, queue the
   * good rows as import mutations acting as `actor` (./import-mutations)
   * instead of writing them directly, so they sync.
   */
  sync?: { actor: Actor };
}

export interface ImportReport {
  kind: ImportKind;
  file: string;
  /** Data records in the file (header and blank lines excluded). */
  rows: number;
  /** Rows accepted and written (including rows identical to what was stored). */
  imported: number;
  /** Rows not imported because of problems (skipInvalid only). */
  skipped: number;
  /** Of `imported`, rows already stored with exactly these values (nothing written, timestamps kept). */
  unchanged: number;
  problems: Problem[];
  /** Profiles bound to a server (options.sync): rows queued for the server, and in how many mutations. */
  queued?: number;
  mutations?: number;
}

const DEFAULT_MAX_PROBLEMS = 10_000;
const DEFAULT_BATCH = 10_000;
/** Distinct values memoised per repetitive column (dates, currencies, vintages). */
const MEMO_LIMIT = 100_000;

/* ------------------------------------------------------------------ ids */

/** A UUID-shaped id (RFC 9562 version 8, variant 10) from the SHA-256 of a namespace and parts. */
export function derivedUuid(namespace: string, parts: readonly (string | number)[]): string {
  const b = createHash('sha256').update(`meridian:${namespace}:v1\n${JSON.stringify(parts)}`).digest();
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex', 0, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * Id of an imported cash flow: the files carry none, so it is derived from
 * (fund_id, date, type, amount in cents, n) where n counts earlier rows of
 * the same file with the same four values (1 for the first). Re-importing
 * the file yields the same ids, so it upserts instead of duplicating; two
 * identical flows on the same day stay two rows.
 */
export function cashflowId(fundId: string, date: string, type: CashflowType, amountCents: number, occurrence: number): string {
  return derivedUuid('cashflow', [fundId, date, type, amountCents, occurrence]);
}

/** Id given to a NEW commitment imported through a mutation (an existing one for the fund and investor keeps its id). */
export function commitmentId(fundId: string, investorId: string): string {
  return derivedUuid('commitment', [fundId, investorId]);
}

/** Id given to a NEW nav mark (an existing mark for the fund and date keeps its id). */
export function navMarkId(fundId: string, date: string): string {
  return derivedUuid('nav_mark', [fundId, date]);
}

/** Id of an index level: `${index}:${date}` (an existing level for the index and date keeps its id). */
export function indexLevelId(index: string, date: string): string {
  return `${index}:${date}`;
}

/* ---------------------------------------------------------- validation */

type AddProblem = (p: Problem) => void;

interface Plan {
  /**
   * Checks references, keys and rules of one record whose cells parsed;
   * keeps it for the write phase when accepted and `keep` (false once a
   * strict import has found a problem). `v` is reused: copy values out.
   */
  accept(v: unknown[], line: number, add: AddProblem, keep: boolean): boolean;
  /** Row slots kept for writing (a slot may hold a refused row that write skips). */
  size(): number;
  /** Drops what was kept: a strict import that found a problem writes nothing. */
  discard(): void;
  /** Prepares the statements; the returned function upserts slot `i` and returns the rows it changed (0 when identical or refused). */
  prepare(raw: BetterSqlite3.Database, now: string, userId: string): (i: number) => number;
  /** Slot `i` as a row of the kind's import mutation (shared/mutators/imports), or null when refused (profiles bound to a server). */
  args(i: number): ImportArgsRow | null;
  /** The file line of slot `i`, where the plan keeps it. */
  line?(i: number): number;
}

/** One row of an import mutation's arguments (shared/mutators/imports). */
export type ImportArgsRow = Record<string, unknown>;

/** Storage for the low-volume kinds: one flat array, `stride` values per row. */
function flatPlan(
  stride: number,
  accept: (v: unknown[], line: number, add: AddProblem, data: unknown[] | null) => boolean,
  prepare: (raw: BetterSqlite3.Database, now: string, userId: string) => (d: unknown[], offset: number) => number,
  toArgs: (d: unknown[], offset: number) => ImportArgsRow,
): Plan {
  let data: unknown[] = [];
  return {
    accept: (v, line, add, keep) => accept(v, line, add, keep ? data : null),
    size: () => data.length / stride,
    discard: () => {
      data = [];
    },
    prepare(raw, now, userId) {
      const write = prepare(raw, now, userId);
      return (i) => write(data, i * stride);
    },
    args: (i) => toArgs(data, i * stride),
  };
}

type Typed = Int32Array | Float64Array | Uint8Array;

/** A growable typed-array column: numbers off the JS heap's pointer graph, so a million rows cost the GC nothing. */
class Column<A extends Typed> {
  n = 0;
  constructor(
    public a: A,
    private readonly make: (n: number) => A,
  ) {}

  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

const int32s = () => new Column(new Int32Array(1024), (n) => new Int32Array(n));
const float64s = () => new Column(new Float64Array(1024), (n) => new Float64Array(n));
const uint8s = () => new Column(new Uint8Array(1024), (n) => new Uint8Array(n));

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so the low bits (the table index) depend on every character. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Set of the ids seen so far (open addressing over an Int32Array of slot
 * numbers into `ids`): the duplicate check of a million-row file without a
 * million-entry Map for the garbage collector to trace.
 */
class IdIndex {
  private table = new Int32Array(1 << 12);
  private count = 0;
  /** Hash of each slot's id, so growing never hashes a string again and probes compare numbers first. */
  private readonly hashes = int32s();

  constructor(private readonly ids: readonly string[]) {}

  /** The slot that already holds `id`, or -1 after recording that `slot` (the next one) will. */
  findOrAdd(id: string, slot: number): number {
    if ((this.count + 1) * 2 > this.table.length) this.grow();
    const h = hashString(id) | 0;
    const mask = this.table.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = this.table[i]!;
      if (v === 0) {
        this.table[i] = slot + 1;
        this.hashes.push(h);
        this.count++;
        return -1;
      }
      if (this.hashes.a[v - 1] === h && this.ids[v - 1] === id) return v - 1;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    const mask = this.table.length - 1;
    const hashes = this.hashes.a;
    for (let j = 0; j < old.length; j++) {
      const v = old[j]!;
      if (v === 0) continue;
      let i = hashes[v - 1]! & mask;
      while (this.table[i] !== 0) i = (i + 1) & mask;
      this.table[i] = v;
    }
  }
}

interface FundInfo {
  /** Position in Refs.funds. */
  idx: number;
  id: string;
  name: string;
  size: number;
  currency: string;
  /** Counted allocations (DB + accepted rows so far); loaded on first use. */
  counted: number;
  /** deal id → counted allocations of this fund in that deal; null until loaded. */
  pairs: Map<string, number> | null;
}

const COUNTED = new Set<string>(COUNTED_STATUSES);
/** Statuses checked by the rules as if they counted (as a create would be); exited, rejected and cancelled ones are history. */
const CHECKED = new Set<string>(['proposed', ...COUNTED_STATUSES]);
const COUNTED_SQL = COUNTED_STATUSES.map((s) => `'${s}'`).join(',');

interface Named {
  /** Position in Refs.deals / Refs.investors. */
  idx: number;
  /** The id as stored (one shared string for every row that names it). */
  id: string;
  name: string;
}

/** Cached lookups of referenced rows (deleted rows count as missing). */
class Refs {
  /** Every live row found, by idx. */
  readonly funds: FundInfo[] = [];
  readonly deals: Named[] = [];
  readonly investors: Named[] = [];
  private readonly cache = { fund: new Map<string, FundInfo | null>(), deal: new Map<string, Named | null>(), investor: new Map<string, Named | null>() };
  private readonly stmts: Record<'fund' | 'deal' | 'investor', BetterSqlite3.Statement>;
  private readonly pairStmt: BetterSqlite3.Statement;

  constructor(raw: BetterSqlite3.Database) {
    this.stmts = {
      fund: raw.prepare('SELECT id, name, size, currency FROM fund WHERE id = ? AND deleted_at IS NULL'),
      deal: raw.prepare('SELECT id, name FROM deal WHERE id = ? AND deleted_at IS NULL'),
      investor: raw.prepare('SELECT id, name FROM investor WHERE id = ? AND deleted_at IS NULL'),
    };
    this.pairStmt = raw
      .prepare(
        `SELECT deal_id, sum(amount) FROM allocation WHERE fund_id = ? AND status IN (${COUNTED_SQL}) AND deleted_at IS NULL GROUP BY deal_id`,
      )
      .raw();
  }

  fund(id: string): FundInfo | null {
    let f = this.cache.fund.get(id);
    if (f === undefined) {
      const r = this.stmts.fund.get(id) as { id: string; name: string; size: number; currency: string } | undefined;
      f = r ? { idx: this.funds.length, ...r, counted: 0, pairs: null } : null;
      if (f) this.funds.push(f);
      this.cache.fund.set(id, f);
    }
    return f;
  }

  deal(id: string): Named | null {
    return this.named('deal', id);
  }

  investor(id: string): Named | null {
    return this.named('investor', id);
  }

  private named(entity: 'deal' | 'investor', id: string): Named | null {
    const cache = this.cache[entity];
    let n = cache.get(id);
    if (n === undefined) {
      const list = entity === 'deal' ? this.deals : this.investors;
      const r = this.stmts[entity].get(id) as { id: string; name: string } | undefined;
      n = r ? { idx: list.length, ...r } : null;
      if (n) list.push(n);
      cache.set(id, n);
    }
    return n;
  }

  /** The fund's counted totals, loaded from the database once. */
  totals(f: FundInfo): Map<string, number> {
    if (f.pairs === null) {
      f.pairs = new Map();
      for (const [dealId, sum] of this.pairStmt.iterate(f.id) as Iterable<[string, number]>) {
        f.pairs.set(dealId, sum);
        f.counted += sum;
      }
    }
    return f.pairs;
  }

  adjust(fundId: string, dealId: string, delta: number): void {
    const f = this.fund(fundId);
    if (!f) return; // a deleted fund's totals matter to nobody
    const pairs = this.totals(f);
    f.counted += delta;
    pairs.set(dealId, (pairs.get(dealId) ?? 0) + delta);
  }
}

interface PlanContext {
  raw: BetterSqlite3.Database;
  refs: Refs;
  rules: BusinessRules | null;
}

/** Adds the problem and returns false (for `ok = report(...)`). */
function report(add: AddProblem, p: Problem): false {
  add(p);
  return false;
}

function notFound(entity: string, column: string, id: string, line: number): Problem {
  return { code: 'NOT_FOUND', path: column, line, message: `${column}: ${entity} "${id}" does not exist`, details: { entity, id } };
}

/** Remembers the first line of each key; reports a later repeat as DUPLICATE. */
function firstOccurrence(seen: Map<string, number>, key: string, line: number, column: string, label: string, add: AddProblem): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    add({ code: 'DUPLICATE', path: column, line, message: `${column}: ${label} already appears on line ${first}`, details: { firstLine: first } });
    return false;
  }
  seen.set(key, line);
  return true;
}

const SYNC_SET = 'updated_at = excluded.updated_at, updated_by = excluded.updated_by, deleted_at = NULL';

/**
 * Upsert SQL that leaves identical live rows alone (no new updated_at, so a
 * re-import of the same file changes nothing) and keeps `version` and the
 * columns it does not name.
 */
function upsertSql(table: string, columns: readonly string[], conflict: readonly string[], update: readonly string[]): string {
  const changed = [...update.map((c) => `${table}.${c} IS NOT excluded.${c}`), `${table}.deleted_at IS NOT NULL`].join(' OR ');
  return `INSERT INTO ${table} (${columns.join(', ')}, version, updated_at, updated_by, deleted_at)
VALUES (${columns.map(() => '?').join(', ')}, 0, ?, ?, NULL)
ON CONFLICT(${conflict.join(', ')}) DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}${update.length ? ', ' : ''}${SYNC_SET}
WHERE ${changed}`;
}

/** Plain insert of a new row with the sync columns of a new row. */
function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}, version, updated_at, updated_by, deleted_at)
VALUES (${columns.map(() => '?').join(', ')}, 0, ?, ?, NULL)`;
}

function makePlan(kind: ImportKind, ctx: PlanContext): Plan {
  const { raw, refs } = ctx;
  const seen = new Map<string, number>();
  switch (kind) {
    case 'funds': {
      const existing = raw.prepare('SELECT currency FROM fund WHERE id = ? AND deleted_at IS NULL').pluck();
      const counted = raw
        .prepare(`SELECT coalesce(sum(amount), 0) FROM allocation WHERE fund_id = ? AND status IN (${COUNTED_SQL}) AND deleted_at IS NULL`)
        .pluck();
      const inUse = raw
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM allocation WHERE fund_id = ? AND deleted_at IS NULL)
               OR EXISTS (SELECT 1 FROM commitment WHERE fund_id = ? AND deleted_at IS NULL)
               OR EXISTS (SELECT 1 FROM capital_call WHERE fund_id = ? AND deleted_at IS NULL)`,
        )
        .pluck();
      return flatPlan(
        5,
        (v, line, add, data) => {
          const [id, name, currency, vintage, size] = v as [string, string, string, number, number];
          if (!firstOccurrence(seen, id, line, 'id', `fund "${id}"`, add)) return false;
          const was = existing.get(id) as string | undefined;
          let ok = true;
          if (was !== undefined) {
            if (was !== currency && inUse.get(id, id, id) === 1) {
              ok = report(add, {
                code: 'CURRENCY_MISMATCH',
                path: 'currency',
                line,
                message: `currency: fund "${name}" already has allocations, commitments or calls in ${was}; it cannot change to ${currency}`,
                details: { current: was, proposed: currency },
              });
            }
            const total = counted.get(id) as number;
            if (total > 0 && ctx.rules) {
              for (const p of checkFundSize(ctx.rules, { name, currency }, size, total)) ok = report(add, { ...p, path: 'size', line, message: `size: ${p.message}` });
            }
          }
          if (ok && data) data.push(id, name, currency, vintage, size);
          return ok;
        },
        (db, now, user) => {
          const st = db.prepare(upsertSql('fund', ['id', 'name', 'currency', 'vintage', 'size'], ['id'], ['name', 'currency', 'vintage', 'size']));
          return (d, o) => st.run(d[o], d[o + 1], d[o + 2], d[o + 3], d[o + 4], now, user).changes;
        },
        (d, o) => ({ id: d[o], name: d[o + 1], currency: d[o + 2], vintage: d[o + 3], size: d[o + 4] }),
      );
    }
    case 'deals':
      return flatPlan(
        5,
        (v, line, add, data) => {
          const [id, name, sector, country, stage] = v as string[];
          if (!firstOccurrence(seen, id!, line, 'id', `deal "${id}"`, add)) return false;
          data?.push(id, name, sector, country, stage);
          return true;
        },
        (db, now, user) => {
          const st = db.prepare(upsertSql('deal', ['id', 'name', 'sector', 'country', 'stage'], ['id'], ['name', 'sector', 'country', 'stage']));
          return (d, o) => st.run(d[o], d[o + 1], d[o + 2], d[o + 3], d[o + 4], now, user).changes;
        },
        (d, o) => ({ id: d[o], name: d[o + 1], sector: d[o + 2], country: d[o + 3], stage: d[o + 4] }),
      );
    case 'investors':
      return flatPlan(
        2,
        (v, line, add, data) => {
          const [id, name] = v as string[];
          if (!firstOccurrence(seen, id!, line, 'id', `investor "${id}"`, add)) return false;
          data?.push(id, name);
          return true;
        },
        (db, now, user) => {
          const st = db.prepare(upsertSql('investor', ['id', 'name'], ['id'], ['name']));
          return (d, o) => st.run(d[o], d[o + 1], now, user).changes;
        },
        (d, o) => ({ id: d[o], name: d[o + 1] }),
      );
    case 'commitments':
      return flatPlan(
        3,
        (v, line, add, data) => {
          const [investorId, fundId, amount] = v as [string, string, number];
          let ok = firstOccurrence(seen, `${fundId}\u0000${investorId}`, line, 'investor_id', `the commitment of investor "${investorId}" to fund "${fundId}"`, add);
          const investor = refs.investor(investorId);
          const fund = refs.fund(fundId);
          if (investor === null) ok = report(add, notFound('investor', 'investor_id', investorId, line));
          if (fund === null) ok = report(add, notFound('fund', 'fund_id', fundId, line));
          if (ok && data) data.push(investor!.id, fund!.id, amount);
          return ok;
        },
        (db, now, user) => {
          // A new commitment gets a UUIDv7; an existing one (same fund and investor) keeps its id.
          const st = db.prepare(upsertSql('commitment', ['id', 'investor_id', 'fund_id', 'amount'], ['fund_id', 'investor_id'], ['amount']));
          return (d, o) => st.run(newId(), d[o], d[o + 1], d[o + 2], now, user).changes;
        },
        // Through a mutation a new commitment's id is derived from its key, so two laptops importing one file agree.
        (d, o) => ({ id: commitmentId(d[o + 1] as string, d[o] as string), investorId: d[o], fundId: d[o + 1], amount: d[o + 2] }),
      );
    case 'allocations':
      return allocationPlan(ctx);
    case 'cashflows': {
      const occurrences = new Map<string, number>();
      return flatPlan(
        5,
        (v, line, add, data) => {
          const [fundId, date, type, amount] = v as [string, string, CashflowType, number];
          const fund = refs.fund(fundId);
          if (fund === null) return report(add, notFound('fund', 'fund_id', fundId, line));
          // Counted over accepted rows only, so a skipped bad row does not shift the ids of the good ones.
          const key = `${fund.id}\u0000${date}\u0000${type}\u0000${amount}`;
          const n = (occurrences.get(key) ?? 0) + 1;
          occurrences.set(key, n);
          data?.push(cashflowId(fund.id, date, type, amount, n), type, fund.id, date, amount);
          return true;
        },
        (db, now, user) => {
          const cols = ['id', 'fund_id', 'date', 'amount'];
          const contribution = db.prepare(upsertSql('contribution', cols, ['id'], cols.slice(1)));
          const distribution = db.prepare(upsertSql('distribution', cols, ['id'], cols.slice(1)));
          return (d, o) => (d[o + 1] === 'contribution' ? contribution : distribution).run(d[o], d[o + 2], d[o + 3], d[o + 4], now, user).changes;
        },
        (d, o) => ({ id: d[o], type: d[o + 1], fundId: d[o + 2], date: d[o + 3], amount: d[o + 4] }),
      );
    }
    case 'navs':
      return flatPlan(
        3,
        (v, line, add, data) => {
          const [fundId, date, nav] = v as [string, string, number];
          let ok = firstOccurrence(seen, `${fundId}\u0000${date}`, line, 'date', `a nav of fund "${fundId}" on ${date}`, add);
          const fund = refs.fund(fundId);
          if (fund === null) ok = report(add, notFound('fund', 'fund_id', fundId, line));
          if (ok && data) data.push(fund!.id, date, nav);
          return ok;
        },
        (db, now, user) => {
          const st = db.prepare(upsertSql('nav_mark', ['id', 'fund_id', 'date', 'nav'], ['fund_id', 'date'], ['nav']));
          return (d, o) => st.run(navMarkId(d[o] as string, d[o + 1] as string), d[o], d[o + 1], d[o + 2], now, user).changes;
        },
        (d, o) => ({ id: navMarkId(d[o] as string, d[o + 1] as string), fundId: d[o], date: d[o + 1], nav: d[o + 2] }),
      );
    case 'index':
      return flatPlan(
        3,
        (v, line, add, data) => {
          const [index, date, level] = v as [string, string, number];
          if (!firstOccurrence(seen, `${index}\u0000${date}`, line, 'date', `a level of index "${index}" on ${date}`, add)) return false;
          data?.push(index, date, level);
          return true;
        },
        (db, now, user) => {
          const st = db.prepare(upsertSql('index_level', ['id', 'index_name', 'date', 'level'], ['index_name', 'date'], ['level']));
          return (d, o) => st.run(indexLevelId(d[o] as string, d[o + 1] as string), d[o], d[o + 1], d[o + 2], now, user).changes;
        },
        (d, o) => ({ indexName: d[o], date: d[o + 1], level: d[o + 2] }),
      );
  }
}

/**
 * Allocations, the high-volume kind: rows are kept column-wise in typed
 * arrays (funds, deals, enums and dates as small integers), the ids in one
 * string array with an IdIndex for the duplicate check. Every row whose
 * cells parsed takes a slot (so a later repeat of its id is reported even
 * when it was refused); `ok` marks the slots to write.
 */
function allocationPlan(ctx: PlanContext): Plan {
  const { raw, refs } = ctx;
  const rules = ctx.rules!;
  const hasRows = raw.prepare('SELECT 1 FROM allocation LIMIT 1').pluck().get() !== undefined;
  const existing = raw.prepare('SELECT fund_id, deal_id, amount, status, deleted_at IS NULL FROM allocation WHERE id = ?').raw();
  const ids: string[] = [];
  const index = new IdIndex(ids);
  const lines = int32s();
  const fundCol = int32s();
  const dealCol = int32s();
  const dateCol = int32s();
  const amountCol = float64s();
  const securityCol = uint8s();
  const statusCol = uint8s();
  const okCol = uint8s();
  /** 1 when no row with the id is stored (checked while validating): a plain INSERT, cheaper than an upsert. */
  const newCol = uint8s();
  const dates: string[] = [];
  const dateIndex = new Map<string, number>();

  return {
    accept(v, line, add, keep) {
      const [id, fundId, dealId, securityType, amount, status, date] = v as [string, string, string, SecurityType, number, AllocationStatus, string];
      const slot = ids.length;
      const first = index.findOrAdd(id, slot);
      if (first !== -1) {
        const firstLine = lines.a[first]!;
        return report(add, { code: 'DUPLICATE', path: 'id', line, message: `id: allocation "${id}" already appears on line ${firstLine}`, details: { firstLine } });
      }
      ids.push(id);
      lines.push(line);

      let ok = true;
      const fund = refs.fund(fundId);
      if (fund === null) ok = report(add, notFound('fund', 'fund_id', fundId, line));
      const deal = refs.deal(dealId);
      if (deal === null) ok = report(add, notFound('deal', 'deal_id', dealId, line));
      let stored = false;
      if (ok && fund !== null && deal !== null) {
        // The row replaces a stored allocation with the same id: that one's counted amount leaves the totals.
        const was = hasRows ? (existing.get(id) as [string, string, number, string, number] | undefined) : undefined;
        stored = was !== undefined;
        const wasCounted = was !== undefined && was[4] === 1 && COUNTED.has(was[3]);
        if (wasCounted) refs.adjust(was[0], was[1], -was[2]);
        if (CHECKED.has(status)) {
          const pairs = refs.totals(fund);
          const problems = checkAllocation(rules, { fund, dealName: deal.name, fundCounted: fund.counted, pairCounted: pairs.get(deal.id) ?? 0, amount });
          for (const p of problems) ok = report(add, { ...p, path: p.path ?? 'amount', line });
        }
        if (ok) {
          if (COUNTED.has(status)) refs.adjust(fund.id, deal.id, amount);
        } else if (wasCounted) {
          refs.adjust(was[0], was[1], was[2]); // the stored allocation stays
        }
      }
      let d = -1;
      if (ok) {
        d = dateIndex.get(date) ?? -1;
        if (d === -1) {
          d = dates.push(date) - 1;
          dateIndex.set(date, d);
        }
      }
      fundCol.push(ok ? fund!.idx : -1);
      dealCol.push(ok ? deal!.idx : -1);
      dateCol.push(d);
      amountCol.push(ok ? amount : 0);
      securityCol.push(ok ? SECURITY_TYPES.indexOf(securityType) : 0);
      statusCol.push(ok ? ALLOCATION_STATUSES.indexOf(status) : 0);
      okCol.push(ok && keep ? 1 : 0);
      newCol.push(stored ? 0 : 1);
      return ok;
    },
    size: () => ids.length,
    discard: () => okCol.a.fill(0),
    prepare(db, now, user) {
      const cols = ['id', 'fund_id', 'deal_id', 'security_type', 'amount', 'status', 'date'];
      const upsert = db.prepare(upsertSql('allocation', cols, ['id'], cols.slice(1)));
      // A conflict here means someone stored the id after validation: the insert fails and the whole import rolls back.
      const insert = db.prepare(insertSql('allocation', cols));
      const { funds, deals } = refs;
      return (i) =>
        okCol.a[i] === 1
          ? (newCol.a[i] === 1 ? insert : upsert).run(
              ids[i],
              funds[fundCol.a[i]!]!.id,
              deals[dealCol.a[i]!]!.id,
              SECURITY_TYPES[securityCol.a[i]!],
              amountCol.a[i],
              ALLOCATION_STATUSES[statusCol.a[i]!],
              dates[dateCol.a[i]!],
              now,
              user,
            ).changes
          : 0;
    },
    args: (i) =>
      okCol.a[i] === 1
        ? {
            id: ids[i],
            fundId: refs.funds[fundCol.a[i]!]!.id,
            dealId: refs.deals[dealCol.a[i]!]!.id,
            securityType: SECURITY_TYPES[securityCol.a[i]!],
            amount: amountCol.a[i],
            status: ALLOCATION_STATUSES[statusCol.a[i]!],
            date: dates[dateCol.a[i]!],
          }
        : null,
    line: (i) => lines.a[i]!,
  };
}

/* ---------------------------------------------------------------- CSV */

/** Maps each expected column to its position in the file's header, or throws CSV_HEADER_MISMATCH. */
function matchHeader(kind: ImportKind, record: readonly string[], line: number): Int32Array {
  const expected: readonly string[] = IMPORT_HEADERS[kind];
  const ignored = IGNORED_COLUMNS[kind];
  const found = record.map((c) => c.trim());
  const missing = expected.filter((c) => !found.includes(c));
  const unexpected = found.filter((c) => !expected.includes(c) && !ignored.includes(c));
  const duplicated = found.filter((c, i) => found.indexOf(c) !== i);
  if (missing.length || unexpected.length || duplicated.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unexpected.length ? `unexpected ${unexpected.map((c) => JSON.stringify(c)).join(', ')}` : '',
      duplicated.length ? `repeated ${duplicated.join(', ')}` : '',
    ].filter(Boolean);
    const message = `The header of a ${kind} file must be "${expected.join(',')}"${ignored.length ? ` (optionally also ${ignored.join(', ')})` : ''}; found "${found.join(',')}": ${parts.join('; ')}.`;
    const details = { kind, expected, found, missing, unexpected, duplicated };
    throw new MeridianError('CSV_HEADER_MISMATCH', message, details, [
      { code: 'CSV_HEADER_MISMATCH', line, path: missing[0] ?? unexpected[0] ?? duplicated[0], message, details },
    ]);
  }
  return Int32Array.from(expected, (c) => found.indexOf(c));
}

function cancelled(phase: string): MeridianError {
  return new MeridianError('CANCELLED', `Import cancelled while ${phase}; nothing was imported.`);
}

/**
 * Imports one CSV file of `kind` into `db`. Returns the report, or throws a
 * MeridianError: INVALID_INPUT (bad rows, without skipInvalid; `problems`
 * lists them), CSV_HEADER_MISMATCH, CSV_PARSE_ERROR, NOT_FOUND (no such
 * file) or CANCELLED. After a throw the database is unchanged.
 */
export async function importCsv(db: LocalDatabase, kind: ImportKind, file: string, opts: ImportOptions): Promise<ImportReport> {
  if (!isImportKind(kind)) throw new MeridianError('INVALID_INPUT', `Unknown import kind "${String(kind)}"`, { kind });
  if (!opts.userId) throw new MeridianError('INVALID_INPUT', 'userId is required to stamp imported rows', { path: 'userId' });
  const { signal, onProgress } = opts;
  const skipInvalid = opts.skipInvalid ?? false;
  const maxProblems = opts.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const now = opts.now ?? new Date().toISOString();
  if (signal?.aborted) throw cancelled('starting');
  try {
    const st = await fs.promises.stat(file);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    throw new MeridianError('NOT_FOUND', `File ${file} does not exist or is not a file.`, { file });
  }

  const raw = db.raw;
  const needsRules = kind === 'allocations' || kind === 'funds';
  const rules = needsRules ? await loadRules(db.kysely) : null;
  const plan = makePlan(kind, { raw, refs: new Refs(raw), rules });

  const fields = fieldList(kind);
  const specs: FieldSpec<unknown>[] = fields.map((f) => f.spec);
  const names = fields.map((f) => f.name);
  const memos = specs.map((s) => (s.repetitive ? new Map<string, unknown>() : null));
  const nf = fields.length;
  const values: unknown[] = new Array<unknown>(nf);

  const problems: Problem[] = [];
  let omitted = 0;
  let rows = 0;
  let skipped = 0;
  let keep = true;
  const add: AddProblem = (p) => {
    if (problems.length < maxProblems) problems.push(p);
    else omitted++;
    if (!skipInvalid && keep) {
      keep = false; // nothing will be written: stop keeping rows
      plan.discard();
    }
  };

  let colIndex: Int32Array | null = null;
  let width = 0;
  let lastLine = 1;

  try {
    for await (const { records, lines } of readCsvRecords(file, { mode: opts.parser })) {
      if (signal?.aborted) throw cancelled('reading');
      for (let k = 0; k < records.length; k++) {
        const record = records[k]!;
        const line = lines[k]!;
        if (record.length === 1 && record[0] === '') continue; // blank line
        if (colIndex === null) {
          colIndex = matchHeader(kind, record, line);
          width = record.length;
          continue;
        }
        rows++;
        let ok = true;
        if (record.length !== width) {
          ok = false;
          const cols = colIndex;
          const column = record.length < width ? (names.find((_, i) => cols[i]! >= record.length) ?? names[nf - 1]!) : `(column ${width + 1})`;
          add({
            code: 'INVALID_INPUT',
            path: column,
            line,
            message: `expected ${width} fields like the header, found ${record.length}`,
            details: { expected: width, found: record.length },
          });
        } else {
          for (let i = 0; i < nf; i++) {
            let text = record[colIndex[i]!]!;
            if (text.charCodeAt(0) === 39) text = restoreCell(text);
            // trim() only when an end could be whitespace (ASCII ≤ space, or any non-ASCII).
            const first = text.charCodeAt(0);
            const last = text.charCodeAt(text.length - 1);
            if (first <= 32 || first > 126 || last <= 32 || last > 126) text = text.trim();
            const memo = memos[i];
            let v: unknown;
            if (memo) {
              v = memo.get(text);
              if (v === undefined) {
                v = specs[i]!.parse(text);
                if (memo.size < MEMO_LIMIT) memo.set(text, v);
              }
            } else {
              v = specs[i]!.parse(text);
            }
            if (v instanceof FieldError) {
              ok = false;
              add({ code: v.code, path: names[i], line, message: `${names[i]}: ${v.message}` });
            } else {
              values[i] = v;
            }
          }
          if (ok) ok = plan.accept(values, line, add, keep);
        }
        if (!ok) skipped++;
      }
      if (records.length) lastLine = lines[lines.length - 1]!;
      onProgress?.({ done: rows, total: null, phase: 'validate' });
    }
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      const message = `The file is not valid CSV at line ${e.line}: ${e.message}.`;
      const details = { csvCode: e.csvCode, line: e.line, lastGoodLine: lastLine };
      throw new MeridianError('CSV_PARSE_ERROR', message, details, [...problems, { code: 'CSV_PARSE_ERROR', line: e.line, message, details }]);
    }
    throw e;
  }
  if (colIndex === null) {
    const expected = IMPORT_HEADERS[kind];
    const message = `The ${kind} file is empty; its first line must be the header "${expected.join(',')}".`;
    throw new MeridianError('CSV_HEADER_MISMATCH', message, { kind, expected, found: [] }, [{ code: 'CSV_HEADER_MISMATCH', line: 1, message }]);
  }
  onProgress?.({ done: rows, total: null, phase: 'validate' });
  if (omitted > 0) {
    problems.push({ code: 'INVALID_INPUT', message: `${omitted} more problems are not listed.`, details: { omitted } });
  }
  if (skipped > 0 && !skipInvalid) {
    const first = problems[0]!;
    throw new MeridianError(
      'INVALID_INPUT',
      `${skipped} of ${rows} rows of ${file} are invalid; nothing was imported. First: line ${first.line}, ${first.message}`,
      { kind, file, rows, invalid: skipped },
      problems,
    );
  }

  const slots = plan.size();
  const imported = rows - skipped;
  if (opts.sync) {
    // Phase 2 in a profile bound to a server: import mutations through the outbox.
    if (signal?.aborted) throw cancelled('writing');
    const q = await queueImportMutations(db, { size: slots, args: (i) => plan.args(i), line: plan.line?.bind(plan) }, {
      kind,
      file,
      actor: opts.sync.actor,
      now,
      skipInvalid,
      problems,
      rows,
      skipped,
      signal,
      onProgress,
    });
    return { kind, file, rows, imported: imported - q.refused, skipped: skipped + q.refused, unchanged: q.unchanged, problems, queued: q.queued, mutations: q.mutations };
  }

  // Phase 2: one transaction, batches, cancellation between batches.
  const batch = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const write = plan.prepare(raw, now, opts.userId);
  let changed = 0;
  if (raw.inTransaction) {
    throw new MeridianError('INTERNAL', 'The database connection is already inside a transaction; run imports as their own job.');
  }
  onProgress?.({ done: 0, total: slots, phase: 'write' });
  if (signal?.aborted) throw cancelled('writing');
  raw.exec('BEGIN IMMEDIATE');
  try {
    for (let i = 0; i < slots; ) {
      const end = Math.min(slots, i + batch);
      for (; i < end; i++) changed += write(i);
      onProgress?.({ done: i, total: slots, phase: 'write' });
      if (i < slots) await nextTurn();
      if (signal?.aborted) throw cancelled('writing');
    }
    raw.exec('COMMIT');
  } catch (e) {
    if (raw.inTransaction) raw.exec('ROLLBACK');
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new MeridianError(
        'DUPLICATE',
        `A row with the same key was stored while ${file} was being checked; nothing was imported. Import the file again.`,
        { kind, file, retry: true },
      );
    }
    throw e;
  }
  return { kind, file, rows, imported, skipped, unchanged: imported - changed, problems };
}
