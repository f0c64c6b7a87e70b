/**
 * Kysely table types for the synced tables, inferred from the zod row
 * schemas. Both databases (SQLite on the client, PostgreSQL on the server)
 * have these tables with these columns, so a mutator written once against
 * `Kysely<SyncedTables>` runs on either.
 */
import type {
  AllocationRow,
  BusinessRulesRow,
  CapitalCallLineRow,
  CapitalCallRow,
  CommitmentRow,
  ContributionRow,
  DealRow,
  DistributionRow,
  FundRow,
  IndexLevelRow,
  InvestorRow,
  NavMarkRow,
  PaymentRow,
} from './entities';
import type { CovenantRow, CreditAnalysisRow, CreditCommentRow, FinancialStatementRow, ScorecardMethodologyRow } from './credit';

export interface SyncedTables {
  fund: FundRow;
  deal: DealRow;
  allocation: AllocationRow;
  investor: InvestorRow;
  commitment: CommitmentRow;
  capital_call: CapitalCallRow;
  capital_call_line: CapitalCallLineRow;
  payment: PaymentRow;
  contribution: ContributionRow;
  distribution: DistributionRow;
  nav_mark: NavMarkRow;
  index_level: IndexLevelRow;
  business_rules: BusinessRulesRow;
  financial_statement: FinancialStatementRow;
  covenant: CovenantRow;
  scorecard_methodology: ScorecardMethodologyRow;
  credit_analysis: CreditAnalysisRow;
  credit_comment: CreditCommentRow;
}
