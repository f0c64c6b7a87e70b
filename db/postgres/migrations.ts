/**
 * PostgreSQL schema migrations, in order. Migration 1 mirrors the SQLite
 * schema of the synced tables (db/sqlite/migrations.ts) column for column:
 * the same names, CHECKs and unique indexes, money and versions as BIGINT,
 * REAL as DOUBLE PRECISION, instants and dates as TEXT. Migration 2 adds the
 * server's own tables. Each migration is a list of single statements (PGlite
 * runs one statement per query). Never edit a released migration: add one.
 */

export interface PgMigration {
  version: number;
  name: string;
  statements: readonly string[];
}

/** Hash that precedes the first audit entry. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Columns every synced row carries (DESIGN §2). */
const SYNC = `
  version BIGINT NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  deleted_at TEXT`;

const ROLE_CHECK = `role IN ('viewer','analyst','portfolio_manager','admin')`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'synced tables',
    statements: [
      `CREATE TABLE fund (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  vintage INTEGER NOT NULL,
  size BIGINT NOT NULL CHECK (size >= 0),${SYNC}
)`,
      `CREATE TABLE deal (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sector TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT '',${SYNC}
)`,
      `CREATE TABLE allocation (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  deal_id TEXT NOT NULL REFERENCES deal(id),
  security_type TEXT NOT NULL,
  amount BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('proposed','approved','committed','funded','exited','rejected','cancelled')),
  date TEXT NOT NULL,
  approved_by TEXT,
  approved_at TEXT,${SYNC}
)`,
      `CREATE INDEX allocation_fund_deal ON allocation(fund_id, deal_id)`,
      `CREATE TABLE investor (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,${SYNC}
)`,
      `CREATE TABLE commitment (
  id TEXT PRIMARY KEY,
  investor_id TEXT NOT NULL REFERENCES investor(id),
  fund_id TEXT NOT NULL REFERENCES fund(id),
  amount BIGINT NOT NULL CHECK (amount >= 0),${SYNC}
)`,
      `CREATE UNIQUE INDEX commitment_investor_fund ON commitment(fund_id, investor_id)`,
      `CREATE TABLE business_rules (
  id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL UNIQUE,
  body TEXT NOT NULL,${SYNC}
)`,
      `CREATE TABLE capital_call (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  call_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL CHECK (status IN ('draft','issued','partially_paid','paid','cancelled')),
  basis TEXT NOT NULL DEFAULT 'commitment',
  description TEXT NOT NULL DEFAULT '',${SYNC}
)`,
      `CREATE INDEX capital_call_fund ON capital_call(fund_id)`,
      `CREATE TABLE capital_call_line (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES capital_call(id),
  investor_id TEXT NOT NULL REFERENCES investor(id),
  basis_amount BIGINT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount >= 0),
  paid BIGINT NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),${SYNC}
)`,
      `CREATE UNIQUE INDEX capital_call_line_call_investor ON capital_call_line(call_id, investor_id)`,
      `CREATE TABLE payment (
  id TEXT PRIMARY KEY,
  call_id TEXT NOT NULL REFERENCES capital_call(id),
  investor_id TEXT NOT NULL REFERENCES investor(id),
  amount BIGINT NOT NULL CHECK (amount > 0),
  date TEXT NOT NULL,${SYNC}
)`,
      `CREATE INDEX payment_call ON payment(call_id)`,
      `CREATE TABLE contribution (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  date TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),${SYNC}
)`,
      `CREATE INDEX contribution_fund ON contribution(fund_id, date)`,
      `CREATE TABLE distribution (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  date TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  recallable BIGINT NOT NULL DEFAULT 0 CHECK (recallable >= 0 AND recallable <= amount),${SYNC}
)`,
      `CREATE INDEX distribution_fund ON distribution(fund_id, date)`,
      `CREATE TABLE nav_mark (
  id TEXT PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES fund(id),
  date TEXT NOT NULL,
  nav BIGINT NOT NULL,${SYNC}
)`,
      `CREATE UNIQUE INDEX nav_mark_fund_date ON nav_mark(fund_id, date)`,
      `CREATE TABLE index_level (
  id TEXT PRIMARY KEY,
  index_name TEXT NOT NULL,
  date TEXT NOT NULL,
  level DOUBLE PRECISION NOT NULL CHECK (level > 0),${SYNC}
)`,
      `CREATE UNIQUE INDEX index_level_name_date ON index_level(index_name, date)`,
    ],
  },
  {
    version: 2,
    name: 'accounts, sync bookkeeping and audit',
    statements: [
      `CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE CHECK (username = lower(username)),
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (${ROLE_CHECK}),
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)`,
      `CREATE TABLE refresh_token (
  id TEXT PRIMARY KEY,
  family_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  rotated_at TEXT,
  revoked_at TEXT
)`,
      `CREATE INDEX refresh_token_family ON refresh_token(family_id)`,
      `CREATE INDEX refresh_token_user ON refresh_token(user_id)`,
      `CREATE TABLE change_counter (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  min_seq BIGINT NOT NULL DEFAULT 0,
  rules_revision BIGINT NOT NULL DEFAULT 0,
  audit_seq BIGINT NOT NULL DEFAULT 0,
  audit_hash TEXT NOT NULL
)`,
      `INSERT INTO change_counter (id, seq, audit_hash) VALUES (1, 0, '${AUDIT_GENESIS_HASH}')`,
      `CREATE TABLE change_log (
  seq BIGINT NOT NULL,
  idx INTEGER NOT NULL,
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
  row TEXT NOT NULL,
  client_id TEXT,
  mutation_id BIGINT,
  PRIMARY KEY (seq, idx)
)`,
      `CREATE INDEX change_log_entity_id ON change_log(entity, id, seq)`,
      `CREATE TABLE client_state (
  client_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  last_mutation_id BIGINT NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)`,
      `CREATE TABLE mutation_result (
  client_id TEXT NOT NULL REFERENCES client_state(client_id),
  mutation_id BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied','rejected')),
  code TEXT,
  message TEXT,
  details JSONB,
  result JSONB,
  created_at TEXT NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
)`,
      `CREATE INDEX mutation_result_client_seq ON mutation_result(client_id, seq)`,
      `CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  at TEXT NOT NULL,
  user_id TEXT NOT NULL,
  client_id TEXT,
  mutation_id BIGINT,
  mutation TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('applied','rejected')),
  code TEXT,
  message TEXT,
  entity TEXT,
  entity_id TEXT,
  change_seq BIGINT NOT NULL,
  before JSONB,
  after JSONB,
  details JSONB
)`,
      // One audit entry per (client, mutation): DESIGN §5 invariant 3, enforced by the database.
      `CREATE UNIQUE INDEX audit_log_client_mutation ON audit_log(client_id, mutation_id) WHERE mutation_id IS NOT NULL`,
      `CREATE INDEX audit_log_entity ON audit_log(entity, entity_id, seq)`,
      `CREATE INDEX audit_log_at ON audit_log(at)`,
      `CREATE TABLE server_secret (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
)`,
    ],
  },
  {
    version: 3,
    name: 'credit analysis tables',
    // Mirrors SQLite migration 5 (db/sqlite/migrations.ts) column for column.
    statements: [
      `CREATE TABLE financial_statement (
  id TEXT PRIMARY KEY,
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  period_end TEXT NOT NULL,
  period_type TEXT NOT NULL CHECK (period_type IN ('FY','Q','LTM')),
  currency TEXT NOT NULL CHECK (length(currency) = 3),
  revenue BIGINT NOT NULL,
  ebitda BIGINT NOT NULL,
  ebit BIGINT NOT NULL,
  ebita BIGINT NOT NULL,
  interest_expense BIGINT NOT NULL CHECK (interest_expense >= 0),
  cash_interest BIGINT NOT NULL CHECK (cash_interest >= 0),
  scheduled_principal BIGINT NOT NULL CHECK (scheduled_principal >= 0),
  total_debt BIGINT NOT NULL CHECK (total_debt >= 0),
  senior_debt BIGINT NOT NULL CHECK (senior_debt >= 0 AND senior_debt <= total_debt),
  cash BIGINT NOT NULL CHECK (cash >= 0),
  current_assets BIGINT NOT NULL CHECK (current_assets >= 0),
  current_liabilities BIGINT NOT NULL CHECK (current_liabilities >= 0),
  capex BIGINT NOT NULL CHECK (capex >= 0),
  cash_taxes BIGINT NOT NULL,
  rent BIGINT NOT NULL CHECK (rent >= 0),
  collateral_value BIGINT CHECK (collateral_value >= 0),
  floating_rate_share DOUBLE PRECISION NOT NULL CHECK (floating_rate_share >= 0 AND floating_rate_share <= 1),${SYNC}
)`,
      `CREATE UNIQUE INDEX financial_statement_period ON financial_statement(borrower_id, period_end, period_type)`,
      `CREATE TABLE covenant (
  id TEXT PRIMARY KEY,
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  facility TEXT NOT NULL,
  metric TEXT NOT NULL,
  operator TEXT NOT NULL CHECK (operator IN ('max','min')),
  threshold DOUBLE PRECISION NOT NULL CHECK (threshold > 0),
  test_frequency TEXT NOT NULL CHECK (test_frequency IN ('quarterly','semi-annual','annual')),
  cure_rights_note TEXT NOT NULL DEFAULT '',
  effective_from TEXT,
  effective_to TEXT,${SYNC}
)`,
      `CREATE INDEX covenant_borrower ON covenant(borrower_id, facility, metric)`,
      `CREATE TABLE scorecard_methodology (
  id TEXT PRIMARY KEY,
  methodology_id TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision > 0),
  name TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  body TEXT NOT NULL,${SYNC}
)`,
      `CREATE UNIQUE INDEX scorecard_methodology_revision ON scorecard_methodology(methodology_id, revision)`,
      `CREATE TABLE credit_analysis (
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
)`,
      `CREATE UNIQUE INDEX credit_analysis_version ON credit_analysis(borrower_id, analysis_version)`,
      `CREATE TABLE credit_comment (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES credit_analysis(id),
  borrower_id TEXT NOT NULL REFERENCES deal(id),
  analysis_version INTEGER NOT NULL,
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,${SYNC}
)`,
      `CREATE INDEX credit_comment_analysis ON credit_comment(analysis_id, created_at)`,
    ],
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;
