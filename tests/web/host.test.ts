/** The web host end to end in Node: HTTP hardening, the contract over a real WebSocket, events, downloads. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWebHost, type WebHost } from '../../electron/hosts/web/host';
import { seedBasics, M } from '../helpers/seed';
import { tempDir } from '../helpers/temp';

let host: WebHost;
let staticDir: string;
let cookie = '';

beforeAll(async () => {
  staticDir = tempDir('meridian-web-static-');
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><meta name="csp-nonce" content="__MERIDIAN_CSP_NONCE__"><title>t</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  host = await createWebHost({
    dbFile: path.join(tempDir(), 'meridian.sqlite'),
    staticDir,
    port: 0,
    seed: (ws) => seedBasics(ws),
    today: () => '2024-06-30',
    log: () => {},
  });
  const res = await fetch(host.url);
  cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
});

afterAll(async () => {
  await host?.close();
});

function connect(headers: Record<string, string> = { Origin: `http://127.0.0.1:${host.port}`, Cookie: cookie }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

interface Frame {
  id?: number;
  ok?: boolean;
  value?: unknown;
  error?: { code: string; message: string; problems: unknown[] };
  event?: string;
  payload?: unknown;
}

function client(ws: WebSocket) {
  let next = 1;
  const frames: Frame[] = [];
  const waiters: ((f: Frame) => void)[] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Frame;
    frames.push(f);
    for (const w of waiters.splice(0)) w(f);
  });
  const waitFor = (pred: (f: Frame) => boolean) =>
    new Promise<Frame>((resolve) => {
      const found = frames.find(pred);
      if (found) return resolve(found);
      const check = (f: Frame) => (pred(f) ? resolve(f) : waiters.push(check));
      waiters.push(check);
    });
  return {
    frames,
    waitFor,
    call: async (method: string, input?: unknown) => {
      const id = next++;
      ws.send(JSON.stringify({ id, method, input }));
      return waitFor((f) => f.id === id);
    },
  };
}

describe('web host over HTTP', () => {
  it('serves the page with a strict CSP, its nonce and an HttpOnly SameSite=Strict session cookie', async () => {
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(await res.text()).toContain(`content="${nonce}"`);
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('serves assets and nothing outside the renderer folder', async () => {
    const js = await fetch(`${host.url}assets/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${host.url}assets/..%2f..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${host.url}assets/missing.js`)).status).toBe(404);
    expect((await fetch(host.url, { method: 'POST' })).status).toBe(405);
  });

  it('listens on 127.0.0.1 only and refuses other Host names (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: host.port, path: '/', headers: { Host: 'evil.example' } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    expect(res).toBe(421);
  });

  it('refuses a WebSocket from another origin or without the session cookie', async () => {
    await expect(connect({ Origin: 'http://evil.example', Cookie: cookie })).rejects.toThrow(/403/);
    await expect(connect({ Origin: `http://127.0.0.1:${host.port}` })).rejects.toThrow(/403/);
  });
});

describe('the contract over the WebSocket', () => {
  it('answers reads, validates inputs and pushes dataChanged after a mutation', async () => {
    const ws = await connect();
    const c = client(ws);
    const funds = await c.call('listFunds', {});
    expect(funds.ok).toBe(true);
    expect((funds.value as { name: string }[]).map((f) => f.name)).toEqual(['Growth Fund I']);

    const bad = await c.call('checkAllocation', { fundId: 'F1', dealId: 'D1', amount: 'lots' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    const check = await c.call('checkAllocation', { fundId: 'F1', dealId: 'D1', amount: M(12_000_000) });
    expect((check.value as { code: string }[]).map((p) => p.code)).toContain('DEAL_ALLOCATION_LIMIT_EXCEEDED');

    const created = await c.call('mutate', { name: 'createAllocation', args: { id: 'A1', fundId: 'F1', dealId: 'D1', amount: M(1_000_000), date: '2024-01-15' } });
    expect(created.ok).toBe(true);
    const event = await c.waitFor((f) => f.event === 'dataChanged');
    expect((event.payload as { entities: string[] }).entities).toContain('allocation');

    const refused = await c.call('mutate', { name: 'createAllocation', args: { id: 'A2', fundId: 'F1', dealId: 'D1', amount: M(9_500_000), date: '2024-01-15' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'DEAL_ALLOCATION_LIMIT_EXCEEDED' } });
    expect(refused.error!.message).toMatch(/at most USD 9,000,000.00 more can go to this deal/);
    ws.close();
  });

  it('serves the UI additions: session, rules, positions, cash flows, history, sync status', async () => {
    const ws = await connect();
    const c = client(ws);
    expect((await c.call('session')).value).toMatchObject({ userId: 'local', role: 'admin', today: '2024-06-30', host: 'web' });
    expect((await c.call('businessRules')).value).toMatchObject({ maxFundUtilisationPct: 95 });
    const positions = (await c.call('investorPositions', {})).value as { investorName: string; commitment: number; unfunded: number }[];
    expect(positions.find((p) => p.investorName === 'Pension Plan A')).toMatchObject({ commitment: M(5_000_000), unfunded: M(5_000_000) });
    expect((await c.call('fundCashflows', { fundId: 'F1' })).value).toMatchObject({ currency: 'USD', contributions: [], navMarks: [] });
    const history = (await c.call('recordHistory', { entity: 'allocation', id: 'A1' })).value as { action: string; state: string; summary: string }[];
    expect(history[0]).toMatchObject({ action: 'createAllocation', state: 'pending' });
    expect(history[0]!.summary).toContain('amount USD 1,000,000.00');
    const status = (await c.call('syncStatus')).value as { state: string; pending: number };
    expect(status.state).toBe('standalone');
    expect(status.pending).toBeGreaterThan(0);
    expect((await c.call('discardRejection', { id: 'nope' })).error?.code).toBe('NOT_FOUND');
    ws.close();
  });

  it('pages a fund\'s allocations as compact rows in date order', async () => {
    const ws = await connect();
    const c = client(ws);
    await c.call('mutate', { name: 'createAllocation', args: { id: 'A0', fundId: 'F1', dealId: 'D2', amount: M(200_000), date: '2023-12-01' } });
    const first = (await c.call('allocationRows', { fundId: 'F1', limit: 1 })).value as { total: number; currency: string; rows: unknown[][] };
    expect(first.total).toBe(2);
    expect(first.currency).toBe('USD');
    expect(first.rows).toHaveLength(1);
    expect(first.rows[0]!.slice(0, 5)).toEqual(['A0', 'D2', 'Borealis Health', 'common_equity', M(200_000)]);
    const rest = (await c.call('allocationRows', { fundId: 'F1', offset: 1 })).value as { rows: unknown[][] };
    expect(rest.rows.map((r) => r[0])).toEqual(['A1']);
    expect((await c.call('allocationRows', { fundId: 'nope' })).error?.code).toBe('NOT_FOUND');
    expect((await c.call('allocationRows', { fundId: 'F1', limit: 0 })).error?.code).toBe('INVALID_INPUT');
    ws.close();
  });

  it('tells every page when the actor changes', async () => {
    const ws = await connect();
    const c = client(ws);
    await c.call('session');
    host.setActor({ userId: 'pm1', role: 'portfolio_manager' });
    const e = await c.waitFor((f) => f.event === 'session');
    expect(e.payload).toMatchObject({ userId: 'pm1', role: 'portfolio_manager' });
    host.setActor({ userId: 'local', role: 'admin' });
    ws.close();
  });

  it('exports CSV as a one-time download with Content-Disposition', async () => {
    const ws = await connect();
    const c = client(ws);
    const r = await c.call('saveExport', { kind: 'allocations', fundId: 'F1', suggestedName: '../allocations "growth".csv' });
    expect(r.ok).toBe(true);
    const { downloadUrl, rows, file } = r.value as { downloadUrl: string; rows: number; file: string };
    expect(rows).toBe(2);
    expect(file).toBe('allocations growth.csv');
    expect(await fetch(new URL(downloadUrl, host.url)).then((x) => x.status)).toBe(403); // no cookie
    const dl = await fetch(new URL(downloadUrl, host.url), { headers: { Cookie: cookie } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toBe(`attachment; filename="allocations growth.csv"; filename*=UTF-8''allocations%20growth.csv`);
    const text = await dl.text();
    expect(text.split(/\r?\n/)[0]).toMatch(/fund/i);
    expect(text).toContain('Acme Robotics');
    expect((await fetch(new URL(downloadUrl, host.url), { headers: { Cookie: cookie } })).status).toBe(404); // once
    ws.close();
  });
});
