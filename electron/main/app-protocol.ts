/**
 * The app:// protocol (pure decisions; the handler is in ./protocol.ts).
 * The renderer is loaded from app://meridian/, never file://: a standard,
 * secure scheme gives the page a real origin (storage, CSP 'self', fetch)
 * and the handler serves files from the built renderer folder only.
 *
 * resolveAppPath is the path-traversal guard: it decodes the URL path once,
 * refuses anything that could climb out of the root (.., backslashes,
 * drive letters, NUL, encoded separators that decode to ..) and checks the
 * resolved file is still inside the root.
 */
import path from 'node:path';
import type { Privileges } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'meridian';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registered with protocol.registerSchemesAsPrivileged before the app is ready. */
export const APP_SCHEME_PRIVILEGES: Privileges = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: true,
  codeCache: true,
  // never: bypassCSP, allowServiceWorkers, stream (not needed), allowExtensions
});

function parse(url: string): URL | null {
  if (typeof url !== 'string' || url.length > 4096) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for URLs of our own origin (app://meridian, no credentials, no port). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.host.toLowerCase() === APP_HOST && u.username === '' && u.password === '' && u.port === '';
}

/** True when `origin` (e.g. a frame's origin or a permission request's origin) is the app's. */
export function isAppOrigin(origin: string): boolean {
  return typeof origin === 'string' && origin.toLowerCase() === APP_ORIGIN;
}

type PathApi = Pick<typeof path.posix, 'resolve' | 'sep' | 'join'>;

/**
 * The file an app:// URL names under `root`, or null (not ours, malformed,
 * or escaping the root). "/" is index.html. `pathApi` is node:path (tests
 * pass path.win32 / path.posix to check both platforms).
 */
export function resolveAppPath(url: string, root: string, pathApi: PathApi = path): string | null {
  if (!isAppUrl(url)) return null;
  const u = new URL(url);
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (rel === '' || rel === '/') rel = '/index.html';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\:]/.test(rel)) return null;
  const segments = rel.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return null;
  if (segments.some((s) => s.startsWith('.'))) return null; // no dot-files (.DS_Store, .env, …)
  const base = pathApi.resolve(root);
  const file = pathApi.resolve(base, ...segments);
  if (!file.startsWith(base + pathApi.sep)) return null;
  return file;
}

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(file: string): string {
  const dot = file.lastIndexOf('.');
  return (dot >= 0 ? MIME[file.slice(dot).toLowerCase()] : undefined) ?? 'application/octet-stream';
}
