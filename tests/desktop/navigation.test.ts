import { describe, expect, it } from 'vitest';
import {
  externalAllowList,
  externalLinkAllowed,
  navigationDecision,
  parseAllowList,
  permissionDecision,
  redirectDecision,
  webviewDecision,
  windowOpenDecision,
} from '../../electron/main/navigation';

const allow = ['docs.firm.example', '*.meridian.firm.example'];

describe('external links', () => {
  it('opens only https links to allow-listed hosts', () => {
    expect(externalLinkAllowed('https://docs.firm.example/guide#x', allow)).toBe(true);
    expect(externalLinkAllowed('https://api.meridian.firm.example/help', allow)).toBe(true);
    expect(externalLinkAllowed('HTTPS://DOCS.FIRM.EXAMPLE/', allow)).toBe(true);
  });

  it('refuses everything else', () => {
    for (const url of [
      'http://docs.firm.example/',
      'https://meridian.firm.example/', // "*." matches subdomains only
      'https://docs.firm.example.evil.com/',
      'https://evil.com/?docs.firm.example',
      'https://docs.firm.example@evil.com/',
      'https://user:pw@docs.firm.example/',
      'https://docs.firm.example:8443/',
      'file:///etc/passwd',
      'smb://docs.firm.example/share',
      'javascript:alert(1)',
      'app://meridian/index.html',
      `https://docs.firm.example/${'a'.repeat(3000)}`,
      'https://docs.firm.example/\u0000',
      'not a url',
    ]) {
      expect(externalLinkAllowed(url, allow), url).toBe(false);
    }
    expect(externalLinkAllowed('https://docs.firm.example/', [])).toBe(false);
  });

  it('builds the allow-list from the environment and drops malformed entries', () => {
    expect(parseAllowList([' Docs.Firm.Example ', '*.x.example', '*', '*.com', 'http://a.b', 'a b.c', ''])).toEqual(['docs.firm.example', '*.x.example']);
    expect(externalAllowList({ MERIDIAN_EXTERNAL_HOSTS: 'docs.firm.example,bad host' }, ['meridian.firm.example'])).toEqual(['docs.firm.example', 'meridian.firm.example']);
  });
});

describe('navigation, redirects, new windows, permissions, webviews', () => {
  it('lets the page reload itself and nothing else', () => {
    expect(navigationDecision('app://meridian/index.html#/funds', allow)).toEqual({ action: 'allow' });
    expect(navigationDecision('https://evil.com/', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(navigationDecision('file:///etc/passwd', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(navigationDecision('https://docs.firm.example/x', allow)).toEqual({ action: 'deny', openExternal: 'https://docs.firm.example/x' });
  });

  it('denies every subframe navigation, even to the app', () => {
    expect(navigationDecision('app://meridian/index.html', allow, false)).toEqual({ action: 'deny', openExternal: null });
    expect(navigationDecision('https://docs.firm.example/x', allow, false)).toEqual({ action: 'deny', openExternal: null });
  });

  it('denies redirects away from the app', () => {
    expect(redirectDecision('https://docs.firm.example/')).toEqual({ action: 'deny', openExternal: null });
    expect(redirectDecision('app://meridian/index.html')).toEqual({ action: 'allow' });
  });

  it('never opens a new Electron window; allowed links go to the browser', () => {
    expect(windowOpenDecision('https://docs.firm.example/a', allow)).toEqual({ action: 'deny', openExternal: 'https://docs.firm.example/a' });
    expect(windowOpenDecision('app://meridian/index.html', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(windowOpenDecision('http://docs.firm.example/a', allow)).toEqual({ action: 'deny', openExternal: null });
  });

  it('denies every permission, whoever asks', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb', 'unknown']) {
      expect(permissionDecision(p, 'app://meridian')).toBe(false);
      expect(permissionDecision(p, 'https://evil.com')).toBe(false);
    }
  });

  it('prevents <webview>', () => {
    expect(webviewDecision()).toBe('prevent');
  });
});
