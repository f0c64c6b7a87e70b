/**
 * SQLite schema migrations, in order. Each is plain SQL; the runner in
 * ./migrate applies every pending one inside a single transaction and
 * records the schema version in PRAGMA user_version. Never edit a released
 * migration: add a new one.
 */

/** Columns every synced row carries (DESIGN §2). */
const SYNC = `
  version INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT`;

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'portfolio',
    sql: `
CREATE TABLE fund (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  vintage INTEGER NOT NULL,
  size INTEGER NOT NULL CHECK (size >= 0),${SYNC}
) STRICT;

CREATE TABLE deal (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sector TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT '',${SYNC}
) STRICT;

CREATE TABLE allocation (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  deal_id TEXT NOT NULL REFERENCES deal(id),
  security_type TEXT NOT NULL,
  amount INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed','approved','committed','funded','exited','rejected','cancelled')),
  date TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,${SYNC}
) STRICT;
CREATE INDEX allocation_fund_deal ON allocation(fund_id, deal_id);

CREATE TABLE investor (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,${SYNC}
) STRICT;

CREATE TABLE commitment (
  id TEXT PRIMARY KEY,
  investor_id TEXT NOT NULL REFERENCES investor(id),
  fund_id TEXT NOT NULL REFERENCES fund(id),
  amount INTEGER NOT NULL CHECK (amount >= 0),${SYNC}
) STRICT;
CREATE UNIQUE INDEX commitment_investor_fund ON commitment(fund_id, investor_id);

CREATE TABLE business_rules (
  id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL UNIQUE,
  body TEXT NOT NULL,${SYNC}
) STRICT;
`,
  },
  {
    version: 2,
    name: 'capital, valuation and local mutation log',
    sql: `
CREATE TABLE capital_call (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  call_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL CHECK (status IN ('draft','issued','partially_paid','paid','cancelled')),
  basis TEXT NOT NULL DEFAULT 'commitment',
  description TEXT NOT NULL DEFAULT '',${SYNC}
) STRICT;
CREATE INDEX capital_call_fund ON capital_call(fund_id);

CREATE TABLE capital_call_line (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES capital_call(id),
  investor_id TEXT NOT NULL REFERENCES investor(id),
  basis_amount INTEGER NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  paid INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),${SYNC}
) STRICT;
CREATE UNIQUE INDEX capital_call_line_call_investor ON capital_call_line(call_id, investor_id);

CREATE TABLE payment (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES capital_call(id),
  investor_id TEXT NOT NULL REFERENCES investor(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  date TEXT NOT NULL,${SYNC}
) STRICT;
CREATE INDEX payment_call ON payment(call_id);

CREATE TABLE contribution (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  date TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),${SYNC}
) STRICT;
CREATE INDEX contribution_fund ON contribution(fund_id, date);

CREATE TABLE distribution (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  date TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  recallable INTEGER NOT NULL DEFAULT 0 CHECK (recallable >= 0 AND recallable <= amount),${SYNC}
) STRICT;
CREATE INDEX distribution_fund ON distribution(fund_id, date);

CREATE TABLE nav_mark (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  date TEXT NOT NULL,
  nav INTEGER NOT NULL,${SYNC}
) STRICT;
CREATE UNIQUE INDEX nav_mark_fund_date ON nav_mark(fund_id, date);

CREATE TABLE index_level (
  id TEXT PRIMARY KEY,
  index_name TEXT NOT NULL,
  date TEXT NOT NULL,
  level REAL NOT NULL CHECK (level > 0),${SYNC}
) STRICT;
CREATE UNIQUE INDEX index_level_name_date ON index_level(index_name, date);

-- Local mutations, in the order they were made; the sync client pushes them.
CREATE TABLE outbox (
  mutation_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`,
  },
];

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]!.version;
