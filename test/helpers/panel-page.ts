// A webview panel's bundle (dist/webviews/NAME.js and .css) served on 127.0.0.1 under a page
// that gives it acquireVsCodeApi, and headless Chromium to open it: the harness of the panels'
// browser tests. Skipped with the reason when chromium is absent and CI is not set.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureBuilt, repoRoot } from './build';

export const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumSkip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;

export interface PanelPage {
  /** The page's address. */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `api`: a script that defines window.acquireVsCodeApi (and what the test reads, e.g. window.__posted). */
export async function panelPage(name: string, api: string): Promise<PanelPage> {
  ensureBuilt();
  const js = readFileSync(join(repoRoot, 'dist', 'webviews', `${name}.js`));
  const css = readFileSync(join(repoRoot, 'dist', 'webviews', `${name}.css`));
  const server = createServer((req, res) => {
    if (req.url === `/${name}.js`) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url === `/${name}.css`) return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/${name}.css"></head><body class="vscode-dark"><div id="app"></div>
<script>${api}</script><script src="/${name}.js"></script></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  return {
    base,
    browser,
    close: async () => {
      await browser.close();
      server.close();
    },
  };
}

/** A new page of the panel, sent `message` as the extension would, once `ready` (a JS condition) holds. */
export async function openPanel(p: PanelPage, message: unknown, ready: string): Promise<Page> {
  const page = await p.browser.newPage({ viewport: { width: 1000, height: 700 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(p.base);
  await page.waitForFunction('document.querySelector(".toolbar")');
  await page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
  await page.waitForFunction(ready);
  return page;
}
