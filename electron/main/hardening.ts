/**
 * Electron glue for DESIGN §6 (the decisions are pure functions in
 * ./app-protocol, ./csp and ./navigation, unit-tested):
 *  - the app:// handler serving dist/renderer with the CSP header;
 *  - every webContents: no <webview>, no navigation or redirect away from
 *    the app, no new windows (allow-listed https links go to the browser);
 *  - the session: every permission request and check denied, and no
 *    http(s)/ws(s)/file request from a page at all (the renderer talks to
 *    the server only through the main process).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { App, Protocol, Session, Shell, WebContents } from 'electron';
import { APP_SCHEME, mimeTypeFor, resolveAppPath } from './app-protocol';
import { appResponseHeaders, injectCsp, newCspNonce } from './csp';
import { navigationDecision, permissionDecision, redirectDecision, webviewDecision, windowOpenDecision } from './navigation';

interface Log {
  warn(obj: object, msg: string): void;
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8', newCspNonce(), 'no-store') });
}

/** Serves `root` (the built renderer) on app://meridian/. Call after app 'ready'. */
export function registerAppProtocol(protocol: Protocol, root: string, log: Log): void {
  const base = path.resolve(root);
  const indexFile = path.join(base, 'index.html');
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const file = resolveAppPath(request.url, base);
    if (!file) {
      log.warn({ url: request.url.slice(0, 200) }, 'app:// request refused');
      return notFound();
    }
    let body: Buffer;
    try {
      body = await fs.readFile(file);
    } catch {
      return notFound();
    }
    const nonce = newCspNonce();
    if (file === indexFile) {
      const html = injectCsp(body.toString('utf8'), nonce);
      return new Response(html, { status: 200, headers: appResponseHeaders('text/html; charset=utf-8', nonce, 'no-store') });
    }
    const immutable = file.startsWith(path.join(base, 'assets') + path.sep);
    return new Response(new Uint8Array(body), { status: 200, headers: appResponseHeaders(mimeTypeFor(file), nonce, immutable ? 'immutable' : 'no-cache') });
  });
}

/** Permission handlers and the network block on a session. */
export function hardenSession(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    const granted = permissionDecision(permission, details.requestingUrl);
    if (!granted) log.warn({ permission }, 'permission request denied');
    callback(granted);
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => permissionDecision(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'] }, (details, callback) => {
    log.warn({ url: details.url.slice(0, 200), resourceType: details.resourceType }, 'network request from a page blocked');
    callback({ cancel: true });
  });
}

/** Navigation, redirect, new-window and webview rules for one webContents. */
export function hardenWebContents(contents: WebContents, shell: Shell, allowList: () => readonly string[], log: Log): void {
  const openExternal = (url: string | null) => {
    if (url) void shell.openExternal(url).catch((e: unknown) => log.warn({ error: String(e) }, 'could not open a link in the browser'));
  };
  contents.on('will-attach-webview', (event) => {
    if (webviewDecision() === 'prevent') event.preventDefault();
  });
  contents.on('will-navigate', (event) => {
    const d = navigationDecision(event.url, allowList(), event.isMainFrame);
    if (d.action === 'deny') {
      event.preventDefault();
      log.warn({ url: event.url.slice(0, 200) }, 'navigation denied');
      openExternal(d.openExternal);
    }
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return; // will-navigate decides for the main frame
    if (navigationDecision(event.url, allowList(), false).action === 'deny') {
      event.preventDefault();
      log.warn({ url: event.url.slice(0, 200) }, 'subframe navigation denied');
    }
  });
  contents.on('will-redirect', (event) => {
    if (redirectDecision(event.url).action === 'deny') {
      event.preventDefault();
      log.warn({ url: event.url.slice(0, 200) }, 'redirect denied');
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    const d = windowOpenDecision(url, allowList());
    openExternal(d.openExternal);
    return { action: d.action };
  });
}

/** Applies hardenWebContents to every webContents the app ever creates. */
export function hardenAllWebContents(app: App, shell: Shell, allowList: () => readonly string[], log: Log): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, shell, allowList, log));
}
