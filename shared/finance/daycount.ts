/**
 * Day counting for the finance math: a fast 'YYYY-MM-DD' → day-number parser
 * and the Actual/365 (fixed) year fraction Excel's XIRR/XNPV use.
 *
 * `dayOf` returns the numbers of `dayNumber` in ../dates (days since
 * 1970-01-01), whose parser works by character codes with no regex and no
 * Date object: XIRR over a million flows spends most of its time there.
 */
import { tryDayNumber } from '../dates';
import { MeridianError } from '../errors';

/** Actual/365 fixed: every year is 365 days, leap years included. */
export const DAYS_PER_YEAR = 365;

/** Days since 1970-01-01 for a valid 'YYYY-MM-DD' date, or NaN (the fast parser lives in ../dates). */
export function tryDayOf(date: string): number {
  return tryDayNumber(date) ?? NaN;
}

/** Days since 1970-01-01; throws MeridianError('INVALID_DATE') on a bad date. */
export function dayOf(date: string, field = 'date'): number {
  const n = tryDayOf(date);
  if (Number.isNaN(n)) {
    throw new MeridianError('INVALID_DATE', `${field}: "${String(date)}" is not a valid YYYY-MM-DD date`, {
      field,
      value: date,
    });
  }
  return n;
}

/** Actual/365 fixed year fraction from `from` to `to` (negative when `to` is earlier). */
export function yearFraction(from: string, to: string): number {
  return (dayOf(to, 'to') - dayOf(from, 'from')) / DAYS_PER_YEAR;
}
