/**
 * `npm run server`: environment → database → server on HOST:PORT.
 * See server/config.ts for the variables and docs/server.md for the API.
 */
import { connectPostgres, openPglite, type ServerDatabase } from '../db/postgres/connect';
import { buildServer } from './app';
import { requireRole } from './auth/guard';
import { configFromEnv } from './config';
import { anyAuthorizer, bearerTokenAuthorizer, registerUpdateFeed } from './updates';

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const database: ServerDatabase = config.databaseUrl
    ? connectPostgres(config.databaseUrl, { max: config.poolMax })
    : await openPglite(config.dataDir);
  let app;
  try {
    app = await buildServer({
      database,
      ownsDatabase: true,
      adminPassword: config.adminPassword,
      initialRules: config.initialRules,
      jwtSecret: config.jwtSecret,
      metricsToken: config.metricsToken,
      trustProxy: config.trustProxy,
      logger: { level: config.logLevel },
      readOnly: config.readOnly,
      register: [
        (server, deps) =>
          registerUpdateFeed(server, {
            root: config.updatesDir,
            // Reads are public: an install whose sign-in expired must still get updates.
            authorizeUpload: anyAuthorizer(
              requireRole(deps, 'admin', 'Publishing a release'),
              ...(config.updatesToken ? [bearerTokenAuthorizer(config.updatesToken)] : []),
            ),
          }),
      ],
    });
  } catch (e) {
    await database.close();
    throw e;
  }
  const { bootstrap } = app.meridian;
  app.log.info({ database: database.description, migration: bootstrap.migration }, 'database ready');
  if (bootstrap.generatedAdminPassword) {
    // Shown once, on the terminal only (never through the logger).
    process.stderr.write(
      `\n  First start: created the account "admin" with the password\n\n      ${bootstrap.generatedAdminPassword}\n\n  It is not shown again. Sign in and change it (PATCH /v1/admin/users/:id).\n\n`,
    );
  }
  await app.listen({ host: config.host, port: config.port });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    try {
      await app.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error('meridian server failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
