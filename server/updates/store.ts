/**
 * The update feed's folder (see ./feed for the layout and the staging rule).
 * Publishing is atomic and verified:
 *  - an artifact is streamed to a hidden temporary file while its sha512 is
 *    computed; it goes live only if that matches the sha512 the publisher
 *    declared. Artifacts are immutable: re-uploading the same bytes is a
 *    no-op, different bytes under a released name are refused;
 *  - update info (latest*.yml) goes live last, and only if every file it
 *    points at is already in the channel with the sha512 (and size) it
 *    states — the feed never advertises a file it cannot serve intact. The
 *    update info it replaces (another version) is kept as the channel's
 *    "previous" release, served to clients outside a staged rollout.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as parseYaml } from 'yaml';
import { feedFileKind, isValidChannel, referencedFiles, updateInfoSchema, type FeedFileKind, type UpdateInfo } from './feed';

export const PREVIOUS_DIR = '.previous';
const UPLOAD_DIR = '.uploads';

export type FeedErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'DUPLICATE' | 'UNAUTHENTICATED' | 'ROLE_FORBIDDEN';

export class FeedError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: FeedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}

export interface FeedFile {
  file: string;
  kind: FeedFileKind;
  path: string;
  size: number;
  mtime: Date;
}

export interface PublishResult {
  channel: string;
  file: string;
  kind: FeedFileKind;
  sha512: string;
  size: number;
  /** false: the same bytes were already published (idempotent retry). */
  created: boolean;
  /** Update info: the version it publishes and the one it moved to "previous". */
  version?: string;
  previousVersion?: string | null;
  stagingPercentage?: number | string | null;
}

export function parseUpdateInfo(text: string): UpdateInfo {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0 });
  } catch (e) {
    throw new FeedError(400, 'INVALID_INPUT', `The update info is not valid YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const r = updateInfoSchema.safeParse(doc);
  if (!r.success) throw new FeedError(400, 'INVALID_INPUT', `The update info is not electron-builder's format: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

export async function sha512OfFile(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('base64');
}

export class UpdateFeedStore {
  readonly root: string;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The absolute path of `file` in `channel` (or its previous-release copy), refusing anything that could leave the feed folder. */
  resolve(channel: string, file: string, which: 'current' | 'previous' = 'current'): { path: string; kind: FeedFileKind } {
    if (!isValidChannel(channel)) throw new FeedError(404, 'NOT_FOUND', 'There is no such update channel.');
    const kind = feedFileKind(file);
    if (!kind || (which === 'previous' && kind !== 'update-info')) throw new FeedError(404, 'NOT_FOUND', 'There is no such file in the update feed.');
    const dir = path.join(this.root, channel, ...(which === 'previous' ? [PREVIOUS_DIR] : []));
    const full = path.resolve(dir, file);
    if (path.dirname(full) !== dir || !full.startsWith(this.root + path.sep)) throw new FeedError(404, 'NOT_FOUND', 'There is no such file in the update feed.');
    return { path: full, kind };
  }

  async stat(channel: string, file: string, which: 'current' | 'previous' = 'current'): Promise<FeedFile | null> {
    const { path: p, kind } = this.resolve(channel, file, which);
    try {
      const st = await fsp.lstat(p);
      if (!st.isFile()) return null; // never follow symlinks out of the feed
      return { file, kind, path: p, size: st.size, mtime: st.mtime };
    } catch {
      return null;
    }
  }

  async readText(channel: string, file: string, which: 'current' | 'previous' = 'current'): Promise<string | null> {
    const st = await this.stat(channel, file, which);
    return st ? fsp.readFile(st.path, 'utf8') : null;
  }

  /** Runs publishes of one channel one at a time. */
  private async serialized<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(channel) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.locks.set(
      channel,
      next.catch(() => {}),
    );
    return next;
  }

  /**
   * Streams `body` into the feed as `channel/file`. `declaredSha512` (base64,
   * as in latest.yml) is required for artifacts and checked when given for
   * update info.
   */
  async publish(channel: string, file: string, body: Readable, options: { declaredSha512?: string | null; maxBytes: number }): Promise<PublishResult> {
    const { path: target, kind } = this.resolve(channel, file);
    if (kind === 'artifact' && !options.declaredSha512) throw new FeedError(400, 'INVALID_INPUT', 'Send the artifact\'s sha512 (base64) in the x-checksum-sha512 header; the feed verifies it before publishing.');
    const dir = path.dirname(target);
    const uploads = path.join(dir, UPLOAD_DIR);
    await fsp.mkdir(uploads, { recursive: true, mode: 0o750 });
    const temp = path.join(uploads, `${randomBytes(12).toString('hex')}.part`);
    const hash = createHash('sha512');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > options.maxBytes) return cb(new FeedError(413, 'INVALID_INPUT', `The upload is larger than ${options.maxBytes} bytes.`));
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, fs.createWriteStream(temp, { mode: 0o640 }));
      const sha512 = hash.digest('base64');
      if (options.declaredSha512 && options.declaredSha512 !== sha512) {
        throw new FeedError(400, 'INVALID_INPUT', `sha512 mismatch for ${file}: the upload hashes to ${sha512}, not the declared ${options.declaredSha512}. Nothing was published.`);
      }
      return await this.serialized(channel, async () => {
        if (kind === 'artifact') return this.commitArtifact(channel, file, target, temp, sha512, size);
        return this.commitUpdateInfo(channel, file, target, temp, sha512, size);
      });
    } finally {
      await fsp.rm(temp, { force: true });
    }
  }

  private async commitArtifact(channel: string, file: string, target: string, temp: string, sha512: string, size: number): Promise<PublishResult> {
    const existing = await this.stat(channel, file);
    if (existing) {
      if ((await sha512OfFile(existing.path)) === sha512) return { channel, file, kind: 'artifact', sha512, size, created: false };
      throw new FeedError(409, 'DUPLICATE', `${file} is already published with different contents; released artifacts are immutable — publish a new version instead.`);
    }
    await fsp.rename(temp, target);
    return { channel, file, kind: 'artifact', sha512, size, created: true };
  }

  private async commitUpdateInfo(channel: string, file: string, target: string, temp: string, sha512: string, size: number): Promise<PublishResult> {
    const text = await fsp.readFile(temp, 'utf8');
    const info = parseUpdateInfo(text);
    for (const ref of referencedFiles(info)) {
      const kind = feedFileKind(ref.url);
      if (kind !== 'artifact') throw new FeedError(400, 'INVALID_INPUT', `${file} points at "${ref.url}", which is not an artifact name the feed serves (plain file name, known extension).`);
      const st = await this.stat(channel, ref.url);
      if (!st) throw new FeedError(409, 'INVALID_INPUT', `${file} points at ${ref.url}, which is not in the ${channel} channel yet: upload the artifacts first, the update info last.`);
      if (ref.size !== undefined && ref.size !== st.size) throw new FeedError(409, 'INVALID_INPUT', `${ref.url} is ${st.size} bytes in the feed but ${file} says ${ref.size}.`);
      if ((await sha512OfFile(st.path)) !== ref.sha512) throw new FeedError(409, 'INVALID_INPUT', `${ref.url} in the feed does not match the sha512 in ${file}.`);
    }
    let previousVersion: string | null = null;
    const currentText = await this.readText(channel, file);
    if (currentText !== null) {
      let current: UpdateInfo | null;
      try {
        current = parseUpdateInfo(currentText);
      } catch {
        current = null;
      }
      if (current && current.version !== info.version) {
        const prev = this.resolve(channel, file, 'previous').path;
        await fsp.mkdir(path.dirname(prev), { recursive: true, mode: 0o750 });
        await fsp.rename(target, prev);
        previousVersion = current.version;
      } else {
        previousVersion = (await this.readPrevious(channel, file))?.version ?? null;
      }
    }
    await fsp.rename(temp, target);
    return { channel, file, kind: 'update-info', sha512, size, created: true, version: info.version, previousVersion, stagingPercentage: info.stagingPercentage ?? null };
  }

  private async readPrevious(channel: string, file: string): Promise<UpdateInfo | null> {
    const t = await this.readText(channel, file, 'previous');
    if (t === null) return null;
    try {
      return parseUpdateInfo(t);
    } catch {
      return null;
    }
  }
}
