/**
 * Prometheus metrics (prom-client), one registry per server instance:
 * request latency by route, mutations applied/rejected by name, database
 * pool usage, and the process defaults.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../../db/postgres/connect';
import { isMutationName } from '../../shared/mutators/registry';

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status_code'>;
  private readonly mutations: Counter<'name' | 'status'>;

  constructor(poolStats: () => PoolStats, options: { defaults?: boolean } = {}) {
    if (options.defaults ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'meridian_' });
    this.http = new Histogram({
      name: 'meridian_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.mutations = new Counter({
      name: 'meridian_mutations_total',
      help: 'Pushed mutations decided, by mutation name and outcome (applied, rejected, duplicate)',
      labelNames: ['name', 'status'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'meridian_db_pool_connections',
      help: 'Database pool connections by state (total, idle, waiting callers, max)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const s = poolStats();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
        this.set({ state: 'max' }, s.max);
      },
    });
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.http.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  mutation(name: string, status: 'applied' | 'rejected' | 'duplicate'): void {
    this.mutations.inc({ name: isMutationName(name) ? name : 'unknown', status });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
