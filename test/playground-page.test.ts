// The playground (issue 20): dist/playground/ built by scripts/build-playground.mjs, served as a
// static site on 127.0.0.1 and driven in headless Chromium (Debian's /usr/bin/chromium, as the
// other browser tests). Ground truth comes from outside the page: the CLI's `check` messages and
// `run` spike counts, the prelude's source for a model's parameters, the TextMate grammar for the
// Monarch one. Screenshots (light and dark, after a run) land in test-results/. Skipped with the
// reason only when chromium is absent and CI is not set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error: plain .mjs modules (no declarations)
import { buildPlayground } from '../scripts/build-playground.mjs';
// @ts-expect-error: plain .mjs module (no declarations)
import { serveStatic } from '../scripts/serve-playground.mjs';
import * as monarch from '../playground/src/snn-monarch';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--enable-unsafe-webgpu'];
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;
const SHOTS = join(repoRoot, 'test-results');
const COBA = readFileSync(join(repoRoot, 'examples', 'coba.snn'), 'utf8');

/**
 * Polls `expr` in a page or frame until it is truthy (the page's CSP forbids eval, so
 * waitForFunction's string form cannot run there; evaluate goes through the debugger protocol).
 */
async function until(target: Pick<Page, 'evaluate'>, expr: string, timeout = 30_000): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    if (await target.evaluate(expr).catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${expr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The CLI on a file: stdout parsed as JSON. */
function cli(args: string[]): unknown {
  const r = spawnSync(process.execPath, [distCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(r.stdout);
}

/** Builds the playground into a folder of this test process (parallel test files never share it). */
async function build(): Promise<string> {
  const outDir = join(mkdtempSync(join(tmpdir(), 'spikeworks-playground-dist-')), 'playground');
  await buildPlayground({ outDir });
  return outDir;
}

describe('the Monarch grammar keeps step with the TextMate grammar', () => {
  const grammar = JSON.parse(readFileSync(join(repoRoot, 'syntaxes', 'snn.tmLanguage.json'), 'utf8'));
  /** The text of each capturing group of a regular expression, by group number (1-based). */
  function captureGroups(re: string): string[] {
    const groups: string[] = [];
    const open: { start: number; index: number | undefined }[] = [];
    let n = 0;
    for (let k = 0; k < re.length; k++) {
      const c = re[k];
      if (c === '\\') k++;
      else if (c === '[') {
        for (k++; k < re.length && re[k] !== ']'; k++) if (re[k] === '\\') k++;
      } else if (c === '(') open.push({ start: k + 1, index: re[k + 1] === '?' ? undefined : ++n });
      else if (c === ')') {
        const g = open.pop();
        if (g?.index !== undefined) groups[g.index] = re.slice(g.start, k);
      }
    }
    return groups;
  }
  /** The words the grammar's rules give a scope matching `scope`: groups that are a word or words joined by |. */
  function wordsOf(scope: RegExp): Set<string> {
    const out = new Set<string>();
    const words = (g: string | undefined) => (g && /^[A-Za-z_][A-Za-z0-9_]*(\|[A-Za-z_][A-Za-z0-9_]*)*$/.test(g) ? g.split('|') : []);
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      const r = node as { match?: string; name?: string; captures?: Record<string, { name?: string }> };
      if (typeof r.match === 'string') {
        const groups = captureGroups(r.match);
        if (r.captures) {
          for (const [k, c] of Object.entries(r.captures)) if (c.name && scope.test(c.name)) for (const w of words(groups[Number(k)])) out.add(w);
        } else if (r.name && scope.test(r.name)) for (const g of groups) for (const w of words(g)) out.add(w);
      }
      Object.values(node).forEach(visit);
    };
    visit(grammar.repository);
    return out;
  }
  const sorted = (s: Iterable<string>) => [...s].sort();

  it('top-level and section keywords', () => {
    const tm = wordsOf(/^keyword\.(other|control)/);
    assert.deepEqual(sorted(tm), sorted(new Set([...monarch.TOP_LEVEL_KEYWORDS, ...monarch.SECTION_KEYWORDS])));
  });
  it('built-in functions, methods, constants, built-in variables and word operators', () => {
    assert.deepEqual(sorted(wordsOf(/^support\.function/)), sorted(monarch.FUNCTIONS));
    assert.deepEqual(sorted(wordsOf(/^support\.constant\.method/)), sorted(monarch.METHODS));
    assert.deepEqual(sorted(wordsOf(/^constant\.language/)), sorted(monarch.BOOLEANS));
    assert.deepEqual(sorted(wordsOf(/^variable\.language/)), sorted(monarch.BUILTIN_VARIABLES));
    assert.deepEqual(sorted(wordsOf(/^keyword\.operator\.logical/)), sorted(monarch.WORD_OPERATORS));
  });
  it('units: the same prefixes and symbols as the grammar', () => {
    const numbers = JSON.stringify(grammar.repository.numbers);
    const m = /\[([a-zA-Z]+)\]\?\(\?:((?:[A-Za-z]+\|)+[A-Za-z]+)\)\|((?:[A-Za-z]+\|)+[A-Za-z]+)\)/.exec(JSON.parse(numbers).patterns[0].match);
    assert.ok(m, 'the unit pattern of the TextMate grammar changed shape: update this test and snn-monarch.ts');
    assert.equal(m[1], monarch.UNIT_PREFIXES);
    assert.deepEqual(m[2].split('|'), monarch.UNIT_BASES);
    assert.deepEqual(m[3].split('|'), monarch.UNIT_WORDS);
  });
  it('the test sees a planted difference', () => {
    assert.notDeepEqual(sorted(wordsOf(/^support\.function/)), sorted([...monarch.FUNCTIONS, 'planted']));
  });
});

describe('the playground in headless Chromium', { skip, timeout: 600_000 }, () => {
  let server: Server;
  let base = '';
  let browser: Browser;
  const foreign: string[] = [];
  const errors: string[] = [];

  async function open(hash = '', width = 1400): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 860 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
    });
    await page.goto(`${base}?no-sw${hash}`);
    await until(page, 'window.spikeworksPlayground && window.spikeworksPlayground.firstCheckMs !== undefined', 60_000);
    // The panels' frames load after the first check; the raster has said 'ready' once it shows its empty message.
    await until(page, '[...document.querySelectorAll("iframe")].every((f) => f.src && f.contentDocument?.readyState === "complete")');
    return page;
  }
  const text = (page: Page, id: string) => page.evaluate((i) => document.getElementById(i)?.textContent ?? '', id);
  const editorText = (page: Page) => page.evaluate('window.spikeworksPlayground.model.getValue()') as Promise<string>;
  const markers = (page: Page) => page.evaluate('window.spikeworksPlayground.monaco.editor.getModelMarkers({ resource: window.spikeworksPlayground.model.uri }).map((m) => ({ message: m.message, code: m.code, line: m.startLineNumber, column: m.startColumn, severity: m.severity }))') as Promise<{ message: string; code: string; line: number; column: number; severity: number }[]>;
  /** Replaces the editor's text as a paste would (one edit, undoable). */
  const setText = (page: Page, t: string) => page.evaluate((v) => {
    const p = (window as unknown as { spikeworksPlayground: { editor: { executeEdits(s: string, e: unknown[]): void; getModel(): { getFullModelRange(): unknown } } } }).spikeworksPlayground;
    p.editor.executeEdits('test', [{ range: p.editor.getModel().getFullModelRange(), text: v }]);
  }, t);
  /** Runs the model with `seed` and waits for the end; returns the raster's status and spike count. */
  async function runWith(page: Page, seed: string): Promise<{ status: string; spikes: number }> {
    await page.fill('#seed', seed);
    // A previous run's status ('cancelled', 'done') must not be read as this run's: clear it in the
    // page and in the raster's frame before the click (each sets it again when this run starts/ends).
    const clear = 'document.getElementById("run-status") && (delete document.getElementById("run-status").dataset.status)';
    await page.evaluate(clear);
    await page.frame({ url: /raster\.html/ })?.evaluate(clear);
    await page.click('#run');
    await until(page, 'document.getElementById("run-status").dataset.status && document.getElementById("run-status").dataset.status !== "running"', 120_000);
    const raster = page.frame({ url: /raster\.html/ })!;
    await until(raster, 'document.getElementById("run-status") && !!document.getElementById("run-status").dataset.status && document.getElementById("run-status").dataset.status !== "running"');
    return raster.evaluate('({ status: document.getElementById("run-status").dataset.status, spikes: Number(document.getElementById("spike-count").dataset.spikes) })') as Promise<{ status: string; spikes: number }>;
  }

  before(async () => {
    ensureBuilt();
    ({ server, url: base } = await serveStatic(await build(), 0));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('loads: coba.snn in an editable editor, checked clean, the browser’s lacks said, nothing from another origin', async () => {
    const page = await open();
    assert.equal(await editorText(page), COBA);
    assert.match(await text(page, 'check-status'), /checked: no problems/);
    await until(page, '!document.getElementById("notices").hidden');
    // Headless Chromium here: WebGPU on SwiftShader only (a software adapter), no cross-origin isolation.
    assert.match(await text(page, 'notices'), /software|WebGPU/);
    assert.match(await text(page, 'notices'), /Cancel ends the engine worker/);
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n// typed');
    assert.ok((await editorText(page)).endsWith('// typed'));
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('is keyboard accessible: Tab reaches every control, arrows switch the result tabs, Ctrl+Enter runs', async () => {
    const page = await open();
    // From the top of the page: the skip link is the first stop.
    await page.evaluate('document.querySelector(".skip").focus()');
    const reached: string[] = [];
    for (let k = 0; k < 40; k++) {
      await page.keyboard.press('Tab');
      const id = (await page.evaluate('document.activeElement.id || document.activeElement.className')) as string;
      reached.push(id);
      if (id === 'tab-raster') break;
      // In the editor Tab indents; Ctrl+M (said in its label and the status line) makes Tab move on.
      if (id === 'native-edit-context' && !reached.includes('Control+M')) {
        await page.keyboard.press('Control+M');
        reached.push('Control+M');
      }
    }
    for (const id of ['examples', 'run', 'seed', 'backend', 'share', 'theme', 'tab-raster']) assert.ok(reached.includes(id), `Tab never reached #${id}: ${reached.join(', ')}`);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate('document.activeElement.id'), 'tab-traces');
    assert.equal(await page.isVisible('#panel-traces'), true);
    assert.equal(await page.isVisible('#panel-raster'), false);
    await page.keyboard.press('ArrowLeft');
    // Ctrl+Enter from outside the editor runs the model.
    await page.fill('#seed', '2');
    await page.keyboard.press('Control+Enter');
    await until(page, 'document.getElementById("run-status").dataset.status === "done"', 120_000);
    await page.close();
  });

  it('a unit mistake typed in the editor shows a marker with the CLI’s message', async () => {
    const page = await open();
    // Line 22 is `  weight: 6 nS …`: delete the unit, as a user would.
    const line = COBA.split('\n').findIndex((l) => /^\s*weight: 6 nS/.test(l)) + 1;
    assert.ok(line > 0);
    await page.evaluate((l) => (window as unknown as { spikeworksPlayground: { editor: { setSelection(r: unknown): void; focus(): void } } }).spikeworksPlayground.editor.setSelection({ startLineNumber: l, startColumn: 12, endLineNumber: l, endColumn: 15 }), line);
    await page.evaluate('window.spikeworksPlayground.editor.focus()');
    await page.keyboard.press('Delete');
    await until(page, 'window.spikeworksPlayground.monaco.editor.getModelMarkers({ resource: window.spikeworksPlayground.model.uri }).length > 0');
    const typed = await editorText(page);
    assert.notEqual(typed, COBA);
    const dir = mkdtempSync(join(tmpdir(), 'spikeworks-playground-'));
    writeFileSync(join(dir, 'coba.snn'), typed);
    const expected = (cli(['check', join(dir, 'coba.snn'), '--format', 'json']) as { files: { diagnostics: { message: string; code: string; range: { start: { line: number; character: number } } }[] }[] }).files[0].diagnostics;
    assert.ok(expected.length >= 1, 'the CLI found no error in the edited model');
    const got = await markers(page);
    assert.deepEqual(got.map((m) => [m.message, m.code, m.line, m.column]), expected.map((d) => [d.message, d.code, d.range.start.line + 1, d.range.start.character + 1]));
    assert.match(await text(page, 'check-status'), /1 error/);
    // The quick fix puts the unit back (Ctrl+. then Enter on the preferred fix).
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget', { timeout: 10_000 });
    await page.keyboard.press('Enter');
    await until(page, 'window.spikeworksPlayground.monaco.editor.getModelMarkers({ resource: window.spikeworksPlayground.model.uri }).length === 0');
    assert.match((await editorText(page)).split('\n')[line - 1], /weight: 6 nS/);
    await page.close();
  });

  it('completion in a population block offers its model’s parameters (from the prelude’s source)', async () => {
    const page = await open();
    // CobaLIF's parameters as the prelude declares them.
    const prelude = readFileSync(join(repoRoot, 'language-server', 'prelude', 'neurons.snn'), 'utf8');
    const block = /neuron\s+CobaLIF\s*\{[\s\S]*?parameters\s*\{([\s\S]*?)\}/.exec(prelude);
    assert.ok(block, 'CobaLIF has no parameters block in the prelude');
    const params = [...block[1].matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*[:=]/gm)].map((m) => m[1]);
    assert.ok(params.length >= 3, `CobaLIF parameters: ${params}`);
    const line = COBA.split('\n').findIndex((l) => /^population exc = CobaLIF/.test(l)) + 1;
    await page.evaluate((l) => {
      const e = (window as unknown as { spikeworksPlayground: { editor: { setPosition(p: unknown): void; focus(): void } } }).spikeworksPlayground.editor;
      e.setPosition({ lineNumber: l, column: 1000 });
      e.focus();
    }, line);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.suggest-widget.visible .monaco-list-row', { timeout: 15_000 });
    const labels = await page.$$eval('.suggest-widget.visible .monaco-list-row', (rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
    const offered = params.filter((p) => labels.some((l) => new RegExp(`^${p}\\b`).test(l.trim())));
    // The list shows what fits; the first rows must be the model's own names.
    assert.ok(offered.length >= Math.min(3, params.length), `parameters ${params.join(', ')} not offered; rows: ${labels.join(' | ')}`);
    await page.close();
  });

  it('hover, peek definition (into the prelude), rename and formatting answer through the bridge', async () => {
    const page = await open();
    const lines = COBA.split('\n');
    const at = (re: RegExp, word: string) => {
      const l = lines.findIndex((x) => re.test(x));
      return { lineNumber: l + 1, column: lines[l].indexOf(word) + 2 };
    };
    const action = (id: string, pos: { lineNumber: number; column: number }) => page.evaluate(([a, p]) => {
      const e = (window as unknown as { spikeworksPlayground: { editor: { setPosition(p: unknown): void; focus(): void; trigger(s: string, id: string, a: unknown): void } } }).spikeworksPlayground.editor;
      e.setPosition(p);
      e.focus();
      e.trigger('test', a as string, null);
    }, [id, pos] as const);
    // Hover on the model name: the prelude's CobaLIF.
    await action('editor.action.showHover', at(/^population exc = CobaLIF/, 'CobaLIF'));
    await until(page, '/CobaLIF/.test(document.querySelector(".monaco-hover-content")?.textContent ?? "")');
    await page.keyboard.press('Escape');
    // Peek definition: the prelude's neurons.snn, where CobaLIF is written.
    await action('editor.action.peekDefinition', at(/^population exc = CobaLIF/, 'CobaLIF'));
    await until(page, '/neurons\\.snn/.test(document.querySelector(".peekview-widget")?.textContent ?? "")');
    await page.keyboard.press('Escape');
    // Rename population exc → pyr: every use outside comments changes, and the model still checks clean.
    await action('editor.action.rename', at(/^population exc = CobaLIF/, 'exc'));
    await page.waitForSelector('.rename-box input', { timeout: 10_000 });
    // Monaco focuses the box 100 ms after showing it (a timer): keys sent before that go to the
    // editor (Ctrl+A selects the whole model, "pyr" replaces it and the rename never comes), which
    // a loaded machine made happen. Type once the box has the focus, as a user would.
    await until(page, 'document.activeElement?.matches(".rename-box input") === true', 10_000);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('pyr');
    await page.keyboard.press('Enter');
    await until(page, '/population pyr = CobaLIF/.test(window.spikeworksPlayground.model.getValue())');
    const code = (t: string) => t.split('\n').map((l) => l.replace(/\/\/.*$/, '')).join('\n');
    const renamed = await editorText(page);
    assert.equal((code(renamed).match(/\bexc\b/g) ?? []).length, 0, 'exc left in code after the rename');
    assert.equal((code(renamed).match(/\bpyr\b/g) ?? []).length, (code(COBA).match(/\bexc\b/g) ?? []).length);
    await until(page, '/checked: no problems/.test(document.getElementById("check-status").textContent)');
    // Formatting puts back indentation that was taken away (the block's lines are indented by two spaces).
    await setText(page, COBA.replace(/^ {2}rule: random\(p = 0\.02\)$/m, 'rule: random(p = 0.02)'));
    const ruleLine = lines.findIndex((x) => x === '  rule: random(p = 0.02)') + 1;
    await page.evaluate('window.spikeworksPlayground.editor.trigger("test", "editor.action.formatDocument", null)');
    await until(page, `window.spikeworksPlayground.model.getLineContent(${ruleLine}) === "  rule: random(p = 0.02)"`, 10_000);
    await page.close();
  });

  it('coba.snn with seed 2 paints the raster with the CLI’s spike count; the results download', async () => {
    const page = await open();
    const dir = mkdtempSync(join(tmpdir(), 'spikeworks-playground-'));
    const summary = cli(['run', join(repoRoot, 'examples', 'coba.snn'), '--seed', '2', '--out', dir, '--format', 'json']) as { populations: { spikes: number }[] };
    const cliSpikes = summary.populations.reduce((a, p) => a + p.spikes, 0);
    const r = await runWith(page, '2');
    assert.equal(r.status, 'done');
    assert.equal(r.spikes, cliSpikes);
    console.log(`  coba.snn seed 2: ${r.spikes} spikes in the page's raster, ${cliSpikes} from the CLI`);
    const frameTotal = await page.frame({ url: /raster\.html/ })!.evaluate('window.spikeworksRaster.store.total');
    assert.equal(frameTotal, cliSpikes);
    // Downloads: results JSON (the CLI's summary plus the spikes) and the spikes CSV.
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const body = JSON.parse(readFileSync((await json.path())!, 'utf8')) as { populations: { spikes: number }[]; seed: number; spikes: { neurons: number[] }[] };
    assert.equal(body.seed, 2);
    assert.deepEqual(body.populations.map((p) => p.spikes), summary.populations.map((p) => p.spikes));
    assert.equal(body.spikes.reduce((a, s) => a + s.neurons.length, 0), cliSpikes);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const rows = readFileSync((await csv.path())!, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'population,neuron,time_s');
    assert.equal(rows.length - 1, cliSpikes);
    // Screenshots after the run: dark, then light; traces too.
    await page.evaluate('document.documentElement.dataset.theme === "light" && document.getElementById("theme").click()');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'playground-dark.png') });
    await page.click('#theme');
    await page.waitForTimeout(300);
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'light');
    assert.equal(await page.frame({ url: /raster\.html/ })!.evaluate('document.body.className'), 'vscode-light');
    await page.screenshot({ path: join(SHOTS, 'playground-light.png') });
    await page.click('#tab-traces');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(SHOTS, 'playground-traces-light.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('WebGPU in the engine worker (SwiftShader here) gives the CLI’s spike count on WASM', async () => {
    const page = await open();
    const dir = mkdtempSync(join(tmpdir(), 'spikeworks-playground-'));
    const summary = cli(['run', join(repoRoot, 'examples', 'coba.snn'), '--seed', '2', '--duration', '0.15', '--backend', 'wasm', '--out', dir, '--format', 'json']) as { populations: { spikes: number }[] };
    const cliSpikes = summary.populations.reduce((a, p) => a + p.spikes, 0);
    await setText(page, COBA.replace(/duration: [^;}\n]+/, 'duration: 150 ms'));
    await page.selectOption('#backend', 'webgpu');
    const r = await runWith(page, '2');
    assert.equal(r.status, 'done');
    assert.match(await text(page, 'run-status'), /webgpu/);
    assert.equal(r.spikes, cliSpikes);
    await page.close();
  });

  it("a model's threads: 4 runs on one thread in the page (not cross-origin isolated), says so, and spikes as the CLI on 4 workers", async () => {
    const page = await open();
    const model = 'input ext = poisson[20] { rate: 200 Hz }\npopulation a = LIF[30]\nconnect ext -> a { rule: random(p = 0.5); weight: 4 mV; target: v }\nconnect a -> a { rule: random(p = 0.1); weight: 0.5 mV; target: v; delay: 1 ms }\nsimulate { dt: 0.1 ms; duration: 100 ms; seed: 3; threads: 4 }\n';
    const dir = mkdtempSync(join(tmpdir(), 'spikeworks-playground-'));
    writeFileSync(join(dir, 'threads.snn'), model);
    const summary = cli(['run', join(dir, 'threads.snn'), '--format', 'json']) as { populations: { spikes: number }[]; threads?: { used: number } };
    assert.equal(summary.threads?.used, 4, 'the CLI ran it on 4 workers');
    await setText(page, model);
    await page.selectOption('#backend', 'wasm');
    const r = await runWith(page, '3');
    assert.equal(r.status, 'done');
    assert.equal(r.spikes, summary.populations.reduce((a, p) => a + p.spikes, 0));
    assert.match(await text(page, 'run-status'), / · threads: ran on one thread \(this page is not cross-origin isolated\)$/);
    await page.close();
  });

  it('works offline once loaded: the service worker serves the build', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    // The first load installs it (and its cache of the build); the next load is served through it.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.reload();
    await until(page, 'navigator.serviceWorker.controller !== null', 30_000);
    await until(page, 'window.spikeworksPlayground && window.spikeworksPlayground.firstCheckMs !== undefined', 60_000);
    await context.setOffline(true);
    await page.reload();
    await until(page, 'window.spikeworksPlayground && window.spikeworksPlayground.firstCheckMs !== undefined', 60_000);
    assert.equal(await editorText(page), COBA);
    assert.match(await text(page, 'check-status'), /checked: no problems/);
    await context.close();
  });

  it('a share link reproduces the model and the seed in a new page', async () => {
    const page = await open();
    const edited = COBA.replace('population exc = CobaLIF[3200]', 'population exc = CobaLIF[3100]') + '\n// shared: Grüße, µ, 日本\n';
    await setText(page, edited);
    await page.fill('#seed', '7');
    await page.click('#share');
    await until(page, 'location.hash.includes("model=")');
    const link = await page.evaluate('location.href') as string;
    assert.ok(link.length < 256 * 1024);
    assert.match(await text(page, 'message'), /Share link/);
    const other = await browser.newPage();
    other.on('pageerror', (e) => errors.push(e.message));
    await other.goto(link);
    await until(other, 'window.spikeworksPlayground && window.spikeworksPlayground.firstCheckMs !== undefined');
    assert.equal(await editorText(other), edited);
    assert.equal(await other.inputValue('#seed'), '7');
    await other.close();
    await page.close();
  });

  it('garbage and huge share links give a message; the page opens an example and keeps working', async () => {
    const cases: [string, RegExp][] = [
      ['#model=1.%%%garbage***', /damaged|could not be read/],
      ['#model=1.AAAA', /damaged/],
      ['#model=9.abc', /not made by this playground/],
      [`#model=1.${'A'.repeat(300 * 1024)}`, /long; links up to 256 KB/],
    ];
    // A small link that inflates past the bound (a run of one byte deflates ~1000:1).
    const bomb = await (async () => {
      const page = await open();
      const h = await page.evaluate(async () => {
        const bytes = new Uint8Array(2 * 1024 * 1024).fill(32);
        const s = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
        const b = new Uint8Array(await new Response(s).arrayBuffer());
        let t = '';
        for (const x of b) t += String.fromCharCode(x);
        return btoa(t).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      });
      await page.close();
      return `#model=1.${h}`;
    })();
    cases.push([bomb, /over 256 KB/]);
    for (const [hash, message] of cases) {
      const page = await open(hash);
      assert.match(await text(page, 'message'), message, `link ${hash.slice(0, 40)}…`);
      assert.equal(await editorText(page), COBA, 'the page did not open an example');
      assert.match(await text(page, 'check-status'), /checked/);
      await page.close();
    }
    assert.deepEqual(errors, []);
  });

  it('a run can be cancelled: the raster says so, keeps what was drawn, and the page runs again', async () => {
    const page = await open();
    await setText(page, COBA.replace(/duration: [^;}\n]+/, 'duration: 200 s'));
    await page.fill('#seed', '2');
    await page.click('#run');
    const raster = page.frame({ url: /raster\.html/ })!;
    await until(raster, 'Number(document.getElementById("spike-count")?.dataset.spikes) > 1000', 60_000);
    assert.equal(await page.isEnabled('#cancel'), true);
    await page.click('#cancel');
    await until(raster, 'document.getElementById("run-status").dataset.status === "cancelled"', 10_000);
    const kept = Number(await raster.evaluate('document.getElementById("spike-count").dataset.spikes'));
    assert.ok(kept > 1000);
    assert.match(await text(page, 'run-status'), /cancelled/);
    assert.equal(await page.isEnabled('#run'), true);
    // The page still works: the example again, run to the end.
    await page.selectOption('#examples', 'coba.snn');
    await until(page, 'document.getElementById("check-status").textContent.includes("checked")');
    const again = await runWith(page, '2');
    assert.equal(again.status, 'done');
    await page.close();
  });

  it('every example is in the menu and checks as the CLI checks it (files excepted: a page has none)', async () => {
    const page = await open();
    const files = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.snn')).sort();
    assert.deepEqual(await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean)), files);
    for (const f of files) {
      await page.selectOption('#examples', f);
      await until(page, `document.title.startsWith(${JSON.stringify(f)}) && !/checking/.test(document.getElementById("check-status").textContent)`);
      const cliErrors = (cli(['check', join(repoRoot, 'examples', f), '--format', 'json']) as { files: { diagnostics: { severity: string }[] }[] }).files[0].diagnostics.filter((d) => d.severity === 'error');
      // Monaco's MarkerSeverity.Error is 8.
      const errors = (await markers(page)).filter((m) => m.severity === 8);
      const notFiles = errors.filter((m) => m.code !== 'missing-file');
      assert.equal(notFiles.length, cliErrors.length, `${f}: ${notFiles.map((m) => m.message).join('; ')}`);
    }
    await page.close();
  });

  it('a model that reads files gives a clear message, not a failed run', async () => {
    const page = await open();
    for (const example of ['active_dendrites.snn', 'elm_network.snn']) {
      await page.selectOption('#examples', example);
      await until(page, `document.title.startsWith(${JSON.stringify(example)})`);
      await page.click('#run');
      await until(page, '/Not run/.test(document.getElementById("message").textContent)');
      const m = await text(page, 'message');
      assert.match(m, /reads .*data\/.*no file system/, example);
      assert.match(await text(page, 'run-status'), /not run/);
    }
    await page.close();
  });
});
