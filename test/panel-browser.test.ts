// Both result panels (dist/webviews/*.js) in headless Chromium, fed the extension's messages
// (issue 13): the help list is never cut off and its Help button works from the keyboard
// (4); exported PNGs are at least twice the CSS size and SVGs carry the title, file, seed,
// duration and legend (5). Skipped with the reason when chromium is absent and CI is not set.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './helpers/build';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;
const THEME = `body { --vscode-editor-background:#1f1f1f; --vscode-editor-foreground:#cccccc; --vscode-descriptionForeground:#9d9d9d;
  --vscode-charts-blue:#3794ff; --vscode-charts-red:#f14c4c; --vscode-font-family:sans-serif; --vscode-font-size:13px; }`;

/** A small run as the extension sends it: 2 populations, spikes, one trace; model text in the names. */
const MESSAGES = `(() => {
  const run = { runId: 'r1', document: 'file:///w/demo.snn', fileName: 'demo.snn', model: 'Demo network', dt: 1e-4, steps: 5000, seed: 4242, backend: 'wasm',
    populations: [{ name: 'exc', size: 80, recorded: true }, { name: 'inh', size: 20, recorded: true }] };
  const spikes = (n, size) => { const s = new Int32Array(n), m = new Int32Array(n); for (let k = 0; k < n; k++) { s[k] = Math.floor(k * 5000 / n); m[k] = (k * 37) % size; } return { steps: s, neurons: m }; };
  const data = new Float32Array(3 * 500); for (let k = 0; k < data.length; k++) data[k] = -0.07 + 0.001 * (k % 3) + 1e-5 * k;
  return [
    { type: 'run', run },
    { type: 'spikes', runId: 'r1', spikes: [{ name: 'exc', size: 80, ...spikes(2000, 80) }, { name: 'inh', size: 20, ...spikes(800, 20) }] },
    { type: 'samples', runId: 'r1', chunks: [{ trace: { population: 'exc', variable: 'v', unit: 'V', neurons: [0, 1, 2], every: 1e-3 }, from: 0, data }] },
    { type: 'status', runId: 'r1', status: 'done', stepsDone: 5000 },
  ];
})()`;

let server: Server;
let browser: Browser;
let base = '';

async function open(panel: 'raster' | 'traces', width: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${base}/${panel}`);
  await page.waitForFunction('document.querySelector(".toolbar")');
  await page.evaluate(`for (const m of ${MESSAGES}) window.postMessage(m, '*')`);
  await page.waitForTimeout(400);
  return page;
}

/** Clicks Export… with `format` chosen; returns the message the panel posted. */
async function exportAs(page: Page, format: 'png' | 'svg'): Promise<{ fileName: string; data: string }> {
  await page.evaluate(`(() => { window.__posted.length = 0; const s = document.querySelector('.export-format'); s.value = '${format}'; })()`);
  await page.locator('vscode-button', { hasText: 'Export' }).click();
  await page.waitForFunction('window.__posted.some((m) => m.type === "export")');
  return (await page.evaluate('window.__posted.find((m) => m.type === "export")')) as { fileName: string; data: string };
}

/** Width and height from a PNG's IHDR. */
function pngSize(dataUrl: string): { width: number; height: number } {
  const b = Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
  assert.equal(b.toString('ascii', 1, 4), 'PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('result panels in Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    const files = (name: string) => ({ js: readFileSync(join(repoRoot, 'dist', 'webviews', `${name}.js`)), css: readFileSync(join(repoRoot, 'dist', 'webviews', `${name}.css`)) });
    const panels = { raster: files('raster'), traces: files('traces') };
    server = createServer((req, res) => {
      const [, name, ext] = /^\/(raster|traces)(?:\.(js|css))?/.exec(req.url ?? '') ?? [];
      const p = panels[name as 'raster' | 'traces'];
      if (!p) return res.writeHead(404).end();
      if (ext === 'js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(p.js);
      if (ext === 'css') return res.writeHead(200, { 'content-type': 'text/css' }).end(p.css);
      // acquireVsCodeApi as VS Code injects it; posted messages are kept for the test.
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><style>${THEME}</style><link rel="stylesheet" href="/${name}.css"></head><body class="vscode-dark"><div id="app"></div>
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });</script><script src="/${name}.js"></script></body></html>`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('raster: Shift and + (Shift+= on a US keyboard) zooms neurons, not time; = zooms time', async () => {
    const page = await open('raster', 1000);
    const plot = page.locator('.plot');
    await plot.focus();
    const window = async () => [await plot.getAttribute('data-from'), await plot.getAttribute('data-to')].join('–');
    const before = await window();
    await page.keyboard.press('Shift+Equal');
    await page.waitForTimeout(100);
    assert.equal(await window(), before, 'Shift+= zoomed time');
    await page.keyboard.press('Equal');
    await page.waitForTimeout(100);
    assert.notEqual(await window(), before, '= did not zoom time');
    await page.close();
  });

  it('raster: the header shows the run\'s readout scores as plain text, and a new run drops them', async () => {
    const page = await open('raster', 1200);
    assert.equal(await page.locator('#run-readouts').count(), 0, 'no readouts, no text');
    await page.evaluate(`window.postMessage({ type: 'status', runId: 'r1', status: 'done', stepsDone: 5000, readouts: ['r 85.0 % (chance 25.0 %)', '<b id="bold">x</b>: not evaluated'] }, '*')`);
    await page.waitForSelector('#run-readouts');
    assert.equal(await page.locator('#run-readouts').textContent(), ' · r 85.0 % (chance 25.0 %) · <b id="bold">x</b>: not evaluated');
    assert.equal(await page.locator('#bold').count(), 0, 'model text is never markup');
    await page.evaluate(`window.postMessage(${MESSAGES}[0], '*')`);
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#run-readouts').count(), 0, 'a new run starts without readouts');
    await page.close();
  });

  for (const panel of ['raster', 'traces'] as const) {
    it(`${panel}: the help is never cut off (1600 and 600 px) and the Help button toggles it from the keyboard`, async () => {
      for (const width of [1600, 600]) {
        const page = await open(panel, width);
        const cut = (await page.evaluate(`(() => {
          const h = document.querySelector('.hint');
          const items = [...h.children].map((li) => li.getBoundingClientRect());
          return { overflow: h.scrollWidth - h.clientWidth, items: items.length, outside: items.filter((r) => r.right > innerWidth + 0.5 || r.width === 0).length };
        })()`)) as { overflow: number; items: number; outside: number };
        assert.ok(cut.overflow <= 1, `${panel} at ${width}px: help cut off by ${cut.overflow}px`);
        assert.ok(cut.items >= 4, `${panel} at ${width}px: ${cut.items} help items`);
        assert.equal(cut.outside, 0, `${panel} at ${width}px: help items outside the panel`);
        if (width === 600) {
          const help = page.locator('vscode-button.help-toggle');
          assert.equal(await help.getAttribute('aria-expanded'), 'true');
          await help.focus();
          await page.keyboard.press('Enter');
          assert.equal(await help.getAttribute('aria-expanded'), 'false');
          assert.equal(await page.evaluate('document.querySelector(".hint").getBoundingClientRect().height'), 0);
          await page.keyboard.press(' ');
          assert.equal(await help.getAttribute('aria-expanded'), 'true');
        }
        await page.close();
      }
    });

    it(`${panel}: PNG export at ≥ 2× the CSS size; SVG with title, file, seed, duration and legend`, async () => {
      const page = await open(panel, 1000);
      const css = (await page.evaluate(`(() => { const c = document.querySelector('${panel === 'raster' ? '.overlay' : 'canvas.chart'}'); return { w: c.clientWidth, h: c.clientHeight }; })()`)) as { w: number; h: number };
      const png = await exportAs(page, 'png');
      const size = pngSize(png.data);
      mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
      writeFileSync(join(repoRoot, 'test-results', `export-${panel}.png`), Buffer.from(png.data.replace(/^data:image\/png;base64,/, ''), 'base64'));
      assert.ok(size.width >= 2 * css.w, `PNG ${size.width}×${size.height} for a ${css.w}×${css.h} CSS plot`);
      assert.ok(size.height >= 2 * css.h, `PNG ${size.width}×${size.height} for a ${css.w}×${css.h} CSS plot`);
      const svg = (await exportAs(page, 'svg')).data;
      writeFileSync(join(repoRoot, 'test-results', `export-${panel}.svg`), svg);
      const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      assert.ok(texts.includes('Demo network'), 'title (the model name)');
      const sub = texts.find((t) => t.includes('demo.snn')) ?? '';
      assert.match(sub, /seed 4242/);
      assert.match(sub, /duration 500 ms/);
      assert.ok(texts.includes('exc') && texts.includes('inh'), 'legend');
      await page.close();
    });
  }
});
