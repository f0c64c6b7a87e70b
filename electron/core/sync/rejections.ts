/**
 * The rejection inbox (DESIGN §5): every mutation the server refused, with
 * its code, message and problems, until the analyst discards it or edits
 * and resubmits it as a new mutation. Nothing is removed: a discarded or
 * resubmitted entry keeps its record (status and when).
 */
import { EventEmitter } from 'node:events';
import type { LocalDatabase } from '../../../db/sqlite/open';
import type { RejectionStatus } from '../../../db/sqlite/local-tables';
import { MeridianError, type Problem } from '../../../shared/errors';
import { isMutationName, type Actor } from '../../../shared/mutators';
import { applyLocalMutation, type LocalMutationResult } from '../local-mutations';
import { entityOfMutation, type WriteLockLike } from './local-store';

export interface RejectionView {
  /** The local mutation id (the inbox key). */
  id: number;
  name: string;
  args: Record<string, unknown>;
  createdAt: string;
  rejectedAt: string;
  serverSeq: number;
  code: string;
  message: string;
  problems: Problem[];
  details: Record<string, unknown>;
  status: RejectionStatus;
  resolvedAt: string | null;
  resubmittedAs: number | null;
}

interface Row {
  mutation_id: number;
  name: string;
  args: string;
  created_at: string;
  rejected_at: string;
  server_seq: number;
  code: string;
  message: string;
  problems: string;
  details: string;
  status: RejectionStatus;
  resolved_at: string | null;
  resubmitted_as: number | null;
}

function view(r: Row): RejectionView {
  return {
    id: r.mutation_id,
    name: r.name,
    args: JSON.parse(r.args) as Record<string, unknown>,
    createdAt: r.created_at,
    rejectedAt: r.rejected_at,
    serverSeq: r.server_seq,
    code: r.code,
    message: r.message,
    problems: JSON.parse(r.problems) as Problem[],
    details: JSON.parse(r.details) as Record<string, unknown>,
    status: r.status,
    resolvedAt: r.resolved_at,
    resubmittedAs: r.resubmitted_as,
  };
}

export interface ResubmitOptions {
  /** The edited arguments (default: the original ones). */
  args?: Record<string, unknown>;
  /**
   * For edits of an existing record (arguments with `id` and
   * `expectedVersion`): base the new mutation on the version the record has
   * now locally, i.e. "apply my change to the current record" (default false).
   */
  useCurrentVersion?: boolean;
}

export class RejectionInbox extends EventEmitter<{ changed: [] }> {
  constructor(
    private readonly db: LocalDatabase,
    private readonly actor: () => Actor,
    private readonly clock: () => Date = () => new Date(),
    private readonly writeLock?: WriteLockLike,
  ) {
    super();
  }

  /** Open rejections (default), or every one ever recorded. */
  list(options: { all?: boolean } = {}): RejectionView[] {
    const sql = options.all ? 'SELECT * FROM rejection ORDER BY mutation_id' : "SELECT * FROM rejection WHERE status = 'open' ORDER BY mutation_id";
    return this.db.raw.prepare<[], Row>(sql).all().map(view);
  }

  get(id: number): RejectionView {
    const r = this.db.raw.prepare<[number], Row>('SELECT * FROM rejection WHERE mutation_id = ?').get(id);
    if (!r) throw new MeridianError('NOT_FOUND', `There is no rejection ${id}.`, { id });
    return view(r);
  }

  private requireOpen(id: number): RejectionView {
    const r = this.get(id);
    if (r.status !== 'open') throw new MeridianError('INVALID_STATUS_TRANSITION', `Rejection ${id} was already ${r.status}.`, { id, status: r.status });
    return r;
  }

  /** Marks a rejection as seen and dropped on purpose. */
  discard(id: number): RejectionView {
    this.requireOpen(id);
    this.db.raw.prepare("UPDATE rejection SET status = 'discarded', resolved_at = ? WHERE mutation_id = ?").run(this.clock().toISOString(), id);
    this.emit('changed');
    return this.get(id);
  }

  /**
   * Applies the rejected mutation again, with edited arguments, as a NEW
   * local mutation (new id, optimistic, queued for the server); the
   * rejection is marked resubmitted in the same transaction.
   */
  async resubmit(id: number, options: ResubmitOptions = {}): Promise<LocalMutationResult> {
    const r = this.requireOpen(id);
    if (!isMutationName(r.name)) throw new MeridianError('UNKNOWN_MUTATION', `Rejection ${id} is for "${r.name}", which this app does not know.`, { name: r.name });
    const args: Record<string, unknown> = { ...(options.args ?? r.args) };
    if (options.useCurrentVersion && typeof args.id === 'string' && typeof args.expectedVersion === 'number') {
      const entity = entityOfMutation(r.name);
      const row = this.db.raw.prepare<[string], { version: number }>(`SELECT version FROM "${entity}" WHERE id = ? AND deleted_at IS NULL`).get(args.id);
      if (!row) throw new MeridianError('NOT_FOUND', `The ${entity.replace(/_/g, ' ')} ${args.id} no longer exists.`, { id: args.id });
      args.expectedVersion = row.version;
    }
    const apply = () =>
      applyLocalMutation(this.db, this.actor(), r.name, args, this.clock().toISOString(), {
        resubmits: id,
        afterWrite: (mutationId) => {
          this.db.raw
            .prepare("UPDATE rejection SET status = 'resubmitted', resolved_at = ?, resubmitted_as = ? WHERE mutation_id = ? AND status = 'open'")
            .run(this.clock().toISOString(), mutationId, id);
        },
      });
    const result = await (this.writeLock ? this.writeLock.run(apply) : apply());
    this.emit('changed');
    return result;
  }

  counts(): Record<RejectionStatus, number> {
    const out: Record<RejectionStatus, number> = { open: 0, discarded: 0, resubmitted: 0 };
    for (const r of this.db.raw.prepare<[], { status: RejectionStatus; n: number }>('SELECT status, count(*) AS n FROM rejection GROUP BY status').all()) out[r.status] = r.n;
    return out;
  }
}
