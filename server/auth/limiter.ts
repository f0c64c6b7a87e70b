/**
 * Failed-login limiter per user name (the per-address limit is
 * @fastify/rate-limit on the route). In memory, per instance: behind a load
 * balancer with N instances an attacker gets at most N × max attempts per
 * window, which still defeats online guessing.
 */
export class FailureLimiter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds to wait when `key` has used up its failures, else 0. */
  blockedFor(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const t = this.now();
    if (t >= e.resetAt) {
      this.entries.delete(key);
      return 0;
    }
    return e.count >= this.max ? Math.ceil((e.resetAt - t) / 1000) : 0;
  }

  fail(key: string): void {
    const t = this.now();
    const e = this.entries.get(key);
    if (!e || t >= e.resetAt) this.entries.set(key, { count: 1, resetAt: t + this.windowMs });
    else e.count++;
    if (this.entries.size > 50_000) this.prune(t);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private prune(t: number): void {
    for (const [k, e] of this.entries) if (t >= e.resetAt) this.entries.delete(k);
  }
}
