/**
 * Wire schemas of the sync protocol (DESIGN §5), shared by the server's
 * routes and the desktop sync client: one source of types. Pure zod.
 *
 * Push  POST /v1/sync/push      body PushRequest        → 200 PushResponse
 * Pull  GET  /v1/sync/pull      query PullQuery         → 200 PullResponse (kind 'changes' | 'resync')
 * Snapshot GET /v1/sync/snapshot query SnapshotQuery    → 200 SnapshotResponse (after a resync answer)
 * Results  GET /v1/sync/results  query ResultsQuery     → 200 ResultsResponse (stored results by mutation id)
 *
 * Errors of every route use the envelope in ./api (ErrorEnvelope). Two answers
 * the sync client must handle specially:
 *
 * - Client too old: HTTP 426 with error.code 'CLIENT_TOO_OLD' and
 *   error.details {schemaVersion, minSchemaVersion, serverSchemaVersion}
 *   when the request's schemaVersion < MIN_SYNC_SCHEMA_VERSION. Nothing was
 *   processed; the app must be updated before it syncs again (the outbox is
 *   kept). A client NEWER than the server (schemaVersion >
 *   SYNC_SCHEMA_VERSION, e.g. during a rolling deploy) gets HTTP 503 with
 *   error.code 'INTERNAL', error.details.retryable true and Retry-After: try
 *   again later.
 *
 * - Resync: a pull whose cursor is older than the retained change history
 *   (the server pruned changes the client has not seen) or newer than the
 *   server's history (the server was restored from a backup) gets HTTP 200
 *   with kind 'resync' (PullResync). The client then:
 *     1. downloads every entity with GET /v1/sync/snapshot (paged by id;
 *        soft-deleted rows included) and replaces its synced tables with them;
 *     2. sets its cursor to the resync answer's `cursor` and pulls as usual
 *        (changes after it may repeat rows the snapshot already had; applying
 *        them again is harmless);
 *     3. fetches the results of its own mutations after the last id it had
 *        acknowledged with GET /v1/sync/results, moves rejected ones to the
 *        rejection inbox, drops applied ones, and replays the rest.
 *
 * Other answers: a mutation id > last + 1 stops the batch with `gap` set in
 * the push response (earlier results are still reported); an infrastructure
 * failure answers HTTP 503 (error.details.retryable true) and the whole
 * batch can be pushed again: already-processed mutations are answered from
 * their stored results, so nothing is applied twice.
 */
import { z } from 'zod';
import {
  allocationRow,
  businessRulesRow,
  capitalCallLineRow,
  capitalCallRow,
  commitmentRow,
  contributionRow,
  dealRow,
  distributionRow,
  ENTITY_NAMES,
  fundRow,
  indexLevelRow,
  investorRow,
  navMarkRow,
  paymentRow,
  type EntityName,
} from '../domain/entities';
import { ERROR_CODES } from '../errors';
import { covenantRow, creditAnalysisRow, creditCommentRow, financialStatementRow, scorecardMethodologyRow } from '../domain/credit';

/**
 * Version of this wire format. Bump it when a change is not backward compatible.
 * 2: the credit tables (statements, covenants, methodologies, analyses,
 * comments) travel in pulls and snapshots; a version-1 client cannot parse
 * them, so the server asks it to update (its outbox is kept).
 */
export const SYNC_SCHEMA_VERSION = 2;
/** Oldest client schema version the server still accepts (older ones get CLIENT_TOO_OLD). */
export const MIN_SYNC_SCHEMA_VERSION = 2;
/** The server's default limit on a push request's body (server/app.ts pushBodyLimit). */
export const MAX_PUSH_BODY_BYTES = 8 * 1024 * 1024;
/** What a client puts in one push at most (half the server's limit: room for the envelope and escaping). */
export const PUSH_BATCH_BYTES = MAX_PUSH_BODY_BYTES / 2;
/** Most mutations in one push. */
export const MAX_PUSH_MUTATIONS = 500;
export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 10_000;
export const DEFAULT_SNAPSHOT_LIMIT = 1000;
export const MAX_SNAPSHOT_LIMIT = 10_000;

/** A client (one desktop profile) id: the client makes it once, e.g. a UUIDv7. */
export const clientIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must contain only letters, digits, ".", "_", ":" and "-"');
/** Per-client mutation id: 1, 2, 3, … in the order the client made them. */
export const mutationIdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const seqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** The client's SYNC_SCHEMA_VERSION (0 stands for builds from before versioning: always too old). */
export const schemaVersionSchema = z.number().int().nonnegative().max(1_000_000);
export const entityNameSchema = z.enum(ENTITY_NAMES as [EntityName, ...EntityName[]]);
export const errorCodeSchema = z.enum(ERROR_CODES);

/** A problem a person can act on (shared/errors Problem). */
export const problemSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  path: z.string().optional(),
  line: z.number().int().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

// ---------------------------------------------------------------- push

export const pushMutationSchema = z.strictObject({
  id: mutationIdSchema,
  /** A name from shared/mutators MUTATIONS; an unknown name is a rejection (UNKNOWN_MUTATION), not a 400. */
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a mutation name'),
  /** The mutation's arguments; validated by the mutation itself (bad ones are INVALID_INPUT rejections). */
  args: z.unknown(),
});

export const pushRequestSchema = z.strictObject({
  clientId: clientIdSchema,
  schemaVersion: schemaVersionSchema,
  mutations: z.array(pushMutationSchema).max(MAX_PUSH_MUTATIONS),
});

export const rowVersionSchema = z.object({ entity: entityNameSchema, id: z.string(), version: seqSchema });

export const appliedResultSchema = z.object({
  id: mutationIdSchema,
  name: z.string(),
  status: z.literal('applied'),
  /** Change sequence the mutation was applied at (= the version stamped on its rows). */
  seq: seqSchema,
  /** Every row the mutation wrote, with its new version. */
  versions: z.array(rowVersionSchema),
});

export const rejectedResultSchema = z.object({
  id: mutationIdSchema,
  name: z.string(),
  status: z.literal('rejected'),
  /** Change sequence at which the rejection was recorded. */
  seq: seqSchema,
  code: errorCodeSchema,
  message: z.string(),
  /** Every violation, with field paths and the numbers involved. */
  problems: z.array(problemSchema),
  details: z.record(z.string(), z.unknown()),
});

export const mutationResultSchema = z.discriminatedUnion('status', [appliedResultSchema, rejectedResultSchema]);

export const pushGapSchema = z.object({
  code: z.literal('MUTATION_GAP'),
  message: z.string(),
  /** The mutation that was refused. */
  id: mutationIdSchema,
  /** The id the server expected next (last processed + 1). */
  expectedId: mutationIdSchema,
});

export const pushResponseSchema = z.object({
  clientId: clientIdSchema,
  /** The client's last processed mutation id after this push. */
  lastMutationId: seqSchema,
  /** One result per processed mutation of the request, in request order (retries get their stored result). */
  results: z.array(mutationResultSchema),
  /** Set when the batch stopped at a mutation id beyond last + 1; later mutations were not looked at. */
  gap: pushGapSchema.nullable(),
});

// ---------------------------------------------------------------- pull

export const changeOpSchema = z.enum(['insert', 'update', 'delete']);

function changeOf<E extends EntityName, S extends z.ZodType>(entity: E, row: S) {
  return z.object({
    seq: seqSchema,
    idx: z.number().int().nonnegative(),
    entity: z.literal(entity),
    id: z.string(),
    /** 'delete' is a soft delete: the row comes with deleted_at set. */
    op: changeOpSchema,
    /** The full row after the change. */
    row,
  });
}

/** One committed change with the full row, typed per entity. */
export const changeSchema = z.discriminatedUnion('entity', [
  changeOf('fund', fundRow),
  changeOf('deal', dealRow),
  changeOf('allocation', allocationRow),
  changeOf('investor', investorRow),
  changeOf('commitment', commitmentRow),
  changeOf('capital_call', capitalCallRow),
  changeOf('capital_call_line', capitalCallLineRow),
  changeOf('payment', paymentRow),
  changeOf('contribution', contributionRow),
  changeOf('distribution', distributionRow),
  changeOf('nav_mark', navMarkRow),
  changeOf('index_level', indexLevelRow),
  changeOf('business_rules', businessRulesRow),
  changeOf('financial_statement', financialStatementRow),
  changeOf('covenant', covenantRow),
  changeOf('scorecard_methodology', scorecardMethodologyRow),
  changeOf('credit_analysis', creditAnalysisRow),
  changeOf('credit_comment', creditCommentRow),
]);

// Every synced entity has a change schema (fails to compile when an entity is added without one).
type _AllEntitiesCovered = [EntityName] extends [z.infer<typeof changeSchema>['entity']] ? true : never;
const _allEntitiesCovered: _AllEntitiesCovered = true;
void _allEntitiesCovered;

/** Query of GET /v1/sync/pull (numbers arrive as text). */
export const pullQuerySchema = z.strictObject({
  clientId: clientIdSchema,
  schemaVersion: z.coerce.number().pipe(schemaVersionSchema),
  /** Last seq the client has applied; 0 for a fresh client. */
  cursor: z.coerce.number().pipe(seqSchema),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(MAX_PULL_LIMIT)).default(DEFAULT_PULL_LIMIT),
});

export const pullChangesSchema = z.object({
  kind: z.literal('changes'),
  /**
   * Changes with cursor < seq ≤ the new cursor, ordered by (seq, idx). A page
   * never splits one seq (one mutation's changes arrive together), so a page
   * may exceed `limit` when a single mutation wrote more rows than that.
   */
  changes: z.array(changeSchema),
  /** Pass it back as `cursor` on the next pull. Never goes backwards. */
  cursor: seqSchema,
  /** More changes remain after this page: pull again at once. */
  hasMore: z.boolean(),
  /**
   * The client's last mutation id whose result is covered by this page
   * (seq ≤ cursor): its effects are in the changes up to the new cursor, so
   * pending local mutations up to this id can be dropped once the page is applied.
   */
  lastMutationId: seqSchema,
  /** This client's mutation results decided in (old cursor, new cursor], by mutation id. */
  results: z.array(mutationResultSchema),
});

export const pullResyncSchema = z.object({
  kind: z.literal('resync'),
  /** history_pruned: the cursor is older than the retained changes; cursor_ahead: newer than the server's history. */
  reason: z.enum(['history_pruned', 'cursor_ahead']),
  message: z.string(),
  /** Continue pulling from here once the snapshot is loaded. */
  cursor: seqSchema,
  /** Oldest cursor the change log can still serve. */
  minCursor: seqSchema,
  /** The client's last processed mutation id. */
  lastMutationId: seqSchema,
});

export const pullResponseSchema = z.discriminatedUnion('kind', [pullChangesSchema, pullResyncSchema]);

// ---------------------------------------------------------------- snapshot and results

export const snapshotQuerySchema = z.strictObject({
  clientId: clientIdSchema,
  schemaVersion: z.coerce.number().pipe(schemaVersionSchema),
  entity: entityNameSchema,
  /** Return rows with id > after (keyset paging); omit for the first page. */
  after: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(MAX_SNAPSHOT_LIMIT)).default(DEFAULT_SNAPSHOT_LIMIT),
});

export const snapshotResponseSchema = z.object({
  entity: entityNameSchema,
  /** Current rows, soft-deleted ones included, ordered by id. Validate each with ENTITY_SCHEMAS[entity]. */
  rows: z.array(z.record(z.string(), z.unknown())),
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: z.string().nullable(),
});

export const resultsQuerySchema = z.strictObject({
  clientId: clientIdSchema,
  schemaVersion: z.coerce.number().pipe(schemaVersionSchema),
  /** Results of mutations with id > after. */
  after: z.coerce.number().pipe(seqSchema).default(0),
  limit: z.coerce.number().pipe(z.number().int().min(1).max(MAX_PULL_LIMIT)).default(DEFAULT_PULL_LIMIT),
});

export const resultsResponseSchema = z.object({
  results: z.array(mutationResultSchema),
  lastMutationId: seqSchema,
});

export type PushMutation = z.infer<typeof pushMutationSchema>;
export type PushRequest = z.infer<typeof pushRequestSchema>;
export type PushResponse = z.infer<typeof pushResponseSchema>;
export type PushGap = z.infer<typeof pushGapSchema>;
export type RowVersion = z.infer<typeof rowVersionSchema>;
export type AppliedResult = z.infer<typeof appliedResultSchema>;
export type RejectedResult = z.infer<typeof rejectedResultSchema>;
export type MutationResult = z.infer<typeof mutationResultSchema>;
export type Change = z.infer<typeof changeSchema>;
export type PullQuery = z.input<typeof pullQuerySchema>;
export type PullChanges = z.infer<typeof pullChangesSchema>;
export type PullResync = z.infer<typeof pullResyncSchema>;
export type PullResponse = z.infer<typeof pullResponseSchema>;
export type SnapshotQuery = z.input<typeof snapshotQuerySchema>;
export type SnapshotResponse = z.infer<typeof snapshotResponseSchema>;
export type ResultsQuery = z.input<typeof resultsQuerySchema>;
export type ResultsResponse = z.infer<typeof resultsResponseSchema>;
