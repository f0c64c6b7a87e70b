/**
 * The sync protocol over HTTP (global fetch), with the bearer access token of
 * an AuthSession: a 401 refreshes once and retries; a second 401 asks for a
 * new sign-in. Answers are validated against the shared wire schemas — pull
 * pages with a fast structural check of each change (the hot path; the
 * SQLite tables are STRICT and enforce column types), or fully with zod when
 * `strict` is set.
 */
import {
  mutationResultSchema,
  pullResyncSchema,
  pushResponseSchema,
  resultsResponseSchema,
  snapshotResponseSchema,
  changeSchema,
  type Change,
  type MutationResult,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type ResultsResponse,
  type SnapshotResponse,
} from '../../../shared/sync/protocol';
import type { z } from 'zod';
import { errorFromResponse, sendJson, type AuthSession, type FetchLike } from './auth-session';
import { isEntityName } from './rows';
import { SyncTransportError, type PullRequest, type ResultsRequest, type SnapshotRequest, type SyncTransport } from './transport';

export interface HttpTransportOptions {
  session: AuthSession;
  fetch?: FetchLike;
  /** Per-request timeout, ms (default 60 s). */
  timeoutMs?: number;
  /** Validate every pulled change with zod (slower; tests). */
  strict?: boolean;
}

function protocolError(what: string, detail: string): SyncTransportError {
  return new SyncTransportError('protocol', `The server's ${what} answer does not match the sync protocol (${detail}).`);
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw protocolError(what, r.error.issues[0]?.message ?? 'invalid');
  return r.data;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * A mutation result, checked by hand (hundreds arrive after a big push). A
 * rejection's code is taken as any string: a newer server may refuse with a
 * code this version does not know, and the inbox must still show it.
 */
function checkResult(r: unknown, what: string, strict: boolean): MutationResult {
  if (strict) return parseWith(mutationResultSchema, r, what);
  const o = r as Record<string, unknown> | null;
  if (!o || !isInt(o.id) || o.id <= 0 || typeof o.name !== 'string' || !isInt(o.seq)) throw protocolError(what, 'result');
  if (o.status === 'applied' && Array.isArray(o.versions)) {
    for (const v of o.versions as Record<string, unknown>[]) {
      if (!v || !isEntityName(v.entity) || typeof v.id !== 'string' || !isInt(v.version)) throw protocolError(what, 'result versions');
    }
    return o as unknown as MutationResult;
  }
  const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
  if (o.status === 'rejected' && typeof o.code === 'string' && typeof o.message === 'string' && Array.isArray(o.problems) && isObject(o.details)) {
    return o as unknown as MutationResult;
  }
  throw protocolError(what, `result ${String(o.id)}`);
}

/** Structural check of a push answer (its results can number hundreds). */
export function checkPushResponse(body: unknown, strict = false): PushResponse {
  if (strict) return parseWith(pushResponseSchema, body, 'push');
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b.clientId !== 'string' || !isInt(b.lastMutationId) || !Array.isArray(b.results)) throw protocolError('push', 'clientId, lastMutationId or results');
  const gap = b.gap === null || b.gap === undefined ? null : parseWith(pushResponseSchema.shape.gap, b.gap, 'push');
  return { clientId: b.clientId, lastMutationId: b.lastMutationId, results: (b.results as unknown[]).map((r) => checkResult(r, 'push', false)), gap };
}

/** Structural check of a pull page: cheap per change; results fully validated. */
export function checkPullPage(body: unknown, strict = false): PullResponse {
  if (!body || typeof body !== 'object') throw protocolError('pull', 'not an object');
  const b = body as Record<string, unknown>;
  if (b.kind === 'resync') return parseWith(pullResyncSchema, body, 'pull');
  if (b.kind !== 'changes') throw protocolError('pull', `unknown kind ${String(b.kind)}`);
  if (!isInt(b.cursor) || !isInt(b.lastMutationId) || typeof b.hasMore !== 'boolean') throw protocolError('pull', 'cursor, lastMutationId or hasMore');
  if (!Array.isArray(b.changes) || !Array.isArray(b.results)) throw protocolError('pull', 'changes or results');
  const changes = b.changes as unknown[];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as Record<string, unknown> | null;
    if (strict) {
      parseWith(changeSchema, c, 'pull');
      continue;
    }
    const row = c?.row as Record<string, unknown> | null | undefined;
    if (!c || !isInt(c.seq) || !isEntityName(c.entity) || typeof c.id !== 'string' || !row || typeof row !== 'object' || row.id !== c.id) {
      throw protocolError('pull', `change ${i}`);
    }
    if (c.seq > b.cursor) throw protocolError('pull', `change ${i} is beyond the page's cursor`);
  }
  const results: MutationResult[] = (b.results as unknown[]).map((r) => checkResult(r, 'pull', strict));
  return { kind: 'changes', changes: changes as Change[], cursor: b.cursor, hasMore: b.hasMore, lastMutationId: b.lastMutationId, results };
}

export class HttpTransport implements SyncTransport {
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpTransportOptions) {
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const session = this.options.session;
    const url = `${session.serverUrl}${path}`;
    let token = await session.accessToken();
    for (let attempt = 0; ; attempt++) {
      const r = await sendJson(this.fetchFn, url, { method, body, headers: { authorization: `Bearer ${token}` }, timeoutMs: this.timeoutMs, idempotent: true });
      if (r.status === 401 && attempt === 0) {
        token = await session.afterUnauthorized(token);
        continue;
      }
      if (r.status < 200 || r.status >= 300) throw errorFromResponse(r.status, r.text, r.headers);
      try {
        return JSON.parse(r.text) as unknown;
      } catch {
        throw protocolError(path, 'not JSON');
      }
    }
  }

  async push(req: PushRequest): Promise<PushResponse> {
    return checkPushResponse(await this.request('POST', '/v1/sync/push', req), this.options.strict);
  }

  async pull(req: PullRequest): Promise<PullResponse> {
    const q = new URLSearchParams({ clientId: req.clientId, schemaVersion: String(req.schemaVersion), cursor: String(req.cursor), limit: String(req.limit) });
    return checkPullPage(await this.request('GET', `/v1/sync/pull?${q}`), this.options.strict);
  }

  async snapshot(req: SnapshotRequest): Promise<SnapshotResponse> {
    const q = new URLSearchParams({ clientId: req.clientId, schemaVersion: String(req.schemaVersion), entity: req.entity, limit: String(req.limit) });
    if (req.after !== undefined) q.set('after', req.after);
    return parseWith(snapshotResponseSchema, await this.request('GET', `/v1/sync/snapshot?${q}`), 'snapshot');
  }

  async results(req: ResultsRequest): Promise<ResultsResponse> {
    const q = new URLSearchParams({ clientId: req.clientId, schemaVersion: String(req.schemaVersion), after: String(req.after), limit: String(req.limit) });
    return parseWith(resultsResponseSchema, await this.request('GET', `/v1/sync/results?${q}`), 'results');
  }
}
