/**
 * Every named mutation: its argument schema, the lowest role allowed to run
 * it, whether it is financial (audited, intent-based) and its implementation.
 * The client's local mutator, the server's replay and the CLI all go through
 * runMutation below.
 */
import type { z } from 'zod';
import { hasRole, ROLE_LABEL, type Role } from '../domain/roles';
import { MeridianError } from '../errors';
import { parseOrThrow } from '../validation';
import * as A from './args';
import * as alloc from './allocations';
import * as calls from './capital-calls';
import type { MutationContext } from './context';
import * as credit from './credit';
import * as CA from './credit-args';
import * as imp from './imports';
import * as portfolio from './portfolio';
import * as val from './valuations';

interface MutationDef<S extends z.ZodType> {
  args: S;
  role: Role;
  financial: boolean;
  run: (ctx: MutationContext, args: z.infer<S>) => Promise<unknown>;
}

function def<S extends z.ZodType>(d: MutationDef<S>): MutationDef<S> {
  return d;
}

export const MUTATIONS = {
  createFund: def({ args: A.createFundArgs, role: 'portfolio_manager', financial: false, run: portfolio.createFund }),
  updateFund: def({ args: A.updateFundArgs, role: 'portfolio_manager', financial: false, run: portfolio.updateFund }),
  createDeal: def({ args: A.createDealArgs, role: 'analyst', financial: false, run: portfolio.createDeal }),
  updateDeal: def({ args: A.updateDealArgs, role: 'analyst', financial: false, run: portfolio.updateDeal }),
  createInvestor: def({ args: A.createInvestorArgs, role: 'portfolio_manager', financial: false, run: portfolio.createInvestor }),
  createCommitment: def({ args: A.createCommitmentArgs, role: 'portfolio_manager', financial: true, run: portfolio.createCommitment }),
  createAllocation: def({ args: A.createAllocationArgs, role: 'analyst', financial: true, run: alloc.createAllocation }),
  updateAllocation: def({ args: A.updateAllocationArgs, role: 'analyst', financial: true, run: alloc.updateAllocation }),
  approveAllocation: def({ args: A.allocationActionArgs, role: 'analyst', financial: true, run: alloc.approveAllocation }),
  rejectAllocation: def({ args: A.allocationActionArgs, role: 'analyst', financial: true, run: alloc.rejectAllocation }),
  cancelAllocation: def({ args: A.allocationActionArgs, role: 'analyst', financial: true, run: alloc.cancelAllocation }),
  deleteAllocation: def({ args: A.allocationActionArgs, role: 'analyst', financial: true, run: alloc.deleteAllocation }),
  changeAllocationStatus: def({ args: A.changeAllocationStatusArgs, role: 'portfolio_manager', financial: true, run: alloc.changeAllocationStatus }),
  createCapitalCall: def({ args: A.createCapitalCallArgs, role: 'analyst', financial: true, run: calls.createCapitalCall }),
  issueCapitalCall: def({ args: A.capitalCallActionArgs, role: 'portfolio_manager', financial: true, run: calls.issueCapitalCall }),
  cancelCapitalCall: def({ args: A.capitalCallActionArgs, role: 'analyst', financial: true, run: calls.cancelCapitalCall }),
  recordPayment: def({ args: A.recordPaymentArgs, role: 'analyst', financial: true, run: calls.recordPayment }),
  recordDistribution: def({ args: A.recordDistributionArgs, role: 'analyst', financial: true, run: val.recordDistribution }),
  recordContribution: def({ args: A.recordContributionArgs, role: 'analyst', financial: true, run: val.recordContribution }),
  recordNavMark: def({ args: A.recordNavMarkArgs, role: 'analyst', financial: true, run: val.recordNavMark }),
  setIndexLevel: def({ args: A.setIndexLevelArgs, role: 'analyst', financial: false, run: val.setIndexLevel }),
  // Credit (issue 7, ./credit): analyses, methodology revisions and covenants are audited.
  upsertFinancialStatement: def({ args: CA.upsertFinancialStatementArgs, role: 'analyst', financial: false, run: credit.upsertFinancialStatement }),
  importFinancialStatements: def({ args: CA.importFinancialStatementsArgs, role: 'analyst', financial: false, run: credit.importFinancialStatements }),
  deleteFinancialStatement: def({ args: CA.deleteFinancialStatementArgs, role: 'analyst', financial: false, run: credit.deleteFinancialStatement }),
  upsertCovenant: def({ args: CA.upsertCovenantArgs, role: 'analyst', financial: true, run: credit.upsertCovenant }),
  deleteCovenant: def({ args: CA.deleteCovenantArgs, role: 'analyst', financial: true, run: credit.deleteCovenant }),
  saveScorecardMethodology: def({ args: CA.saveScorecardMethodologyArgs, role: 'admin', financial: true, run: credit.saveScorecardMethodology }),
  saveCreditAnalysis: def({ args: CA.saveCreditAnalysisArgs, role: 'analyst', financial: true, run: credit.saveCreditAnalysis }),
  addCreditComment: def({ args: CA.addCreditCommentArgs, role: 'analyst', financial: false, run: credit.addCreditComment }),
  // CSV imports in a profile bound to a server (./imports): one mutation per chunk of rows; roles as the single-row mutations.
  importFunds: def({ args: imp.importFundsArgs, role: 'portfolio_manager', financial: false, run: imp.importFunds }),
  importDeals: def({ args: imp.importDealsArgs, role: 'analyst', financial: false, run: imp.importDeals }),
  importInvestors: def({ args: imp.importInvestorsArgs, role: 'portfolio_manager', financial: false, run: imp.importInvestors }),
  importCommitments: def({ args: imp.importCommitmentsArgs, role: 'portfolio_manager', financial: true, run: imp.importCommitments }),
  importAllocations: def({ args: imp.importAllocationsArgs, role: 'analyst', financial: true, run: imp.importAllocations }),
  importCashflows: def({ args: imp.importCashflowsArgs, role: 'analyst', financial: true, run: imp.importCashflows }),
  importNavMarks: def({ args: imp.importNavMarksArgs, role: 'analyst', financial: true, run: imp.importNavMarks }),
  importIndexLevels: def({ args: imp.importIndexLevelsArgs, role: 'analyst', financial: false, run: imp.importIndexLevels }),
} as const;

export type MutationName = keyof typeof MUTATIONS;
export type MutationArgs<N extends MutationName> = z.input<(typeof MUTATIONS)[N]['args']>;
export const MUTATION_NAMES = Object.keys(MUTATIONS) as MutationName[];

export function isMutationName(name: string): name is MutationName {
  return Object.hasOwn(MUTATIONS, name);
}

/**
 * Validates the arguments, checks the actor's role and runs the mutator in
 * the context's transaction. Throws MeridianError (or RuleViolationError)
 * on refusal; the caller's transaction must then roll back.
 */
export async function runMutation(ctx: MutationContext, name: string, rawArgs: unknown): Promise<unknown> {
  if (!isMutationName(name)) throw new MeridianError('UNKNOWN_MUTATION', `There is no mutation named "${name}".`, { name });
  const m = MUTATIONS[name] as MutationDef<z.ZodType>;
  if (!hasRole(ctx.actor.role, m.role)) {
    throw new MeridianError('ROLE_FORBIDDEN', `${name} needs the ${ROLE_LABEL[m.role]} role; you are signed in as ${ROLE_LABEL[ctx.actor.role]}.`, {
      requiredRole: m.role,
      role: ctx.actor.role,
    });
  }
  const args = parseOrThrow(m.args, rawArgs, `${name} arguments`);
  return m.run(ctx, args);
}
