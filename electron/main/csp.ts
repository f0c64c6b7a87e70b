/**
 * The Content-Security-Policy of the desktop window, sent as a response
 * header by the app:// handler AND put into index.html as a <meta> tag (so
 * the page is covered even if a response reached it without the header).
 *
 * Scripts only from app://meridian (no inline, no eval); styles from the
 * app plus the per-response nonce AG Grid puts on the <style> elements it
 * injects (the renderer reads it from <meta name="csp-nonce">); inline
 * style attributes for grid/chart positioning; no network except the app
 * itself — the renderer reaches the server only through the main process.
 * Nothing may frame the page, and the page may frame nothing.
 */
import { randomBytes } from 'node:crypto';

/** The placeholder renderer/index.html carries for the per-response nonce (shared with the web host). */
export const CSP_NONCE_PLACEHOLDER = '__MERIDIAN_CSP_NONCE__';

export function newCspNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface CspOptions {
  nonce: string;
  /** The <meta> variant: `frame-ancestors` is ignored (and warned about) in a meta tag, so it is left out there. */
  forMeta?: boolean;
}

export function contentSecurityPolicy({ nonce, forMeta = false }: CspOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('CSP nonce must be at least 16 base64 characters');
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (!forMeta) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/** Headers of every app:// response. */
export function appResponseHeaders(contentType: string, nonce: string, cache: 'no-store' | 'immutable' | 'no-cache' = 'no-cache'): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy({ nonce }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=(), display-capture=()',
    'Cache-Control': cache === 'immutable' ? 'public, max-age=31536000, immutable' : cache,
  };
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * index.html as served: the nonce placeholder replaced, and the CSP <meta>
 * inserted as the first element of <head> (before any script or style).
 */
export function injectCsp(html: string, nonce: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy({ nonce, forMeta: true }))}">`;
  const withNonce = html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce);
  const head = /<head(\s[^>]*)?>/i.exec(withNonce);
  if (!head) throw new Error('index.html has no <head>: cannot place the Content-Security-Policy');
  const at = head.index + head[0].length;
  return `${withNonce.slice(0, at)}\n    ${meta}${withNonce.slice(at)}`;
}
