// End to end in a real VS Code: code-server (installed from npm on first use) with this repo as
// an extension, driven by headless Chromium through playwright-core. Checks that coba.snn opens
// clean, that a unit error shows in Problems with a squiggle, and that completion inside a
// population block offers the cell model's parameters. Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  ensureCodeServer,
  installVsix,
  launchCodeServer,
  repoRoot,
  type CodeServer,
} from '../../scripts/code-server.mjs';
import { ensureVsix } from '../../scripts/package.mjs';
import { CHROMIUM, CHROMIUM_ARGS, quickOpen as openCommandBox, RESULTS, shotStep, skipWithoutChromium } from './workbench';

const FILE = 'coba.snn';

// Selectors (VS Code 1.100 workbench).
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';
const SQUIGGLE = '.monaco-editor .squiggly-error';
const SUGGEST_ROWS = '.editor-widget.suggest-widget .monaco-list-row';


describe('VS Code end to end (code-server + Chromium)', { skip: skipWithoutChromium, timeout: 240_000 }, () => {
  let tmp = '';
  let workspace = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let lines: string[] = [];
  let runDir = '';

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-e2e-'));
    workspace = join(tmp, 'ws');
    cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });
    assert.ok(existsSync(join(workspace, FILE)), `examples/${FILE} is missing`);
    lines = readFileSync(join(workspace, FILE), 'utf8').split(/\r?\n/);
    mkdirSync(RESULTS, { recursive: true });

    await ensureCodeServer(); // ~1 min the first time
    runDir = join(tmp, 'run');
    // The packaged VSIX (built once per change of dist/ and the manifest), installed as users do.
    installVsix(runDir, ensureVsix());
    // Completion must come from the language server, not from words in the document, and only
    // when asked for (Ctrl+Space), so that no suggest widget pops up while the test types.
    mkdirSync(join(runDir, 'ud', 'User'), { recursive: true });
    writeFileSync(
      join(runDir, 'ud', 'User', 'settings.json'),
      JSON.stringify({
        'editor.wordBasedSuggestions': 'off',
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
      }),
    );
    server = await launchCodeServer({ workspace, runDir });

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-workbench .part.editor').click(); // focus, so shortcuts reach the workbench
  }, { timeout: 180_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs a step; on failure saves `<shot>-failed.png` and the code-server log's tail, then rethrows. */
  const step = (shot: string, body: () => Promise<void>) =>
    shotStep(page, shot, body, () => (server ? `code-server log (tail) ${server.logFile}:\n${readFileSync(server.logFile, 'utf8').split('\n').slice(-30).join('\n')}` : ''));


  /** 1-based number of the first line of coba.snn matching `re`. */
  function lineOf(re: RegExp): number {
    const i = lines.findIndex((l) => re.test(l));
    assert.ok(i >= 0, `${FILE} has no line matching ${re}`);
    return i + 1;
  }

  /** Ctrl+P, type `text`, wait for a row containing `expect`, Enter. */
  const quickOpen = (text: string, expect?: string) => openCommandBox(page, text, expect);

  /** Puts the cursor at the start of a line of coba.snn. */
  async function gotoLine(line: number): Promise<void> {
    await focusEditor();
    await quickOpen(`:${line}:1`);
  }

  /** Lines about our extension from the extension host logs (for failure messages). */
  function extensionHostLog(): string {
    const logs = join(runDir, 'ud', 'logs');
    const found: string[] = [];
    for (const session of existsSync(logs) ? readdirSync(logs) : []) {
      for (const host of readdirSync(join(logs, session)).filter((d) => d.startsWith('exthost'))) {
        const file = join(logs, session, host, 'remoteexthost.log');
        if (!existsSync(file)) continue;
        found.push(...readFileSync(file, 'utf8').split('\n').filter((l) => /spikeworks/i.test(l)).map((l) => l.slice(0, 400)));
      }
    }
    return found.join('\n') || '(nothing about spikeworks in the extension host log)';
  }

  /** Waits until "Developer: Show Running Extensions" lists Spikeworks as activated, then closes it. */
  async function waitForActivation(): Promise<void> {
    await quickOpen('>Developer: Show Running Extensions', 'Show Running Extensions');
    const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Spikeworks' });
    try {
      try {
        await row.filter({ hasText: /Activation/ }).waitFor({ timeout: 30_000 });
      } catch {
        assert.fail(`the Spikeworks extension did not activate (is dist/ built?). Extension host log:\n${extensionHostLog()}`);
      }
      const text = await row.innerText();
      assert.doesNotMatch(text, /error|failed/i, `Spikeworks activation: ${text}\n${extensionHostLog()}`);
    } finally {
      await page.locator('.tabs-container .tab.active .codicon-close').click();
      await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
    }
  }

  /** Makes coba.snn's editor the active, focused one. */
  async function focusEditor(): Promise<void> {
    await page.keyboard.press('Escape');
    await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
  }

  /** Text of every visible row in the Problems panel. */
  async function problemRows(): Promise<string[]> {
    return page.locator(PROBLEM_ROWS).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText));
  }

  /** Waits until the Problems rows stop changing for `quietMs` (the server has had its say). */
  async function settledProblems(minMs: number, quietMs: number): Promise<string[]> {
    const start = Date.now();
    let last = JSON.stringify(await problemRows());
    let since = Date.now();
    while (Date.now() - start < minMs || Date.now() - since < quietMs) {
      await page.waitForTimeout(250);
      const now = JSON.stringify(await problemRows());
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      if (Date.now() - start > 30_000) break;
    }
    return JSON.parse(last) as string[];
  }

  it('a. opens coba.snn without problems', async () => {
    await step('e2e-01-coba-clean', async () => {
      await quickOpen(FILE, FILE);
      await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
      await page.locator('.monaco-editor .view-lines', { hasText: 'population' }).waitFor();
      // The language is ours (status bar shows its alias) and the extension has activated,
      // which includes the language server's initialize handshake.
      await page.locator('.statusbar-item', { hasText: 'Spikeworks SNN' }).first().waitFor({ timeout: 15_000 });
      await waitForActivation();
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').waitFor({ state: 'visible' });
      const rows = await settledProblems(3_000, 3_000);
      assert.deepEqual(rows.filter((r) => r.includes(FILE)), [], `Problems lists ${FILE}:\n${rows.join('\n')}`);
      assert.equal(await page.locator(SQUIGGLE).count(), 0, 'error squiggles in a clean file');
    });
  });

  it('b. a volt/siemens mix-up shows in Problems with a squiggle, and goes away when fixed', async () => {
    // Either coba.snn sets `V_th = -50 mV` itself (change it to nS), or V_th comes from CobaLIF
    // (then override it with nS in the exc population). Both compare v (volt) with siemens.
    const own = lines.findIndex((l) => /\bV_th\s*=\s*-50\s*mV\b/.test(l)) + 1;
    const population = lineOf(/population\s+exc\s*=\s*CobaLIF\s*\[/);
    const original = own ? lines[own - 1] : '';
    await step('e2e-02-unit-error', async () => {
      if (own) {
        await gotoLine(own);
        await page.keyboard.press('Shift+End');
        await page.keyboard.insertText(original.replace(/-50\s*mV/, '-50 nS'));
      } else {
        await gotoLine(population); // a new first line inside the block
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await page.keyboard.insertText('V_th = -50 nS');
      }
      await page.keyboard.press('Escape');
      const row = page.locator(PROBLEM_ROWS, { hasText: /volt/i }).filter({ hasText: /siemens/i }).first();
      await row.waitFor({ timeout: 30_000 });
      await page.locator(SQUIGGLE).first().waitFor({ state: 'visible', timeout: 10_000 });
    });
    // Undo the change: the error disappears again, which also shows (a) saw a live server.
    if (own) {
      await gotoLine(own);
      await page.keyboard.press('Shift+End');
      await page.keyboard.insertText(original);
    } else {
      await gotoLine(population + 1);
      await page.keyboard.press('Control+Shift+K'); // delete line
    }
    await page.keyboard.press('Escape');
    await page.locator(PROBLEM_ROWS, { hasText: /siemens/i }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator(SQUIGGLE).first().waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('c. completion inside a population block lists CobaLIF parameters', async () => {
    const line = lineOf(/population\s+exc\s*=\s*CobaLIF\s*\[/);
    await step('e2e-03-completion', async () => {
      await gotoLine(line);
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      const row = page.locator(SUGGEST_ROWS, { hasText: 'C_m' }).first();
      // The first request may race the server's parse of the new line: ask again once.
      for (let attempt = 0; ; attempt++) {
        await page.keyboard.press('Control+Space');
        try {
          await row.waitFor({ timeout: 10_000 });
          break;
        } catch (err) {
          if (attempt > 0) throw err;
          await page.keyboard.press('Escape');
        }
      }
    });
    await page.keyboard.press('Escape');
  });
});
