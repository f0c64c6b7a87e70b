/**
 * Wire schemas of the server's other routes — accounts, administration,
 * audit, health — and the error envelope every route uses. Shared by the
 * server's route definitions (and its OpenAPI document) and by clients.
 */
import { z } from 'zod';
import { roleSchema } from '../domain/roles';
import { businessRulesSchema } from '../rules/business-rules';
import { entityNameSchema, errorCodeSchema, problemSchema, seqSchema } from './protocol';

// ---------------------------------------------------------------- errors

/**
 * Every non-2xx answer: {"error": {code, message, correlationId, ...}}.
 * `problems` lists field paths for invalid bodies and queries; `details`
 * carries numbers and hints (e.g. retryable, minSchemaVersion). Never a
 * stack trace.
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    correlationId: z.string(),
    problems: z.array(problemSchema).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

// ---------------------------------------------------------------- accounts

/** Login names: lower-cased, letters, digits and . _ @ - (2–64 characters). */
export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{1,63}$/, 'must be 2–64 letters, digits, ".", "_", "@" or "-"');
/** A new password: at least 12 characters (length beats composition rules). */
export const newPasswordSchema = z.string().min(12, 'must be at least 12 characters').max(1024);

export const userSummarySchema = z.object({ id: z.string(), username: z.string(), role: roleSchema });

export const loginRequestSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(1024),
});

export const tokenResponseSchema = z.object({
  /** Bearer token for the Authorization header; short-lived. */
  accessToken: z.string(),
  /** Opaque; exchange it at /v1/auth/refresh. Single use: each refresh returns a new one. */
  refreshToken: z.string(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int().positive(),
  user: userSummarySchema,
});

export const refreshRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(200) });
export const logoutRequestSchema = z.strictObject({ refreshToken: z.string().min(1).max(200) });
export const okResponseSchema = z.object({ ok: z.literal(true) });

// ---------------------------------------------------------------- administration

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const createUserRequestSchema = z.strictObject({
  username: usernameSchema,
  password: newPasswordSchema,
  role: roleSchema,
});

export const updateUserRequestSchema = z
  .strictObject({
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    password: newPasswordSchema.optional(),
  })
  .refine((v) => v.role !== undefined || v.disabled !== undefined || v.password !== undefined, {
    message: 'give at least one of role, disabled, password',
  });

export const userIdParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });
export const usersResponseSchema = z.object({ users: z.array(userSchema) });

/** PUT /v1/admin/rules body: the complete rules (amounts in cents, utilisation in percent). */
export const putRulesRequestSchema = businessRulesSchema;
export const rulesResponseSchema = z.object({
  revision: z.number().int().nonnegative(),
  /** Change sequence of the revision (clients receive it through pull). */
  version: seqSchema,
  rules: businessRulesSchema,
});

export const pruneChangesRequestSchema = z.strictObject({
  /** Delete change-log entries with seq ≤ this; clients behind it must resync. */
  throughSeq: seqSchema,
});
export const pruneChangesResponseSchema = z.object({ deleted: z.number().int().nonnegative(), minCursor: seqSchema });

// ---------------------------------------------------------------- audit

const instantQuery = z.string().min(10).max(40);

export const auditQuerySchema = z.strictObject({
  /** A synced entity name, or 'user' for account changes. */
  entity: z.union([entityNameSchema, z.literal('user')]).optional(),
  id: z.string().min(1).max(300).optional(),
  /** Entries at or after this instant (ISO-8601 UTC, or a YYYY-MM-DD date). */
  from: instantQuery.optional(),
  /** Entries before this instant (exclusive). */
  to: instantQuery.optional(),
  /** Entries with seq > after (paging). */
  after: z.coerce.number().pipe(seqSchema).optional(),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(1000)).default(100),
});

export const auditEntrySchema = z.object({
  seq: seqSchema,
  prevHash: z.string(),
  hash: z.string(),
  at: z.string(),
  userId: z.string(),
  clientId: z.string().nullable(),
  mutationId: z.number().int().nullable(),
  mutation: z.string(),
  status: z.enum(['applied', 'rejected']),
  code: z.string().nullable(),
  message: z.string().nullable(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  changeSeq: seqSchema,
  before: z.unknown(),
  after: z.unknown(),
  details: z.unknown(),
});

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `after` for the next page; null when there is no more. */
  nextAfter: seqSchema.nullable(),
});

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  /** Entries checked. */
  checked: z.number().int().nonnegative(),
  /** First entry whose hash, link or position does not match; null when ok. */
  firstBrokenSeq: seqSchema.nullable(),
});

// ---------------------------------------------------------------- operations

export const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  database: z.object({
    reachable: z.boolean(),
    kind: z.enum(['postgres', 'pglite']),
    latencyMs: z.number().nullable(),
  }),
  migration: z.object({ version: z.number().int().nullable(), latest: z.number().int() }),
  app: z.object({ name: z.string(), version: z.string() }),
});

export type LoginRequest = z.input<typeof loginRequestSchema>;
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
export type User = z.infer<typeof userSchema>;
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;
export type UpdateUserRequest = z.input<typeof updateUserRequestSchema>;
export type RulesResponse = z.infer<typeof rulesResponseSchema>;
export type AuditQuery = z.input<typeof auditQuerySchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditPage = z.infer<typeof auditPageSchema>;
export type AuditVerify = z.infer<typeof auditVerifySchema>;
export type Health = z.infer<typeof healthSchema>;
