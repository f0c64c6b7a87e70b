/**
 * Credit analysis math (DESIGN §4): ratios, covenant tests, stress scenarios,
 * the weighted scorecard, LTM and trends. Schemas and types live in
 * shared/domain/credit.ts; docs/credit.md has the definitions and decisions.
 */
export {
  EBITDA_SENSITIVE,
  annualFigures,
  assertFigures,
  computeRatio,
  computeRatios,
  debtService,
  ffo,
  fixedCharges,
  higherBetterRatio,
  lowerBetterRatio,
  netDebt,
  pickFigures,
  ratioValues,
} from './ratios';
export { applyEbitdaDecline, applyRateShock, extraInterest } from './shock';
export {
  assertCovenant,
  boundaryEbitda,
  covenantInForce,
  covenantStatus,
  ebitdaDeclineToBreach,
  headroom,
  solveEbitdaDeclineNumeric,
  testCovenant,
  testCovenants,
} from './covenants';
export type { CovenantTerms, NumericSolveOptions } from './covenants';
export { roundFigures, runScenario, scenarioGrid, stressFigures } from './stress';
export {
  SCORE_DECIMALS,
  applyOverride,
  applyScorecard,
  bandFor,
  gradeOf,
  ratingForScore,
  scoreRatios,
  validateMethodology,
} from './scorecard';
export {
  QUARTER_GAP_DAYS,
  creditTrend,
  isNextQuarter,
  ltmFromQuarters,
  ratioDirection,
  rollingLtm,
  tryLtmFromQuarters,
} from './trends';
export type { CreditTrend, LtmFailureReason, LtmOutcome, RatioSeries, TrendDirection, TrendPoint } from './trends';
export { runCreditAnalysis } from './analysis';
export { DEFAULT_METHODOLOGY, RATIO_DIRECTION, RATIO_KEYS } from '../../domain/credit';
export type {
  Covenant,
  CovenantTest,
  CreditAnalysisInputs,
  CreditAnalysisOutputs,
  CreditFigures,
  FinancialStatement,
  RatioKey,
  RatioResult,
  RatioSet,
  RatingOverride,
  ScenarioGrid,
  ScenarioResult,
  ScorecardMethodology,
  ScorecardResult,
  StressScenario,
} from '../../domain/credit';
