// Screenshots of the Circuits panel in headless Chromium, dark and light, without VS Code: the
// page is sent the message the extension sends ('circuits' with the model's URI) and shot whole.
// The result is circuit discovery run here on a model (a .snn file, startCircuits as the command
// runs it), a CircuitsResult JSON file (`spikeworks circuits FILE --format json`) or, with
// none given, the two-task fixture of the tests (test/helpers/circuits-fixture.ts); `large`: a
// generated 6-layer network with 4 tasks (circuitsFixtureLarge).
//   npx tsx bench/circuits-shot.ts <out-prefix> [model.snn | result.json | large] [width]
//   → <out-prefix>-dark.png, <out-prefix>-light.png, and the panel's own exports of the dark page:
//     <out-prefix>.svg and <out-prefix>-export.png
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { lowerModel } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import { isCircuitsResult } from '../protocol/circuits';
import { startCircuits } from '../sim-host/src/host';
import { circuitsFixture, circuitsFixtureLarge } from '../test/helpers/circuits-fixture';
import { THEME, THEME_LIGHT } from './panel-theme';

const root = join(__dirname, '..');
const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';

/** Circuit discovery on a model, as Show Circuit Reuse runs it (startCircuits on the built worker). */
async function analyse(file: string): Promise<unknown> {
  const path = resolve(file);
  const outcome = lowerModel({ file: path }, { host: nodeHost, prelude: preludeAt(join(root, 'language-server')) });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics).slice(0, 500));
  const t0 = Date.now();
  const result = await startCircuits(outcome.ir, { source: basename(path), baseDir: dirname(path) }, undefined, join(root, 'dist', 'sim-worker.js')).result;
  console.log(`${basename(path)}: ${result.runs} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

async function main(): Promise<void> {
  const [prefix, file, width] = process.argv.slice(2);
  if (!prefix) throw new Error('usage: circuits-shot.ts <out-prefix> [result.json] [width]');
  const result: unknown = file === 'large' ? circuitsFixtureLarge() : file?.endsWith('.snn') ? await analyse(file) : file ? JSON.parse(readFileSync(file, 'utf8')) : circuitsFixture();
  if (!isCircuitsResult(result)) throw new Error(`${file} is not a CircuitsResult`);
  const js = readFileSync(join(root, 'dist', 'webviews', 'circuits.js'));
  const css = readFileSync(join(root, 'dist', 'webviews', 'circuits.css'));
  const themes = { dark: THEME, light: THEME_LIGHT };
  const http = createServer((req, res) => {
    if (req.url?.startsWith('/p.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url?.startsWith('/p.css')) return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    const light = req.url?.includes('light');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><style>${light ? themes.light : themes.dark}</style><link rel="stylesheet" href="/p.css"></head><body class="${light ? 'vscode-light' : 'vscode-dark'}"><div id="app"></div>
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });</script><script src="/p.js"></script></body></html>`);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  mkdirSync(dirname(resolve(prefix)), { recursive: true });
  try {
    for (const theme of ['dark', 'light'] as const) {
      const page = await browser.newPage({ viewport: { width: Number(width ?? 1280), height: 1250 } });
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/${theme}`);
      await page.waitForFunction('document.querySelector(".toolbar")');
      const t0 = Date.now();
      await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'circuits', document: 'file:///work/two_tasks.snn', result })}, '*')`);
      await page.waitForFunction('document.querySelectorAll(".graph-wrap .node").length > 0');
      console.log(`${theme}: drawn in ${Date.now() - t0} ms (message to graph on the page)`);
      // Focus the first shared component, as a keyboard user would see it.
      await page.evaluate(`document.querySelector('.graph-wrap .node.shared')?.focus()`);
      await page.waitForTimeout(200);
      const out = `${prefix}-${theme}.png`;
      await page.screenshot({ path: out, fullPage: true });
      console.log(out);
      if (theme === 'dark') {
        await page.locator('vscode-button', { hasText: 'Export SVG' }).click();
        const posted = (await page.evaluate('window.__posted')) as { type: string; format?: string; data?: string }[];
        const svg = posted.find((m) => m.format === 'svg')?.data;
        if (svg) {
          writeFileSync(`${prefix}.svg`, svg);
          console.log(`${prefix}.svg`);
        }
        await page.locator('vscode-button', { hasText: 'Export PNG' }).click();
        await page.waitForFunction('window.__posted.some((m) => m.format === "png")');
        const png = ((await page.evaluate('window.__posted')) as { format?: string; data?: string }[]).find((m) => m.format === 'png')?.data ?? '';
        writeFileSync(`${prefix}-export.png`, Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64'));
        console.log(`${prefix}-export.png`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    http.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
