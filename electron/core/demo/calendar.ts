/** Calendar helpers for the demo data: business dates as 'YYYY-MM-DD', UTC. */
import { addDays, dayNumber, fromDayNumber } from '../../../shared/dates';

export { addDays, dayNumber, fromDayNumber };

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Last calendar day of month `m` (1-12) of year `y`. */
export function monthEnd(y: number, m: number): string {
  return fromDayNumber(Date.UTC(y, m, 0) / 86_400_000);
}

/** `date` moved by `n` months, the day clamped to the target month's length. */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const idx = y * 12 + (m - 1) + n;
  const ty = Math.floor(idx / 12);
  const tm = (idx % 12) + 1;
  const last = Number(monthEnd(ty, tm).slice(8, 10));
  return ymd(ty, tm, Math.min(d, last));
}

export function addYears(date: string, n: number): string {
  return addMonths(date, 12 * n);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** Years between two dates, Actual/365.25 (for modelling only, not for finance math). */
export function yearsBetween(a: string, b: string): number {
  return (dayNumber(b) - dayNumber(a)) / 365.25;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

function weekday(date: string): number {
  return new Date(dayNumber(date) * 86_400_000).getUTCDay();
}

/** The date itself if Monday–Friday, else the Friday before. */
export function businessDayOnOrBefore(date: string): string {
  const w = weekday(date);
  return w === 6 ? addDays(date, -1) : w === 0 ? addDays(date, -2) : date;
}

/** The date itself if Monday–Friday, else the Monday after. */
export function businessDayOnOrAfter(date: string): string {
  const w = weekday(date);
  return w === 6 ? addDays(date, 2) : w === 0 ? addDays(date, 1) : date;
}

/** First day of the calendar quarter containing `date`. */
export function quarterStart(date: string): string {
  const [y, m] = parts(date);
  return ymd(y, Math.floor((m - 1) / 3) * 3 + 1, 1);
}

/** Last day of the calendar quarter containing `date`. */
export function quarterEnd(date: string): string {
  const [y, m] = parts(date);
  return monthEnd(y, Math.floor((m - 1) / 3) * 3 + 3);
}

/** Calendar quarter key such as "2024Q3". */
export function quarterKey(date: string): string {
  const [y, m] = parts(date);
  return `${y}Q${Math.floor((m - 1) / 3) + 1}`;
}

/** Month ends from the one on or after `from` up to `to` (inclusive). */
export function monthEndsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = parts(from);
  for (;;) {
    const e = monthEnd(y, m);
    if (e > to) break;
    if (e >= from) out.push(e);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** A date `fraction` of the way from `a` to `b` (whole days). */
export function between(a: string, b: string, fraction: number): string {
  const da = dayNumber(a);
  const db = dayNumber(b);
  return fromDayNumber(da + Math.floor((db - da) * Math.min(1, Math.max(0, fraction))));
}
