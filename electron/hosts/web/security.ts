/**
 * HTTP security decisions of the web host, as pure functions (unit-tested):
 * the Content-Security-Policy, the other response headers, and which Host /
 * Origin headers are ours (DNS-rebinding and cross-site WebSocket defence).
 */

/**
 * The CSP of every response. Scripts only from our origin (no inline, no
 * eval); styles from our origin plus the per-response nonce AG Grid puts on
 * the <style> elements its theming API injects (gridOptions.styleNonce);
 * inline style *attributes* stay allowed for element positioning by AG Grid
 * and ECharts (no script can come through them). The WebSocket may only
 * reach this host; nothing may frame the page.
 */
export function contentSecurityPolicy(origin: string, nonce: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${ws}`,
    "worker-src 'none'",
    "manifest-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(origin: string, nonce: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(origin, nonce),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=()',
  };
}

/** The origins the page is served from (127.0.0.1 and localhost on our port). */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

/** Host header check: refuses DNS-rebinding requests that reach 127.0.0.1 under another name. */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

/** Origin check for the WebSocket upgrade: only our own page may open the contract socket. */
export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  return originHeader !== undefined && allowedOrigins(port).includes(originHeader);
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A file name safe for Content-Disposition and the local file system. */
export function safeFileName(name: string, fallback = 'export.csv'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f"<>:|?*;]/g, '').replace(/^\.+/, '').trim().slice(0, 150);
  return clean || fallback;
}

/** Content-Disposition for a download, with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(name: string): string {
  const safe = safeFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`;
}
