/**
 * Classifies PostgreSQL errors raised while replaying a mutation. Errors the
 * same input would always raise again (constraint and data errors) become
 * rejections, so a client is never stuck retrying them; serialisation
 * failures and deadlocks are retried; anything else is an infrastructure
 * failure (the batch stops with a retryable status).
 */
import { MeridianError } from '../../shared/errors';

function sqlState(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

export function isRetryableDbError(e: unknown): boolean {
  const s = sqlState(e);
  return s === '40001' || s === '40P01';
}

export function asRejection(e: unknown): MeridianError | null {
  const s = sqlState(e);
  if (!s) return null;
  const detail = { sqlState: s };
  if (s === '23505') return new MeridianError('DUPLICATE', 'A record with the same key already exists.', detail);
  if (s === '23503') return new MeridianError('NOT_FOUND', 'The change refers to a record that does not exist.', detail);
  if (s.startsWith('23')) return new MeridianError('INVALID_INPUT', 'The change breaks a database constraint.', detail);
  if (s.startsWith('22')) return new MeridianError('INVALID_INPUT', 'The change carries a value the database cannot store.', detail);
  return null;
}
