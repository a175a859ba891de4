// The .onnx graph editor in a real VS Code (code-server + headless Chromium), with workspace trust
// ON and the folder not trusted (Restricted Mode): opening a .onnx file shows the graph editor
// (the custom editor is the default for *.onnx) with the model's ops, the summary and the shapes;
// the filter inside the webview finds a node and shows its details; a garbage .onnx shows its
// error as text; the model commands refuse in Restricted Mode and say that trust is needed; the
// editor shown again after its tab was hidden has its graph, filter and selection back.
// Screenshots go to test-results/.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CodeServer } from '../../scripts/code-server.mjs';
import { convNet } from '../helpers/onnx-editor-models';
import { extensionLogs, openWorkbench, quickOpen as openCommandBox, RESULTS, shotStep, skipWithoutChromium, webviewFrame } from './workbench';

const MODEL = 'tiny_cnn.onnx';
const GARBAGE = 'garbage.onnx';

describe('the .onnx graph editor in VS Code, untrusted (code-server + Chromium)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  let tmp = '';
  let runDir = '';
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-onnx-e2e-'));
    const ws = join(tmp, 'ws');
    mkdirSync(ws, { recursive: true });
    writeFileSync(join(ws, MODEL), convNet());
    writeFileSync(join(ws, GARBAGE), Buffer.from('<html><body>not a model</body></html>'));
    mkdirSync(RESULTS, { recursive: true });
    runDir = join(tmp, 'run');
    ({ server, browser, page } = await openWorkbench({ workspace: ws, runDir, trust: true }));
  }, { timeout: 240_000 });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const step = (shot: string, body: () => Promise<void>) => shotStep(page, shot, body, () => extensionLogs(runDir));
  const quickOpen = (text: string, expect?: string | RegExp) => openCommandBox(page, text, expect);
  const webview = (title: string) => webviewFrame(page, title, 60_000, () => extensionLogs(runDir));

  it('a. a .onnx file opens in the graph editor, in Restricted Mode; the filter finds a node', async () => {
    await step('onnx-01-editor', async () => {
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
      await quickOpen(MODEL, MODEL);
      const f = await webview(`ONNX: ${MODEL}`);
      await f.locator('.graph-wrap .node').first().waitFor({ timeout: 60_000 });
      assert.equal(await f.locator('.graph-wrap .node').count(), 8);
      assert.match(await f.locator('.summary').innerText(), /tiny_cnn\.onnx \(graph tiny_cnn\) · 6 ops · 437 parameters/);
      assert.ok((await f.locator('.graph-wrap .edge-label').allTextContents()).includes('[N, 4, 8, 8]'));
      await f.locator('.filter').fill('gemm');
      await f.locator('.match-count', { hasText: '1 of 1 match' }).waitFor();
      assert.equal(await f.locator('.details h2').innerText(), 'Gemm');
      assert.match(await f.locator('.details').innerText(), /325 in 2 initializers/);
    });
  });

  it('b. a file that is not a model shows why, as text', async () => {
    await step('onnx-02-garbage', async () => {
      await quickOpen(GARBAGE, GARBAGE);
      const f = await webview(`ONNX: ${GARBAGE}`);
      const text = f.locator('.error-text');
      await text.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match(await text.innerText(), /^garbage\.onnx: /);
      assert.equal(await f.locator('.graph-wrap .node').count(), 0);
    });
  });

  it('c. the model commands say they need trust in Restricted Mode', async () => {
    await step('onnx-03-untrusted-command', async () => {
      await page.locator('.tabs-container .tab', { hasText: MODEL }).first().click();
      await quickOpen('>Spikeworks: Record Activations', 'Record Activations');
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /needs a trusted workspace/ }).first();
      await toast.waitFor({ timeout: 30_000 });
      assert.match(await toast.innerText(), /Record Activations runs tiny_cnn\.onnx and reads input files/);
      // The editor came back from its hidden tab (the page reloaded): the graph is sent again and
      // the node selected kept (the command box's Escape had cleared the filter, as Escape does there).
      const f = await webview(`ONNX: ${MODEL}`);
      await f.locator('.graph-wrap .node').first().waitFor({ timeout: 60_000 });
      assert.equal(await f.locator('.details h2').innerText(), 'Gemm');
      assert.equal(await f.locator('.graph-wrap .node.selected').getAttribute('data-id'), 'op:4');
    });
  });
});
