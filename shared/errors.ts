/**
 * Stable error codes. A code never changes meaning once released; clients,
 * tests and the rejection inbox key on it.
 */
export const ERROR_CODES = [
  // input
  'INVALID_INPUT',
  'INVALID_AMOUNT',
  'INVALID_DATE',
  'CSV_HEADER_MISMATCH',
  'CSV_PARSE_ERROR',
  'NOT_FOUND',
  'DUPLICATE',
  'UNKNOWN_MUTATION',
  'ALLOCATION_NOT_EDITABLE',
  // business rules
  'ALLOCATION_BELOW_MINIMUM',
  'FUND_ALLOCATION_LIMIT_EXCEEDED',
  'DEAL_ALLOCATION_LIMIT_EXCEEDED',
  'FUND_UTILISATION_EXCEEDED',
  'APPROVAL_ROLE_REQUIRED',
  'INVALID_STATUS_TRANSITION',
  'CURRENCY_MISMATCH',
  'NO_COMMITMENTS',
  'PAYMENT_EXCEEDS_OUTSTANDING',
  'CALL_NOT_PAYABLE',
  'CALL_HAS_PAYMENTS',
  'CALL_EXCEEDS_UNFUNDED',
  'ROLE_FORBIDDEN',
  'STALE_VERSION',
  // finance
  'NO_SIGN_CHANGE',
  'NO_ROOT',
  'INSUFFICIENT_DATA',
  // sync and infrastructure
  'MUTATION_GAP',
  'RESYNC_REQUIRED',
  'CLIENT_TOO_OLD',
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'INTERNAL',
  'CANCELLED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem a person can act on: what, where and why. */
export interface Problem {
  code: ErrorCode;
  message: string;
  /** Field path (e.g. "amount", "lines.2.amount") or CSV column. */
  path?: string;
  /** CSV line number (1-based, header is line 1). */
  line?: number;
  /** Numbers involved, e.g. {limit, current, proposed}. */
  details?: Record<string, unknown>;
}

export class MeridianError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly problems: Problem[];

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, problems?: Problem[]) {
    super(message);
    this.name = 'MeridianError';
    this.code = code;
    this.details = details;
    this.problems = problems ?? [{ code, message, details }];
  }
}

/** Error raised when the business rules refuse a mutation; carries every violation. */
export class RuleViolationError extends MeridianError {
  constructor(problems: Problem[]) {
    const first = problems[0]!;
    super(first.code, problems.map((p) => p.message).join('; '), first.details ?? {}, problems);
    this.name = 'RuleViolationError';
  }
}

export function isMeridianError(e: unknown): e is MeridianError {
  return e instanceof MeridianError;
}
