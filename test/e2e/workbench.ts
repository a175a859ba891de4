// What the end-to-end suites in code-server share: the Chromium they drive and its flags, when
// they skip, the workbench selectors they read (VS Code 1.100), and the command box.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';
import { ensureCodeServer, installVsix, launchCodeServer, repoRoot, type CodeServer } from '../../scripts/code-server.mjs';
import { ensureVsix } from '../../scripts/package.mjs';

export const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
export const RESULTS = join(repoRoot, 'test-results');

export const QUICK_INPUT = '.quick-input-widget input';
export const QUICK_ROWS = '.quick-input-list .monaco-list-row';

/** Without chromium a suite is skipped locally (with the reason shown) but fails in CI. */
export const skipWithoutChromium = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;

/**
 * Types `text` into the command box (Ctrl+P; a leading `>` makes it the command palette), waits
 * for a row with `expect` and takes it: Enter for a string, a click on the matching row for a
 * RegExp (when Enter could take a row that also contains the text).
 */
export async function quickOpen(page: Page, text: string, expect?: string | RegExp): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 3000 });
      await input.fill(text, { timeout: 3000 });
      break;
    } catch (e) {
      // Keys went to a webview that has the focus, or an editor opening took the focus and
      // closed the box: give the focus back to the workbench and retry.
      if (attempt === 2) throw e;
      await page.locator('.part.sidebar .composite.title').first().click();
      await page.waitForTimeout(300);
    }
  }
  if (expect) await page.locator(QUICK_ROWS, { hasText: expect }).first().waitFor({ timeout: 20_000 });
  else await page.waitForTimeout(300);
  const placeholder = await input.getAttribute('placeholder');
  if (expect instanceof RegExp) await page.locator(QUICK_ROWS, { hasText: expect }).first().click();
  else await page.keyboard.press('Enter');
  // Done when the box closes, or when the command opened a quick pick of its own in the same
  // widget (Run with Backend…: another placeholder) — that one stays open for the caller.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!(await input.isVisible())) return;
    const now = await input.getAttribute('placeholder').catch(() => placeholder);
    if (now !== placeholder) return;
    if (Date.now() > deadline) throw new Error(`the quick input stayed open after '${text}'`);
    await page.waitForTimeout(100);
  }
}

/**
 * Runs a test step: on success saves RESULTS/<shot>.png (and removes an old <shot>-failed.png);
 * on failure saves <shot>-failed.png, prints what `onFailure` says (a log tail), and rethrows.
 */
export async function shotStep(page: Page | undefined, shot: string, body: () => Promise<void>, onFailure?: () => string): Promise<void> {
  try {
    await body();
    await page!.screenshot({ path: join(RESULTS, `${shot}.png`) });
    rmSync(join(RESULTS, `${shot}-failed.png`), { force: true });
  } catch (err) {
    await page?.screenshot({ path: join(RESULTS, `${shot}-failed.png`) }).catch(() => {});
    const said = onFailure?.();
    if (said) console.error(said);
    throw err;
  }
}

/** The last `lines` lines of the extension host's logs under `runDir` (Spikeworks' output channel, exthost.log). */
export function extensionLogs(runDir: string, lines = 40): string {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 8 || !existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, depth + 1);
      else if (/Spikeworks.*\.log$|^exthost\.log$|^remoteexthost\.log$/.test(e)) found.push(p);
    }
  };
  walk(runDir, 0);
  return found.map((f) => `--- ${f} (tail):\n${readFileSync(f, 'utf8').split('\n').slice(-lines).join('\n')}`).join('\n') || `no extension host log under ${runDir}`;
}

/**
 * Waits until the raster in `frame` shows its run ended as `status`. Fails at once when the run
 * ends otherwise, and on timeout says what the panel shows and what the extension logged.
 */
export async function waitRunStatus(page: Page, frame: FrameLocator, status: 'done' | 'cancelled' | 'failed', timeout: number, logs: () => string): Promise<void> {
  const el = frame.locator('#run-status');
  const deadline = Date.now() + timeout;
  let seen = '';
  for (;;) {
    const now = await el.getAttribute('data-status', { timeout: 1000 }).catch(() => null);
    if (now === status) return;
    seen = `${now ?? '(no status)'}: ${(await el.textContent({ timeout: 1000 }).catch(() => '')) ?? ''}`;
    if (now && now !== 'running' && now !== status) throw new Error(`the run ended "${seen}", not ${status}\n${logs()}`);
    if (Date.now() > deadline) throw new Error(`the run did not end ${status} within ${timeout} ms; the panel shows "${seen}"\n${logs()}`);
    await page.waitForTimeout(250);
  }
}

/**
 * code-server on `workspace` with the packaged VSIX installed under `runDir` (workspace trust on
 * when `trust`), and a Chromium page on its workbench once the Explorer lists the folder.
 */
export async function openWorkbench(o: { workspace: string; runDir: string; trust?: boolean }): Promise<{ server: CodeServer; browser: Browser; page: Page }> {
  await ensureCodeServer();
  installVsix(o.runDir, ensureVsix());
  const server = await launchCodeServer({ workspace: o.workspace, runDir: o.runDir, trust: o.trust ?? false });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.url);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 30_000 });
  await page.locator('.monaco-workbench .part.editor').click();
  return { server, browser, page };
}

/** The content frame of the visible webview whose page carries `title` (`#app[data-title]`, panels/html.ts). */
export async function webviewFrame(page: Page, title: string, timeout = 30_000, logs?: () => string): Promise<FrameLocator> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frames = page.locator('iframe.webview.ready').filter({ visible: true });
    for (let i = 0; i < (await frames.count()); i++) {
      const inner = frames.nth(i).contentFrame().frameLocator('iframe#active-frame');
      if ((await inner.locator(`#app[data-title="${title}"]`).count()) > 0) return inner;
    }
    if (Date.now() > deadline) throw new Error(`no visible webview shows "${title}"${logs ? `\n${logs()}` : ''}`);
    await page.waitForTimeout(250);
  }
}
