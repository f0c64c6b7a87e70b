/** Which record a mutation is about, for audit entries of rejected mutations (nothing was written). */
import type { EntityName } from '../../shared/domain/entities';
import { indexLevelId } from '../../shared/mutators/valuations';
import type { MutationName } from '../../shared/mutators/registry';

const TARGET: Record<MutationName, EntityName> = {
  createFund: 'fund',
  updateFund: 'fund',
  createDeal: 'deal',
  updateDeal: 'deal',
  createInvestor: 'investor',
  createCommitment: 'commitment',
  createAllocation: 'allocation',
  updateAllocation: 'allocation',
  approveAllocation: 'allocation',
  rejectAllocation: 'allocation',
  cancelAllocation: 'allocation',
  deleteAllocation: 'allocation',
  changeAllocationStatus: 'allocation',
  createCapitalCall: 'capital_call',
  issueCapitalCall: 'capital_call',
  cancelCapitalCall: 'capital_call',
  recordPayment: 'payment',
  recordDistribution: 'distribution',
  recordContribution: 'contribution',
  recordNavMark: 'nav_mark',
  setIndexLevel: 'index_level',
  // Credit (issue 7). A statement upsert may land on the period's existing row (another id); the import names no single row.
  upsertFinancialStatement: 'financial_statement',
  importFinancialStatements: 'financial_statement',
  deleteFinancialStatement: 'financial_statement',
  upsertCovenant: 'covenant',
  deleteCovenant: 'covenant',
  saveScorecardMethodology: 'scorecard_methodology',
  saveCreditAnalysis: 'credit_analysis',
  addCreditComment: 'credit_comment',
  // CSV imports in a synced profile (shared/mutators/imports): many rows, no single id (cash flows: contribution or distribution).
  importFunds: 'fund',
  importDeals: 'deal',
  importInvestors: 'investor',
  importCommitments: 'commitment',
  importAllocations: 'allocation',
  importCashflows: 'contribution',
  importNavMarks: 'nav_mark',
  importIndexLevels: 'index_level',
};

export function mutationTarget(name: string, args: unknown): { entity: EntityName; id: string | null } | null {
  if (!Object.hasOwn(TARGET, name)) return null;
  const entity = TARGET[name as MutationName];
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  if (name === 'setIndexLevel') {
    return { entity, id: typeof a.indexName === 'string' && typeof a.date === 'string' ? indexLevelId(a.indexName.trim(), a.date) : null };
  }
  return { entity, id: typeof a.id === 'string' ? a.id : null };
}
