/**
 * Main-process log rotation (pure). The log lives in the OS log folder
 * (app.getPath('logs'): ~/Library/Logs/Meridian, %APPDATA%\Meridian\logs,
 * ~/.config/Meridian/logs) as main.log; when a write would take it past
 * maxBytes it becomes main.1.log, main.1.log becomes main.2.log, … and the
 * oldest beyond maxFiles is deleted. At most maxFiles × maxBytes on disk.
 */
export interface LogRotationPolicy {
  /** Current file name, e.g. "main.log". */
  fileName: string;
  /** Rotate before a write would make the file larger than this. */
  maxBytes: number;
  /** Files kept including the current one. */
  maxFiles: number;
}

export const DEFAULT_LOG_POLICY: Readonly<LogRotationPolicy> = Object.freeze({ fileName: 'main.log', maxBytes: 5 * 1024 * 1024, maxFiles: 5 });

export function validatePolicy(p: LogRotationPolicy): LogRotationPolicy {
  if (!/^[A-Za-z0-9_-]+\.log$/.test(p.fileName)) throw new Error(`log file name "${p.fileName}" must look like name.log`);
  if (!Number.isInteger(p.maxBytes) || p.maxBytes < 1024) throw new Error('maxBytes must be an integer ≥ 1024');
  if (!Number.isInteger(p.maxFiles) || p.maxFiles < 1 || p.maxFiles > 50) throw new Error('maxFiles must be an integer from 1 to 50');
  return p;
}

/** The name of generation `n` (0 = the current file): main.log, main.1.log, main.2.log… */
export function generationName(policy: LogRotationPolicy, n: number): string {
  if (n === 0) return policy.fileName;
  return policy.fileName.replace(/\.log$/, `.${n}.log`);
}

/** True when appending `incoming` bytes to a file of `currentSize` bytes must rotate first (never for an empty file). */
export function shouldRotate(currentSize: number, incoming: number, policy: LogRotationPolicy): boolean {
  return currentSize > 0 && currentSize + incoming > policy.maxBytes;
}

export interface RotationPlan {
  /** Delete this file first (the oldest generation), if it exists. */
  remove: string;
  /** Then rename, in this order (oldest first, so nothing is overwritten). */
  renames: Array<{ from: string; to: string }>;
}

export function rotationPlan(policy: LogRotationPolicy): RotationPlan {
  const last = policy.maxFiles - 1;
  const renames: RotationPlan['renames'] = [];
  for (let n = last - 1; n >= 0; n--) renames.push({ from: generationName(policy, n), to: generationName(policy, n + 1) });
  return { remove: generationName(policy, last), renames };
}
