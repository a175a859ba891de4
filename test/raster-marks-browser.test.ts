// The raster's marks from the Descriptions panel (issue 17: "clicking a row shows its exemplar
// windows in the raster"), in headless Chromium: the typed `highlight` message zooms the view to
// the first exemplar window, the overlay shades every window and ticks the group's neurons (read
// back from the canvas pixels), n / Shift+N step through the windows, malformed or other-run
// marks are dropped, and the marks come back after a reload (the state VS Code keeps).
// Skipped with the reason when chromium is absent and CI is not set.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { RasterHighlight } from '../protocol/raster';
import { ensureBuilt, repoRoot } from './helpers/build';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;
const THEME = `body { --vscode-editor-background:#1f1f1f; --vscode-editor-foreground:#cccccc; --vscode-descriptionForeground:#9d9d9d;
  --vscode-focusBorder:#ffcc00; --vscode-charts-blue:#3794ff; --vscode-charts-red:#f14c4c; --vscode-font-family:sans-serif; --vscode-font-size:13px; }`;

/** A 0.5 s run of 80 + 20 neurons, as the extension sends it. */
const RUN = `(() => {
  const run = { runId: 'r1', document: 'file:///w/demo.snn', fileName: 'demo.snn', model: 'Demo', dt: 1e-4, steps: 5000, seed: 1, backend: 'wasm',
    populations: [{ name: 'exc', size: 80, recorded: true }, { name: 'inh', size: 20, recorded: true }] };
  const spikes = (n, size) => { const s = new Int32Array(n), m = new Int32Array(n); for (let k = 0; k < n; k++) { s[k] = Math.floor(k * 5000 / n); m[k] = (k * 37) % size; } return { steps: s, neurons: m }; };
  return [
    { type: 'run', run },
    { type: 'spikes', runId: 'r1', spikes: [{ name: 'exc', size: 80, ...spikes(2000, 80) }, { name: 'inh', size: 20, ...spikes(800, 20) }] },
    { type: 'status', runId: 'r1', status: 'done', stepsDone: 5000 },
  ];
})()`;

const MARKS: RasterHighlight = { population: 'exc', units: [0, 1, 2, 3, 4], windows: [[0.2, 0.25], [0.05, 0.1], [0.4, 0.45]], label: 'A AND NOT B' };

let server: Server;
let browser: Browser;
let base = '';

/** Opens the raster; `state` is what VS Code hands back after a reload. */
async function open(state?: unknown): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${base}/?state=${encodeURIComponent(JSON.stringify(state ?? null))}`);
  await page.waitForFunction('document.querySelector(".toolbar")');
  await page.evaluate(`for (const m of ${RUN}) window.postMessage(m, '*')`);
  await page.waitForFunction('document.querySelector(".plot").dataset.from !== undefined');
  return page;
}

const send = (page: Page, m: unknown) => page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
const viewOf = async (page: Page) => ({ from: Number(await page.locator('.plot').getAttribute('data-from')), to: Number(await page.locator('.plot').getAttribute('data-to')) });

/** Alpha of overlay pixels at fractions of the plot rectangle (the density canvas's place), and at the right margin. */
async function overlayAlpha(page: Page, points: { fx: number; row?: number; fy?: number; margin?: boolean }[]): Promise<number[]> {
  await page.waitForTimeout(150);
  return (await page.evaluate(`(() => {
    const d = document.querySelector('canvas.density');
    const o = document.querySelector('canvas.overlay');
    const g = { x: parseFloat(d.style.left), y: parseFloat(d.style.top), w: parseFloat(d.style.width), h: parseFloat(d.style.height) };
    const dpr = o.width / o.getBoundingClientRect().width;
    const ctx = o.getContext('2d');
    const plot = document.querySelector('.plot').dataset;
    return ${JSON.stringify(points)}.map((p) => {
      // Rows 0..80 (the exc band) fill the plot after the zoom: row r's middle.
      const y = g.y + (p.row !== undefined ? (p.row + 0.5) / 80 : p.fy) * g.h;
      const x = p.margin ? g.x + g.w + 7 : g.x + p.fx * g.w;
      return ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data[3];
    });
  })()`)) as number[];
}

describe('the raster marks a described group (Chromium)', { skip, timeout: 120_000 }, () => {
  before(async () => {
    ensureBuilt();
    const js = readFileSync(join(repoRoot, 'dist', 'webviews', 'raster.js'));
    const css = readFileSync(join(repoRoot, 'dist', 'webviews', 'raster.css'));
    server = createServer((req, res) => {
      if (req.url === '/raster.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      if (req.url === '/raster.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><style>${THEME}</style><link rel="stylesheet" href="/raster.css"></head><body class="vscode-dark"><div id="app"></div>
<script>window.__posted = []; window.__state = JSON.parse(new URLSearchParams(location.search).get('state')) ?? undefined;
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });</script><script src="/raster.js"></script></body></html>`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('zooms to the first exemplar window, shades the windows and ticks the neurons (pixels)', async () => {
    const page = await open();
    assert.deepEqual(await viewOf(page), { from: 0, to: 0.5 });
    await send(page, { type: 'highlight', runId: 'r1', highlight: MARKS });
    await page.waitForFunction('document.querySelector(".plot").dataset.markedUnits === "5"');
    const v = await viewOf(page);
    // Window [0.2, 0.25] with half its length either side: the view is [0.175, 0.275].
    assert.ok(Math.abs(v.from - 0.175) < 1e-9 && Math.abs(v.to - 0.275) < 1e-9, JSON.stringify(v));
    // Inside the window (the middle half of the plot) the overlay is shaded; before it, clear.
    // Row 60 is not marked (no row tint), rows 0–4 are.
    const [inside, outside, after, tickMarked, tickOther] = await overlayAlpha(page, [
      { fx: 0.5, row: 60 }, { fx: 0.1, row: 60 }, { fx: 0.9, row: 60 }, { fx: 0, row: 2, margin: true }, { fx: 0, row: 60, margin: true },
    ]);
    assert.ok(inside > 20 && inside < 90, `shaded window alpha ${inside}`);
    assert.equal(outside, 0, 'before the window');
    assert.equal(after, 0, 'after the window');
    assert.equal(tickMarked, 255, 'a marked neuron has a tick in the right margin');
    assert.equal(tickOther, 0, 'an unmarked neuron has none');
    const [rowMarked, rowOther] = await overlayAlpha(page, [{ fx: 0.1, row: 3 }, { fx: 0.1, row: 60 }]);
    assert.ok(rowMarked > 10, `marked row tint ${rowMarked}`);
    assert.equal(rowOther, 0);
    const note = (await page.textContent('#raster-marks')) ?? '';
    assert.match(note, /marked: exc A AND NOT B · 5 neurons · window 1 of 3/);
    await page.close();
  });

  it('n and Shift+N step through the windows from the keyboard; Clear marks removes them', async () => {
    const page = await open();
    await send(page, { type: 'highlight', runId: 'r1', highlight: MARKS });
    await page.waitForFunction('document.querySelector(".plot").dataset.markedUnits === "5"');
    await page.locator('.plot').focus();
    await page.keyboard.press('n');
    await page.waitForTimeout(100);
    let v = await viewOf(page);
    assert.ok(Math.abs(v.from - 0.025) < 1e-9 && Math.abs(v.to - 0.125) < 1e-9, `second window: ${JSON.stringify(v)}`);
    await page.keyboard.press('Shift+N');
    await page.keyboard.press('Shift+N');
    await page.waitForTimeout(100);
    v = await viewOf(page);
    assert.ok(Math.abs(v.from - 0.375) < 1e-9 && Math.abs(v.to - 0.475) < 1e-9, `previous of the first is the last: ${JSON.stringify(v)}`);
    assert.match((await page.textContent('#raster-marks')) ?? '', /window 3 of 3/);
    await page.locator('vscode-button', { hasText: 'Clear marks' }).click();
    await page.waitForTimeout(150);
    assert.equal(await page.locator('.plot').getAttribute('data-marked-units'), '');
    const [inside] = await overlayAlpha(page, [{ fx: 0.5, row: 60 }]);
    assert.equal(inside, 0, 'no shading once cleared');
    await page.close();
  });

  it('drops malformed marks and marks of another run', async () => {
    const page = await open();
    const warn: string[] = [];
    page.on('console', (m) => warn.push(m.text()));
    await send(page, { type: 'highlight', runId: 'r1', highlight: { ...MARKS, units: [-1] } });
    await send(page, { type: 'highlight', runId: 'r1', highlight: { ...MARKS, windows: [[0.3, 0.2]] } });
    await send(page, { type: 'highlight', runId: 'other', highlight: MARKS });
    await page.waitForTimeout(200);
    assert.equal(await page.locator('.plot').getAttribute('data-marked-units'), '');
    assert.deepEqual(await viewOf(page), { from: 0, to: 0.5 });
    assert.equal(warn.filter((t) => /dropped a malformed message/.test(t)).length, 2);
    await page.close();
  });

  it('the marks survive a reload (setState → getState) and label text is never markup', async () => {
    const page = await open();
    const label = '<img src=x onerror="window.__hacked=1">';
    await send(page, { type: 'highlight', runId: 'r1', highlight: { ...MARKS, label } });
    await page.waitForFunction('document.querySelector(".plot").dataset.markedUnits === "5"');
    await page.waitForTimeout(300);
    const state = (await page.evaluate('window.__state')) as { highlight?: RasterHighlight; runId?: string };
    assert.equal(state.runId, 'r1');
    assert.deepEqual(state.highlight, { ...MARKS, label });
    assert.equal(await page.locator('#raster-marks img').count(), 0);
    assert.equal(await page.evaluate('window.__hacked'), undefined);
    await page.close();
    const again = await open(state);
    await again.waitForFunction('document.querySelector(".plot").dataset.markedUnits === "5"');
    const v = await viewOf(again);
    assert.ok(Math.abs(v.from - 0.175) < 1e-9 && Math.abs(v.to - 0.275) < 1e-9, `view kept: ${JSON.stringify(v)}`);
    const [inside, tick] = await overlayAlpha(again, [{ fx: 0.5, row: 60 }, { fx: 0, row: 2, margin: true }]);
    assert.ok(inside > 20, 'shading restored');
    assert.equal(tick, 255, 'neuron ticks restored');
    await again.close();
    // A stored state of another run brings no marks.
    const other = await open({ ...state, runId: 'older' });
    await other.waitForTimeout(300);
    assert.equal(await other.locator('.plot').getAttribute('data-marked-units'), '');
    await other.close();
  });
});
