/**
 * The firm's business rules as data (DESIGN §3). A rules record is versioned
 * (business_rules.revision); the engine in ./engine evaluates it.
 */
import { z } from 'zod';
import { nonNegativeCentsSchema } from '../domain/primitives';

export const businessRulesSchema = z
  .object({
    /** Max total counted allocations of one fund, cents. */
    maxAllocationPerFund: nonNegativeCentsSchema,
    /** Max counted allocations of one fund to one deal, cents. */
    maxAllocationPerDeal: nonNegativeCentsSchema,
    /** Min amount of one allocation, cents. */
    minAllocationAmount: nonNegativeCentsSchema,
    /** Max fund utilisation (counted allocations ÷ fund size) as a percentage, e.g. 95. */
    maxFundUtilisationPct: z.number().min(0).max(100),
    /** Allocations above this amount (cents) need a portfolio manager's approval. */
    approvalThreshold: nonNegativeCentsSchema,
  })
  .strict();

export type BusinessRules = z.infer<typeof businessRulesSchema>;

/** Defaults from the firm's production configuration (DESIGN §3). */
export const DEFAULT_RULES: BusinessRules = Object.freeze({
  maxAllocationPerFund: 5_000_000_000,
  maxAllocationPerDeal: 1_000_000_000,
  minAllocationAmount: 100_000,
  maxFundUtilisationPct: 95,
  approvalThreshold: 500_000_000,
});

/** Parses a stored rules body, falling back to nothing: a bad record is an error. */
export function parseRulesBody(body: string): BusinessRules {
  return businessRulesSchema.parse(JSON.parse(body));
}
