// The Descriptions panel (dist/webviews/describe.js) in headless Chromium, fed the extension's
// message (issue 17): one row per group, model text shown as text (never markup), the filter, the
// sort, a click showing the group's neurons and exemplar windows, the exports asked for, the
// state kept with setState. Skipped with the reason when chromium is absent and CI is not set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { DescriptionsView } from '../protocol/describe-panel';
import { chromiumSkip as skip, openPanel, panelPage, type PanelPage } from './helpers/panel-page';

const VIEW: DescriptionsView = {
  title: 'demo.snn', windows: 360, source: 'trials', atoms: 12, cancelled: false,
  populations: [
    { population: 'exc', size: 30, unselective: 5, groups: [
      { formula: 'A AND NOT B', text: 'fires during `A`, not during `B`', units: [0, 1, 2], meanScore: 0.38, meanIou: 0.5, meanMi: 0.2, maxP: 0.001, exemplars: [[0.05, 0.1], [0.35, 0.4]] },
      { formula: '<img src=x onerror="window.__hacked=1">', text: 'fires during `<b>bold</b>`', units: [3, 4, 5, 6], meanScore: 0.2, meanIou: 0.4, meanMi: 0.1, maxP: 0.002, exemplars: [[1, 1.05]] },
      { formula: 'onset(A)', text: 'fires during the onset of `A`', units: [7], meanScore: 0.41, meanIou: 0.6, meanMi: 0.3, maxP: 0.001, exemplars: [[0.05, 0.1]] },
    ] },
  ],
};

let panel: PanelPage;

const open = (): Promise<Page> => openPanel(panel, { type: 'descriptions', view: VIEW }, 'document.querySelectorAll("tbody tr").length > 0');

const column = (page: Page, k: number) => page.$$eval(`tbody tr td:nth-child(${k})`, (tds) => tds.map((td) => td.textContent));

describe('the Descriptions panel in Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    panel = await panelPage('describe', 'window.__posted = []; window.__state = undefined; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });');
  });
  after(async () => {
    await panel?.close();
  });

  it('rows by score; model text is shown as text, never markup', async () => {
    const page = await open();
    assert.deepEqual(await column(page, 2), ['onset(A)', 'A AND NOT B', '<img src=x onerror="window.__hacked=1">']);
    assert.equal(await page.$$eval('tbody img, tbody b', (x) => x.length), 0);
    assert.equal(await page.evaluate('window.__hacked'), undefined);
    assert.match((await page.textContent('.summary')) ?? '', /demo\.snn: 25 of 30 neurons described, 360 windows \(trials\), 12 atoms/);
    assert.match((await page.textContent('.message')) ?? '', /exc: 5 of 30 unselective/);
    assert.deepEqual(await page.evaluate('window.__posted[0]'), { type: 'ready' });
    await page.close();
  });

  it('filter, click for neurons and exemplar windows, exports, state kept', async () => {
    const page = await open();
    await page.fill('input.filter', 'not during');
    assert.deepEqual(await column(page, 2), ['A AND NOT B']);
    await page.click('tbody tr');
    const detail = (await page.textContent('.detail')) ?? '';
    assert.match(detail, /exc A AND NOT B: neurons 0, 1, 2/);
    assert.match(detail, /exemplar windows of neuron 0: 50 ms–100 ms, 350 ms–400 ms/);
    const state = (await page.evaluate('window.__state')) as { filter: string; selected: number; view: DescriptionsView };
    assert.equal(state.filter, 'not during');
    assert.equal(state.selected, 0);
    assert.equal(state.view.populations[0].groups.length, 3);
    await page.locator('vscode-button', { hasText: 'Export CSV' }).click();
    await page.locator('vscode-button', { hasText: 'Export JSON' }).click();
    const posted = (await page.evaluate('window.__posted')) as unknown[];
    assert.deepEqual(posted.slice(1), [{ type: 'raster', population: 'exc', formula: 'A AND NOT B' }, { type: 'export', format: 'csv' }, { type: 'export', format: 'json' }]);
    await page.close();
  });

  it('a click or Enter on a row asks for the raster with that group marked; arrows move between rows', async () => {
    const page = await open();
    await page.click('tbody tr:nth-child(2)');
    assert.deepEqual(await page.evaluate('window.__posted.at(-1)'), { type: 'raster', population: 'exc', formula: 'A AND NOT B' });
    assert.equal(await page.evaluate('document.activeElement?.rowIndex'), 2, 'the picked row keeps the focus');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.evaluate('window.__posted.at(-1)'), { type: 'raster', population: 'exc', formula: '<img src=x onerror="window.__hacked=1">' });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press(' ');
    assert.deepEqual(await page.evaluate('window.__posted.at(-1)'), { type: 'raster', population: 'exc', formula: 'onset(A)' });
    assert.match((await page.textContent('.detail')) ?? '', /exc onset\(A\): neurons 7/);
    await page.close();
  });
});
