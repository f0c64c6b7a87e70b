/**
 * Display formatting. Money arrives as integer cents and is formatted
 * through Intl.NumberFormat from its exact decimal string (never divided as
 * a float), with the fund's currency. Pure (no DOM), unit-tested.
 */
import { formatCents } from '../../../shared/money';

const cache = new Map<string, Intl.NumberFormat>();

function nf(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make()));
  return f;
}

let locale: string | undefined;
/** The locale for numbers and dates (default: the OS's). */
export function setLocale(l: string | undefined) {
  locale = l;
  cache.clear();
}

export const DASH = '—';
/** An ISO 4217 code; anything else (e.g. not loaded yet) formats without a currency. */
const CURRENCY = /^[A-Z]{3}$/;

type Decimal = Intl.StringNumericLiteral;
const dec = (cents: number) => formatCents(cents) as Decimal;

/** 1,208,053.71 — grouped, two decimals, no currency (grids; the column says the currency). */
export function fmtAmount(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return DASH;
  return nf('amount', () => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(dec(cents));
}

/** USD 1,208,053.71 */
export function fmtMoney(cents: number | null | undefined, currency: string): string {
  if (cents === null || cents === undefined) return DASH;
  if (!CURRENCY.test(currency)) return fmtAmount(cents);
  return nf(`money:${currency}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  ).format(dec(cents));
}

/** USD 250.0M — for cards and chart axes (rounded for display only). */
export function fmtCompact(cents: number | null | undefined, currency?: string): string {
  if (cents === null || cents === undefined) return DASH;
  if (currency !== undefined && !CURRENCY.test(currency)) currency = undefined;
  const key = `compact:${currency ?? ''}`;
  return nf(key, () =>
    new Intl.NumberFormat(locale, {
      ...(currency ? { style: 'currency', currency, currencyDisplay: 'code' } : {}),
      notation: 'compact',
      compactDisplay: 'short',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }),
  ).format(dec(cents));
}

/** 131.85 — millions with two decimals, for dense tables whose header says "millions". */
export function fmtMillions(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return DASH;
  // Round half away from zero to 10,000 cents (0.01 million) in integers, then format the exact decimal.
  const unit = 1_000_000;
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const q = Math.floor(abs / unit) + (abs % unit >= unit / 2 ? 1 : 0);
  const text = `${neg && q ? '-' : ''}${Math.floor(q / 100)}.${String(q % 100).padStart(2, '0')}` as Decimal;
  return nf('millions', () => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(text);
}

/** 14.2% from a ratio 0.142; DASH for null. */
export function fmtPct(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return nf(`pct:${digits}`, () => new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits })).format(ratio);
}

/** 1.62× */
export function fmtMultiple(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return DASH;
  return `${nf(`mult:${digits}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })).format(ratio)}×`;
}

export function fmtNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return nf(`num:${digits}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })).format(n);
}

/** Business dates stay ISO (YYYY-MM-DD): unambiguous and aligned in columns. */
export function fmtDate(date: string | null | undefined): string {
  return date ? date.slice(0, 10) : DASH;
}

/** 2024-05-01 14:32 (local time) from an ISO instant. */
export function fmtInstant(instant: string | null | undefined): string {
  if (!instant) return DASH;
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function fmtAgo(instant: string | null | undefined, now = Date.now()): string {
  if (!instant) return 'never';
  const s = Math.max(0, Math.round((now - new Date(instant).getTime()) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** senior_debt → Senior debt */
export function humanize(key: string): string {
  const s = key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Parses what an analyst types as an amount into cents, exactly:
 * "2,500,000", "2500000.5", "2.5m", "750k", "1.2bn", "USD 3,000,000".
 * Returns null when it is not an amount with at most two decimals of the
 * currency unit.
 */
export function parseAmountInput(text: string): number | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[\s,_'\u00a0\u202f]/g, '')
    .replace(/^[a-z]{3}(?=[-\d.])/, '')
    .replace(/^[$€£¥]/, '');
  const m = /^(-)?(\d*)(?:\.(\d*))?(k|m|mm|bn|b)?$/.exec(t);
  if (!m || (!m[2] && !m[3])) return null;
  const scale = m[4] === 'k' ? 3 : m[4] === 'm' || m[4] === 'mm' ? 6 : m[4] === 'b' || m[4] === 'bn' ? 9 : 0;
  const frac = m[3] ?? '';
  const digits = BigInt((m[2] || '0') + frac);
  const exp = scale + 2 - frac.length;
  let cents: bigint;
  if (exp >= 0) cents = digits * 10n ** BigInt(exp);
  else {
    const div = 10n ** BigInt(-exp);
    if (digits % div !== 0n) return null;
    cents = digits / div;
  }
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const v = Number(cents);
  return m[1] ? -v : v;
}

/** Cents as a plain editable decimal, without grouping: 250000000 → "2500000.00". */
export function centsToInput(cents: number): string {
  return formatCents(cents);
}
