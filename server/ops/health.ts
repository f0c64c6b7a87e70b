/** GET /v1/health (no token): database reachability, migration version, app version. 503 when the database is down. */
import { sql } from 'kysely';
import { PG_SCHEMA_VERSION } from '../../db/postgres/migrations';
import { healthSchema, type Health } from '../../shared/sync/api';
import type { App, ServerDeps } from '../deps';

const TIMEOUT_MS = 2000;

export function registerHealthRoute(app: App, deps: ServerDeps): void {
  app.get(
    '/v1/health',
    {
      config: { rateLimit: false },
      schema: { tags: ['operations'], summary: 'Health: database, migrations, version', response: { 200: healthSchema, 503: healthSchema } },
    },
    async (_req, reply) => {
      const started = performance.now();
      let version: number | null = null;
      let reachable = false;
      let timer: NodeJS.Timeout | undefined;
      try {
        const probe = sql<{ v: number | null }>`select max(version) as v from schema_migration`.execute(deps.db);
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('health probe timed out')), TIMEOUT_MS);
        });
        const r = await Promise.race([probe, timeout]);
        version = r.rows[0]?.v ?? 0;
        reachable = true;
      } catch (e) {
        reply.log.warn({ err: e }, 'health: database unreachable');
      } finally {
        clearTimeout(timer);
      }
      const body: Health = {
        // A newer schema (a newer instance migrated during a rolling deploy) still serves; an older one does not.
        status: reachable && version !== null && version >= PG_SCHEMA_VERSION ? 'ok' : 'unavailable',
        database: { reachable, kind: deps.database.kind, latencyMs: reachable ? Math.round((performance.now() - started) * 100) / 100 : null },
        migration: { version, latest: PG_SCHEMA_VERSION },
        app: { name: deps.settings.appName, version: deps.settings.appVersion },
      };
      return reply.status(body.status === 'ok' ? 200 : 503).send(body);
    },
  );
}
