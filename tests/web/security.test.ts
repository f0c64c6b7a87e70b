import { describe, expect, it } from 'vitest';
import {
  contentDisposition,
  contentSecurityPolicy,
  isAllowedHost,
  isAllowedOrigin,
  readCookie,
  safeFileName,
  securityHeaders,
} from '../../electron/hosts/web/security';

describe('web host security decisions', () => {
  const csp = contentSecurityPolicy('http://127.0.0.1:5173', 'abc123');
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('CSP: scripts only from self, no inline or eval; styles by nonce; nothing framed', () => {
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'", "'nonce-abc123'"]);
    expect(directives['connect-src']).toEqual(["'self'", 'ws://127.0.0.1:5173']);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
  });

  it('every response carries nosniff, no framing, no referrer', () => {
    const h = securityHeaders('http://127.0.0.1:1', 'n');
    expect(h).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
  });

  it('answers only to its own host names and origin (DNS rebinding, cross-site WebSocket)', () => {
    expect(isAllowedHost('127.0.0.1:5173', 5173)).toBe(true);
    expect(isAllowedHost('localhost:5173', 5173)).toBe(true);
    expect(isAllowedHost('evil.example:5173', 5173)).toBe(false);
    expect(isAllowedHost('127.0.0.1:5174', 5173)).toBe(false);
    expect(isAllowedHost(undefined, 5173)).toBe(false);
    expect(isAllowedOrigin('http://127.0.0.1:5173', 5173)).toBe(true);
    expect(isAllowedOrigin('http://evil.example', 5173)).toBe(false);
    expect(isAllowedOrigin('null', 5173)).toBe(false);
    expect(isAllowedOrigin(undefined, 5173)).toBe(false);
  });

  it('reads cookies', () => {
    expect(readCookie('a=1; meridian_session=tok; b=2', 'meridian_session')).toBe('tok');
    expect(readCookie('a=1', 'meridian_session')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
  });

  it('download names cannot escape the folder or break the header', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('a"b;c\r\n.csv')).toBe('abc.csv');
    expect(safeFileName('...')).toBe('export.csv');
    expect(contentDisposition('Fonds Übersicht.csv')).toBe(`attachment; filename="Fonds _bersicht.csv"; filename*=UTF-8''Fonds%20%C3%9Cbersicht.csv`);
  });
});
