/**
 * The web host: a real Workstation on a local profile, the built renderer
 * served on 127.0.0.1 with a strict CSP, and the contract carried over a
 * WebSocket at /ws (see ./rpc). `createWebHost` is what main.ts, the e2e
 * tests, the screenshot script and the UI benchmark start.
 *
 * Only our own page can use the socket: the Host header must name
 * 127.0.0.1/localhost on our port (DNS rebinding), the Origin must be ours
 * (cross-site WebSocket hijacking), and the HttpOnly SameSite=Strict session
 * cookie set with the page must come with the upgrade and every download.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '../../../shared/mutators';
import { Workstation } from '../../core/workstation';
import { RENDERER_DIST, ensureRendererBuilt } from './build';
import { seedDemoIfEmpty } from './demo';
import { Downloads } from './downloads';
import { dispatch, type RpcEvent } from './rpc';
import { contentDisposition, isAllowedHost, isAllowedOrigin, readCookie, securityHeaders } from './security';
import { standaloneSync, type SyncPort } from './sync-port';
import { createCreditApi } from './credit-api';
import { createUiApi } from './ui-api';
import type { MeridianApi } from '../../../shared/api/contract';
import type { SessionView } from '../../../shared/api/ui-contract';

export interface WebHostOptions {
  /** Profile database file (from resolveProfile). */
  dbFile: string;
  /** Profile name shown in the UI. */
  profile?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Built renderer folder (default dist/renderer). */
  staticDir?: string;
  /** Build the renderer first: 'auto' when stale (default), 'always', or 'never'. */
  build?: 'auto' | 'always' | 'never';
  /** 'demo' seeds an empty profile with the demo seeder (default); a function seeds it yourself. */
  seed?: 'demo' | 'none' | ((ws: Workstation) => Promise<void>);
  /** Local actor (default: the Workstation's local admin). */
  actor?: Actor;
  /** Today's business date (tests). */
  today?: () => string;
  /** The sync client behind the status bar and the inbox; default: standalone. */
  sync?: (ws: Workstation) => SyncPort | Promise<SyncPort>;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  port: number;
  workstation: Workstation;
  sync: SyncPort;
  /** Changes who acts locally and tells every open page (tests; sign-in later). */
  setActor(actor: Actor): void;
  /** Pushes an event to every open page. */
  broadcast(event: string, payload: unknown): void;
  close(): Promise<void>;
}

const COOKIE = 'meridian_session';
const NONCE_PLACEHOLDER = '__MERIDIAN_CSP_NONCE__';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function createWebHost(options: WebHostOptions): Promise<WebHost> {
  const log = options.log ?? ((line: string) => console.log(line));
  const staticDir = path.resolve(options.staticDir ?? RENDERER_DIST);
  if (!options.staticDir) await ensureRendererBuilt(options.build ?? 'auto', log);
  const indexFile = path.join(staticDir, 'index.html');
  if (!fs.existsSync(indexFile)) throw new Error(`The renderer is not built (${indexFile} is missing); run npm run build:renderer.`);

  const ws = Workstation.open(options.dbFile, { actor: options.actor, today: options.today });
  const downloads = new Downloads();
  let sync: SyncPort | undefined;
  try {
    const seed = options.seed ?? 'demo';
    if (typeof seed === 'function') await seed(ws);
    else if (seed === 'demo') await seedDemoIfEmpty(ws, log, options.today?.());
    sync = options.sync ? await options.sync(ws) : standaloneSync(ws);
  } catch (e) {
    await ws.close();
    downloads.close();
    throw e;
  }
  const syncPort = sync;
  const ui = createUiApi(ws, {
    sync: syncPort,
    downloads,
    profile: options.profile ?? 'default',
    today: options.today,
    displayName: syncPort.displayName ? () => syncPort.displayName?.() ?? (ws.actor.userId === 'local' ? 'Local user (not signed in)' : ws.actor.userId) : undefined,
  });
  const api = Object.assign(Object.create(null) as object, {
    listFunds: ws.listFunds.bind(ws),
    fundMetrics: ws.fundMetrics.bind(ws),
    listDeals: ws.listDeals.bind(ws),
    listInvestors: ws.listInvestors.bind(ws),
    listIndexNames: ws.listIndexNames.bind(ws),
    listAllocations: ws.listAllocations.bind(ws),
    listCapitalCalls: ws.listCapitalCalls.bind(ws),
    getCapitalCall: ws.getCapitalCall.bind(ws),
    previewCapitalCall: ws.previewCapitalCall.bind(ws),
    checkAllocation: ws.checkAllocation.bind(ws),
    mutate: ws.mutate.bind(ws),
    importCsv: ws.importCsv.bind(ws),
    exportCsv: ws.exportCsv.bind(ws),
    cancelJob: ws.cancelJob.bind(ws),
    ...ui,
    ...createCreditApi(ws),
  } satisfies MeridianApi);

  const sessionToken = randomBytes(32).toString('base64url');
  /** MERIDIAN_WEB_TRACE=1 logs every request's method, time and answer size. */
  const trace = process.env.MERIDIAN_WEB_TRACE === '1';
  let port = 0;
  let origin = '';
  const indexTemplate = fs.readFileSync(indexFile, 'utf8');

  const send = (res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>, nonce: string) => {
    res.writeHead(status, { ...securityHeaders(origin, nonce), ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const nonce = randomBytes(16).toString('base64');
    const text = (status: number, msg: string) => send(res, status, msg, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, nonce);
    if (!isAllowedHost(req.headers.host, port)) return text(421, 'This Meridian host only answers on 127.0.0.1 and localhost.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'Method not allowed.');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    } catch {
      return text(400, 'Bad request.');
    }

    if (pathname.startsWith('/download/')) {
      if (readCookie(req.headers.cookie, COOKIE) !== sessionToken) return text(403, 'Open Meridian first, then export again.');
      const entry = downloads.take(pathname.slice('/download/'.length));
      if (!entry || !fs.existsSync(entry.file)) return text(404, 'This download has expired; export again.');
      const size = fs.statSync(entry.file).size;
      res.writeHead(200, {
        ...securityHeaders(origin, nonce),
        'Content-Type': /\.pdf$/i.test(entry.name) ? 'application/pdf' : 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(entry.name),
        'Content-Length': String(size),
        'Cache-Control': 'no-store',
      });
      const stream = fs.createReadStream(entry.file);
      stream.pipe(res);
      const cleanup = () => fs.rm(entry.file, { force: true }, () => {});
      stream.on('close', cleanup);
      stream.on('error', () => res.destroy());
      return;
    }

    if (pathname === '/' || pathname === '/index.html') {
      const body = indexTemplate.replaceAll(NONCE_PLACEHOLDER, nonce);
      return send(
        res,
        200,
        body,
        {
          'Content-Type': MIME['.html']!,
          'Cache-Control': 'no-store',
          'Set-Cookie': `${COOKIE}=${sessionToken}; HttpOnly; SameSite=Strict; Path=/`,
        },
        nonce,
      );
    }

    const file = path.resolve(staticDir, '.' + path.posix.normalize(pathname));
    if (!file.startsWith(staticDir + path.sep)) return text(404, 'Not found.');
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      return text(404, 'Not found.');
    }
    const immutable = pathname.startsWith('/assets/');
    return send(
      res,
      200,
      data,
      { 'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache' },
      nonce,
    );
  };

  const server = http.createServer(handle);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = req.url ?? '';
    if (url !== '/ws') return refuse(404, 'Not Found');
    if (!isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, port)) return refuse(403, 'Forbidden');
    if (readCookie(req.headers.cookie, COOKIE) !== sessionToken) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
  });

  const frame = (event: string, payload: unknown) => JSON.stringify({ event, payload } satisfies RpcEvent);
  const broadcast = (event: string, payload: unknown) => {
    const text = frame(event, payload);
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(text);
  };

  wss.on('connection', (client: WebSocket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => sockets.delete(client));
    // Requests start one per turn of the event loop, in arrival order: a request whose work is
    // synchronous (most reads) is answered before the next one starts, so the first request a screen
    // sends (the first rows of a grid) is not held back by every query that arrived in the same
    // packet. Slow asynchronous ones (sync, jobs) do not hold up the rest.
    const queue: string[] = [];
    let running = false;
    const pump = async () => {
      if (running) return;
      running = true;
      try {
        for (let text = queue.shift(); text !== undefined; text = queue.shift()) {
          const started = trace ? performance.now() : 0;
          const request = text;
          void dispatch(api as never, request, log).then((response) => {
            if (client.readyState !== client.OPEN) return;
            const body = JSON.stringify(response);
            client.send(body);
            if (trace) log(`web host: ${/"method":"(\w+)"/.exec(request)?.[1] ?? '?'} ${(performance.now() - started).toFixed(0)} ms, ${body.length} bytes`);
          });
          await new Promise<void>((r) => setImmediate(r));
        }
      } finally {
        running = false;
      }
    };
    client.on('message', (data, isBinary) => {
      if (isBinary) return;
      queue.push(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
      void pump();
    });
  });

  const onJob = (p: unknown) => broadcast('jobProgress', p);
  const onData = (p: unknown) => broadcast('dataChanged', p);
  ws.events.on('jobProgress', onJob);
  ws.events.on('dataChanged', onData);
  const offSync = syncPort.onStatus((s) => broadcast('syncStatus', s));
  const offSyncData = syncPort.onDataChanged?.((e) => broadcast('dataChanged', e)) ?? (() => {});
  const offSession = syncPort.onSession?.(() => void ui.session({}).then((s: SessionView) => broadcast('session', s))) ?? (() => {});

  try {
    port = await listen(server, options.port ?? 0);
  } catch (e) {
    offSync();
    offSyncData();
    offSession();
    await syncPort.close?.();
    await ws.close();
    downloads.close();
    throw e;
  }
  origin = `http://127.0.0.1:${port}`;

  let closed = false;
  return {
    url: `${origin}/`,
    port,
    workstation: ws,
    sync: syncPort,
    setActor(actor) {
      ws.actor = actor;
      void ui.session({}).then((s: SessionView) => broadcast('session', s));
    },
    broadcast,
    async close() {
      if (closed) return;
      closed = true;
      ws.events.off('jobProgress', onJob);
      ws.events.off('dataChanged', onData);
      offSync();
      offSyncData();
      offSession();
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await syncPort.close?.();
      await ws.close();
      downloads.close();
    },
  };
}
