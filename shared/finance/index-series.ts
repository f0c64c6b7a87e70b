/**
 * A benchmark index as a step function of time: the level for a date is the
 * last level dated on or before it (carried forward, never interpolated or
 * carried backward). Sorted once; each lookup is a binary search.
 */
import { MeridianError } from '../errors';
import { parseDay } from './validate';

/** One published index level. */
export interface IndexLevel {
  /** 'YYYY-MM-DD' */
  date: string;
  /** Positive, finite. */
  level: number;
}

/** Levels sorted by day, one per day. */
export interface IndexSeries {
  readonly days: Float64Array;
  readonly levels: Float64Array;
}

/**
 * Validates and sorts index levels. When a date appears more than once, the
 * occurrence latest in the input wins (a restated level replaces the
 * earlier one). Throws INVALID_DATE for a bad date, INVALID_INPUT for a level
 * that is not a positive finite number.
 */
export function prepareIndexSeries(levels: readonly IndexLevel[]): IndexSeries {
  const n = levels.length;
  const parsed: { day: number; level: number; i: number }[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = levels[i]!;
    const day = parseDay(l.date, `index.${i}.date`);
    if (typeof l.level !== 'number' || !Number.isFinite(l.level) || l.level <= 0) {
      throw new MeridianError('INVALID_INPUT', `index.${i}.level: ${String(l.level)} is not a positive number`, {
        field: `index.${i}.level`,
        value: l.level,
      });
    }
    parsed[i] = { day, level: l.level, i };
  }
  parsed.sort((a, b) => a.day - b.day || a.i - b.i);
  const days: number[] = [];
  const out: number[] = [];
  for (const p of parsed) {
    if (days.length > 0 && days[days.length - 1] === p.day) out[out.length - 1] = p.level;
    else {
      days.push(p.day);
      out.push(p.level);
    }
  }
  return { days: Float64Array.from(days), levels: Float64Array.from(out) };
}

/** True for a series made by prepareIndexSeries (rather than a list of levels). */
export function isIndexSeries(index: readonly IndexLevel[] | IndexSeries): index is IndexSeries {
  return !Array.isArray(index) && (index as IndexSeries).days instanceof Float64Array;
}

/** The level on or before `day` (days since 1970-01-01), or NaN when the series starts later. */
export function levelOnDay(series: IndexSeries, day: number): number {
  const { days, levels } = series;
  let lo = 0;
  let hi = days.length - 1;
  if (hi < 0 || day < days[0]!) return NaN;
  // Invariant: days[lo] <= day; answer in [lo, hi].
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (days[mid]! <= day) lo = mid;
    else hi = mid - 1;
  }
  return levels[lo]!;
}

/** The level on or before a 'YYYY-MM-DD' date, or null when the series starts later. */
export function levelOn(series: IndexSeries, date: string): number | null {
  const day = parseDay(date, 'date');
  const v = levelOnDay(series, day);
  return Number.isNaN(v) ? null : v;
}
