// A hostile workspace in a real VS Code with workspace trust ON (code-server + headless Chromium):
// a model names data files inside the workspace, one whose name is a command link, and one
// outside the workspace whose text is a canary. Until trust is granted, no data file is read (the
// diagnostics say so) and nothing becomes a clickable link; after "Trust", the files inside are
// read, the file outside is still refused, the canary never appears and no link is rendered.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureCodeServer, installVsix, launchCodeServer, type CodeServer } from '../../scripts/code-server.mjs';
import { ensureVsix } from '../../scripts/package.mjs';
import { CHROMIUM, CHROMIUM_ARGS, quickOpen as openCommandBox, RESULTS, shotStep, skipWithoutChromium } from './workbench';

const FILE = 'hostile.snn';
const CANARY = 'CANARY_trust_5d2a';
const LINK_NAME = '[open a terminal](command:workbench.action.terminal.new)';
const MODEL = `// A model that names files it should not read: ${LINK_NAME}
model hostile
population a = LIF[3] { tau_m = from_file("data/tau.csv", column = "tau", unit = ms) }
population b = LIF[3] { tau_m = from_file("data/${LINK_NAME}.csv", column = "tau", unit = ms) }
population c = LIF[3] { tau_m = from_file("../outside/secret.csv", column = "tau", unit = ms) }
probe spikes(a, b)
simulate { dt: 0.1 ms; duration: 20 ms }
`;
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';
const TRUST_PHRASE = /read once the workspace is trusted/;

describe('a hostile workspace under workspace trust (code-server + Chromium)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  let tmp = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-trust-e2e-'));
    const ws = join(tmp, 'ws');
    mkdirSync(join(ws, 'data'), { recursive: true });
    mkdirSync(join(tmp, 'outside'));
    writeFileSync(join(ws, FILE), MODEL);
    writeFileSync(join(ws, 'data', 'tau.csv'), 'tau\n10\n20\n30\n');
    writeFileSync(join(ws, 'data', `${LINK_NAME}.csv`), 'tau\n11\n21\n31\n');
    writeFileSync(join(tmp, 'outside', 'secret.csv'), `tau,${CANARY}\n1,2\n3,4\n5,6\n`);
    mkdirSync(RESULTS, { recursive: true });
    await ensureCodeServer();
    const runDir = join(tmp, 'run');
    // The packaged VSIX (built once per change of dist/ and the manifest), installed as users do.
    installVsix(runDir, ensureVsix());
    server = await launchCodeServer({ workspace: ws, runDir, trust: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
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

  const step = (shot: string, body: () => Promise<void>) => shotStep(page, shot, body);


  const quickOpen = (text: string, expect?: string | RegExp) => openCommandBox(page, text, expect);

  /** Every link the workbench renders outside editors and webviews (notifications, hovers, Problems). */
  async function commandLinks(): Promise<string[]> {
    return page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => /terminal\.new|command:workbench\.action\.terminal/.test(h)));
  }

  async function problemText(): Promise<string> {
    const rows = await page.locator(PROBLEM_ROWS).evaluateAll((rs) => rs.map((r) => (r as HTMLElement).innerText));
    return rows.join('\n');
  }

  it('a. in Restricted Mode no data file is read and no link is rendered', async () => {
    await step('trust-01-restricted', async () => {
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
      await quickOpen(FILE, FILE);
      await page.locator('.monaco-editor .view-lines', { hasText: 'population' }).first().waitFor();
      await quickOpen('>View: Focus Problems', 'Focus Problems');
      await page.locator(PROBLEM_ROWS, { hasText: TRUST_PHRASE }).first().waitFor({ timeout: 30_000 });
      // Three from_file calls, each told to wait for trust; nothing read, nothing echoed.
      await page.waitForTimeout(1500);
      const text = await problemText();
      assert.equal((text.match(/read once the workspace is trusted/g) ?? []).length, 3, text);
      assert.ok(!text.includes(CANARY), text);
      // Running waits for trust, naming the files — as plain text.
      await quickOpen('>Spikeworks: Run Simulation', 'Run Simulation');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /reads data files .*read once the workspace is trusted/ }).first();
      await toast.waitFor({ timeout: 30_000 });
      const msg = await toast.innerText();
      assert.match(msg, /open a terminal/, 'the file name is shown');
      assert.deepEqual(await commandLinks(), [], 'a command link was rendered');
      assert.equal(await toast.locator('.notification-list-item-message a').count(), 0, `links in: ${msg}`);
    });
  });

  it('b. after Trust, files inside are read, the file outside is refused, still no link', async () => {
    await step('trust-02-trusted', async () => {
      await quickOpen('>Workspaces: Manage Workspace Trust', 'Manage Workspace Trust');
      const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
      await trust.waitFor({ timeout: 20_000 });
      await trust.click();
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
      await quickOpen('>View: Focus Problems', 'Focus Problems');
      await page.locator(PROBLEM_ROWS, { hasText: /outside the workspace/ }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500);
      const text = await problemText();
      assert.doesNotMatch(text, TRUST_PHRASE, text);
      assert.equal((text.match(/is outside the workspace/g) ?? []).length, 1, text);
      assert.ok(!text.includes(CANARY), text);
      assert.deepEqual(await commandLinks(), []);
      const body = await page.locator('body').innerText();
      assert.ok(!body.includes(CANARY), 'the canary is shown somewhere');
    });
  });
});
