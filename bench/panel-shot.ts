// Screenshots of a result panel with a real run, without VS Code: lowers a model through the
// façade, runs it on the simulation worker, sends the panel the messages the extension sends
// (run, spikes, samples, status; then a cursor) and screenshots headless Chromium.
//   npx tsx bench/panel-shot.ts <model.snn> <raster|traces> <width> <out.png> [duration_s] [cursor_s] [height]
//   SEED=<n> overrides the model's seed (the run uses the seed the model gives otherwise).
//   DESCRIBE=<formula> (raster): describes the run's neurons (sim-host/src/analysis/describe) and
//   sends the raster the highlight the Descriptions panel's row of that formula asks for.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve, basename } from 'node:path';
import { chromium } from 'playwright-core';
import { lowerModel } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import { isConnection, recordedPopulations, traceUnit } from '../extension/src/simulation/model';
import { startRun } from '../sim-host/src/host';
import { buildAtoms, describablePopulations, describeUnits, descriptionsView, modelWindows, spikeCounts } from '../sim-host/src/analysis/describe/index';

const root = join(__dirname, '..');
const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
import { THEME } from './panel-theme';
import type { ModelIR } from '../protocol/ir';

async function main(): Promise<void> {
  const [file, panel, width, out, duration, cursor, height] = process.argv.slice(2);
  const path = resolve(file);
  const outcome = lowerModel({ file: path }, { host: nodeHost, prelude: preludeAt(join(root, 'language-server')) });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.diagnostics).slice(0, 500));
  const ir = outcome.ir;
  const run = await startRun(ir, { ...(process.env.SEED ? { seed: Number(process.env.SEED) } : {}), baseDir: dirname(path), ...(duration ? { duration: Number(duration) } : {}) }, undefined, join(root, 'dist', 'sim-worker.js')).result;
  // COMPARE=1: a first run with seed 2 is sent as the previous run, and Compare is pressed.
  const compare = process.env.COMPARE ? await startRun(ir, { seed: 2, baseDir: dirname(path), ...(duration ? { duration: Number(duration) } : {}) }, undefined, join(root, 'dist', 'sim-worker.js')).result : undefined;
  const recorded = recordedPopulations(ir);
  const info = { runId: 'shot', document: `file://${path}`, fileName: basename(path), model: ir.name, dt: run.dt, steps: run.steps, seed: run.seed, backend: 'wasm', populations: run.populations.map((p) => ({ ...p, recorded: recorded.has(p.name) })) };
  const messages = [
    { type: 'run', run: info },
    { type: 'spikes', runId: 'shot', spikes: run.spikes.map((s) => ({ name: s.name, size: s.size, steps: Array.from(s.steps), neurons: Array.from(s.neurons) })) },
    { type: 'samples', runId: 'shot', chunks: run.traces.map((t) => ({ trace: { population: t.population, variable: t.variable, unit: traceUnit(ir, t.population, t.variable), neurons: t.neurons, every: t.every, ...(isConnection(ir, t.population) ? { synapses: true } : {}) }, from: 0, data: Array.from(t.data) })) },
    { type: 'status', runId: 'shot', status: 'done', stepsDone: run.stepsDone },
    ...(compare ? [{ type: 'previous', runId: 'shot', previous: {
      run: { ...info, runId: 'before', seed: compare.seed },
      stepsDone: compare.stepsDone,
      spikes: compare.spikes.map((s) => ({ name: s.name, size: s.size, steps: Array.from(s.steps), neurons: Array.from(s.neurons) })),
      chunks: compare.traces.map((t) => ({ trace: { population: t.population, variable: t.variable, unit: traceUnit(ir, t.population, t.variable), neurons: t.neurons, every: t.every, ...(isConnection(ir, t.population) ? { synapses: true } : {}) }, from: 0, data: Array.from(t.data) })),
    } }] : []),
    ...(cursor ? [{ type: 'cursor', time: Number(cursor) }] : []),
    ...(process.env.DESCRIBE ? [describedGroup(ir, run, process.env.DESCRIBE)] : []),
  ];
  const js = readFileSync(join(root, 'dist', 'webviews', `${panel}.js`));
  const css = readFileSync(join(root, 'dist', 'webviews', `${panel}.css`));
  const http = createServer((req, res) => {
    if (req.url?.startsWith('/p.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url?.startsWith('/p.css')) return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><style>${THEME}</style><link rel="stylesheet" href="/p.css"></head><body class="vscode-dark"><div id="app"></div><script src="/p.js"></script></body></html>`);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height ?? 900) } });
    page.on('pageerror', (e) => console.error('page error:', e.message));
    page.on('console', (m) => console.log('console:', m.text()));
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    await page.waitForTimeout(300);
    // A string, not a function: tsx would wrap a function's inner arrows in its __name helper.
    await page.evaluate(`(() => {
      const ms = ${JSON.stringify(messages)};
      for (const m of ms) {
        if (m.type === 'spikes') m.spikes = m.spikes.map((s) => ({ ...s, steps: Int32Array.from(s.steps), neurons: Int32Array.from(s.neurons) }));
        if (m.type === 'samples') m.chunks = m.chunks.map((c) => ({ ...c, data: Float32Array.from(c.data) }));
        if (m.type === 'previous' && m.previous) {
          m.previous.spikes = m.previous.spikes.map((s) => ({ ...s, steps: Int32Array.from(s.steps), neurons: Int32Array.from(s.neurons) }));
          m.previous.chunks = m.previous.chunks.map((c) => ({ ...c, data: Float32Array.from(c.data) }));
        }
        window.postMessage(m, '*');
      }
    })()`);
    await page.waitForTimeout(800);
    // KEYS="Shift+Equal Shift+Equal …": keys pressed on the plot (raster: zoom neurons, pan…).
    if (process.env.KEYS) {
      await page.locator('.plot').focus();
      for (const k of process.env.KEYS.split(' ')) await page.keyboard.press(k);
      await page.waitForTimeout(400);
    }
    if (compare) {
      await page.locator('vscode-button', { hasText: 'Compare' }).click();
      await page.waitForTimeout(400);
    }
    mkdirSync(dirname(resolve(out)), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    console.log(`${out}: ${run.spikes.reduce((a, s) => a + s.steps.length, 0)} spikes, traces ${run.traces.map((t) => `${t.variable}(${t.population}) ×${t.neurons.length}`).join(', ')}`);
  } finally {
    await browser.close();
    http.close();
  }
}

/** The raster highlight of the described group with formula `formula` (as a row click sends it). */
function describedGroup(ir: ModelIR, run: Awaited<ReturnType<typeof startRun>['result']>, formula: string) {
  const win = modelWindows(ir, ir.simulate.duration);
  const atoms = buildAtoms(win.windows);
  const done = describablePopulations(ir, []).names.map((population) => {
    const spikes = run.spikes.find((s) => s.name === population)!;
    return { population, result: describeUnits({ units: spikes.size, windows: win.windows.length, counts: spikeCounts(spikes, run.dt, win.windows) }, atoms, { seed: 1 }) };
  });
  const view = descriptionsView(ir.name, win.windows, win.source, atoms.atoms.length, done);
  for (const p of view.populations) {
    const g = p.groups.find((x) => x.formula === formula);
    if (g) {
      console.log(`marked ${p.population} ${g.formula}: ${g.units.length} neurons, exemplars ${g.exemplars.map(([a, b]) => `${a}–${b}`).join(', ')}`);
      return { type: 'highlight', runId: 'shot', highlight: { population: p.population, units: g.units, windows: g.exemplars, label: g.formula } };
    }
  }
  throw new Error(`no group described as ${formula}: ${view.populations.flatMap((p) => p.groups.map((g) => g.formula)).join(' | ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
