// SyncScheduler with a scripted client and fake timers: start, debounce,
// periodic, connectivity, one cycle at a time, backoff with jitter,
// blocked states, pause/resume.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, SyncScheduler, type SyncClient, type SyncReport } from '../../electron/core/sync';
import { SyncTransportError } from '../../electron/core/sync/transport';

const REPORT: SyncReport = { pushed: 0, pulledRows: 0, pages: 1, acknowledged: 0, rejected: [], refusedLocally: 0, resynced: false, cursor: 0, durationMs: 1 };

/** A client whose cycles take `ms` and fail while `failWith` is set. */
function fakeClient(ms = 100) {
  const state = { calls: 0, running: 0, maxRunning: 0, failWith: null as Error | null };
  const client = {
    async syncOnce() {
      state.calls++;
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      await new Promise((r) => setTimeout(r, ms));
      state.running--;
      if (state.failWith) throw state.failWith;
      return REPORT;
    },
  };
  return { client: client as unknown as SyncClient, state };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const offline = () => new SyncTransportError('offline', 'Cannot reach the server.');

describe('SyncScheduler', () => {
  it('syncs on start, then periodically', async () => {
    const { client, state } = fakeClient();
    const s = new SyncScheduler(client, { intervalMs: 10_000 });
    s.start();
    await vi.advanceTimersByTimeAsync(150);
    expect(state.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(10_100);
    expect(state.calls).toBe(3);
    s.stop();
  });

  it('debounces local changes and never runs two cycles at once', async () => {
    const { client, state } = fakeClient(500);
    const s = new SyncScheduler(client, { debounceMs: 1000, intervalMs: 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(600);
    expect(state.calls).toBe(1);
    for (let i = 0; i < 5; i++) {
      s.notifyLocalChange();
      await vi.advanceTimersByTimeAsync(300);
    }
    expect(state.calls).toBe(1); // still typing
    await vi.advanceTimersByTimeAsync(1000);
    expect(state.calls).toBe(2);
    // Triggers during a cycle run one more cycle after it, not a parallel one.
    s.notifyConnectivity(true);
    s.notifyConnectivity(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.maxRunning).toBe(1);
    expect(state.calls).toBeLessThanOrEqual(4);
    s.stop();
  });

  it('backs off exponentially with jitter, and retries at once when connectivity returns', async () => {
    const { client, state } = fakeClient(10);
    state.failWith = offline();
    const planned: number[] = [];
    const s = new SyncScheduler(client, { intervalMs: 0, backoff: { baseMs: 1000, maxMs: 8000, jitter: 0.5 }, random: () => 0.5 });
    s.on('scheduled', (e) => {
      if (e.reason === 'retry' && e.at !== null) planned.push(e.at - Date.now());
    });
    s.start();
    await vi.advanceTimersByTimeAsync(20);
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(10_000);
    // 1000·2^(n−1) capped at 8000, times (0.5 + 0.5·0.5)
    expect(planned.slice(0, 5)).toEqual([750, 1500, 3000, 6000, 6000]);
    expect(s.consecutiveFailures).toBeGreaterThanOrEqual(5);
    state.failWith = null;
    const before = state.calls;
    s.notifyConnectivity(true);
    await vi.advanceTimersByTimeAsync(20);
    expect(state.calls).toBe(before + 1);
    expect(s.consecutiveFailures).toBe(0);
    s.stop();
  });

  it('honours Retry-After when it is longer than the backoff', async () => {
    const { client, state } = fakeClient(10);
    state.failWith = new SyncTransportError('server', 'restarting', { status: 503, retryAfterMs: 30_000 });
    const s = new SyncScheduler(client, { intervalMs: 0, backoff: { baseMs: 1000 }, random: () => 0 });
    s.start();
    await vi.advanceTimersByTimeAsync(20);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(state.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(state.calls).toBe(2);
    s.stop();
  });

  it('stops automatic attempts when the user must act (sign-in, update) until resumed', async () => {
    const { client, state } = fakeClient(10);
    state.failWith = new SyncTransportError('unauthenticated', 'Sign in again.');
    const s = new SyncScheduler(client, { intervalMs: 1000 });
    s.start();
    await vi.advanceTimersByTimeAsync(20);
    expect(s.isBlocked).toBe(true);
    s.notifyLocalChange();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(state.calls).toBe(1);
    state.failWith = null;
    s.resume();
    await vi.advanceTimersByTimeAsync(20);
    expect(state.calls).toBe(2);
    expect(s.isBlocked).toBe(false);
    s.stop();
  });

  it('pause stops cycles; resume and syncNow run them', async () => {
    const { client, state } = fakeClient(10);
    const s = new SyncScheduler(client, { intervalMs: 1000, debounceMs: 100 });
    s.start();
    await vi.advanceTimersByTimeAsync(20);
    s.pause();
    s.notifyLocalChange();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.calls).toBe(1);
    const report = s.syncNow();
    await vi.advanceTimersByTimeAsync(20);
    expect(await report).toBe(REPORT);
    expect(state.calls).toBe(2);
    s.resume();
    await vi.advanceTimersByTimeAsync(20);
    expect(state.calls).toBe(3);
    s.stop();
  });

  it('backoffDelay stays within [exp·(1−jitter), exp]', () => {
    const o = { baseMs: 2000, maxMs: 300_000, jitter: 0.5 };
    for (let n = 1; n < 20; n++) {
      const exp = Math.min(o.maxMs, o.baseMs * 2 ** (n - 1));
      expect(backoffDelay(n, o, () => 0)).toBe(exp / 2);
      expect(backoffDelay(n, o, () => 0.999999)).toBeLessThanOrEqual(exp);
    }
  });
});
