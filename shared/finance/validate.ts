/** Input checks shared by the finance modules; each throws a MeridianError naming the field. */
import { MeridianError } from '../errors';
import { isCents } from '../money';
import { tryDayOf } from './daycount';

/** Throws INVALID_AMOUNT unless `value` is a safe integer number of cents. */
export function assertCents(value: unknown, field: string): asserts value is number {
  if (!isCents(value)) {
    throw new MeridianError('INVALID_AMOUNT', `${field}: ${String(value)} is not a whole number of cents`, {
      field,
      value,
    });
  }
}

/** Parses a 'YYYY-MM-DD' date to its day number; throws INVALID_DATE naming the field. */
export function parseDay(date: unknown, field: string): number {
  const day = typeof date === 'string' ? tryDayOf(date) : NaN;
  if (Number.isNaN(day)) {
    throw new MeridianError('INVALID_DATE', `${field}: "${String(date)}" is not a valid YYYY-MM-DD date`, {
      field,
      value: date,
    });
  }
  return day;
}
