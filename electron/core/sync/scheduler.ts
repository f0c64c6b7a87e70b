/**
 * Runs the sync client in the background: at start, shortly after local
 * changes (debounced), periodically, and when connectivity returns. One
 * cycle at a time — a trigger during a cycle runs one more cycle after it.
 * Failures back off exponentially with jitter; a failure the user must fix
 * (sign in again, update the app) stops the automatic attempts until
 * `resume()` or `syncNow()`. Pause/resume for metered networks or
 * presentations. Status comes from the client's events, plus the
 * scheduler's own 'scheduled' event.
 */
import { EventEmitter } from 'node:events';
import type { SyncClient, SyncReport } from './sync-client';
import { isSyncTransportError } from './transport';

export interface BackoffOptions {
  /** First retry delay, ms (default 2 s). */
  baseMs?: number;
  /** Longest delay, ms (default 5 min). */
  maxMs?: number;
  /** Fraction of the delay that is random (0–1, default 0.5: "equal jitter"). */
  jitter?: number;
}

export interface SyncSchedulerOptions {
  /** Delay after the last local change, ms (default 1.5 s). */
  debounceMs?: number;
  /** Periodic sync, ms (default 60 s; 0 = off). */
  intervalMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

export type ScheduleReason = 'start' | 'local-change' | 'periodic' | 'online' | 'retry' | 'manual' | 'again';

interface SchedulerEvents {
  /** The next automatic cycle and why (null: none planned). */
  scheduled: [{ at: number | null; reason: ScheduleReason | null; failures: number }];
  cycle: [{ reason: ScheduleReason; ok: boolean; report?: SyncReport; error?: Error }];
}

/** Delay before retry number `failures` (1-based): min(max, base·2^(n−1)), the jitter fraction random. */
export function backoffDelay(failures: number, o: Required<BackoffOptions>, random: () => number): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (1 - o.jitter) + exp * o.jitter * random());
}

export class SyncScheduler extends EventEmitter<SchedulerEvents> {
  private readonly debounceMs: number;
  private readonly intervalMs: number;
  private readonly backoff: Required<BackoffOptions>;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | null = null;
  private plannedAt: number | null = null;
  private plannedReason: ScheduleReason | null = null;
  private started = false;
  private paused = false;
  /** A failure only the user can fix (sign-in, update): no automatic attempts. */
  private blocked = false;
  private failures = 0;
  private cycle: Promise<void> | null = null;
  private again: ScheduleReason | null = null;

  constructor(
    readonly client: SyncClient,
    options: SyncSchedulerOptions = {},
  ) {
    super();
    this.debounceMs = options.debounceMs ?? 1500;
    this.intervalMs = options.intervalMs ?? 60_000;
    this.backoff = { baseMs: options.backoff?.baseMs ?? 2000, maxMs: options.backoff?.maxMs ?? 300_000, jitter: Math.min(1, Math.max(0, options.backoff?.jitter ?? 0.5)) };
    this.random = options.random ?? Math.random;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isBlocked(): boolean {
    return this.blocked;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.trigger('start');
  }

  stop(): void {
    this.started = false;
    this.clear();
  }

  /** Stops automatic cycles (a cycle under way finishes). */
  pause(): void {
    this.paused = true;
    this.clear();
  }

  resume(): void {
    this.paused = false;
    this.blocked = false;
    if (this.started) this.trigger('manual');
  }

  /** Call after every local mutation: syncs once changes stop for `debounceMs`. */
  notifyLocalChange(): void {
    if (!this.canRun() || this.failures > 0) return; // while backing off, the retry will carry the change
    this.plan(this.debounceMs, 'local-change', true);
  }

  /** Call with the OS connectivity (Electron's net.isOnline / 'online' events). */
  notifyConnectivity(online: boolean): void {
    if (!online) return;
    this.failures = 0;
    if (this.canRun()) this.trigger('online');
  }

  /** Runs a cycle now (even when paused or blocked) and resolves when it ends. */
  async syncNow(): Promise<SyncReport> {
    this.blocked = false;
    this.clear();
    if (this.cycle) await this.cycle;
    const report = await this.client.syncOnce();
    this.failures = 0;
    this.planPeriodic();
    return report;
  }

  private canRun(): boolean {
    return this.started && !this.paused && !this.blocked;
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.plannedAt = null;
    this.plannedReason = null;
  }

  /** Plans a cycle in `ms`; an earlier plan wins unless `replace` (debounce). */
  private plan(ms: number, reason: ScheduleReason, replace = false): void {
    const at = Date.now() + ms;
    if (this.timer && !replace && this.plannedAt !== null && this.plannedAt <= at) return;
    this.clear();
    this.plannedAt = at;
    this.plannedReason = reason;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.plannedAt = null;
      this.trigger(reason);
    }, ms);
    this.timer.unref?.();
    this.emit('scheduled', { at, reason, failures: this.failures });
  }

  private planPeriodic(): void {
    if (this.canRun() && this.intervalMs > 0) this.plan(this.intervalMs, 'periodic');
  }

  private trigger(reason: ScheduleReason): void {
    if (!this.canRun()) return;
    if (this.cycle) {
      this.again = reason;
      return;
    }
    this.clear();
    this.cycle = this.runCycle(reason).finally(() => {
      this.cycle = null;
      const again = this.again;
      this.again = null;
      if (again && this.canRun() && this.failures === 0) this.trigger('again');
    });
  }

  private async runCycle(reason: ScheduleReason): Promise<void> {
    try {
      const report = await this.client.syncOnce();
      this.failures = 0;
      this.emit('cycle', { reason, ok: true, report });
      this.planPeriodic();
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.emit('cycle', { reason, ok: false, error });
      if (isSyncTransportError(e) && (e.kind === 'unauthenticated' || e.kind === 'client_too_old')) {
        this.blocked = true;
        this.clear();
        this.emit('scheduled', { at: null, reason: null, failures: this.failures });
        return;
      }
      this.failures++;
      let delay = backoffDelay(this.failures, this.backoff, this.random);
      if (isSyncTransportError(e) && e.extra.retryAfterMs !== undefined) delay = Math.max(delay, e.extra.retryAfterMs);
      if (this.canRun()) this.plan(delay, 'retry', true);
    }
  }
}
