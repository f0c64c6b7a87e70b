import { MeridianError } from '../../../shared/errors';
import { fromDayNumber } from '../../../shared/dates';

/** The MeridianError code `fn` throws, 'NO_ERROR' when it returns, 'OTHER' for any other throw. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof MeridianError ? e.code : 'OTHER';
  }
  return 'NO_ERROR';
}

/** The error `fn` throws (fails the test when it returns). */
export function thrown(fn: () => unknown): MeridianError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MeridianError) return e;
    throw e;
  }
  throw new Error('expected a MeridianError, nothing was thrown');
}

export const dateOf = fromDayNumber;

/** Deterministic PRNG (mulberry32) for benchmark-style data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
