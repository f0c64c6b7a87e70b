/**
 * The update feed's decisions (pure). The feed is a folder per channel:
 *
 *   <root>/<channel>/latest.yml, latest-mac.yml, latest-linux.yml   (update info, written by electron-builder)
 *   <root>/<channel>/Meridian-Setup-1.4.0.exe, …zip, …dmg, …AppImage, …deb, *.blockmap
 *   <root>/<channel>/.previous/latest*.yml                          (the release before the current one)
 *
 * Staged rollouts. electron-updater decides on the CLIENT whether it is in a
 * release's `stagingPercentage`: it keeps a random UUID in
 * userData/.updaterId, sends it as the `x-user-staging-id` header, and
 * compares UUID bytes 12..15 (big-endian uint32) ÷ 0xffffffff with
 * parseInt(stagingPercentage)/100 (AppUpdater.isStagingMatch in
 * node_modules/electron-updater). The feed applies the SAME rule to the same
 * header, so both sides always agree, and it enforces it: a client outside
 * the rollout (or one sending no valid id) is served the previous release's
 * update info, so it never even sees the staged version. Raising
 * stagingPercentage widens the cohort without moving anyone out of it.
 */
import { z } from 'zod';

export const STAGING_HEADER = 'x-user-staging-id';
export const SHA512_HEADER = 'x-checksum-sha512';

/** Channel folders: "stable", "beta", "pilot-2025" … */
export const CHANNEL_RE = /^[a-z][a-z0-9-]{0,31}$/;
/** Update-info files electron-updater asks for: <channel>.yml, <channel>-mac.yml, <channel>-linux.yml, <channel>-linux-arm64.yml. */
export const UPDATE_INFO_RE = /^[a-z][a-z0-9]{0,31}(-mac|-linux|-linux-arm64)?\.yml$/;
/** Release artifacts: a plain file name, no path, no leading dot, a known extension. */
export const ARTIFACT_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\.(exe|msi|dmg|zip|AppImage|deb|rpm|blockmap|7z|nupkg)$/;

export type FeedFileKind = 'update-info' | 'artifact';

export function isValidChannel(channel: string): boolean {
  return typeof channel === 'string' && CHANNEL_RE.test(channel);
}

/** The kind of a requested file name, or null when it is not one the feed serves (traversal, dot-files, unknown types). */
export function feedFileKind(file: string): FeedFileKind | null {
  if (typeof file !== 'string' || file.includes('..') || file.includes('/') || file.includes('\\')) return null;
  if (UPDATE_INFO_RE.test(file)) return 'update-info';
  if (ARTIFACT_RE.test(file)) return 'artifact';
  return null;
}

const sha512Base64 = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'sha512 must be base64 (88 characters)');

export const updateInfoSchema = z.looseObject({
  version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/, 'version must be semver'),
  files: z
    .array(
      z.looseObject({
        url: z.string().min(1),
        sha512: sha512Base64,
        size: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1),
  path: z.string().optional(),
  sha512: sha512Base64.optional(),
  releaseDate: z.string().optional(),
  stagingPercentage: z.union([z.number(), z.string()]).optional(),
});
export type UpdateInfo = z.infer<typeof updateInfoSchema>;

/** The staging user id as electron-updater writes it (a UUID string). */
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Where a staging id falls in [0, 1]: UUID bytes 12..15 as a big-endian uint32 ÷ 0xffffffff; null for an invalid id. */
export function stagingBucket(stagingId: string | undefined | null): number | null {
  if (typeof stagingId !== 'string') return null;
  const id = stagingId.trim();
  if (!UUID_RE.test(id)) return null;
  const hex = id.replace(/-/g, '');
  return parseInt(hex.slice(24, 32), 16) / 0xffffffff;
}

/** stagingPercentage as electron-updater reads it: parseInt(…, 10); null when absent or not a number (= no staging). */
export function stagingPercentOf(info: Pick<UpdateInfo, 'stagingPercentage'>): number | null {
  const raw = info.stagingPercentage;
  if (raw === undefined || raw === null) return null;
  const n = parseInt(String(raw), 10);
  return Number.isNaN(n) ? null : n;
}

export type StagingDecision = { serve: 'current'; reason: string } | { serve: 'previous'; reason: string };

/**
 * Which update info a client gets. In the rollout → the current release;
 * outside it, or without a valid staging id while a rollout is staged → the
 * previous release.
 */
export function stagingDecision(info: Pick<UpdateInfo, 'stagingPercentage'>, stagingId: string | undefined | null): StagingDecision {
  const percent = stagingPercentOf(info);
  if (percent === null) return { serve: 'current', reason: 'not a staged release' };
  if (percent >= 100) return { serve: 'current', reason: 'rolled out to everyone' };
  const bucket = stagingBucket(stagingId);
  if (bucket === null) return { serve: 'previous', reason: 'staged release and no valid staging id' };
  return bucket < percent / 100 ? { serve: 'current', reason: `in the first ${percent} %` } : { serve: 'previous', reason: `outside the first ${percent} %` };
}

/** Every file a piece of update info points at (files[].url plus the legacy path). */
export function referencedFiles(info: UpdateInfo): Array<{ url: string; sha512: string; size?: number }> {
  const out = new Map<string, { url: string; sha512: string; size?: number }>();
  for (const f of info.files) out.set(f.url, { url: f.url, sha512: f.sha512, size: f.size });
  if (info.path && info.sha512 && !out.has(info.path)) out.set(info.path, { url: info.path, sha512: info.sha512 });
  return [...out.values()];
}

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * One `Range: bytes=a-b` (or `a-`, `-n`) within `size`; 'unsatisfiable' or
 * null (serve the whole file — several ranges are answered with the whole
 * file, which electron-updater accepts and falls back to a full download).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) return 'unsatisfiable';
  return { start, end };
}
