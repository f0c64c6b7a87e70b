/**
 * The main-process logger: pino writing JSON lines into a rotating file
 * (./log-policy) in the OS log folder, and to stderr in development.
 * Secrets are redacted by key wherever they appear (passwords, tokens,
 * authorization headers); IPC payloads are never logged, only method names.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { DEFAULT_LOG_POLICY, rotationPlan, shouldRotate, validatePolicy, type LogRotationPolicy } from './log-policy';

export const REDACT_PATHS = [
  'password',
  '*.password',
  'refreshToken',
  '*.refreshToken',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'input',
  '*.input',
];

/** Appends lines to `dir/policy.fileName`, rotating by size. Synchronous: log lines are never lost on a crash. */
export class RotatingLogFile {
  readonly file: string;
  private size: number;

  constructor(
    readonly dir: string,
    readonly policy: LogRotationPolicy = DEFAULT_LOG_POLICY,
  ) {
    validatePolicy(policy);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, policy.fileName);
    try {
      this.size = fs.statSync(this.file).size;
    } catch {
      this.size = 0;
    }
  }

  write(chunk: string): void {
    const bytes = Buffer.byteLength(chunk);
    if (shouldRotate(this.size, bytes, this.policy)) this.rotate();
    fs.appendFileSync(this.file, chunk, { mode: 0o600 });
    this.size += bytes;
  }

  rotate(): void {
    const plan = rotationPlan(this.policy);
    fs.rmSync(path.join(this.dir, plan.remove), { force: true });
    for (const { from, to } of plan.renames) {
      try {
        fs.renameSync(path.join(this.dir, from), path.join(this.dir, to));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    this.size = 0;
  }
}

export function createMainLogger(dir: string, options: { level?: string; alsoStderr?: boolean; policy?: LogRotationPolicy } = {}): { logger: Logger; file: RotatingLogFile } {
  const file = new RotatingLogFile(dir, options.policy);
  const destination = {
    write(line: string) {
      try {
        file.write(line);
      } catch {
        // A full disk must not take the app down with it.
      }
      if (options.alsoStderr) process.stderr.write(line);
    },
  };
  const logger = pino({ level: options.level ?? 'info', base: { pid: process.pid }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
  return { logger, file };
}
