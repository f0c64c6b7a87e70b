/**
 * Arguments of every named mutation, as zod schemas (camelCase, money in
 * cents). Ids of new records are part of the arguments: they are made where
 * the mutation is made, so a replay on the server creates the same records.
 */
import { z } from 'zod';
import { allocationStatusSchema, securityTypeSchema } from '../domain/entities';
import {
  businessDateSchema,
  centsSchema,
  currencySchema,
  idSchema,
  nonNegativeCentsSchema,
  positiveCentsSchema,
  versionSchema,
} from '../domain/primitives';

const name = z.string().trim().min(1, 'must not be empty').max(200);
const text = z.string().max(200);

export const createFundArgs = z.strictObject({
  id: idSchema,
  name,
  currency: currencySchema,
  vintage: z.number().int().min(1900).max(2200),
  size: nonNegativeCentsSchema,
});
export const updateFundArgs = z.strictObject({
  id: idSchema,
  name: name.optional(),
  vintage: z.number().int().min(1900).max(2200).optional(),
  size: nonNegativeCentsSchema.optional(),
});
export const createDealArgs = z.strictObject({
  id: idSchema,
  name,
  sector: text.default(''),
  country: text.default(''),
  stage: text.default(''),
});
export const updateDealArgs = z.strictObject({
  id: idSchema,
  name: name.optional(),
  sector: text.optional(),
  country: text.optional(),
  stage: text.optional(),
});
export const createInvestorArgs = z.strictObject({ id: idSchema, name });
export const createCommitmentArgs = z.strictObject({
  id: idSchema,
  investorId: idSchema,
  fundId: idSchema,
  amount: positiveCentsSchema,
});

export const createAllocationArgs = z.strictObject({
  id: idSchema,
  fundId: idSchema,
  dealId: idSchema,
  securityType: securityTypeSchema.default('common_equity'),
  amount: positiveCentsSchema,
  date: businessDateSchema,
});
export const updateAllocationArgs = z.strictObject({
  id: idSchema,
  expectedVersion: versionSchema,
  amount: positiveCentsSchema.optional(),
  securityType: securityTypeSchema.optional(),
  date: businessDateSchema.optional(),
});
export const allocationActionArgs = z.strictObject({
  id: idSchema,
  expectedVersion: versionSchema,
  reason: z.string().max(500).optional(),
});
export const changeAllocationStatusArgs = z.strictObject({
  id: idSchema,
  expectedVersion: versionSchema,
  to: allocationStatusSchema,
});

export const createCapitalCallArgs = z.strictObject({
  id: idSchema,
  fundId: idSchema,
  amount: positiveCentsSchema,
  callDate: businessDateSchema,
  dueDate: businessDateSchema,
  description: z.string().max(500).default(''),
  /** Issue at once (needs a portfolio manager) instead of leaving a draft. */
  issue: z.boolean().default(false),
});
export const capitalCallActionArgs = z.strictObject({ id: idSchema, expectedVersion: versionSchema });
export const recordPaymentArgs = z.strictObject({
  id: idSchema,
  callId: idSchema,
  investorId: idSchema,
  amount: positiveCentsSchema,
  date: businessDateSchema,
});
export const recordDistributionArgs = z.strictObject({
  id: idSchema,
  fundId: idSchema,
  date: businessDateSchema,
  amount: positiveCentsSchema,
  recallable: nonNegativeCentsSchema.default(0),
});
export const recordContributionArgs = z.strictObject({
  id: idSchema,
  fundId: idSchema,
  date: businessDateSchema,
  amount: positiveCentsSchema,
});
export const recordNavMarkArgs = z.strictObject({
  id: idSchema,
  fundId: idSchema,
  date: businessDateSchema,
  nav: centsSchema,
});
export const setIndexLevelArgs = z.strictObject({
  indexName: z.string().trim().min(1).max(100),
  date: businessDateSchema,
  level: z.number().positive().finite(),
});
