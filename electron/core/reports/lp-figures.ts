/**
 * The LP-level figures of the capital call notice and the LP capital
 * account statement (docs/reports.md §3–4), as pure functions of the
 * fund's records, in integer cents.
 *
 * The local database records some flows per LP (capital call lines and
 * payments) and the others per fund (imported contributions, distributions,
 * NAV marks). A fund-level amount is given to the LPs pro rata to their live
 * commitments with the largest-remainder split the capital calls use
 * (shared/finance splitProRata), so the LPs' shares always add up to the
 * fund's amount exactly; a negative amount (a negative NAV) is split by its
 * magnitude and keeps its sign.
 */
import { splitProRata, type ProRataBasis } from '../../../shared/finance';
import { addDays } from '../../../shared/dates';
import type { Cents } from '../../../shared/money';

export interface Dated {
  date: string;
  amount: Cents;
}

/** The LP's share of a fund-level amount (see the module note). */
export function lpShareOf(total: Cents, basis: readonly ProRataBasis[], investorId: string): Cents {
  if (total === 0 || !basis.some((b) => b.key === investorId && b.weight > 0)) return 0;
  const line = splitProRata(Math.abs(total), basis).find((l) => l.key === investorId)!;
  return total < 0 ? -line.amount : line.amount;
}

const sum = (xs: readonly Dated[], keep: (d: string) => boolean) => xs.reduce((t, x) => (keep(x.date) ? t + x.amount : t), 0);

/** The latest NAV mark on or before `date` (the last given when several share a date), 0 without one. */
export function navOn(marks: ReadonlyArray<{ date: string; nav: Cents }>, date: string): Cents {
  let best: { date: string; nav: Cents } | undefined;
  for (const m of marks) if (m.date <= date && (!best || m.date >= best.date)) best = m;
  return best?.nav ?? 0;
}

export interface LpAccountInput {
  investorId: string;
  /** First and last day of the period, inclusive. */
  from: string;
  to: string;
  /** The fund's live commitments (investor id → cents): the split basis and the LP's commitment. */
  commitments: readonly ProRataBasis[];
  /** The LP's lines on issued, partially paid or paid calls, at their call dates. */
  lpCalls: readonly Dated[];
  /** The LP's payments. */
  lpPayments: readonly Dated[];
  /** Fund-level contributions recorded without a call (imported cash flows). */
  fundContributions: readonly Dated[];
  fundDistributions: ReadonlyArray<Dated & { recallable: Cents }>;
  navMarks: ReadonlyArray<{ date: string; nav: Cents }>;
  /** Management fees and fund expenses charged to the LP in the period (no fee ledger is kept; default 0). */
  fees?: Cents;
}

export interface LpAccount {
  commitment: Cents;
  /** commitment ÷ Σ commitments (display only). */
  share: number;
  opening: Cents;
  contributions: Cents;
  distributions: Cents;
  fees: Cents;
  gains: Cents;
  closing: Cents;
  unfunded: Cents;
}

/**
 * The LP's capital account for [from, to]:
 *
 *   opening       = share of the fund's NAV on the day before `from`
 *   contributions = the LP's payments dated in the period
 *                   + share of the fund's call-less contributions in the period
 *   distributions = share of the fund's distributions in the period
 *   fees          = as given (0 by default)
 *   closing       = share of the fund's NAV on `to`
 *   gains         = closing − opening − contributions + distributions + fees
 *                   (net gain or loss: what makes the account add up)
 *   unfunded      = commitment − the LP's called amounts on or before `to`
 *                   − share of call-less contributions on or before `to`
 *                   + share of recallable distributions on or before `to`
 *
 * Shares of period sums are taken of the sum (one split per figure).
 */
export function lpCapitalAccount(input: LpAccountInput): LpAccount {
  const { from, to, commitments, investorId } = input;
  const commitment = commitments.find((c) => c.key === investorId)?.weight ?? 0;
  const total = commitments.reduce((t, c) => t + c.weight, 0);
  const share = (x: Cents) => lpShareOf(x, commitments, investorId);
  const inPeriod = (d: string) => d >= from && d <= to;
  const toDate = (d: string) => d <= to;
  const opening = share(navOn(input.navMarks, addDays(from, -1)));
  const contributions = sum(input.lpPayments, inPeriod) + share(sum(input.fundContributions, inPeriod));
  const distributions = share(sum(input.fundDistributions, inPeriod));
  const fees = input.fees ?? 0;
  const closing = share(navOn(input.navMarks, to));
  const recallable = input.fundDistributions.reduce((t, d) => (toDate(d.date) ? t + d.recallable : t), 0);
  return {
    commitment,
    share: total > 0 ? commitment / total : 0,
    opening,
    contributions,
    distributions,
    fees,
    gains: closing - opening - contributions + distributions + fees,
    closing,
    unfunded: commitment - sum(input.lpCalls, toDate) - share(sum(input.fundContributions, toDate)) + share(recallable),
  };
}

export interface CallPurposes {
  investments: Cents;
  managementFees: Cents;
  fundExpenses: Cents;
  other: Cents;
}

export const PURPOSE_KEYS = ['investments', 'managementFees', 'fundExpenses', 'other'] as const;

/** Splits an LP's call amount across the call's purposes pro rata to the fund-level purposes, exactly. */
export function splitPurposes(lpAmount: Cents, fund: CallPurposes): CallPurposes {
  const basis = PURPOSE_KEYS.map((k) => ({ key: k, weight: fund[k] }));
  if (basis.every((b) => b.weight === 0)) return { investments: lpAmount, managementFees: 0, fundExpenses: 0, other: 0 };
  const lines = splitProRata(lpAmount, basis);
  const out = { investments: 0, managementFees: 0, fundExpenses: 0, other: 0 };
  for (const l of lines) out[l.key as keyof CallPurposes] = l.amount;
  return out;
}

export interface CallNoticeInput {
  investorId: string;
  callDate: string;
  commitments: readonly ProRataBasis[];
  /** The fund's issued, partially paid or paid calls before this one (earlier date, or same date and smaller id). */
  priorCalls: readonly Dated[];
  /** The LP's lines on those calls. */
  lpPriorCalls: readonly Dated[];
  /** This call: the fund total and the LP's line. */
  callAmount: Cents;
  lpAmount: Cents;
  fundContributions: readonly Dated[];
  fundDistributions: ReadonlyArray<Dated & { recallable: Cents }>;
  purposes: CallPurposes;
}

export interface CallNoticeFigures {
  fund: {
    totalCommitments: Cents;
    thisCall: CallPurposes & { total: Cents };
    priorContributions: Cents;
    priorDistributions: Cents;
  };
  lp: {
    commitment: Cents;
    share: number;
    priorContributions: Cents;
    priorDistributions: Cents;
    thisCall: CallPurposes & { total: Cents };
    unfundedBefore: Cents;
    unfundedAfter: Cents;
  };
}

/**
 * The ILPA capital call notice figures. "Prior" means dated before the call
 * date (calls: earlier in call order). Contributions are called capital:
 * prior calls' amounts plus call-less (imported) contributions.
 *
 *   fund prior contributions = Σ prior calls + Σ call-less contributions before the call date
 *   fund prior distributions = Σ distributions before the call date
 *   LP prior contributions   = Σ the LP's prior lines + share of call-less contributions before the call date
 *   LP prior distributions   = share of the fund's prior distributions
 *   LP unfunded before       = commitment − LP prior contributions + share of recallable distributions before the call date
 *   LP unfunded after        = LP unfunded before − the LP's line on this call
 */
export function callNoticeFigures(input: CallNoticeInput): CallNoticeFigures {
  const { commitments, investorId, callDate } = input;
  const before = (d: string) => d < callDate;
  const share = (x: Cents) => lpShareOf(x, commitments, investorId);
  const totalCommitments = commitments.reduce((t, c) => t + c.weight, 0);
  const commitment = commitments.find((c) => c.key === investorId)?.weight ?? 0;
  const callLess = sum(input.fundContributions, before);
  const priorDistributions = sum(input.fundDistributions, before);
  const recallable = input.fundDistributions.reduce((t, d) => (before(d.date) ? t + d.recallable : t), 0);
  const lpPrior = sum(input.lpPriorCalls, () => true) + share(callLess);
  const unfundedBefore = commitment - lpPrior + share(recallable);
  return {
    fund: {
      totalCommitments,
      thisCall: { ...input.purposes, total: input.callAmount },
      priorContributions: sum(input.priorCalls, () => true) + callLess,
      priorDistributions,
    },
    lp: {
      commitment,
      share: totalCommitments > 0 ? commitment / totalCommitments : 0,
      priorContributions: lpPrior,
      priorDistributions: share(priorDistributions),
      thisCall: { ...splitPurposes(input.lpAmount, input.purposes), total: input.lpAmount },
      unfundedBefore,
      unfundedAfter: unfundedBefore - input.lpAmount,
    },
  };
}
