/**
 * How figures are written in documents: amounts from integer cents through
 * shared/money (never a float), grouped in thousands with two decimals;
 * ratios as multiples, rates as percentages; n/a where a figure is undefined.
 */
import { formatCents, type Cents } from '../../../shared/money';

/** 120805371 → "1,208,053.71"; -5 → "-0.05". */
export function amount(cents: Cents): string {
  const text = formatCents(cents);
  const neg = text.startsWith('-');
  const [whole, frac] = (neg ? text.slice(1) : text).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}.${frac}`;
}

/** "USD 1,208,053.71". */
export function money(cents: Cents, currency: string): string {
  const a = amount(cents);
  return a.startsWith('-') ? `-${currency} ${a.slice(1)}` : `${currency} ${a}`;
}

/** 1.2345 → "1.23x". */
export function multiple(r: number | null | undefined, digits = 2): string {
  return r === null || r === undefined || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(digits)}x`;
}

/** 0.12345 → "12.35%". */
export function percent(r: number | null | undefined, digits = 2): string {
  return r === null || r === undefined || !Number.isFinite(r) ? 'n/a' : `${(r * 100).toFixed(digits)}%`;
}

/** A plain ratio with fixed decimals ("0.93"). */
export function decimal(r: number | null | undefined, digits = 2): string {
  return r === null || r === undefined || !Number.isFinite(r) ? 'n/a' : r.toFixed(digits);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '2026-03-31' → "31 March 2026" (business dates are written out, never localised by the machine). */
export function longDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? '?'} ${y}`;
}
