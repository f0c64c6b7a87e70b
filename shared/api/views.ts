/** Read models the workstation returns to its hosts (renderer, CLI). Money in cents. */
import { z } from 'zod';
import { allocationRow, capitalCallLineRow, capitalCallRow, dealRow, fundRow, investorRow } from '../domain/entities';

const nullableRatio = z.number().nullable();

export const fundMetricsView = z.object({
  fundId: z.string(),
  asOf: z.string(),
  currency: z.string(),
  size: z.number(),
  committed: z.number(),
  called: z.number(),
  pic: z.number(),
  distributions: z.number(),
  nav: z.number(),
  unfunded: z.number(),
  dpi: nullableRatio,
  rvpi: nullableRatio,
  tvpi: nullableRatio,
  irr: nullableRatio,
  ksPme: nullableRatio,
  lnPme: nullableRatio,
  pmePlus: nullableRatio,
  directAlpha: nullableRatio,
  allocated: z.number(),
  utilisation: nullableRatio,
});
export type FundMetricsView = z.infer<typeof fundMetricsView>;

export const fundSummaryView = fundRow.extend({ metrics: fundMetricsView });
export type FundSummaryView = z.infer<typeof fundSummaryView>;

export const allocationView = allocationRow.extend({ fund_name: z.string(), deal_name: z.string(), currency: z.string() });
export type AllocationView = z.infer<typeof allocationView>;

export const callLineView = capitalCallLineRow.extend({ investor_name: z.string(), outstanding: z.number() });
export type CallLineView = z.infer<typeof callLineView>;

export const capitalCallView = capitalCallRow.extend({
  fund_name: z.string(),
  currency: z.string(),
  paid: z.number(),
  outstanding: z.number(),
  effective_status: z.string(),
  lines: z.array(callLineView),
});
export type CapitalCallView = z.infer<typeof capitalCallView>;

export const callPreviewLine = z.object({ investorId: z.string(), investorName: z.string(), commitment: z.number(), amount: z.number() });
export const callPreviewView = z.object({ fundId: z.string(), amount: z.number(), currency: z.string(), lines: z.array(callPreviewLine), total: z.number() });
export type CallPreviewView = z.infer<typeof callPreviewView>;

export { dealRow as dealView, investorRow as investorView };
