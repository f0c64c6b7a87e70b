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
-- Ids come from sync_meta.next_mutation_id so they never repeat, even after
-- acknowledged rows are removed.
CREATE TABLE sync_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE outbox (
  mutation_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 3,
    name: 'sync client: undo log, rejection inbox, own writes',
    sql: `
-- Pending mutations made before this migration have no undo images: they
-- are marked legacy (undoable = 0) and stay applied in place until the
-- server acknowledges them (electron/core/sync, docs/sync-client.md).
ALTER TABLE outbox ADD COLUMN undoable INTEGER NOT NULL DEFAULT 1 CHECK (undoable IN (0, 1));
UPDATE outbox SET undoable = 0;
-- Set when the last local replay of a pending mutation was refused by the
-- local rules; it stays pending (the server decides) and has no undo rows.
ALTER TABLE outbox ADD COLUMN local_code TEXT;
ALTER TABLE outbox ADD COLUMN local_message TEXT;
-- The rejection this mutation resubmits (edit-and-resubmit), if any.
ALTER TABLE outbox ADD COLUMN resubmits INTEGER;

-- Undo images of pending local mutations: for each row a mutation wrote
-- (in order), the full row before it (NULL: the mutation inserted it) and
-- after it. Written in the mutation's transaction; rebuilt on every replay.
CREATE TABLE undo_log (
  mutation_id INTEGER NOT NULL REFERENCES outbox(mutation_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  entity TEXT NOT NULL,
  row_id TEXT NOT NULL,
  before TEXT,
  after TEXT NOT NULL,
  PRIMARY KEY (mutation_id, idx)
) STRICT;
CREATE INDEX undo_log_row ON undo_log(entity, row_id);

-- What the server refused, and why: the analyst's persistent inbox.
CREATE TABLE rejection (
  mutation_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  created_at TEXT NOT NULL,
  rejected_at TEXT NOT NULL,
  server_seq INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  problems TEXT NOT NULL,
  details TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'discarded', 'resubmitted')),
  resolved_at TEXT,
  resubmitted_as INTEGER
) STRICT;
CREATE INDEX rejection_status ON rejection(status, mutation_id);

-- Row versions the server stamped for this client's own applied mutations:
-- a replayed edit based on an older version is not stale when the newer
-- version is the client's own (the server's rule, server/sync/context).
-- Cleared whenever the outbox is empty.
CREATE TABLE own_write (
  entity TEXT NOT NULL,
  row_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (entity, row_id, version)
) STRICT, WITHOUT ROWID;
`,
  },
  {
    version: 4,
    name: 'allocation list index in display order',
    sql: `
-- The fund screen lists a fund's allocations by date then id
-- (electron/core/read-models): this index serves that scan without a sort.
CREATE INDEX allocation_fund_date ON allocation(fund_id, date, id);
`,
  },
  {
    version: 5,
    name: 'credit analysis: statements, covenants, methodology, analyses, comments',
    sql: `
-- Issue 7 (docs/credit.md §7, §9). A borrower is a deal. Money in INTEGER
-- cents; ratios, thresholds and shares REAL; JSON bodies TEXT.
CREATE TABLE financial_statement (
  id TEXT PRIMARY KEY,
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  period_end TEXT NOT NULL,
  period_type TEXT NOT NULL CHECK (period_type IN ('FY','Q','LTM')),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  revenue INTEGER NOT NULL,
  ebitda INTEGER NOT NULL,
  ebit INTEGER NOT NULL,
  ebita INTEGER NOT NULL,
  interest_expense INTEGER NOT NULL CHECK (interest_expense >= 0),
  cash_interest INTEGER NOT NULL CHECK (cash_interest >= 0),
  scheduled_principal INTEGER NOT NULL CHECK (scheduled_principal >= 0),
  total_debt INTEGER NOT NULL CHECK (total_debt >= 0),
  senior_debt INTEGER NOT NULL CHECK (senior_debt >= 0 AND senior_debt <= total_debt),
  cash INTEGER NOT NULL CHECK (cash >= 0),
  current_assets INTEGER NOT NULL CHECK (current_assets >= 0),
  current_liabilities INTEGER NOT NULL CHECK (current_liabilities >= 0),
  capex INTEGER NOT NULL CHECK (capex >= 0),
  cash_taxes INTEGER NOT NULL,
  rent INTEGER NOT NULL CHECK (rent >= 0),
  collateral_value INTEGER CHECK (collateral_value >= 0),
  floating_rate_share REAL NOT NULL CHECK (floating_rate_share >= 0 AND floating_rate_share <= 1),${SYNC}
) STRICT;
CREATE UNIQUE INDEX financial_statement_period ON financial_statement(borrower_id, period_end, period_type);

CREATE TABLE covenant (
  id TEXT PRIMARY KEY,
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  facility TEXT NOT NULL,
  metric TEXT NOT NULL,
  operator TEXT NOT NULL CHECK (operator IN ('max','min')),
  threshold REAL NOT NULL CHECK (threshold > 0),
  test_frequency TEXT NOT NULL CHECK (test_frequency IN ('quarterly','semi-annual','annual')),
  cure_rights_note TEXT NOT NULL DEFAULT '',
  effective_from TEXT,
  effective_to TEXT,${SYNC}
) STRICT;
CREATE INDEX covenant_borrower ON covenant(borrower_id, facility, metric);

CREATE TABLE scorecard_methodology (
  id TEXT PRIMARY KEY,
  methodology_id TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision > 0),
  name TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  body TEXT NOT NULL,${SYNC}
) STRICT;
CREATE UNIQUE INDEX scorecard_methodology_revision ON scorecard_methodology(methodology_id, revision);

CREATE TABLE credit_analysis (
  id TEXT PRIMARY KEY,
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  analysis_version INTEGER NOT NULL CHECK (analysis_version > 0),
  statement_id TEXT,
  period_end TEXT NOT NULL,
  methodology_id TEXT NOT NULL,
  methodology_version INTEGER NOT NULL,
  inputs TEXT NOT NULL,
  outputs TEXT NOT NULL,
  scorecard TEXT NOT NULL,
  recommendation TEXT NOT NULL DEFAULT '',
  model_rating TEXT NOT NULL,
  rating_override TEXT,
  override_reason TEXT,
  final_rating TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,${SYNC}
) STRICT;
CREATE UNIQUE INDEX credit_analysis_version ON credit_analysis(borrower_id, analysis_version);

CREATE TABLE credit_comment (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES credit_analysis(id),
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  analysis_version INTEGER NOT NULL,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,${SYNC}
) STRICT;
CREATE INDEX credit_comment_analysis ON credit_comment(analysis_id, created_at);
`,
  },
];

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]!.version;
