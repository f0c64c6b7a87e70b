/** What every route module gets: the database, the auth services and the server's settings. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/postgres/connect';
import type { ServerTables } from '../db/postgres/tables';
import type { RulesCache } from './admin/rules';
import type { FailureLimiter } from './auth/limiter';
import type { ScryptParams } from './auth/passwords';
import type { AccessTokens, RefreshTokens } from './auth/tokens';
import type { ServerMetrics } from './ops/metrics';

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface ServerDeps {
  database: ServerDatabase;
  db: Kysely<ServerTables>;
  tokens: AccessTokens;
  refresh: RefreshTokens;
  rules: RulesCache;
  metrics: ServerMetrics;
  scrypt: ScryptParams;
  loginFailures: FailureLimiter;
  now: () => Date;
  settings: {
    loginPerAddressMax: number;
    loginWindowMs: number;
    pushBodyLimit: number;
    metricsToken: string | null;
    appName: string;
    appVersion: string;
  };
}
