/**
 * Long operations (imports, exports, reports) run as jobs: they report
 * progress (done / total) and can be cancelled through an AbortSignal.
 */
import { EventEmitter } from 'node:events';
import { newId } from '../../shared/ids';
import { MeridianError } from '../../shared/errors';
import type { JobProgressEvent } from '../../shared/api/contract';

/** Progress events are the contract's (shared/api). */
export type JobProgress = JobProgressEvent;

export interface JobHandle<T> {
  id: string;
  kind: string;
  cancel(): void;
  result: Promise<T>;
}

export type JobBody<T> = (signal: AbortSignal, progress: (done: number, total: number | null) => void) => Promise<T>;

export class JobRunner extends EventEmitter<{ progress: [JobProgress] }> {
  private readonly running = new Map<string, AbortController>();

  start<T>(kind: string, body: JobBody<T>): JobHandle<T> {
    const id = newId();
    const controller = new AbortController();
    this.running.set(id, controller);
    let last = 0;
    const emit = (p: Omit<JobProgress, 'jobId' | 'kind'>) => this.emit('progress', { jobId: id, kind, ...p });
    const progress = (done: number, total: number | null) => {
      const t = Date.now();
      if (t - last < 50 && done !== total) return; // at most ~20 events a second
      last = t;
      emit({ done, total, state: 'running' });
    };
    const result = (async () => {
      try {
        const value = await body(controller.signal, progress);
        emit({ done: 1, total: 1, state: 'done' });
        return value;
      } catch (e) {
        const cancelled = controller.signal.aborted || (e instanceof MeridianError && e.code === 'CANCELLED');
        emit({ done: 0, total: null, state: cancelled ? 'cancelled' : 'failed', message: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        this.running.delete(id);
      }
    })();
    return { id, kind, cancel: () => controller.abort(), result };
  }

  cancel(jobId: string): boolean {
    const c = this.running.get(jobId);
    c?.abort();
    return c !== undefined;
  }
}

/** Throws CANCELLED when the signal has fired; call between batches. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new MeridianError('CANCELLED', 'The operation was cancelled; nothing was changed.');
}
