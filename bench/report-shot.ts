// A screenshot of the Target Report panel with a real emulation, without VS Code: lowers a model,
// emulates it on the simulation worker (the extension's path), sends the panel the 'report'
// message and screenshots headless Chromium (the theme variables of panel-shot.ts).
//   npx tsx bench/report-shot.ts <model.snn> <target> <width> <out.png> [duration_s]
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { lowerModel } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import { startEmulation } from '../sim-host/src/host';
import { THEME } from './panel-theme';

const root = join(__dirname, '..');
const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';

async function main(): Promise<void> {
  const [file, target, width, out, duration] = process.argv.slice(2);
  const path = resolve(file);
  const outcome = lowerModel({ file: path }, { host: nodeHost, prelude: preludeAt(join(root, 'language-server')) });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics).slice(0, 500));
  const { report } = await startEmulation(outcome.ir, { baseDir: dirname(path), ...(duration ? { duration: Number(duration) } : {}) }, target, join(root, 'dist', 'sim-worker.js'), basename(path)).result;
  const js = readFileSync(join(root, 'dist', 'webviews', 'target-report.js'));
  const css = readFileSync(join(root, 'dist', 'webviews', 'target-report.css'));
  const http = createServer((req, res) => {
    if (req.url?.startsWith('/p.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url?.startsWith('/p.css')) return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><style>${THEME} body { --vscode-errorForeground:#f48771; }</style><link rel="stylesheet" href="/p.css"></head><body class="vscode-dark"><div id="app"></div><script src="/p.js"></script></body></html>`);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: Number(process.env.HEIGHT ?? 1100) } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    page.on('console', (m) => console.log('console:', m.text()));
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    await page.waitForTimeout(300);
    await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'report', document: `file://${path}`, report })}, '*')`);
    await page.waitForTimeout(600);
    mkdirSync(dirname(resolve(out)), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`${out}: ${report.resources.cores.length} cores, ${report.fidelity.length} populations`);
  } finally {
    await browser.close();
    http.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
