import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMainLogger, RotatingLogFile } from '../../electron/main/log-file';
import { DEFAULT_LOG_POLICY, generationName, rotationPlan, shouldRotate, validatePolicy } from '../../electron/main/log-policy';
import { tempDir } from '../helpers/temp';

describe('log rotation policy', () => {
  const p = { fileName: 'main.log', maxBytes: 1024, maxFiles: 3 };

  it('keeps at most maxFiles files of maxBytes each by default 5 × 5 MiB', () => {
    expect(DEFAULT_LOG_POLICY).toEqual({ fileName: 'main.log', maxBytes: 5 * 1024 * 1024, maxFiles: 5 });
  });

  it('rotates before a write would pass the limit, never for an empty file', () => {
    expect(shouldRotate(0, 10_000, p)).toBe(false);
    expect(shouldRotate(1000, 24, p)).toBe(false);
    expect(shouldRotate(1000, 25, p)).toBe(true);
  });

  it('renames oldest first and drops the generation beyond maxFiles', () => {
    expect(generationName(p, 0)).toBe('main.log');
    expect(generationName(p, 2)).toBe('main.2.log');
    expect(rotationPlan(p)).toEqual({
      remove: 'main.2.log',
      renames: [
        { from: 'main.1.log', to: 'main.2.log' },
        { from: 'main.log', to: 'main.1.log' },
      ],
    });
    expect(rotationPlan({ ...p, maxFiles: 1 })).toEqual({ remove: 'main.log', renames: [] });
  });

  it('refuses unsafe or silly policies', () => {
    expect(() => validatePolicy({ ...p, fileName: '../main.log' })).toThrow();
    expect(() => validatePolicy({ ...p, maxBytes: 10 })).toThrow();
    expect(() => validatePolicy({ ...p, maxFiles: 0 })).toThrow();
  });
});

describe('rotating log file', () => {
  it('never holds more than maxFiles × maxBytes', () => {
    const dir = tempDir('meridian-logs-');
    const log = new RotatingLogFile(dir, { fileName: 'main.log', maxBytes: 1024, maxFiles: 3 });
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 100; i++) log.write(line);
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(1024);
  });

  it('continues an existing file after a restart', () => {
    const dir = tempDir('meridian-logs-');
    fs.writeFileSync(path.join(dir, 'main.log'), 'a'.repeat(1000));
    const log = new RotatingLogFile(dir, { fileName: 'main.log', maxBytes: 1024, maxFiles: 2 });
    log.write('b'.repeat(100));
    expect(fs.readFileSync(path.join(dir, 'main.1.log'), 'utf8')).toBe('a'.repeat(1000));
    expect(fs.readFileSync(path.join(dir, 'main.log'), 'utf8')).toBe('b'.repeat(100));
  });

  it('logs JSON lines with secrets redacted', () => {
    const dir = tempDir('meridian-logs-');
    const { logger, file } = createMainLogger(dir);
    logger.info({ user: 'ana', password: 'hunter2', refreshToken: 'rt', input: { password: 'p2' }, headers: { authorization: 'Bearer x' } }, 'sign-in');
    const text = fs.readFileSync(file.file, 'utf8');
    const entry = JSON.parse(text.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(entry.msg).toBe('sign-in');
    expect(entry.user).toBe('ana');
    expect(text).not.toMatch(/hunter2|"rt"|p2|Bearer x/);
  });
});
