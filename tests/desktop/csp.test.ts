import { describe, expect, it } from 'vitest';
import { appResponseHeaders, contentSecurityPolicy, CSP_NONCE_PLACEHOLDER, injectCsp, newCspNonce } from '../../electron/main/csp';

const directives = (csp: string) => Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('desktop Content-Security-Policy', () => {
  const nonce = newCspNonce();
  const d = directives(contentSecurityPolicy({ nonce }));

  it('allows scripts only from the app, never inline or eval', () => {
    expect(d['default-src']).toEqual(["'none'"]);
    expect(d['script-src']).toEqual(["'self'"]);
    expect(contentSecurityPolicy({ nonce })).not.toMatch(/unsafe-eval|wasm-unsafe|strict-dynamic|\*/);
    expect(d['style-src']).toEqual(["'self'", `'nonce-${nonce}'`]);
  });

  it('gives the page no network but the app itself, no frames, no plugins, no forms', () => {
    expect(d['connect-src']).toEqual(["'self'"]);
    expect(d['object-src']).toEqual(["'none'"]);
    expect(d['frame-src']).toEqual(["'none'"]);
    expect(d['frame-ancestors']).toEqual(["'none'"]);
    expect(d['base-uri']).toEqual(["'none'"]);
    expect(d['form-action']).toEqual(["'none'"]);
    expect(d['worker-src']).toEqual(["'none'"]);
    expect(d['img-src']).toEqual(["'self'", 'data:']);
  });

  it('leaves frame-ancestors out of the <meta> variant (browsers ignore it there)', () => {
    const meta = directives(contentSecurityPolicy({ nonce, forMeta: true }));
    expect(meta['frame-ancestors']).toBeUndefined();
    expect(meta['script-src']).toEqual(["'self'"]);
  });

  it('refuses a weak or malformed nonce', () => {
    expect(() => contentSecurityPolicy({ nonce: 'short' })).toThrow();
    expect(() => contentSecurityPolicy({ nonce: "abcdefghijklmnop' 'unsafe-inline" })).toThrow();
    expect(newCspNonce()).not.toBe(newCspNonce());
  });

  it('sends the CSP and the hardening headers on every response', () => {
    const h = appResponseHeaders('text/html; charset=utf-8', nonce, 'no-store');
    expect(h['Content-Security-Policy']).toBe(contentSecurityPolicy({ nonce }));
    expect(h).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'same-origin' });
    expect(appResponseHeaders('text/javascript', nonce, 'immutable')['Cache-Control']).toMatch(/immutable/);
  });

  it('puts the CSP into index.html before any script and fills the nonce placeholder', () => {
    const html = `<!doctype html><html lang="en"><head>\n<meta name="csp-nonce" content="${CSP_NONCE_PLACEHOLDER}" />\n<script type="module" src="/assets/index.js"></script></head><body></body></html>`;
    const out = injectCsp(html, nonce);
    expect(out).not.toContain(CSP_NONCE_PLACEHOLDER);
    expect(out).toContain(`<meta name="csp-nonce" content="${nonce}" />`);
    const metaAt = out.indexOf('http-equiv="Content-Security-Policy"');
    expect(metaAt).toBeGreaterThan(out.indexOf('<head>'));
    expect(metaAt).toBeLessThan(out.indexOf('<script'));
    expect(out).toContain(`script-src 'self'`);
    expect(() => injectCsp('<html><body></body></html>', nonce)).toThrow(/no <head>/);
  });
});
