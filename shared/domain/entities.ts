/**
 * Stored rows of every synced entity (DESIGN §2), as zod schemas. Column
 * names are snake_case as in both databases; the Kysely table types in
 * ./tables are inferred from these, so there is one source of truth.
 */
import { z } from 'zod';
import {
  businessDateSchema,
  centsSchema,
  currencySchema,
  idSchema,
  nonNegativeCentsSchema,
  syncColumns,
} from './primitives';
import { CREDIT_ENTITY_SCHEMAS } from './credit';

export const ALLOCATION_STATUSES = ['proposed', 'approved', 'committed', 'funded', 'exited', 'rejected', 'cancelled'] as const;
export const allocationStatusSchema = z.enum(ALLOCATION_STATUSES);
export type AllocationStatus = z.infer<typeof allocationStatusSchema>;

/** Statuses whose amounts count toward the fund and deal limits (DESIGN §3). */
export const COUNTED_STATUSES: readonly AllocationStatus[] = ['approved', 'committed', 'funded'];

export const SECURITY_TYPES = [
  'common_equity',
  'preferred_equity',
  'senior_debt',
  'unitranche',
  'mezzanine',
  'convertible',
  'warrant',
  'other',
] as const;
export const securityTypeSchema = z.enum(SECURITY_TYPES);
export type SecurityType = z.infer<typeof securityTypeSchema>;

/** Stored call statuses. "overdue" is derived (see shared/domain/capital-call-status). */
export const CALL_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'cancelled'] as const;
export const callStatusSchema = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof callStatusSchema>;

export const fundRow = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  currency: currencySchema,
  vintage: z.number().int().min(1900).max(2200),
  size: nonNegativeCentsSchema,
  ...syncColumns,
});

export const dealRow = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  sector: z.string().max(100),
  country: z.string().max(100),
  stage: z.string().max(100),
  ...syncColumns,
});

export const allocationRow = z.object({
  id: idSchema,
  fund_id: idSchema,
  deal_id: idSchema,
  security_type: securityTypeSchema,
  amount: centsSchema,
  status: allocationStatusSchema,
  date: businessDateSchema,
  approved_by: z.string().nullable(),
  approved_at: z.string().nullable(),
  ...syncColumns,
});

export const investorRow = z.object({
  id: idSchema,
  name: z.string().min(1).max(200),
  ...syncColumns,
});

export const commitmentRow = z.object({
  id: idSchema,
  investor_id: idSchema,
  fund_id: idSchema,
  amount: nonNegativeCentsSchema,
  ...syncColumns,
});

export const capitalCallRow = z.object({
  id: idSchema,
  fund_id: idSchema,
  call_date: businessDateSchema,
  due_date: businessDateSchema,
  amount: centsSchema,
  status: callStatusSchema,
  basis: z.string(),
  description: z.string(),
  ...syncColumns,
});

export const capitalCallLineRow = z.object({
  id: idSchema,
  call_id: idSchema,
  investor_id: idSchema,
  basis_amount: nonNegativeCentsSchema,
  amount: nonNegativeCentsSchema,
  paid: nonNegativeCentsSchema,
  ...syncColumns,
});

export const paymentRow = z.object({
  id: idSchema,
  call_id: idSchema,
  investor_id: idSchema,
  amount: centsSchema,
  date: businessDateSchema,
  ...syncColumns,
});

/** Fund-level paid-in capital not tied to a call in the app (imported history). */
export const contributionRow = z.object({
  id: idSchema,
  fund_id: idSchema,
  date: businessDateSchema,
  amount: centsSchema,
  ...syncColumns,
});

export const distributionRow = z.object({
  id: idSchema,
  fund_id: idSchema,
  date: businessDateSchema,
  amount: centsSchema,
  recallable: nonNegativeCentsSchema,
  ...syncColumns,
});

export const navMarkRow = z.object({
  id: idSchema,
  fund_id: idSchema,
  date: businessDateSchema,
  nav: centsSchema,
  ...syncColumns,
});

export const indexLevelRow = z.object({
  id: idSchema,
  index_name: z.string().min(1).max(100),
  date: businessDateSchema,
  level: z.number().positive(),
  ...syncColumns,
});

/** A versioned business-rules record; `body` is JSON of BusinessRules. */
export const businessRulesRow = z.object({
  id: idSchema,
  revision: z.number().int().positive(),
  body: z.string(),
  ...syncColumns,
});

export type FundRow = z.infer<typeof fundRow>;
export type DealRow = z.infer<typeof dealRow>;
export type AllocationRow = z.infer<typeof allocationRow>;
export type InvestorRow = z.infer<typeof investorRow>;
export type CommitmentRow = z.infer<typeof commitmentRow>;
export type CapitalCallRow = z.infer<typeof capitalCallRow>;
export type CapitalCallLineRow = z.infer<typeof capitalCallLineRow>;
export type PaymentRow = z.infer<typeof paymentRow>;
export type ContributionRow = z.infer<typeof contributionRow>;
export type DistributionRow = z.infer<typeof distributionRow>;
export type NavMarkRow = z.infer<typeof navMarkRow>;
export type IndexLevelRow = z.infer<typeof indexLevelRow>;
export type BusinessRulesRow = z.infer<typeof businessRulesRow>;

/** Entity name → row schema, for every table that syncs. */
export const ENTITY_SCHEMAS = {
  fund: fundRow,
  deal: dealRow,
  allocation: allocationRow,
  investor: investorRow,
  commitment: commitmentRow,
  capital_call: capitalCallRow,
  capital_call_line: capitalCallLineRow,
  payment: paymentRow,
  contribution: contributionRow,
  distribution: distributionRow,
  nav_mark: navMarkRow,
  index_level: indexLevelRow,
  business_rules: businessRulesRow,
  // Credit (issue 7, shared/domain/credit.ts): after the portfolio tables so parents precede children.
  ...CREDIT_ENTITY_SCHEMAS,
} as const;

export type EntityName = keyof typeof ENTITY_SCHEMAS;
export const ENTITY_NAMES = Object.keys(ENTITY_SCHEMAS) as EntityName[];
