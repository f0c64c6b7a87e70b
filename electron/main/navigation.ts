/**
 * Where the page may go (DESIGN §6): nowhere but the app itself. Every
 * navigation, redirect, frame navigation and new window away from
 * app://meridian is denied; a link to an https site on the allow-list is
 * opened in the user's browser instead (shell.openExternal), anything else
 * is dropped. Every permission request is denied. <webview> is never
 * attached.
 */
import { isAppUrl } from './app-protocol';

export type NavigationDecision = { action: 'allow' } | { action: 'deny'; openExternal: string | null };

/**
 * Default hosts links may open in the browser. The central server's host is
 * added at run time (sign-in); MERIDIAN_EXTERNAL_HOSTS adds more (comma
 * separated; "*.example.com" matches subdomains, not example.com itself).
 */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = Object.freeze([]);

const HOST_ENTRY = /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/;

/** Validates and normalises allow-list entries (lower case; invalid entries dropped). */
export function parseAllowList(entries: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const raw of entries) {
    const e = raw.trim().toLowerCase();
    if (HOST_ENTRY.test(e)) out.add(e);
  }
  return [...out];
}

/** Allow-list from the environment plus `extra` (e.g. the signed-in server's host). */
export function externalAllowList(env: Record<string, string | undefined>, extra: readonly string[] = []): string[] {
  return parseAllowList([...DEFAULT_EXTERNAL_HOSTS, ...(env.MERIDIAN_EXTERNAL_HOSTS ?? '').split(','), ...extra]);
}

function hostMatches(host: string, entry: string): boolean {
  if (entry.startsWith('*.')) {
    const suffix = entry.slice(1); // ".example.com"
    return host.endsWith(suffix) && host.length > suffix.length;
  }
  return host === entry;
}

/**
 * True when `url` may be opened in the user's browser: https only, no
 * user:password@, default port, host on the allow-list.
 */
export function externalLinkAllowed(url: string, allowList: readonly string[]): boolean {
  if (typeof url !== 'string' || url.length > 2048) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(url)) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  const host = u.hostname.toLowerCase();
  if (!host || host.endsWith('.')) return false;
  return parseAllowList(allowList).some((entry) => hostMatches(host, entry));
}

/**
 * will-navigate / will-frame-navigate: the page may only (re)load the app
 * itself; anything else is denied, and opened in the browser when allowed.
 */
export function navigationDecision(url: string, allowList: readonly string[], isMainFrame = true): NavigationDecision {
  if (isMainFrame && isAppUrl(url)) return { action: 'allow' };
  return { action: 'deny', openExternal: isMainFrame && externalLinkAllowed(url, allowList) ? url : null };
}

/** will-redirect: our protocol never redirects, so any redirect is denied. */
export function redirectDecision(url: string): NavigationDecision {
  return isAppUrl(url) ? { action: 'allow' } : { action: 'deny', openExternal: null };
}

/** setWindowOpenHandler: never a new Electron window; allowed https links go to the browser. */
export function windowOpenDecision(url: string, allowList: readonly string[]): { action: 'deny'; openExternal: string | null } {
  return { action: 'deny', openExternal: externalLinkAllowed(url, allowList) ? url : null };
}

/**
 * Permission requests and checks (camera, notifications, clipboard, …): all
 * denied. Meridian's page needs none; OS notifications come from the main
 * process.
 */
export function permissionDecision(_permission: string, _requestingOrigin?: string): false {
  return false;
}

/** will-attach-webview: always prevented (webviewTag is off as well). */
export function webviewDecision(): 'prevent' {
  return 'prevent';
}
