/**
 * Atomic file output: a reader never sees a half-written export, and a
 * failed or cancelled export leaves no file behind (an existing file of the
 * same name stays as it was).
 *
 * The data is streamed to `FILE.tmp-<random>` in the same folder (so the
 * rename cannot cross file systems), fsynced, then renamed over FILE; the
 * folder is fsynced too where the platform allows. On any error or abort the
 * temporary file is removed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MeridianError } from '../../../shared/errors';

export interface AtomicWriteOptions {
  signal?: AbortSignal;
  /** File mode of a new file; default 0o644. */
  mode?: number;
}

export interface AtomicWriteResult {
  file: string;
  bytes: number;
}

/** The temporary name used while writing `file`. */
export function tempNameFor(file: string): string {
  return path.join(path.dirname(path.resolve(file)), `${path.basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
}

/**
 * Pipes `streams` (a source, then any transforms) into `file` atomically.
 * Throws MeridianError('CANCELLED') when `signal` aborts.
 */
export async function writeFileAtomic(
  file: string,
  streams: ReadonlyArray<NodeJS.ReadableStream | NodeJS.ReadWriteStream>,
  opts: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const { signal } = opts;
  if (signal?.aborted) throw new MeridianError('CANCELLED', `Export to ${file} cancelled; no file was written.`);
  const target = path.resolve(file);
  const tmp = tempNameFor(target);
  // 'wx': never reuse an existing file; flush: fsync before the descriptor closes.
  const out = fs.createWriteStream(tmp, { flags: 'wx', mode: opts.mode ?? 0o644, flush: true });
  const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
  let bytes: number;
  try {
    await pipeline([...streams, out], signal ? { signal } : {});
    await closed; // data synced and descriptor closed before the rename
    bytes = out.bytesWritten;
    if (signal?.aborted) throw new Error('aborted');
    await fs.promises.rename(tmp, target);
  } catch (e) {
    if (!out.closed) {
      out.destroy();
      await closed;
    }
    await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw new MeridianError('CANCELLED', `Export to ${file} cancelled; no file was written.`);
    throw e;
  }
  await fsyncDir(path.dirname(target));
  return { file: target, bytes };
}

/** Makes the rename durable; not supported on every platform (Windows), so best effort. */
async function fsyncDir(dir: string): Promise<void> {
  let h: fs.promises.FileHandle | undefined;
  try {
    h = await fs.promises.open(dir, 'r');
    await h.sync();
  } catch {
    // best effort
  } finally {
    await h?.close().catch(() => undefined);
  }
}
