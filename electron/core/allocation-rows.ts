/**
 * One fund's allocations for the grid, a page at a time: the grid's sort,
 * column filters and quick search become SQL, and the totals the grid pins
 * (row count, amount, counted amount) and the charts' aggregates are
 * computed in SQL too, so the renderer never holds the whole fund.
 *
 * Statements are built from a fixed vocabulary (column expressions and
 * operators below); every user value is a bound parameter.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type {
  AllocationColumnFilter,
  AllocationFilterCondition,
  AllocationGridColumn,
  AllocationSummaryView,
  AllocationTotalsView,
  AllocationTuple,
  uiContractInputs,
} from '../../shared/api/ui-contract';
import { COUNTED_STATUSES } from '../../shared/domain/entities';

/** allocationRows' input after validation (defaults applied). */
type Query = z.output<(typeof uiContractInputs)['allocationRows']>;

const SECTOR = "coalesce(nullif(d.sector, ''), 'Unclassified')";

/** SQL for each column: its value (sorting, number filters) and its text as the grid shows it (text filters, search). */
const COLUMN: Record<AllocationGridColumn, { value: string; text: string; numeric?: true }> = {
  deal_name: { value: 'd.name', text: 'd.name' },
  sector: { value: SECTOR, text: SECTOR },
  // Shown humanized ("Senior debt"): underscores match spaces.
  security_type: { value: 'a.security_type', text: "replace(a.security_type, '_', ' ')" },
  amount: { value: 'a.amount', text: 'CAST(a.amount AS TEXT)', numeric: true },
  status: { value: 'a.status', text: "replace(a.status, '_', ' ')" },
  date: { value: 'a.date', text: 'a.date' },
  approved_by: { value: 'a.approved_by', text: "coalesce(a.approved_by, '')" },
  updated_at: { value: 'a.updated_at', text: "replace(a.updated_at, 'T', ' ')" },
  version: { value: 'a.version', text: 'CAST(a.version AS TEXT)', numeric: true },
  id: { value: 'a.id', text: 'a.id' },
};
const SEARCHED: AllocationGridColumn[] = ['deal_name', 'sector', 'security_type', 'status', 'date', 'approved_by'];

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One condition as SQL, or null when it does not constrain (AG Grid sends empty conditions while typing). */
function conditionSql(col: AllocationGridColumn, c: AllocationFilterCondition, params: unknown[]): string | null {
  const { value, text } = COLUMN[col];
  if (c.type === 'blank') return `(${value} IS NULL OR ${text} = '')`;
  if (c.type === 'notBlank') return `(${value} IS NOT NULL AND ${text} <> '')`;
  if (c.filterType === 'number') {
    if (c.filter === null || c.filter === undefined) return null;
    const ops = { equals: '=', notEqual: '<>', greaterThan: '>', greaterThanOrEqual: '>=', lessThan: '<', lessThanOrEqual: '<=' } as const;
    if (c.type === 'inRange') {
      if (c.filterTo === null || c.filterTo === undefined) return null;
      params.push(c.filter, c.filterTo);
      return `(${value} >= ? AND ${value} <= ?)`;
    }
    params.push(c.filter);
    return `${value} ${ops[c.type]} ?`;
  }
  const f = c.filter ?? '';
  if (f === '') return null;
  const like = (pattern: string, not = false) => {
    params.push(pattern);
    return `${text} ${not ? 'NOT ' : ''}LIKE ? ESCAPE '\\'`;
  };
  switch (c.type) {
    case 'contains':
      return like(`%${likeEscape(f)}%`);
    case 'notContains':
      return like(`%${likeEscape(f)}%`, true);
    case 'startsWith':
      return like(`${likeEscape(f)}%`);
    case 'endsWith':
      return like(`%${likeEscape(f)}`);
    case 'equals':
      return like(likeEscape(f));
    case 'notEqual':
      return like(likeEscape(f), true);
  }
}

function filterSql(col: AllocationGridColumn, f: AllocationColumnFilter, params: unknown[]): string | null {
  if (!('conditions' in f)) return conditionSql(col, f, params);
  const parts = f.conditions.map((c) => conditionSql(col, c, params)).filter((s): s is string => s !== null);
  return parts.length ? `(${parts.join(` ${f.operator} `)})` : null;
}

/** The WHERE clause of the rows matching the fund, the column filters and the quick search. */
function whereSql(q: Pick<Query, 'fundId' | 'filter' | 'search'>): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.fundId];
  const parts = ['a.fund_id = ?', 'a.deleted_at IS NULL'];
  for (const [col, f] of Object.entries(q.filter) as [AllocationGridColumn, AllocationColumnFilter | undefined][]) {
    const s = f && filterSql(col, f, params);
    if (s) parts.push(s);
  }
  for (const word of q.search.trim().split(/\s+/).filter(Boolean)) {
    parts.push(`(${SEARCHED.map((c) => `${COLUMN[c].text} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    for (let i = 0; i < SEARCHED.length; i++) params.push(`%${likeEscape(word)}%`);
  }
  return { sql: parts.join(' AND '), params };
}

function orderSql(sort: Query['sort']): string {
  const keys = sort.map((s) => `${COLUMN[s.colId].value} ${s.sort === 'desc' ? 'DESC' : 'ASC'}`);
  // The default order is the index allocation_fund_date's (a range scan); every order ends on id so pages are stable.
  if (!sort.length) keys.push('a.date', 'a.id');
  else if (!sort.some((s) => s.colId === 'id')) keys.push('a.id');
  return keys.join(', ');
}

const COLUMNS_SQL = 'a.id, a.deal_id, d.name, a.security_type, a.amount, a.status, a.date, a.approved_by, a.approved_at, a.version, a.updated_at, a.updated_by';
/** Pages up to this size after the first are served from the query's ordered ids. */
const MAX_KEYED_PAGE = 1000;
const COUNTED_SQL = COUNTED_STATUSES.map((s) => `'${s}'`).join(', ');

export interface AllocationRowsResult {
  total: number;
  rows: AllocationTuple[];
  totals?: AllocationTotalsView;
  summary?: AllocationSummaryView;
}

/**
 * The reader of one connection. Statements are prepared once per SQL text;
 * counts and sums (a scan of the fund, 50–300 ms for 100,000 rows) are kept
 * until the database changes — this connection's total_changes() or, for
 * other connections, PRAGMA data_version — so the pages a grid asks for
 * while scrolling cost only their own rows.
 */
export function createAllocationRowsReader(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      if (cache.size >= 64) cache.clear();
      cache.set(sql, (s = db.prepare(sql)));
    }
    return s;
  };
  let memoVersion = '';
  const memo = new Map<string, unknown>();
  const remembered = <T>(key: string, compute: () => T): T => {
    const version = `${(prepare('SELECT total_changes() AS c').get() as { c: number }).c}/${db.pragma('data_version', { simple: true }) as number}`;
    if (version !== memoVersion || memo.size >= 32) {
      memo.clear();
      memoVersion = version;
    }
    if (!memo.has(key)) memo.set(key, compute());
    return memo.get(key) as T;
  };

  return function read(q: Query): AllocationRowsResult {
    const total = remembered(`total ${q.fundId}`, () => (prepare('SELECT count(*) AS n FROM allocation WHERE fund_id = ? AND deleted_at IS NULL').get(q.fundId) as { n: number }).n);
    const where = whereSql(q);
    const unfiltered = where.params.length === 1;
    const limit = q.limit ?? -1;
    const order = orderSql(q.sort);
    let rows: AllocationTuple[];
    if ((q.offset > 0 || !unfiltered || q.sort.length > 0) && limit > 0 && limit <= MAX_KEYED_PAGE) {
      // A later page, or any page of a sorted or filtered view: a slice of the query's ordered ids (one scan, kept until the data changes), then
      // those rows by primary key — an OFFSET deep into 100,000 rows would step over every row before it.
      const ids = remembered(`ids ${where.sql} ${JSON.stringify(where.params)} ${order}`, () =>
        (prepare(`SELECT a.id FROM allocation a ${unfiltered && !q.sort.length ? '' : 'JOIN deal d ON d.id = a.deal_id'} WHERE ${where.sql} ORDER BY ${order}`).pluck(true).all(...where.params) as string[]),
      ).slice(q.offset, q.offset + limit);
      const byId = new Map(
        (ids.length ? (prepare(`SELECT ${COLUMNS_SQL} FROM allocation a JOIN deal d ON d.id = a.deal_id WHERE a.id IN (${ids.map(() => '?').join(', ')})`).raw(true).all(...ids) as AllocationTuple[]) : []).map(
          (r) => [r[0], r],
        ),
      );
      rows = ids.map((id) => byId.get(id)).filter((r): r is AllocationTuple => r !== undefined);
    } else {
      rows = (
        unfiltered && !q.sort.length
          ? // Page the fund's rows in index order first, then join the deal names of that page only.
            prepare(
              `SELECT ${COLUMNS_SQL} FROM (SELECT * FROM allocation a WHERE ${where.sql} ORDER BY a.date, a.id LIMIT ? OFFSET ?) a
               JOIN deal d ON d.id = a.deal_id ORDER BY a.date, a.id`,
            )
          : prepare(`SELECT ${COLUMNS_SQL} FROM allocation a JOIN deal d ON d.id = a.deal_id WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`)
      )
        .raw(true)
        .all(...where.params, limit, q.offset) as AllocationTuple[];
    }
    const out: AllocationRowsResult = { total, rows };
    if (q.totals) {
      out.totals = remembered(`totals ${where.sql} ${JSON.stringify(where.params)}`, () => {
        const t = prepare(
          `SELECT count(*) AS rows, coalesce(sum(a.amount), 0) AS amount, coalesce(sum(CASE WHEN a.status IN (${COUNTED_SQL}) THEN a.amount END), 0) AS counted
           FROM allocation a ${unfiltered ? '' : 'JOIN deal d ON d.id = a.deal_id'} WHERE ${where.sql}`,
        ).get(...where.params) as { rows: number; amount: number; counted: number };
        const proposed = prepare("SELECT EXISTS (SELECT 1 FROM allocation WHERE fund_id = ? AND deleted_at IS NULL AND status = 'proposed') AS p").get(q.fundId) as { p: number };
        return { ...t, anyProposed: proposed.p === 1 };
      });
    }
    if (q.summary) out.summary = remembered(`summary ${q.fundId}`, () => summary(q.fundId));
    return out;
  };

  function summary(fundId: string): AllocationSummaryView {
    const bySector = prepare(
      `SELECT ${SECTOR} AS sector, sum(a.amount) AS amount, count(*) AS count
       FROM allocation a LEFT JOIN deal d ON d.id = a.deal_id AND d.deleted_at IS NULL
       WHERE a.fund_id = ? AND a.deleted_at IS NULL AND a.status IN (${COUNTED_SQL}) GROUP BY 1`,
    ).all(fundId) as AllocationSummaryView['bySector'];
    bySector.sort((x, y) => y.amount - x.amount || x.sector.localeCompare(y.sector));
    const countedByDate = prepare(
      `SELECT date, sum(amount) AS amount FROM allocation WHERE fund_id = ? AND deleted_at IS NULL AND status IN (${COUNTED_SQL}) GROUP BY date ORDER BY date`,
    ).all(fundId) as AllocationSummaryView['countedByDate'];
    return { bySector, countedByDate };
  }
}
