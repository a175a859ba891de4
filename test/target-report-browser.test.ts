// The Target Report panel (dist/webviews/target-report.js) in headless Chromium (issue 15):
// every control reachable with Tab and activated with Enter and Space, the report kept with
// setState and shown again from getState after a reload (the webview's state survives the page;
// here in sessionStorage), and the model's text shown as text. Skipped with the reason when
// chromium is absent and CI is not set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { TargetReport } from '../protocol/target-report';
import { chromiumSkip as skip, openPanel, panelPage, type PanelPage } from './helpers/panel-page';

const REPORT: TargetReport = {
  format: 'spikeworks-target-report/1', file: '<img src=x onerror="window.__hacked=1">.snn', target: { name: 'chip', kind: 'loihi2', backend: 'loihi2-emu' }, seed: 3, dt: 1e-4, simulated_s: 0.2,
  fidelity: [
    { population: 'exc', rate_float_hz: 10, rate_target_hz: 9.5, rate_error: -0.05, count_correlation: 0.9, van_rossum: 1.5 },
    { population: '<b>inh</b>', rate_float_hz: 20, rate_target_hz: 21, rate_error: 0.05, count_correlation: 0.8, van_rossum: 2 },
  ],
  resources: {
    neurons_per_core: 256, chips: 1, limits: { in_axons: 4096, out_axons: 4096, synapse_bits: 1_048_576 }, notes: ['synapse bits: an estimate'],
    cores: [
      { core: 0, population: 'exc', first: 0, last: 255, in_axons: 300, out_axons: 300, synapse_bits: 60000 },
      { core: 1, population: '<b>inh</b>', first: 0, last: 99, in_axons: 5000, out_axons: 256, synapse_bits: 20000 },
    ],
  },
  violations: [], energy: { source: 'Davies 2018 (estimate)', j_per_sim_s: 1e-3, chip_s_per_sim_s: 0.01 },
  quantisation: [{ where: 'population exc', what: 'τ_m → dv', ideal: 0.995, used: 0.99498, error: 2e-5 }], approximations: ['connection x: 3 weights round to 0'],
};

let panel: PanelPage;

const open = (): Promise<Page> => openPanel(panel, { type: 'report', document: 'file:///m.snn', report: REPORT }, 'document.querySelectorAll(".report-section").length === 5');

/** What has the focus: its tag, and its aria-label or its text. */
const focused = (page: Page) => page.evaluate(() => {
  const a = document.activeElement as HTMLElement | null;
  if (!a || a === document.body) return 'body';
  return `${a.tagName.toLowerCase()}:${a.getAttribute('aria-label') ?? a.textContent?.trim() ?? ''}`;
});

describe('the Target Report panel in Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    // acquireVsCodeApi as the webview host gives it: the state outlives a reload of the page
    panel = await panelPage('target-report', "window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => { const s = sessionStorage.getItem('state'); return s ? JSON.parse(s) : undefined; }, setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)) });");
  });
  after(async () => {
    await panel?.close();
  });

  it('Tab reaches every control and comes round; Enter and Space activate Export JSON', async () => {
    const page = await open();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const order: string[] = [];
    for (let k = 0; k < 8; k++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    const exportAt = order.findIndex((x) => x.startsWith('vscode-button:') && x.includes('Export JSON'));
    const bodyAt = order.findIndex((x) => x === 'div:Target Report');
    assert.ok(exportAt >= 0 && exportAt < 3, `Export JSON is reached: ${order.join(' | ')}`);
    assert.ok(bodyAt > exportAt, `then the report body (scrollable by keys): ${order.join(' | ')}`);
    // the order comes round: the button again after the body
    assert.equal(order[exportAt + 3], order[exportAt], `Tab cycles: ${order.join(' | ')}`);
    // on to the button with Tab, then activate it from the keyboard
    for (let k = 0; k < 3 && !(await focused(page)).includes('Export JSON'); k++) await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'vscode-button:Export JSON…');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    const posted = (await page.evaluate('window.__posted')) as unknown[];
    assert.deepEqual(posted, [{ type: 'ready' }, { type: 'export-json' }, { type: 'export-json' }]);
    await page.close();
  });

  it('after a reload the report comes back from getState; the model\'s text stays text', async () => {
    const page = await open();
    const before = await page.textContent('.report-body');
    const summary = await page.textContent('.summary');
    await page.reload();
    await page.waitForFunction('document.querySelectorAll(".report-section").length === 5');
    assert.equal(await page.textContent('.report-body'), before);
    assert.equal(await page.textContent('.summary'), summary);
    assert.match(summary ?? '', /<img src=x/);
    assert.match(before ?? '', /<b>inh<\/b>/);
    assert.equal(await page.$$eval('.report-body img, .report-body b, .toolbar img', (x) => x.length), 0);
    assert.equal(await page.evaluate('window.__hacked'), undefined);
    assert.deepEqual(await page.evaluate('window.__posted'), [{ type: 'ready' }], 'restored without a new report from the extension');
    // the chart is drawn again at its size
    assert.ok(await page.$eval('canvas.chart', (c) => (c as HTMLCanvasElement).width > 0));
    await page.close();
  });
});
