// The first hour in a real VS Code (code-server + headless Chromium, issue 13): the "Get Started
// with Spikeworks" walkthrough opens from the command palette with its five steps; its last
// step's button runs Spikeworks: New Model…, whose quick pick offers the templates; the chosen
// template appears as a new file in the folder with no problems; the "Run it" step's button runs
// it and opens the spike raster with the CLI's spike count for the same file; "Read the raster"
// shows it; the unit-mistake step is done as its page says (weight 6 → the error → Ctrl+. → nS).
// Every step ends checked. Screenshots: test-results/onb-*.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { ensureCodeServer, installVsix, launchCodeServer, repoRoot, type CodeServer } from '../../scripts/code-server.mjs';
import { ensureVsix } from '../../scripts/package.mjs';
import { TEMPLATES } from '../../extension/src/templates';
import { CHROMIUM, CHROMIUM_ARGS, QUICK_INPUT, QUICK_ROWS, quickOpen as openCommandBox, RESULTS, shotStep, skipWithoutChromium, extensionLogs, waitRunStatus } from './workbench';

const TEMPLATE = TEMPLATES.find((t) => t.id === 'lif_step')!;
const NEW_FILE = TEMPLATE.fileName;
const STEPS = ['Open an example', 'Run it', 'Read the raster', 'Make a unit mistake, and fix it', 'Write your first model'];
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';

describe('onboarding: the walkthrough and New Model… (code-server + Chromium)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  let tmp = '';
  let workspace = '';
  let runDir = '';
  const consoleLines: string[] = [];
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-onb-e2e-'));
    workspace = join(tmp, 'playground');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    mkdirSync(RESULTS, { recursive: true });
    await ensureCodeServer();
    runDir = join(tmp, 'run');
    // The packaged VSIX (built once per change of dist/ and the manifest), installed as users do.
    installVsix(runDir, ensureVsix());
    server = await launchCodeServer({ workspace, runDir });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // What the pages (webviews included) said: printed when a step fails.
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`[${m.type()}] ${m.text()} (${m.location().url})`); });
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    await page.goto(server.url);
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-workbench .part.editor').click();
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const step = (shot: string, body: () => Promise<void>) =>
    shotStep(page, shot, body, () => (server ? `code-server log (tail):\n${readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n')}\nconsole (errors and warnings, last 40):\n${consoleLines.slice(-40).join('\n')}` : ''));

  /** The content frame of the webview panel whose tab is `title`. */
  async function panel(title: string): Promise<FrameLocator> {
    await page.locator('.tabs-container .tab', { hasText: title }).first().click();
    const deadline = Date.now() + 30_000;
    for (;;) {
      const frames = page.locator('iframe.webview.ready').filter({ visible: true });
      for (let i = 0; i < (await frames.count()); i++) {
        // The walkthrough's page is a webview too, and it redraws: hold this frame by its handle,
        // not by its place in the list.
        const outer = await (await frames.nth(i).elementHandle())?.contentFrame();
        const inner = outer?.frameLocator('iframe#active-frame');
        if (inner && (await inner.locator(`#app[data-title="${title}"]`).count()) > 0) return inner;
      }
      if (Date.now() > deadline) throw new Error(`no visible webview shows "${title}"`);
      await page.waitForTimeout(250);
    }
  }

  const walkthrough = () => page.locator('.gettingStartedContainer');

  it('a. the walkthrough opens from the command palette with its five steps', async () => {
    await step('onb-01-walkthrough', async () => {
      // The command opens a second quick pick (the walkthroughs): not the harness's quickOpen,
      // which waits for the box to close.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.locator(QUICK_INPUT).fill('>Welcome: Open Walkthrough');
      await page.locator(QUICK_ROWS, { hasText: 'Open Walkthrough' }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await page.locator(`${QUICK_INPUT}[placeholder="Select a walkthrough to open"]`).waitFor({ timeout: 20_000 });
      await page.locator(QUICK_ROWS, { hasText: 'Get Started with Spikeworks' }).first().click();
      await walkthrough().getByText('Get Started with Spikeworks').first().waitFor({ timeout: 20_000 });
      for (const title of STEPS) await walkthrough().locator('.getting-started-step', { hasText: title }).first().waitFor({ timeout: 10_000 });
      // The first step's page (markdown media) is shown.
      await walkthrough().locator('.getting-started-step', { hasText: 'Open an example' }).first().click();
      await page.waitForTimeout(1000);
    });
  });

  it('a2. the first step\'s button opens coba.snn (Quick Open with its name), which checks the step', async () => {
    await step('onb-01b-open-example', async () => {
      await walkthrough().getByRole('button', { name: 'Open coba.snn' }).first().click();
      await page.locator(`${QUICK_INPUT}`).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await page.locator(QUICK_INPUT).inputValue(), 'coba.snn');
      await page.locator(QUICK_ROWS, { hasText: 'coba.snn' }).first().waitFor({ timeout: 20_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: 'coba.snn' }).waitFor({ timeout: 20_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'population' }).first().waitFor();
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await walkthrough().locator('.getting-started-step', { hasText: 'Open an example' }).locator('.codicon-pass-filled, .complete').first().waitFor({ timeout: 20_000 });
    });
  });

  it('b. the last step runs New Model…, which offers the templates', async () => {
    await step('onb-02-new-model-pick', async () => {
      await walkthrough().locator('.getting-started-step', { hasText: 'Write your first model' }).first().click();
      const button = walkthrough().getByRole('button', { name: 'New Model…' }).first();
      await button.waitFor({ timeout: 10_000 });
      await button.click();
      for (const t of TEMPLATES) await page.locator(QUICK_ROWS, { hasText: t.label }).first().waitFor({ timeout: 20_000 });
    });
  });

  it('c. the chosen template appears as a new file in the folder, with no problems', async () => {
    await step('onb-03-new-file-clean', async () => {
      await page.locator(QUICK_ROWS, { hasText: TEMPLATE.label }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: NEW_FILE }).waitFor({ timeout: 20_000 });
      await page.locator('.monaco-editor .view-lines', { hasText: 'population' }).first().waitFor();
      assert.equal(readFileSync(join(workspace, NEW_FILE), 'utf8'), readFileSync(join(repoRoot, TEMPLATE.file), 'utf8'), 'the file on disk is the template');
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: NEW_FILE }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').waitFor({ state: 'visible' });
      // The language server has checked the file: give it time, then Problems must be empty.
      await page.locator('.statusbar-item', { hasText: 'Spikeworks SNN' }).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(4000);
      const rows = await page.locator(PROBLEM_ROWS).allInnerTexts();
      assert.deepEqual(rows, [], `Problems:\n${rows.join('\n')}`);
      assert.equal(await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').count(), 0);
    });
  });

  it('d. running it from the walkthrough "Run it" step opens the raster with the CLI spike count', async () => {
    const cli = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', join(workspace, NEW_FILE), '--format', 'json'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const expected = (JSON.parse(cli.stdout.trim().split('\n').pop()!) as { populations: { spikes: number }[] }).populations.reduce((a, p) => a + p.spikes, 0);
    assert.ok(expected > 0);
    await step('onb-04-raster', async () => {
      // From the walkthrough's "Run it" step: its button runs the model last open (the new one).
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await walkthrough().locator('.getting-started-step', { hasText: 'Run it' }).first().click();
      const run = walkthrough().getByRole('button', { name: 'Run Simulation' }).first();
      await run.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: join(RESULTS, 'onb-04a-run-step.png') });
      await run.click();
      let f = await panel(`Spike Raster: ${NEW_FILE}`);
      // In two clean-clone runs (CI, and one here) the panel's page stayed blank: the webview
      // never ran its script, while the run itself had ended (the output channel says so).
      // Reloaded, the page asks for the run again. That happens at most once, and is printed.
      const loaded = await f.locator('#run-status').waitFor({ state: 'attached', timeout: 20_000 }).then(() => true, () => false);
      if (!loaded) {
        console.log(`the raster page stayed blank for 20 s (no script ran); reloading the webviews once.\n${extensionLogs(runDir)}\nconsole (errors and warnings, last 40):\n${consoleLines.slice(-40).join('\n')}`);
        await openCommandBox(page, '>Developer: Reload Webviews', 'Reload Webviews');
        f = await panel(`Spike Raster: ${NEW_FILE}`);
      }
      await waitRunStatus(page, f, 'done', 60_000, () => `${extensionLogs(runDir)}\nconsole (errors and warnings, last 40):\n${consoleLines.slice(-40).join('\n')}`);
      assert.equal(Number(await f.locator('#spike-count').getAttribute('data-spikes')), expected, 'raster and CLI agree');
      await page.waitForTimeout(500);
    });
    assert.ok(existsSync(join(RESULTS, 'onb-04-raster.png')));
  });

  it('e. the "Read the raster" step\'s button shows the raster of the run, and the step is checked', async () => {
    await step('onb-05-read-raster', async () => {
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await walkthrough().locator('.getting-started-step', { hasText: 'Read the raster' }).first().click();
      const show = walkthrough().getByRole('button', { name: 'Show Spike Raster' }).first();
      await show.waitFor({ timeout: 10_000 });
      await show.click();
      const f = await panel(`Spike Raster: ${NEW_FILE}`);
      await waitRunStatus(page, f, 'done', 20_000, () => `${extensionLogs(runDir)}\nconsole (errors and warnings, last 40):\n${consoleLines.slice(-40).join('\n')}`);
      assert.ok(Number(await f.locator('#spike-count').getAttribute('data-spikes')) > 0);
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await walkthrough().locator('.getting-started-step', { hasText: 'Read the raster' }).locator('.codicon-pass-filled, .complete').first().waitFor({ timeout: 20_000 });
    });
  });

  it('f. the unit-mistake step as its page says: weight 6 is an error in Problems, Ctrl+. adds nS and the error goes', async () => {
    const text = readFileSync(join(workspace, 'coba.snn'), 'utf8').split(/\r?\n/);
    const line = text.findIndex((l) => /^\s*weight:\s*6 nS\b/.test(l)) + 1;
    assert.ok(line > 0, 'coba.snn has the line the walkthrough names (weight: 6 nS)');
    const original = text[line - 1];
    const squiggle = page.locator('.monaco-editor .squiggly-error');
    await step('onb-06-unit-error', async () => {
      await page.locator('.tabs-container .tab', { hasText: /^coba\.snn/ }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: 'coba.snn' }).waitFor({ timeout: 10_000 });
      await page.locator('.monaco-editor .view-lines').first().click();
      await openCommandBox(page, `:${line}:1`);
      await page.keyboard.press('Shift+End');
      await page.keyboard.insertText(original.replace(/6 nS/, '6'));
      await page.keyboard.press('Escape');
      // The page's words: the number needs a unit of siemens.
      await page.keyboard.press('Control+Shift+M');
      await page.locator(PROBLEM_ROWS, { hasText: /needs a unit/ }).filter({ hasText: /siemens/ }).first().waitFor({ timeout: 30_000 });
      await squiggle.first().waitFor({ state: 'visible', timeout: 10_000 });
    });
    await step('onb-07-unit-quick-fix', async () => {
      // The cursor on the 6, Ctrl+. lists "Add unit nS" (the preferred fix); take it.
      const col = original.indexOf('6 nS') + 1;
      await page.locator('.monaco-editor .view-lines').first().click();
      await openCommandBox(page, `:${line}:${col}`);
      await page.keyboard.press('Control+.');
      const action = page.locator('.action-widget .monaco-list-row, .context-view .action-widget li', { hasText: 'Add unit nS' }).first();
      await action.waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(RESULTS, 'onb-07a-quick-fix-menu.png') });
      // Keyboard, as after Ctrl+.: the fix is the focused (preferred) row; Enter applies it.
      assert.match((await action.getAttribute('class')) ?? '', /\bfocused\b/, 'Add unit nS is the preferred fix');
      await page.keyboard.press('Enter');
      await page.locator(PROBLEM_ROWS, { hasText: /needs a unit/ }).first().waitFor({ state: 'detached', timeout: 30_000 });
      await squiggle.first().waitFor({ state: 'detached', timeout: 10_000 });
      // Saved, the line is the original again (the fix inserted " nS" after the 6).
      await page.keyboard.press('Control+S');
      for (let i = 0; i < 40 && readFileSync(join(workspace, 'coba.snn'), 'utf8').split(/\r?\n/)[line - 1] !== original; i++) await page.waitForTimeout(250);
      assert.equal(readFileSync(join(workspace, 'coba.snn'), 'utf8').split(/\r?\n/)[line - 1], original);
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await walkthrough().locator('.getting-started-step', { hasText: 'Make a unit mistake' }).first().click();
      await walkthrough().getByRole('button', { name: 'Show Problems' }).first().click();
      await page.locator('.tabs-container .tab', { hasText: 'Walkthrough' }).first().click();
      await walkthrough().locator('.getting-started-step', { hasText: 'Make a unit mistake' }).locator('.codicon-pass-filled, .complete').first().waitFor({ timeout: 20_000 });
    });
  });
});
