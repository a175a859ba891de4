// Simulation end to end in a real VS Code (code-server + headless Chromium): run examples/coba.snn
// from the command palette; the spike raster panel opens, streams and ends with the same spike
// count as `spikeworks run --format json` for the same seed; its canvas has spikes drawn (pixels
// sampled); the traces panel draws; a long run cancelled from the progress notification stops
// and the status bar returns to idle; after "Reload Window" the raster panel comes back with
// its data; Shift+drag on the raster gives the traces panel the same window; a run the engine
// stops (overflow) shows its message and a diagnostic on the `simulate` line; in the high
// contrast theme both panels take the theme's colours. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { ensureCodeServer, installVsix, launchCodeServer, repoRoot, type CodeServer } from '../../scripts/code-server.mjs';
import { ensureVsix } from '../../scripts/package.mjs';
import { CHROMIUM, CHROMIUM_ARGS, QUICK_INPUT, QUICK_ROWS, quickOpen as openCommandBox, RESULTS, shotStep, skipWithoutChromium, extensionLogs, waitRunStatus } from './workbench';

const FILE = 'coba.snn';
const LONG = 'coba_long.snn';
const RUNAWAY = 'runaway.snn';
/** A model whose state overflows: the engine stops it with a NaN/Inf message. */
const RUNAWAY_MODEL = `// x grows without bound: the run stops when it overflows.
model runaway
neuron Runaway {
  parameters { tau = 1 ms }
  state { x: 1 = 1 }
  equations { dx/dt = x*x / tau }
  method euler
}
population p = Runaway[3]
probe spikes(p)
simulate { dt: 0.1 ms; duration: 1 s }
`;
/** A seed for which COBA-4000 stays active (at this size some seeds fall silent; 42 does). */
const SEED = 2;

const STATUS_ITEM = '.statusbar-item[id="spikeworks.spikeworks.spikeworks.simulation"], .statusbar-item:has(.codicon-play), .statusbar-item:has(.codicon-sync)';

describe('simulation and result panels in VS Code (code-server + Chromium)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  let tmp = '';
  let workspace = '';
  let runDir = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let cliSpikes: Promise<number>;
  let panelSpikes = -1;
  const timings: Record<string, number> = {};

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-sim-e2e-'));
    workspace = join(tmp, 'ws');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    const coba = readFileSync(join(workspace, FILE), 'utf8');
    assert.match(coba, /duration:\s*1 s/, `${FILE} no longer says duration: 1 s`);
    // The same network for 200 s: long enough to be cancelled mid-run.
    writeFileSync(join(workspace, LONG), coba.replace(/duration:\s*1 s/, 'duration: 200 s'));
    writeFileSync(join(workspace, RUNAWAY), RUNAWAY_MODEL);
    mkdirSync(RESULTS, { recursive: true });
    // The CLI's count for the same model and seed, computed while VS Code starts.
    cliSpikes = promisify(execFile)(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', join(workspace, FILE), '--format', 'json', '--seed', String(SEED)], { maxBuffer: 1 << 24 }).then(({ stdout }) => {
      const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { populations: { spikes: number }[]; seed: number };
      assert.equal(summary.seed, SEED);
      return summary.populations.reduce((a, p) => a + p.spikes, 0);
    });
    await ensureCodeServer();
    runDir = join(tmp, 'run');
    // The packaged VSIX (built once per change of dist/ and the manifest), installed as users do.
    installVsix(runDir, ensureVsix());
    // Runs in the editor use this seed instead of the model's (spikeworks.simulation.seed).
    mkdirSync(join(runDir, 'ud', 'User'), { recursive: true });
    writeFileSync(join(runDir, 'ud', 'User', 'settings.json'), JSON.stringify({ 'spikeworks.simulation.seed': SEED }));
    server = await launchCodeServer({ workspace, runDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-workbench .part.editor').click();
  }, { timeout: 180_000 });

  after(async () => {
    if (Object.keys(timings).length) console.log(`simulation e2e timings (ms): ${JSON.stringify(timings)}`);
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const step = (shot: string, body: () => Promise<void>) => shotStep(page, shot, body, () => `extension log:\n${extensionLog()}`);


  /** The Spikeworks output channel (log files of the extension host). */
  function extensionLog(): string {
    const logs = join(runDir, 'ud', 'logs');
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of existsSync(d) ? readdirSync(d, { withFileTypes: true }) : []) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/Spikeworks\.log$/.test(e.name)) out.push(readFileSync(p, 'utf8'));
      }
    };
    walk(logs);
    return out.join('\n') || '(no Spikeworks log)';
  }

  const quickOpen = (text: string, expect?: string | RegExp) => openCommandBox(page, text, expect);

  async function openFile(name: string): Promise<void> {
    await quickOpen(name, name);
    // (Panel tabs carry the file name too, after "Spike Raster:" or "Traces:".)
    await page.locator('.tabs-container .tab.active', { hasText: name }).filter({ hasNotText: ':' }).first().waitFor();
    await page.locator('.monaco-editor .view-lines', { hasText: 'population' }).first().waitFor();
  }

  /** The content frame of the webview panel whose tab is `title` (made visible first). */
  async function panel(title: string): Promise<FrameLocator> {
    await page.locator('.tabs-container .tab', { hasText: title }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: title }).first().waitFor();
    // Several webviews may be visible (one per editor column): pick ours by the title its page carries.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const frames = page.locator('iframe.webview.ready').filter({ visible: true });
      for (let i = 0; i < (await frames.count()); i++) {
        const inner = frames.nth(i).contentFrame().frameLocator('iframe#active-frame');
        if ((await inner.locator(`#app[data-title="${title}"]`).count()) > 0) return inner;
      }
      if (Date.now() > deadline) throw new Error(`no visible webview shows "${title}"`);
      await page.waitForTimeout(250);
    }
  }

  const statusItem = () => page.locator('.statusbar-item', { hasText: /Spikeworks|Simulating/ }).first();

  /** The raster's plot canvas: its background (most frequent colour, "r,g,b"), the pixels not of it, how many colours. */
  async function paintedPixels(f: FrameLocator): Promise<{ painted: number; total: number; colors: number; background: string }> {
    return f.locator('canvas.density').evaluate((c: HTMLCanvasElement) => {
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const g = copy.getContext('2d')!;
      g.drawImage(c, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const freq = new Map<number, number>();
      for (let i = 0; i < d.length; i += 4) {
        const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
        freq.set(k, (freq.get(k) ?? 0) + 1);
      }
      const bg = [...freq.entries()].sort((a, b) => b[1] - a[1])[0][0];
      return { painted: d.length / 4 - freq.get(bg)!, total: d.length / 4, colors: freq.size, background: `${bg >> 16},${(bg >> 8) & 255},${bg & 255}` };
    });
  }

  it('a. runs coba.snn from the command palette; the raster reports the CLI spike count and draws it', async () => {
    await step('sim-01-raster', async () => {
      await openFile(FILE);
      await statusItem().waitFor({ timeout: 30_000 }); // the extension is active
      const t0 = Date.now();
      await quickOpen('>Spikeworks: Run Simulation', 'Run Simulation');
      const f = await panel('Spike Raster: coba.snn');
      timings.panel_open = Date.now() - t0;
      await waitRunStatus(page, f, 'done', 90_000, () => extensionLogs(runDir));
      timings.run_done = Date.now() - t0;
      panelSpikes = Number(await f.locator('#spike-count').getAttribute('data-spikes'));
      const expected = await cliSpikes;
      console.log(`raster panel: ${panelSpikes} spikes; CLI (seed ${SEED}): ${expected}`);
      assert.ok(expected > 1000, `the CLI reports only ${expected} spikes: not a useful comparison`);
      assert.equal(panelSpikes, expected, 'the raster panel and the CLI disagree on the spike count');
      assert.match(await f.locator('#spike-count').innerText(), new RegExp(expected.toLocaleString('en-US').replace(/,/g, ',')));
      await page.waitForTimeout(300); // the last frame
      const px = await paintedPixels(f);
      console.log(`raster canvas: ${px.painted} of ${px.total} pixels painted, ${px.colors} colours`);
      assert.ok(px.painted > px.total * 0.01, `the raster canvas is (nearly) blank: ${px.painted} of ${px.total} pixels painted`);
      assert.ok(px.colors >= 3, 'the raster shows fewer than two population colours');
      // Both populations are in the legend with their counts, which add up.
      const counts = await f.locator('.legend .pop-count').allInnerTexts();
      assert.equal(counts.length, 2, `legend: ${counts.join(', ')}`);
      assert.equal(counts.reduce((a, c) => a + Number(c.replace(/,/g, '')), 0), expected);
    });
  });

  it('b. hovering the raster names population, neuron and time; the traces panel draws', async () => {
    await step('sim-02-traces', async () => {
      const f = await panel('Spike Raster: coba.snn');
      const plot = f.locator('.plot');
      const box = (await plot.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.3);
      const tip = f.locator('.tooltip');
      await tip.waitFor({ state: 'visible', timeout: 5_000 });
      assert.match(await tip.innerText(), /exc · neuron \d+[\s\S]*(spike at|t =) [\d.]+ ms/);
      await page.screenshot({ path: join(RESULTS, 'sim-02a-hover.png') });
      await quickOpen('>Spikeworks: Show Traces', 'Show Traces');
      const t = await panel('Traces: coba.snn');
      await t.locator('canvas.chart').nth(2).waitFor({ timeout: 20_000 });
      assert.equal(await t.locator('canvas.chart').count(), 3, 'expected charts: v of exc, population rate, ISI');
      assert.match(await t.locator('.summary').innerText(), new RegExp(`${panelSpikes.toLocaleString('en-US')} spikes`));
    });
  });

  it('c. a long run is cancelled from the progress notification and the status bar returns to idle', async () => {
    await step('sim-03-cancelled', async () => {
      await openFile(LONG);
      await quickOpen('>Spikeworks: Run Simulation', 'Run Simulation');
      await page.locator('.statusbar-item', { hasText: /Simulating coba_long\.snn [1-9]\d*%|Simulating coba_long\.snn 0%/ }).first().waitFor({ timeout: 60_000 });
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Simulating coba_long.snn' }).first();
      await toast.waitFor({ timeout: 20_000 });
      await page.waitForTimeout(1500); // let it stream a little
      await toast.hover();
      const t0 = Date.now();
      await toast.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('.statusbar-item', { hasText: /Simulating/ }).first().waitFor({ state: 'detached', timeout: 10_000 });
      timings.cancel_to_idle_ui = Date.now() - t0;
      await statusItem().filter({ hasText: 'Spikeworks' }).waitFor();
      const f = await panel('Spike Raster: coba_long.snn');
      await waitRunStatus(page, f, 'cancelled', 10_000, () => extensionLogs(runDir));
      const spikes = Number(await f.locator('#spike-count').getAttribute('data-spikes'));
      assert.ok(spikes > 0, 'the cancelled run kept no spikes');
      // The extension logs how long the worker took to stop after the request.
      let stopped: RegExpMatchArray | null = null;
      for (let i = 0; i < 20 && !stopped; i++) {
        stopped = /coba_long\.snn: cancelled at step (\d+) \(stopped (\d+) ms after the request\)/.exec(extensionLog());
        if (!stopped) await page.waitForTimeout(250);
      }
      assert.ok(stopped, `no "cancelled" line in the log:\n${extensionLog()}`);
      timings.cancel_worker_ms = Number(stopped[2]);
      assert.ok(Number(stopped[1]) < 2_000_000, 'the run was not stopped before its end');
      // The worker checks the stop flag every ~10 ms chunk; what this measures is the whole path
      // (flag, loop exit, the kept records posted back, the host's message queue) in a loaded
      // workbench, so the bound is what a user still calls prompt, not the chunk size.
      assert.ok(timings.cancel_worker_ms < 1000, `stopping took ${timings.cancel_worker_ms} ms`);
    });
  });

  it('d. after Reload Window the raster panel is restored with its data', async () => {
    await step('sim-04-restored', async () => {
      const t0 = Date.now();
      await quickOpen('>Developer: Reload Window', 'Reload Window');
      await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
      await page.locator('.tabs-container .tab', { hasText: 'Spike Raster: coba.snn' }).first().waitFor({ timeout: 60_000 });
      const f = await panel('Spike Raster: coba.snn');
      await waitRunStatus(page, f, 'done', 30_000, () => extensionLogs(runDir));
      timings.reload_restore = Date.now() - t0;
      assert.equal(Number(await f.locator('#spike-count').getAttribute('data-spikes')), panelSpikes, 'the restored panel lost spikes');
      await page.waitForTimeout(300);
      const px = await paintedPixels(f);
      assert.ok(px.painted > px.total * 0.01, 'the restored raster is blank');
    });
  });
  it('e. Shift+drag on the raster selects a time window; the traces panel shows the same window', async () => {
    await step('sim-05-window', async () => {
      await openFile(FILE);
      await quickOpen('>Spikeworks: Show Traces', 'Show Traces');
      await panel('Traces: coba.snn');
      const f = await panel('Spike Raster: coba.snn');
      const plot = f.locator('.plot');
      const canvas = (await f.locator('canvas.density').boundingBox())!;
      const y = canvas.y + canvas.height * 0.5;
      await page.keyboard.down('Shift');
      await page.mouse.move(canvas.x + canvas.width * 0.3, y);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++) await page.mouse.move(canvas.x + canvas.width * (0.3 + (0.2 * i) / 8), y);
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await page.waitForTimeout(300);
      const from = Number(await plot.getAttribute('data-from'));
      const to = Number(await plot.getAttribute('data-to'));
      // The run is 1 s across the plot: the selection is about 0.3–0.5 s.
      assert.ok(Math.abs(from - 0.3) < 0.02 && Math.abs(to - 0.5) < 0.02, `raster view after the selection: ${from}–${to} s`);
      const t = await panel('Traces: coba.snn');
      const label = t.locator('.window-label');
      await label.waitFor();
      // The panel draws (and labels) its window on its next frame once visible.
      let shown: [number, number] = [NaN, NaN];
      for (let i = 0; i < 40; i++) {
        shown = [Number(await label.getAttribute('data-from')), Number(await label.getAttribute('data-to'))];
        if (Math.abs(shown[0] - from) < 1e-9 && Math.abs(shown[1] - to) < 1e-9) break;
        await page.waitForTimeout(100);
      }
      assert.ok(Math.abs(shown[0] - from) < 1e-9 && Math.abs(shown[1] - to) < 1e-9, `the traces window is ${shown.join('–')} s, the raster's ${from}–${to} s`);
      assert.match(await label.innerText(), /window [\d.]+ ms – [\d.]+ ms/);
    });
  });

  it('f. a run the engine stops (overflow) shows its message and puts a diagnostic on the simulate line', async () => {
    await step('sim-06-stopped-run', async () => {
      await openFile(RUNAWAY);
      await quickOpen('>Spikeworks: Run Simulation', 'Run Simulation');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /runaway\.snn: .*population p, variable x/ }).first();
      await toast.waitFor({ timeout: 60_000 });
      assert.match(await toast.innerText(), /dt too large/);
      await quickOpen('>View: Focus Problems', 'Focus Problems');
      const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'run stopped' }).first();
      await marker.waitFor({ timeout: 20_000 });
      assert.match(await marker.innerText(), /population p, variable x, neuron \d+, step \d+/);
      // On the `simulate` line (11 of the file).
      const row = await marker.innerText();
      assert.match(row, /Ln 11, Col 1/, `marker: ${row}`);
      const f = await panel('Spike Raster: runaway.snn');
      await waitRunStatus(page, f, 'failed', 10_000, () => extensionLogs(runDir));
    });
  });

  it('g. in the high contrast theme both panels take the theme colours', async () => {
    await step('sim-07-high-contrast', async () => {
      // (Not "Browse Color Themes in Marketplace", which has no network here.)
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+P');
      const input = page.locator(QUICK_INPUT);
      await input.waitFor({ state: 'visible' });
      await input.fill('>Preferences: Color Theme');
      await page.locator(QUICK_ROWS, { hasText: /Preferences: Color Theme(?! in)/ }).filter({ hasNotText: 'Browse' }).first().click();
      await page.locator(QUICK_ROWS, { hasText: 'Dark High Contrast' }).first().waitFor();
      await input.fill('Dark High Contrast');
      await page.locator(QUICK_ROWS, { hasText: 'Dark High Contrast' }).first().click();
      await page.locator('body.hc-black, .monaco-workbench.hc-black').first().waitFor({ timeout: 10_000 });
      await openFile(FILE);
      const f = await panel('Spike Raster: coba.snn');
      await page.waitForTimeout(500);
      // The plot's background (its most frequent colour) is the theme's editor background.
      const px = await paintedPixels(f);
      const themeBg = await f.locator('body').evaluate((b) => getComputedStyle(b).getPropertyValue('--vscode-editor-background').trim());
      assert.equal(themeBg.toLowerCase(), '#000000', `high contrast editor background: ${themeBg}`);
      assert.equal(px.background, '0,0,0', 'the raster plot does not follow the theme background');
      assert.ok(px.painted > px.total * 0.01, 'the raster is blank in high contrast');
      await page.screenshot({ path: join(RESULTS, 'sim-07a-raster-hc.png') });
      const t = await panel('Traces: coba.snn');
      await t.locator('canvas.chart').nth(2).waitFor();
    });
  });
  it('h. a population in the raster legend jumps to its definition in the model', async () => {
    await step('sim-08-reveal', async () => {
      const f = await panel('Spike Raster: coba.snn');
      await f.locator('.legend button.pop', { hasText: 'inh' }).click();
      // The editor shows coba.snn with `inh` selected on its `population` line.
      const line = readFileSync(join(repoRoot, 'examples', FILE), 'utf8').split('\n').findIndex((l) => /^population inh\b/.test(l)) + 1;
      assert.ok(line > 0, `no "population inh" line in ${FILE}`);
      await page.locator('.tabs-container .tab.active', { hasText: FILE }).filter({ hasNotText: ':' }).first().waitFor({ timeout: 10_000 });
      const pos = page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first();
      await pos.waitFor({ timeout: 10_000 });
      const at = new RegExp(`Ln ${line},`);
      let text = '';
      for (let i = 0; i < 30 && !at.test(text); i++) {
        text = await pos.innerText();
        if (!at.test(text)) await page.waitForTimeout(100);
      }
      assert.match(text, new RegExp(`Ln ${line}, Col \\d+ \\(3 selected\\)`), `status bar: ${text}`);
    });
  });

  it('i. Export… saves the raster as PNG and the spikes in view as CSV where the save dialog says', async () => {
    await step('sim-09-export', async () => {
      const saveAs = async (format: 'png' | 'csv', name: string): Promise<Buffer> => {
        const f = await panel('Spike Raster: coba.snn');
        await f.locator('vscode-single-select.export-format').evaluate((el: HTMLElement & { value: string }, v) => {
          el.value = v;
          el.dispatchEvent(new Event('change'));
        }, format);
        await f.locator('vscode-button', { hasText: 'Export…' }).click();
        // code-server's save dialog is a text box with the suggested path.
        const input = page.locator(QUICK_INPUT);
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        // (It fills the box in steps: the folder first, then the suggested name.)
        let suggested = '';
        for (let i = 0; i < 50 && !suggested.endsWith(`.${format}`); i++) {
          suggested = await input.inputValue();
          if (!suggested.endsWith(`.${format}`)) await page.waitForTimeout(100);
        }
        assert.match(suggested, new RegExp(`coba.*\\.${format}$`), `suggested name: ${suggested}`);
        await input.fill(join(workspace, name));
        await page.keyboard.press('Enter');
        const target = join(workspace, name);
        // The file appears before its bytes do: wait until it is non-empty and stops growing.
        let size = -1;
        for (let i = 0; i < 100; i++) {
          const now = existsSync(target) ? statSync(target).size : -1;
          if (now > 0 && now === size) break;
          size = now;
          await page.waitForTimeout(100);
        }
        assert.ok(existsSync(target), `${name} was not written`);
        return readFileSync(target);
      };
      const png = await saveAs('png', 'raster-export.png');
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', 'not a PNG file');
      assert.ok(png.length > 5000, `PNG of ${png.length} bytes`);
      const csv = (await saveAs('csv', 'raster-export.csv')).toString('utf8').trim().split('\n');
      assert.match(csv[0], /population.*neuron.*time/i, `CSV header: ${csv[0]}`);
      // The view is the window selected in e (about 0.3–0.5 s): every row lies in it.
      const times = csv.slice(1).map((r) => Number(r.split(',').pop()));
      assert.ok(times.length > 1000, `${times.length} spikes exported`);
      assert.ok(times.every((t) => t >= 0.29 && t <= 0.51), 'a spike outside the view was exported');
    });
  });
  it('j. Run with Backend… → webgpu runs the model (on WASM here, saying why) with the same spikes', async () => {
    await step('sim-10-backend', async () => {
      await openFile(FILE);
      // The backend pick can be closed by a focus change on a loaded machine (seen once in a full
      // run): open it again rather than wait on a hidden row.
      for (let attempt = 0; ; attempt++) {
        await quickOpen('>Spikeworks: Run with Backend', 'Run with Backend');
        const row = page.locator(QUICK_ROWS, { hasText: /^\s*webgpu/ }).first();
        try {
          await row.waitFor({ state: 'visible', timeout: 10_000 });
          await row.click({ timeout: 5000 });
          break;
        } catch (e) {
          if (attempt === 2) throw e;
        }
      }
      const f = await panel('Spike Raster: coba.snn');
      // The panel still shows the previous run (done) until the new one starts and resets it:
      // wait for the new run to end with the count, else report what it showed last.
      let shown = -1;
      for (const deadline = Date.now() + 90_000; Date.now() < deadline; await page.waitForTimeout(250)) {
        if ((await f.locator('#run-status[data-status="done"]').count()) === 0) continue;
        shown = Number(await f.locator('#spike-count').getAttribute('data-spikes'));
        if (shown === panelSpikes) break;
      }
      assert.equal(shown, panelSpikes, 'a different spike count on the webgpu request');
      // No Vulkan adapter in this headless code-server: the run says it fell back, and why.
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'ran on WASM' }).first();
      await toast.waitFor({ timeout: 20_000 });
      // One plain sentence (extension/src/simulation/fallback.ts): no nested reasons, no
      // environment variables for developers (those are in the output channel).
      const said = await toast.innerText();
      assert.match(said, /coba\.snn ran on WASM: no WebGPU adapter on this machine/);
      assert.doesNotMatch(said, /VK_ICD_FILENAMES|LD_LIBRARY_PATH|WebGPU unavailable|ran on WASM[^]*ran on WASM/, said);
    });
  });
});
