/**
 * The firm's deployments set the rules through environment variables
 * (DESIGN §3); amounts there are in major units ("50000000"), utilisation a
 * percentage ("95"). Returns null when none is set.
 */
import { parseCents } from '../money';
import { businessRulesSchema, DEFAULT_RULES, type BusinessRules } from './business-rules';

const AMOUNT_VARS = {
  MAX_ALLOCATION_PER_FUND: 'maxAllocationPerFund',
  MAX_ALLOCATION_PER_DEAL: 'maxAllocationPerDeal',
  MIN_ALLOCATION_AMOUNT: 'minAllocationAmount',
  REQUIRE_APPROVAL_THRESHOLD: 'approvalThreshold',
} as const;

export function rulesFromEnv(env: Record<string, string | undefined>): BusinessRules | null {
  let touched = false;
  const rules: BusinessRules = { ...DEFAULT_RULES };
  for (const [name, key] of Object.entries(AMOUNT_VARS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    rules[key] = parseCents(v, name);
    touched = true;
  }
  const pct = env.MAX_FUND_UTILIZATION;
  if (pct !== undefined && pct !== '') {
    const n = Number(pct.replace('%', ''));
    if (!Number.isFinite(n)) throw new RangeError(`MAX_FUND_UTILIZATION: "${pct}" is not a percentage`);
    rules.maxFundUtilisationPct = n;
    touched = true;
  }
  return touched ? businessRulesSchema.parse(rules) : null;
}
