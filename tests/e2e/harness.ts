/**
 * Starts the web host on a temporary profile and Chromium against it.
 * Every page collects console errors, page errors and CSP violations; a test
 * ends with expectCleanConsole() so a regression there fails loudly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createWebHost, type WebHost, type WebHostOptions } from '../../electron/hosts/web/host';
import type { Workstation } from '../../electron/core/workstation';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface App {
  host: WebHost;
  ws: Workstation;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dir: string;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Omit<WebHostOptions, 'dbFile' | 'staticDir' | 'port' | 'build'>> {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Console errors to tolerate (e.g. a failed request the test provokes on purpose). */
  allowConsole?: RegExp[];
  acceptDownloads?: boolean;
}

export async function startApp(options: StartOptions = {}): Promise<App> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-e2e-'));
  const { colorScheme = 'light', viewport = { width: 1440, height: 900 }, allowConsole = [], ...hostOptions } = options;
  const host = await createWebHost({ seed: 'none', log: () => {}, ...hostOptions, dbFile: path.join(dir, 'meridian.sqlite'), port: 0, build: 'never' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport, colorScheme, acceptDownloads: options.acceptDownloads ?? true, locale: 'en-US', timezoneId: 'UTC' });
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      const text = m.text();
      if ((m.type() === 'error' || /Content Security Policy/i.test(text)) && !allowConsole.some((r) => r.test(text))) problems.push(`console: ${text}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    return page;
  };
  const page = watch(await context.newPage());
  return {
    host,
    ws: host.workstation,
    browser,
    context,
    page,
    dir,
    problems,
    newPage: async () => watch(await context.newPage()),
    async close() {
      await browser.close().catch(() => {});
      await host.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function expectCleanConsole(app: App) {
  expect(app.problems, 'console errors, page errors or CSP violations').toEqual([]);
}

/** The grid cell of a row (by row id) and column (by col id). */
export function cell(page: Page, rowId: string, colId: string) {
  return page.locator(`.ag-row[row-id="${rowId}"] .ag-cell[col-id="${colId}"]`).first();
}
