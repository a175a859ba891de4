// The WebGPU backend in a real browser: dist-style bundle (scripts/webgpu-browser.mjs) loaded
// into headless Chromium (Debian's /usr/bin/chromium, --enable-unsafe-webgpu: a SwiftShader
// adapter, no GPU needed), served from http://127.0.0.1 (a secure context). The page plans and
// runs the model on navigator.gpu; Node runs the same IR on the WASM engine; spike trains must
// be identical. Skipped with the reason only when chromium is absent and CI is not set (CI
// installs it: there, absence is a failure).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ModelIR } from '../protocol/ir';
import { Simulation } from '../sim-host/src/engine';
import type { BrowserRun } from '../sim-host/src/webgpu/browser-run';
// @ts-expect-error: a plain .mjs module of build options (no declarations)
import { webgpuBrowserOptions } from '../scripts/webgpu-browser.mjs';
import { repoRoot } from './helpers/build';
import { irOf } from './helpers/model';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--enable-unsafe-webgpu'];
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;


/** COBA at N = 800 (640 + 160) with p = 0.1: the same in-degree (80) as COBA-4000; seed 1 stays active (~12 Hz over 200 ms on WASM; seeds 2, 3, 5 fall silent). */
function smallCoba(): ModelIR {
  const ir = irOf({ file: 'examples/coba.snn' });
  ir.populations = ir.populations.map((p) => ({ ...p, size: p.size / 5 }));
  for (const c of ir.connections) {
    if (c.rule.kind === 'random') c.rule = { ...c.rule, p: 0.1 };
    for (const s of [...c.sources, ...c.targets]) s.to = Math.min(s.to, ir.populations.find((p) => p.name === s.name)!.size - 1);
  }
  ir.probes = ir.probes.filter((p) => p.variable === 'spikes');
  // The probes shrink with their populations (the engine refuses a slice outside its population).
  for (const pr of ir.probes) for (const s of pr.targets) s.to = Math.min(s.to, ir.populations.find((p) => p.name === s.name)!.size - 1);
  ir.simulate.seed = 1;
  return ir;
}

describe('webgpu in headless Chromium (navigator.gpu) against WASM in Node', { skip, timeout: 300_000 }, () => {
  let server: http.Server;
  let browser: Browser | undefined;
  let page: Page;
  let adapter = '';
  before(async () => {
    const out = await esbuild.build({ ...webgpuBrowserOptions, write: false, outdir: 'out', absWorkingDir: repoRoot, logLevel: 'silent' });
    const js = out.outputFiles!.find((f) => f.path.endsWith('.js'))!.text;
    server = http.createServer((req, res) => {
      if (req.url === '/webgpu-browser.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script src="/webgpu-browser.js"></script>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'spikeworksWebGPU' in globalThis);
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  const inPage = (ir: ModelIR, duration: number): Promise<BrowserRun> =>
    page.evaluate(([ir, d]) => (globalThis as unknown as { spikeworksWebGPU: { run: (ir: unknown, d: number) => Promise<BrowserRun> } }).spikeworksWebGPU.run(ir, d), [ir, duration] as const);

  for (const [name, make, duration, minSpikes] of [
    ['one LIF under a current step', () => irOf({ file: 'test/engine/lif_step.snn' }), 0.3, 5],
    ['CobaLIF cells driven by a spike train (delays 0 and 2 ms)', () => irOf({ file: 'test/engine/lif_spiketrain.snn' }), 0.4, 20],
    ['COBA, N = 800 (in-degree 80), seed 1', smallCoba, 0.2, 1000],
  ] as const) {
    it(`${name}: identical spike trains in the page (WebGPU) and in Node (WASM)`, async () => {
      const ir = make();
      const b = await inPage(ir, duration);
      assert.ok(b.spikes, `the page did not run the model: ${b.error}`);
      assert.equal(b.error, undefined);
      adapter = b.adapter ?? '';
      const a = new Simulation(ir, { duration }).run();
      assert.equal(b.stepsDone, a.stepsDone);
      let total = 0;
      for (const s of a.spikes) {
        const pop = s.name;
        const t: { steps: number[]; neurons: number[] } | undefined = b.spikes[pop];
        assert.ok(t, `the page recorded nothing for ${pop}`);
        total += s.steps.length;
        assert.deepEqual(t.steps, [...s.steps], `${pop}: spike steps differ`);
        assert.deepEqual(t.neurons, [...s.neurons], `${pop}: spiking neurons differ`);
      }
      console.log(`  ${name}: ${total} spikes, identical (Chromium adapter: ${adapter})`);
      assert.ok(total >= minSpikes, `too little activity to compare (${total} spikes)`);
    });
  }
});
