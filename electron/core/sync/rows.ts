/**
 * The sync hot path: writing full rows into the synced tables with prepared
 * statements (no query builder, no per-row SQL). One RowWriter per database
 * handle; its statements are made once from the tables' own column lists.
 */
import type Database from 'better-sqlite3';
import { ENTITY_NAMES, type EntityName } from '../../../shared/domain/entities';

interface TableWriter {
  columns: readonly string[];
  defaults: readonly unknown[];
  upsert: Database.Statement<unknown[]>;
  /** INSERT OR IGNORE: the bulk load's first try (see `load`). */
  insert: Database.Statement<unknown[]>;
  replace: Database.Statement<unknown[]>;
  remove: Database.Statement<[string]>;
}

/** Parses a column default from PRAGMA table_info (numbers, quoted strings, NULL). */
function parseDefault(text: string | null): unknown {
  if (text === null || /^null$/i.test(text)) return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const m = /^'(.*)'$/s.exec(text);
  return m ? m[1]!.replace(/''/g, "'") : null;
}

const ENTITY_SET: ReadonlySet<string> = new Set(ENTITY_NAMES);

export function isEntityName(v: unknown): v is EntityName {
  return typeof v === 'string' && ENTITY_SET.has(v);
}

export class RowWriter {
  private readonly tables = new Map<EntityName, TableWriter>();

  constructor(readonly raw: Database.Database) {
    for (const entity of ENTITY_NAMES) {
      const info = raw.prepare<[], { name: string; dflt_value: string | null }>(`SELECT name, dflt_value FROM pragma_table_info('${entity}')`).all();
      const columns = info.map((c) => c.name);
      const list = columns.map((c) => `"${c}"`).join(', ');
      const params = columns.map(() => '?').join(', ');
      const set = columns
        .filter((c) => c !== 'id')
        .map((c) => `"${c}" = excluded."${c}"`)
        .join(', ');
      this.tables.set(entity, {
        columns,
        defaults: info.map((c) => parseDefault(c.dflt_value)),
        upsert: raw.prepare(`INSERT INTO "${entity}" (${list}) VALUES (${params}) ON CONFLICT (id) DO UPDATE SET ${set}`),
        insert: raw.prepare(`INSERT OR IGNORE INTO "${entity}" (${list}) VALUES (${params})`),
        replace: raw.prepare(`INSERT OR REPLACE INTO "${entity}" (${list}) VALUES (${params})`),
        remove: raw.prepare(`DELETE FROM "${entity}" WHERE id = ?`),
      });
    }
  }

  columns(entity: EntityName): readonly string[] {
    return this.table(entity).columns;
  }

  private table(entity: EntityName): TableWriter {
    const t = this.tables.get(entity);
    if (!t) throw new Error(`unknown entity ${String(entity)}`);
    return t;
  }

  private values(t: TableWriter, row: Record<string, unknown>): unknown[] {
    const cols = t.columns;
    const out = new Array<unknown>(cols.length);
    for (let i = 0; i < cols.length; i++) {
      const v = row[cols[i]!];
      out[i] = v === undefined ? t.defaults[i] : typeof v === 'boolean' ? (v ? 1 : 0) : v;
    }
    return out;
  }

  /**
   * Writes the full row (insert or update by id). When the row collides with
   * a different local row on another unique key (a local-only row such as an
   * imported NAV mark for the same fund and date), the server's row wins and
   * the local one is replaced.
   */
  upsert(entity: EntityName, row: Record<string, unknown>): void {
    const t = this.table(entity);
    const values = this.values(t, row);
    try {
      t.upsert.run(values);
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      t.replace.run(values);
    }
  }

  /**
   * The same end result as `upsert`, cheaper for rows that are new (an
   * initial sync): a plain insert first. Inside a transaction an UPSERT on a
   * table with foreign keys makes SQLite keep a statement journal (a copy of
   * every page it touches, per statement); a plain insert does not. When
   * the insert writes nothing — the id exists, another unique key collides,
   * or a NOT NULL/CHECK constraint fails (IGNORE skips those too) — the row
   * goes through `upsert`, which updates it or raises the real error.
   */
  load(entity: EntityName, row: Record<string, unknown>): void {
    const t = this.table(entity);
    const values = this.values(t, row);
    if (t.insert.run(values).changes === 1) return;
    try {
      t.upsert.run(values);
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
      t.replace.run(values);
    }
  }

  /** Inserts or replaces (snapshot rebuilds: foreign keys are off, the server wins every conflict). */
  replace(entity: EntityName, row: Record<string, unknown>): void {
    const t = this.table(entity);
    t.replace.run(this.values(t, row));
  }

  remove(entity: EntityName, id: string): void {
    this.table(entity).remove.run(id);
  }

  /** Restores a before image: the full row, or no row when the mutation had inserted it. */
  restore(entity: EntityName, id: string, before: Record<string, unknown> | null): void {
    if (before === null) this.remove(entity, id);
    else this.upsert(entity, before);
  }
}
