/** Business dates are 'YYYY-MM-DD'; instants are ISO-8601 UTC strings. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type BusinessDate = string;

/** Days since 1970-01-01 for a valid business date, or null. */
export function tryDayNumber(date: string): number | null {
  const m = DATE.exec(date);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / 86_400_000;
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
