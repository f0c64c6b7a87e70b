import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeridianError } from '../../../shared/errors';
import { dayOf, tryDayOf, yearFraction } from '../../../shared/finance/daycount';
import { thrown } from './helpers';

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The obvious implementation, slow but clearly right: Date.UTC and a round trip. */
function referenceDayNumber(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 100) return null;
  const back = new Date(Date.UTC(y, mo - 1, d));
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return back.getTime() / 86_400_000;
}

describe('dayOf', () => {
  it('agrees with a Date.UTC reference on every date-shaped string, valid or not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        const expected = referenceDayNumber(s);
        const actual = tryDayOf(s);
        if (expected === null) expect(actual).toBeNaN();
        else expect(actual).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with a Date.UTC reference on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const expected = referenceDayNumber(s);
        const actual = tryDayOf(s);
        if (expected === null) expect(actual).toBeNaN();
        else expect(actual).toBe(expected);
      }),
    );
  });

  it('knows leap years and the epoch', () => {
    expect(dayOf('1970-01-01')).toBe(0);
    expect(dayOf('2000-02-29')).toBe(11016);
    expect(tryDayOf('1900-02-29')).toBeNaN();
    expect(tryDayOf('2023-02-29')).toBeNaN();
    expect(dayOf('2024-03-01') - dayOf('2024-02-28')).toBe(2);
  });

  it('throws INVALID_DATE with the field name', () => {
    expect(() => dayOf('2024-13-01', 'asOf')).toThrowError(MeridianError);
    const e = thrown(() => dayOf('2024-02-30', 'asOf'));
    expect(e.code).toBe('INVALID_DATE');
    expect(e.details.field).toBe('asOf');
  });

  it('yearFraction is Actual/365 fixed, even across a leap year', () => {
    expect(yearFraction('2020-01-01', '2021-01-01')).toBe(366 / 365);
    expect(yearFraction('2021-01-01', '2022-01-01')).toBe(1);
    expect(yearFraction('2022-01-01', '2021-01-01')).toBe(-1);
  });
});
