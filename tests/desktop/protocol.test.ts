import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, isAppOrigin, isAppUrl, mimeTypeFor, resolveAppPath } from '../../electron/main/app-protocol';

describe('app:// protocol', () => {
  it('recognises only our own origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://meridian/assets/index-abc.js')).toBe(true);
    expect(isAppUrl('app://MERIDIAN/index.html')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'http://meridian/index.html',
      'https://meridian/index.html',
      'app://evil/index.html',
      'app://meridian.evil.com/',
      'app://user:pw@meridian/',
      'app://meridian:8080/',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
    expect(isAppOrigin(APP_ORIGIN)).toBe(true);
    expect(isAppOrigin('app://evil')).toBe(false);
    expect(isAppOrigin('null')).toBe(false);
  });

  it('is privileged as a standard, secure scheme without CSP bypass or service workers', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.bypassCSP).toBeFalsy();
    expect(APP_SCHEME_PRIVILEGES.allowServiceWorkers).toBeFalsy();
    expect(APP_SCHEME_PRIVILEGES.allowExtensions).toBeFalsy();
  });

  const root = path.posix.join('/opt/meridian/resources/app.asar/dist/renderer');

  it('maps URLs to files under the renderer root; "/" is index.html', () => {
    expect(resolveAppPath('app://meridian/', root, path.posix)).toBe(`${root}/index.html`);
    expect(resolveAppPath('app://meridian/index.html', root, path.posix)).toBe(`${root}/index.html`);
    expect(resolveAppPath('app://meridian/assets/index-Cst0Mn3j.js', root, path.posix)).toBe(`${root}/assets/index-Cst0Mn3j.js`);
    expect(resolveAppPath('app://meridian/assets/a%20b.css?v=1#x', root, path.posix)).toBe(`${root}/assets/a b.css`);
  });

  it('refuses every way out of the root (path traversal guard)', () => {
    // Dot segments written plainly are removed by the URL parser itself (as Chromium does): they stay inside the root.
    expect(resolveAppPath('app://meridian/../secret.txt', root, path.posix)).toBe(`${root}/secret.txt`);
    expect(resolveAppPath('app://meridian/assets/../../../../etc/passwd', root, path.posix)).toBe(`${root}/etc/passwd`);
    expect(resolveAppPath('app://meridian/%2e%2e/secret.txt', root, path.posix)).toBe(`${root}/secret.txt`); // %2e%2e is a dot segment in WHATWG URLs
    for (const url of [
      'app://meridian/%2E%2E%2Fsecret.txt',
      'app://meridian/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://meridian/..%5c..%5cwindows%5cwin.ini',
      'app://meridian/assets%5c..%5c..%5csecret',
      'app://meridian/C:%5cWindows%5cwin.ini',
      'app://meridian/c:/windows/win.ini',
      'app://meridian/%00.js',
      'app://meridian/assets//x.js',
      'app://meridian/.env',
      'app://meridian/assets/.hidden',
      'app://meridian/%E0%A4%A',
      'app://evil/index.html',
      'file:///etc/passwd',
    ]) {
      expect(resolveAppPath(url, root, path.posix), url).toBeNull();
    }
  });

  it('guards Windows paths too', () => {
    const winRoot = 'C:\\Program Files\\Meridian\\resources\\app.asar\\dist\\renderer';
    expect(resolveAppPath('app://meridian/assets/x.js', winRoot, path.win32)).toBe(`${winRoot}\\assets\\x.js`);
    for (const url of ['app://meridian/..%5C..%5Csecret', 'app://meridian/%2e%2e%5csecret', 'app://meridian/D:%5Csecret', 'app://meridian/assets/..\\..\\x']) {
      expect(resolveAppPath(url, winRoot, path.win32), url).toBeNull();
    }
  });

  it('serves known types with a real MIME type, everything else as octet-stream', () => {
    expect(mimeTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(mimeTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('/x/a.exe')).toBe('application/octet-stream');
    expect(mimeTypeFor('/x/noext')).toBe('application/octet-stream');
  });
});
