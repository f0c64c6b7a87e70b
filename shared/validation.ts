/** Turns zod failures into Problems with field paths a person can act on. */
import type { z } from 'zod';
import { MeridianError, type Problem } from './errors';

export function zodProblems(error: z.ZodError, prefix = ''): Problem[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return {
      code: 'INVALID_INPUT' as const,
      path,
      message: path ? `${path}: ${issue.message}` : issue.message,
    };
  });
}

/** Parses `value` with `schema` or throws INVALID_INPUT naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what = 'input'): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = zodProblems(r.error);
  throw new MeridianError('INVALID_INPUT', `invalid ${what}: ${problems.map((p) => p.message).join('; ')}`, {}, problems);
}

/**
 * Converts an integer a database returned (number, bigint, or a decimal
 * string from PostgreSQL's int8/numeric) to a number, refusing anything that
 * is not a safe integer rather than rounding money.
 */
export function toSafeInteger(v: unknown, what = 'value'): number {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : (v as number);
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new RangeError(`${what} is not a safe integer: ${String(v)}`);
  if (typeof v === 'bigint' && BigInt(n) !== v) throw new RangeError(`${what} is out of range: ${String(v)}`);
  return n;
}
