/** Business dates are 'YYYY-MM-DD'; instants are ISO-8601 UTC strings. */
export type BusinessDate = string;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseDay(date: string): number {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return NaN;
  const c0 = date.charCodeAt(0) - 48;
  const c1 = date.charCodeAt(1) - 48;
  const c2 = date.charCodeAt(2) - 48;
  const c3 = date.charCodeAt(3) - 48;
  const c5 = date.charCodeAt(5) - 48;
  const c6 = date.charCodeAt(6) - 48;
  const c8 = date.charCodeAt(8) - 48;
  const c9 = date.charCodeAt(9) - 48;
  // `>>> 0` turns a negative (non-digit below '0') into a huge number.
  if (
    c0 >>> 0 > 9 || c1 >>> 0 > 9 || c2 >>> 0 > 9 || c3 >>> 0 > 9 ||
    c5 >>> 0 > 9 || c6 >>> 0 > 9 || c8 >>> 0 > 9 || c9 >>> 0 > 9
  ) {
    return NaN;
  }
  const y = c0 * 1000 + c1 * 100 + c2 * 10 + c3;
  const m = c5 * 10 + c6;
  const d = c8 * 10 + c9;
  if (y < 100 || m < 1 || m > 12 || d < 1) return NaN;
  if (d > DAYS_IN_MONTH[m]! && !(m === 2 && d === 29 && (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)))) return NaN;
  // Howard Hinnant's days_from_civil (proleptic Gregorian); every operand is
  // a non-negative int here, so `| 0` is floor.
  const yy = m <= 2 ? y - 1 : y;
  const era = (yy / 400) | 0;
  const yoe = yy - era * 400;
  const doy = (((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) | 0) + d - 1;
  const doe = yoe * 365 + (yoe >> 2) - ((yoe / 100) | 0) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Days since 1970-01-01 for a valid business date (years 0100–9999), or
 * null. Parses by character codes (no regex, no Date): XIRR over a million
 * flows would otherwise spend most of its time here.
 */
export function tryDayNumber(date: string): number | null {
  const n = parseDay(date);
  return Number.isNaN(n) ? null : n;
}

export function isBusinessDate(date: string): boolean {
  return tryDayNumber(date) !== null;
}

/** Days since 1970-01-01; throws on an invalid date. */
export function dayNumber(date: BusinessDate): number {
  const n = tryDayNumber(date);
  if (n === null) throw new RangeError(`not a valid YYYY-MM-DD date: ${date}`);
  return n;
}

/** Actual days from a to b (b − a). */
export function daysBetween(a: BusinessDate, b: BusinessDate): number {
  return dayNumber(b) - dayNumber(a);
}

export function fromDayNumber(n: number): BusinessDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The business date of an instant, in UTC. */
export function businessDateOf(instant: Date | string): BusinessDate {
  return (typeof instant === 'string' ? new Date(instant) : instant).toISOString().slice(0, 10);
}
