/** zod building blocks shared by every entity and mutation schema. */
import { z } from 'zod';
import { isBusinessDate } from '../dates';
import { isCents } from '../money';

export const idSchema = z.string().min(1, 'id must not be empty').max(300);
export const businessDateSchema = z.string().refine(isBusinessDate, { message: 'must be a valid date YYYY-MM-DD' });
export const instantSchema = z.string().min(20);
export const centsSchema = z.number().refine(isCents, { message: 'must be a whole number of cents' });
export const positiveCentsSchema = centsSchema.refine((n) => n > 0, { message: 'must be greater than zero' });
export const nonNegativeCentsSchema = centsSchema.refine((n) => n >= 0, { message: 'must not be negative' });
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');
export const versionSchema = z.number().int().nonnegative();

/** Columns every synced row carries (DESIGN §2). */
export const syncColumns = {
  version: versionSchema,
  updated_at: z.string(),
  updated_by: z.string(),
  deleted_at: z.string().nullable(),
};
