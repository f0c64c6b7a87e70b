/**
 * buildServer(options): the Fastify app over a prepared database — used by
 * server/main.ts and, with `inject`, by the tests. It migrates and
 * bootstraps the database, then registers every route with zod schemas from
 * shared/ (request validation, response serialisation and the OpenAPI
 * document at GET /v1/openapi.json all come from them).
 */
import { MAX_PUSH_BODY_BYTES } from '../shared/sync/protocol';
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { ServerDatabase } from '../db/postgres/connect';
import { DEFAULT_RULES, type BusinessRules } from '../shared/rules/business-rules';
import { registerAdminRoutes } from './admin/routes';
import { RulesCache } from './admin/rules';
import { registerAuditRoutes } from './audit/routes';
import { authenticate, bearerToken, roleForbidden } from './auth/guard';
import { FailureLimiter } from './auth/limiter';
import { DEFAULT_SCRYPT, type ScryptParams } from './auth/passwords';
import { registerAuthRoutes } from './auth/routes';
import { AccessTokens, RefreshTokens } from './auth/tokens';
import { bootstrap, type BootstrapReport } from './bootstrap';
import type { App, ServerDeps } from './deps';
import { errorHandler, HttpError, notFoundHandler } from './ops/errors';
import { registerHealthRoute } from './ops/health';
import { CORRELATION_HEADER, correlationId, createLogger } from './ops/logging';
import { ServerMetrics } from './ops/metrics';
import { registerSyncRoutes } from './sync/routes';

const PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };

export interface BuildServerOptions {
  /** From connectPostgres() or openPglite(). */
  database: ServerDatabase;
  /** Close the database when the server closes (default false: the caller owns it). */
  ownsDatabase?: boolean;
  /** Password of the first admin account (first start only); generated when absent. */
  adminPassword?: string;
  /** Rules of the first revision (first start only). Default DEFAULT_RULES. */
  initialRules?: BusinessRules | null;
  /** Token-signing secret (≥ 32 characters; the same on every instance). Default: generated once, kept in the database. */
  jwtSecret?: string;
  /** Access-token lifetime, seconds (default 900). */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime, seconds (default 30 days). */
  refreshTokenTtlSeconds?: number;
  /** scrypt cost for new password hashes (default DEFAULT_SCRYPT; tests lower it). */
  scrypt?: ScryptParams;
  logger?: { level?: string; stream?: DestinationStream };
  rateLimit?: {
    /** Requests per address per window on every route (default 1200 per minute). */
    max?: number;
    windowMs?: number;
    /** Sign-in attempts per address per login window (default 20). */
    loginPerAddress?: number;
    /** Failed sign-ins per user name per login window (default 10). */
    loginFailuresPerUser?: number;
    /** Login window, ms (default 15 minutes). */
    loginWindowMs?: number;
  };
  /** Bearer token Prometheus presents at GET /metrics; without it /metrics needs an admin's access token. */
  metricsToken?: string;
  /** Fastify trustProxy (behind a load balancer: its address or hop count). */
  trustProxy?: boolean | string | string[] | number;
  /** Body size limit of every route but push, bytes (default 256 KiB). */
  bodyLimit?: number;
  /** Body size limit of push, bytes (default 8 MiB). */
  pushBodyLimit?: number;
  /** Process metrics (event loop, memory) in /metrics (default true). */
  defaultMetrics?: boolean;
  /**
   * Serve from a read replica: no migrations and no first-start writes (the
   * primary's instances do those). Pull, snapshot, rules and audit reads work;
   * routes that write fail, so route them to the primary.
   */
  readOnly?: boolean;
  /**
   * More routes to register on the app before it is ready (e.g. the update
   * feed of server/updates): they get the app (error envelope, correlation
   * ids, metrics, rate limit and OpenAPI already in place) and the server's
   * services, e.g. `requireRole` guards over `deps.db` and `deps.tokens`.
   */
  register?: ReadonlyArray<(app: App, deps: ServerDeps) => void | Promise<void>>;
  /** Clock (tests). */
  now?: () => Date;
}

export interface MeridianServerInfo {
  bootstrap: BootstrapReport;
  deps: ServerDeps;
}

declare module 'fastify' {
  interface FastifyInstance {
    meridian: MeridianServerInfo;
  }
}

/** Trust the nearest `n` proxies (X-Forwarded-For hops). */
function trustHops(n: number) {
  return (_address: string, hop: number) => hop < n;
}

function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function buildServer(options: BuildServerOptions): Promise<App> {
  const now = options.now ?? (() => new Date());
  const scrypt = options.scrypt ?? DEFAULT_SCRYPT;
  if (options.jwtSecret !== undefined && options.jwtSecret.length < 32) throw new Error('the token-signing secret must be at least 32 characters');
  const db = options.database.db;

  const report = await bootstrap(db, {
    adminPassword: options.adminPassword,
    initialRules: options.initialRules ?? DEFAULT_RULES,
    rulesSource: options.initialRules ? 'environment' : 'defaults',
    jwtSecret: options.jwtSecret,
    scrypt,
    now,
    readOnly: options.readOnly ?? false,
  });

  const tokenSettings = {
    secret: report.jwtSecret,
    accessTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    refreshTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
    now,
  };
  const rl = options.rateLimit ?? {};
  const loginWindowMs = rl.loginWindowMs ?? 15 * 60_000;
  const deps: ServerDeps = {
    database: options.database,
    db,
    tokens: new AccessTokens(tokenSettings),
    refresh: new RefreshTokens(db, tokenSettings),
    rules: new RulesCache(),
    metrics: new ServerMetrics(() => options.database.poolStats(), { defaults: options.defaultMetrics ?? true }),
    scrypt,
    loginFailures: new FailureLimiter(rl.loginFailuresPerUser ?? 10, loginWindowMs, () => now().getTime()),
    now,
    settings: {
      loginPerAddressMax: rl.loginPerAddress ?? 20,
      loginWindowMs,
      pushBodyLimit: options.pushBodyLimit ?? MAX_PUSH_BODY_BYTES,
      metricsToken: options.metricsToken ?? null,
      appName: PACKAGE.name,
      appVersion: PACKAGE.version,
    },
  };

  const app = Fastify({
    loggerInstance: createLogger(options.logger),
    genReqId: correlationId,
    logController: new LogController({ requestIdLogLabel: 'correlationId' }),
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : (options.trustProxy ?? false),
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  app.decorate('meridian', { bootstrap: report, deps });
  app.decorateRequest('user', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // JSON only: any other body type is answered 415.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (req, reply) => {
    reply.header(CORRELATION_HEADER, req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.observeRequest(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  if (options.ownsDatabase) app.addHook('onClose', async () => options.database.close());

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Meridian server API', version: PACKAGE.version, description: 'Accounts, sync push/pull, audit and operations of the Meridian central server.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
  });

  await app.register(fastifyRateLimit, {
    global: true,
    max: rl.max ?? 1200,
    timeWindow: rl.windowMs ?? 60_000,
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(429, 'RATE_LIMITED', `Too many requests; retry in ${ctx.after}.`, { retryAfterMs: ctx.ttl }, undefined, {
        'retry-after': String(Math.ceil(ctx.ttl / 1000)),
      }),
  });

  registerHealthRoute(app, deps);
  registerAuthRoutes(app, deps);
  registerSyncRoutes(app, deps);
  registerAdminRoutes(app, deps);
  registerAuditRoutes(app, deps);

  for (const extra of options.register ?? []) await extra(app, deps);

  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/metrics', { schema: { hide: true } }, async (req: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(req);
    const viaToken = deps.settings.metricsToken !== null && token !== null && secretsEqual(token, deps.settings.metricsToken);
    if (!viaToken) {
      const user = await authenticate({ db, tokens: deps.tokens }, req);
      if (user.role !== 'admin') throw roleForbidden(user, 'admin', 'Reading metrics');
    }
    const text = await deps.metrics.text();
    return reply.type(deps.metrics.registry.contentType).send(text as never);
  });

  await app.ready();
  return app;
}

