/**
 * Server settings from the environment. Pure: tests call it with a map.
 *
 *   PORT (8787), HOST (127.0.0.1)
 *   DATABASE_URL            PostgreSQL; absent: embedded PGlite in MERIDIAN_SERVER_DATA
 *   MERIDIAN_SERVER_DATA    PGlite folder (default <MERIDIAN_HOME>/server/pgdata, else <repo>/.meridian/server/pgdata)
 *   DATABASE_POOL_MAX       pg pool size (10)
 *   MERIDIAN_ADMIN_PASSWORD first admin's password (first start; generated and printed once otherwise)
 *   MERIDIAN_JWT_SECRET     token-signing secret, ≥ 32 characters, the same on every instance
 *                           (absent: generated once and kept in the database)
 *   MERIDIAN_METRICS_TOKEN  bearer token for GET /metrics
 *   MERIDIAN_TRUST_PROXY    "true", a hop count, or comma-separated proxy addresses
 *   MERIDIAN_READ_ONLY      "true" on instances serving pull/audit reads from a read replica
 *   MERIDIAN_UPDATES_DIR    update feed folder (default: beside the PGlite folder, <…>/server/updates)
 *   MERIDIAN_UPDATES_TOKEN  bearer token (≥ 32 characters) that may publish releases (CI), besides admins
 *   LOG_LEVEL               pino level (info)
 *   MAX_ALLOCATION_PER_FUND, MAX_ALLOCATION_PER_DEAL, MIN_ALLOCATION_AMOUNT,
 *   MAX_FUND_UTILIZATION, REQUIRE_APPROVAL_THRESHOLD   first rules revision (DESIGN §3)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rulesFromEnv } from '../shared/rules/from-env';
import type { BusinessRules } from '../shared/rules/business-rules';

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  poolMax: number;
  adminPassword: string | undefined;
  jwtSecret: string | undefined;
  metricsToken: string | undefined;
  trustProxy: boolean | number | string[];
  logLevel: string;
  readOnly: boolean;
  initialRules: BusinessRules | null;
  updatesDir: string;
  updatesToken: string | undefined;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`${name}: "${v}" must be a whole number from ${min} to ${max}`);
  return n;
}

function trustProxy(v: string | undefined): boolean | number | string[] {
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

export function configFromEnv(env: Record<string, string | undefined>): ServerConfig {
  const home = env.MERIDIAN_HOME;
  const dataDir = env.MERIDIAN_SERVER_DATA || (home ? path.join(home, 'server', 'pgdata') : path.join(REPO_ROOT, '.meridian', 'server', 'pgdata'));
  const jwtSecret = env.MERIDIAN_JWT_SECRET || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new RangeError('MERIDIAN_JWT_SECRET must be at least 32 characters');
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8787, 0, 65535),
    databaseUrl: env.DATABASE_URL || null,
    dataDir,
    poolMax: int(env, 'DATABASE_POOL_MAX', 10, 1, 1000),
    adminPassword: env.MERIDIAN_ADMIN_PASSWORD || undefined,
    jwtSecret,
    metricsToken: env.MERIDIAN_METRICS_TOKEN || undefined,
    trustProxy: trustProxy(env.MERIDIAN_TRUST_PROXY),
    logLevel: env.LOG_LEVEL || 'info',
    readOnly: env.MERIDIAN_READ_ONLY === 'true' || env.MERIDIAN_READ_ONLY === '1',
    initialRules: rulesFromEnv(env),
    updatesDir: env.MERIDIAN_UPDATES_DIR || path.join(path.dirname(dataDir), 'updates'),
    updatesToken: env.MERIDIAN_UPDATES_TOKEN || undefined,
  };
}
