// The Circuits panel (dist/webviews/circuits.js) in headless Chromium, fed the extension's
// message with a hand-built two-task result (test/helpers/circuits-fixture.ts): the graph's nodes
// and edges, colours per task, shared components ringed, components in no circuit dashed, the
// keyboard (Tab reaches a component, arrows move to the neighbour they point at, Enter asks for
// `reveal`), model text shown as text, the SVG export well-formed and self-contained, the PNG
// export drawn from it at 2×, the state kept and restored, a malformed message dropped.
// Skipped with the reason when chromium is absent and CI is not set.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CircuitsPanelState } from '../protocol/circuits-panel';
import { ensureBuilt, repoRoot } from './helpers/build';
import { circuitsFixture } from './helpers/circuits-fixture';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;
const DOC = 'file:///models/two_tasks.snn';

let server: Server;
let browser: Browser;
let base = '';

async function open(o: { hostile?: boolean; state?: unknown; message?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  if (o.state !== undefined) await page.addInitScript(`window.__state = ${JSON.stringify(o.state)};`);
  await page.goto(base);
  await page.waitForFunction('document.querySelector(".toolbar")');
  if (o.message !== false) {
    await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'circuits', document: DOC, result: circuitsFixture({ hostile: o.hostile }) })}, '*')`);
    await page.waitForFunction('document.querySelectorAll(".graph-wrap .node").length > 0');
  }
  return page;
}

const attr = (page: Page, selector: string, name: string) => page.$eval(selector, (e, n) => e.getAttribute(n), name);
const node = (id: string) => `.graph-wrap .node[data-id="${id}"]`;
const posted = (page: Page) => page.evaluate('window.__posted') as Promise<{ type: string; format?: string; data?: string; component?: string }[]>;

describe('the Circuits panel in Chromium', { skip, timeout: 120_000 }, () => {
  before(async () => {
    ensureBuilt();
    const js = readFileSync(join(repoRoot, 'dist', 'webviews', 'circuits.js'));
    const css = readFileSync(join(repoRoot, 'dist', 'webviews', 'circuits.css'));
    server = createServer((req, res) => {
      if (req.url === '/circuits.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      if (req.url === '/circuits.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
      // The policy extension/src/panels/html.ts writes for this panel (`/csp-no-blob`: without its blob: images).
      if (req.url?.startsWith('/csp')) {
        const self = `http://${req.headers.host}`;
        const policy = `default-src 'none'; script-src 'nonce-t3st'; style-src ${self}; font-src ${self}; img-src ${self}${req.url === '/csp' ? ' blob:' : ''}`;
        return res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': policy }).end(`<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/circuits.css"></head><body class="vscode-dark"><div id="app"></div>
<script nonce="t3st">window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective)); window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });</script><script nonce="t3st" src="/circuits.js"></script></body></html>`);
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/circuits.css"></head><body class="vscode-dark"><div id="app"></div>
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });</script><script src="/circuits.js"></script></body></html>`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('draws every population and group as a node and every projection as an edge, laid out without overlap', async () => {
    const page = await open();
    const ids = await page.$$eval('.graph-wrap .node', (ns) => ns.map((n) => n.getAttribute('data-id')));
    assert.deepEqual(ids.sort(), ['group:hub[0..100]', 'group:hub[100..200]', 'pop:hub', 'pop:in_a', 'pop:in_b', 'pop:noise', 'pop:out', 'pop:side_a', 'pop:side_b']);
    const projections = await page.$$eval('.graph-wrap .edge[data-id]', (es) => es.map((e) => e.getAttribute('data-id')));
    assert.equal(projections.length, 9);
    assert.ok(projections.includes('proj:recurrent') && projections.includes('proj:in_a->hub'));
    assert.equal(await page.$$eval('.graph-wrap .edge.part-of', (es) => es.length), 2, 'each group tied to its population');
    // Node boxes do not overlap (a real layout, not a pile at the origin).
    const boxes = await page.$$eval('.graph-wrap .node .box', (bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => [r.x, r.y, r.right, r.bottom]));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      assert.ok(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1], `boxes ${ids[i]} and ${ids[j]} overlap`);
    }
    assert.deepEqual(await page.evaluate('window.__posted[0]'), { type: 'ready' });
    assert.match((await page.textContent('.summary')) ?? '', /two_tasks\.snn: 2 tasks, 18 components · intervention mean · threshold 0\.05 · seed 7 · 412 runs/);
    await page.close();
  });

  it('colours components by task, rings the shared ones, dashes those in no circuit; importance is line width', async () => {
    const page = await open();
    // No theme variables on this page: the theme's fallbacks (charts blue, charts red) are the task colours.
    assert.equal(await attr(page, `${node('pop:side_a')} .box`, 'stroke'), '#3794ff');
    assert.equal(await attr(page, `${node('pop:side_b')} .box`, 'stroke'), '#f14c4c');
    const bars = await page.$$eval(`${node('pop:hub')} .task-bar`, (bs) => bs.map((b) => b.getAttribute('fill')));
    assert.deepEqual(bars, ['#3794ff', '#f14c4c']);
    const shared = await page.$$eval('.graph-wrap .node.shared', (ns) => ns.map((n) => n.getAttribute('data-id')).sort());
    assert.deepEqual(shared, ['group:hub[0..100]', 'pop:hub']);
    assert.equal(await page.$$eval(`${node('pop:hub')} .ring`, (r) => r.length), 1);
    assert.equal(await page.$$eval(`${node('pop:side_a')} .ring`, (r) => r.length), 0);
    assert.equal(await attr(page, `${node('pop:in_b')} .box`, 'stroke-dasharray'), '5 3');
    assert.equal(await attr(page, `${node('pop:side_a')} .box`, 'stroke-dasharray'), null);
    // hub (importance 0.41, the largest) is drawn wider than side_b (0.33).
    const w = async (id: string) => Number(await attr(page, `${node(id)} .box`, 'stroke-width'));
    assert.ok((await w('pop:hub')) > (await w('pop:side_b')));
    assert.equal(await w('pop:hub'), 6);
    const legend = await page.$$eval('.graph-wrap .legend text', (ts) => ts.map((t) => t.textContent));
    assert.deepEqual(legend.slice(0, 3), ['task left_right', 'task odd_even', 'shared by 2+ tasks']);
    await page.close();
  });

  it('keyboard: Tab reaches a component, the arrows move to the neighbour they point at, Enter asks to reveal it', async () => {
    const page = await open();
    const active = () => page.evaluate('document.activeElement?.getAttribute("data-id") ?? null') as Promise<string | null>;
    let reached: string | null = null;
    for (let k = 0; k < 12 && !reached; k++) {
      await page.keyboard.press('Tab');
      reached = await active();
    }
    assert.ok(reached, 'Tab never reached a component of the graph');
    // Every component of the graph is a tab stop.
    const stops = await page.$$eval('.graph-wrap [data-id]', (es) => es.filter((e) => e.getAttribute('tabindex') === '0').length);
    assert.equal(stops, 9 + 9);
    await page.focus(node('pop:in_a'));
    await page.keyboard.press('ArrowRight');
    assert.equal(await active(), 'pop:side_a', 'the node straight to the right');
    await page.keyboard.press('ArrowRight');
    assert.equal(await active(), 'pop:out');
    await page.keyboard.press('ArrowUp');
    assert.equal(await active(), 'group:hub[0..100]');
    // On a projection the arrows follow it: right to its target, left to its source.
    await page.focus('.graph-wrap .edge[data-id="proj:in_b->side_b"]');
    await page.keyboard.press('ArrowRight');
    assert.equal(await active(), 'pop:side_b');
    await page.focus('.graph-wrap .edge[data-id="proj:in_b->side_b"]');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await active(), 'pop:in_b');
    await page.keyboard.press('Home');
    const first = await active();
    assert.ok(first);
    await page.focus(node('pop:side_a'));
    await page.keyboard.press('Enter');
    const last = (await posted(page)).at(-1);
    assert.deepEqual(last, { type: 'reveal', component: 'pop:side_a' });
    assert.match((await page.textContent('.details')) ?? '', /^side_a: population · 80 neurons; in the circuit of left_right \(importance 0\.290\)$/);
    // A click on an edge and Enter on a row of the components table ask for the same.
    await page.click('.graph-wrap .edge[data-id="proj:recurrent"] text');
    assert.deepEqual((await posted(page)).at(-1), { type: 'reveal', component: 'proj:recurrent' });
    await page.focus('tr[data-id="group:hub[100..200]"]');
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page)).at(-1), { type: 'reveal', component: 'group:hub[100..200]' });
    await page.close();
  });

  it('model text is shown as text, never markup', async () => {
    const page = await open({ hostile: true });
    const bad = '<img src=x onerror="window.__hacked=1">';
    assert.equal(await page.$$eval('img, b', (x) => x.length), 0);
    assert.equal(await page.evaluate('window.__hacked'), undefined);
    const labels = await page.$$eval('.graph-wrap .node .label', (ts) => ts.map((t) => t.textContent));
    assert.ok(labels.includes(`${bad.slice(0, 27)}…`), labels.join(' | '));
    assert.ok(await page.$$eval('td', (tds, s) => tds.some((td) => td.textContent === s), bad));
    assert.ok(await page.$$eval('.graph-wrap .legend text', (ts) => ts.some((t) => t.textContent === 'task <b>odd_even</b>')));
    assert.ok(await page.$$eval('td', (tds) => tds.some((td) => td.textContent === '<b>odd_even</b>')));
    await page.close();
  });

  it('exports: a well-formed self-contained SVG with the nodes, a PNG drawn from it at 2×, JSON asked of the extension', async () => {
    const page = await open({ hostile: true });
    await page.locator('vscode-button', { hasText: 'Export SVG' }).click();
    const svg = (await posted(page)).find((m) => m.format === 'svg')?.data ?? '';
    assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
    const parsed = (await page.evaluate(`(() => {
      const d = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml');
      return { error: d.getElementsByTagName('parsererror').length, root: d.documentElement.localName, ns: d.documentElement.namespaceURI,
        nodes: [...d.querySelectorAll('.node')].map((n) => n.getAttribute('data-id')), texts: [...d.querySelectorAll('text')].map((t) => t.textContent),
        width: d.documentElement.getAttribute('width') };
    })()`)) as { error: number; root: string; ns: string; nodes: string[]; texts: string[]; width: string };
    assert.equal(parsed.error, 0, 'the SVG is not well-formed XML');
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    assert.equal(parsed.nodes.length, 9);
    assert.ok(parsed.texts.includes('<img src=x onerror="window.…'), 'markup in a name is escaped text in the file');
    assert.doesNotMatch(svg, /var\(--|<img|href=|<script/, 'no theme variable, image or link: the file stands alone');
    await page.locator('vscode-button', { hasText: 'Export PNG' }).click();
    await page.waitForFunction('window.__posted.some((m) => m.format === "png")');
    const png = (await posted(page)).find((m) => m.format === 'png')?.data ?? '';
    const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(png);
    assert.ok(m, 'a PNG data URL');
    const bytes = Buffer.from(m[1], 'base64');
    assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(bytes.readUInt32BE(16), 2 * Number(parsed.width), 'drawn at twice the SVG’s width');
    await page.locator('vscode-button', { hasText: 'Export JSON' }).click();
    assert.deepEqual((await posted(page)).at(-1), { type: 'export', format: 'json' });
    await page.close();
  });

  it('under the panel’s Content-Security-Policy: draws, and exports a PNG only because blob: images are allowed', async () => {
    for (const [path, allowed] of [['csp', true], ['csp-no-blob', false]] as const) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${base}${path}`);
      await page.waitForFunction('document.querySelector(".toolbar")');
      await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'circuits', document: DOC, result: circuitsFixture() })}, '*')`);
      await page.waitForFunction('document.querySelectorAll(".graph-wrap .node").length === 9');
      await page.locator('vscode-button', { hasText: 'Export PNG' }).click();
      if (allowed) {
        await page.waitForFunction('window.__posted.some((m) => m.format === "png")');
        assert.deepEqual(await page.evaluate('window.__violations'), []);
      } else {
        await page.waitForFunction('document.querySelector(".export-status")?.textContent !== ""');
        assert.match((await page.textContent('.export-status')) ?? '', /PNG export failed/);
        // The violation event may come after the image's error event.
        await page.waitForFunction('window.__violations.length > 0');
        assert.deepEqual(await page.evaluate('[...new Set(window.__violations)]'), ['img-src']);
      }
      await page.close();
    }
  });

  it('Show: circuit components only hides the rest, says how many, and is kept in the state', async () => {
    const page = await open();
    assert.equal(await page.$$eval('.graph-wrap .node', (ns) => ns.length), 9, 'a small graph opens with every component');
    await page.evaluate(`(() => { const s = document.querySelector('.show-select'); s.value = 'circuits'; s.dispatchEvent(new Event('change')); })()`);
    await page.waitForFunction('document.querySelectorAll(".graph-wrap .node").length === 8');
    assert.equal(await page.$$eval(node('pop:noise'), (ns) => ns.length), 0);
    assert.match((await page.textContent('.report-section .note')) ?? '', /^1 population or group in no circuit is hidden/);
    assert.equal(((await page.evaluate('window.__state')) as CircuitsPanelState).show, 'circuits');
    await page.close();
  });

  it('keeps its state and restores it after a reload; drops a malformed message', async () => {
    const page = await open();
    await page.focus(node('pop:side_b'));
    const state = (await page.evaluate('window.__state')) as CircuitsPanelState;
    assert.equal(state.document, DOC);
    assert.equal(state.selected, 'pop:side_b');
    assert.equal(state.result.tasks.length, 2);
    await page.close();
    const revived = await open({ state, message: false });
    await revived.waitForFunction('document.querySelectorAll(".graph-wrap .node").length === 9');
    assert.match((await revived.textContent('.details')) ?? '', /^side_b: population · 80 neurons; in the circuit of odd_even/);
    assert.equal(await revived.$$eval('.graph-wrap .node.selected', (ns) => ns.map((n) => n.getAttribute('data-id')).join()), 'pop:side_b');
    // The extension answers the revived page's `ready` with the same result: the focus stays.
    await revived.evaluate(`window.postMessage(${JSON.stringify({ type: 'circuits', document: DOC, result: { ...circuitsFixture(), seconds: 99 } })}, '*')`);
    await revived.waitForFunction('document.querySelector(".summary").textContent.includes("in 99 s")');
    assert.equal(((await revived.evaluate('window.__state')) as CircuitsPanelState).selected, 'pop:side_b');
    assert.match((await revived.textContent('.details')) ?? '', /^side_b: /);
    // A message that is not a CircuitsResult changes nothing.
    await revived.evaluate(`window.postMessage({ type: 'circuits', document: 'x', result: { source: 'x', tasks: 'nope' } }, '*')`);
    await revived.waitForTimeout(100);
    assert.equal(await revived.$$eval('.graph-wrap .node', (ns) => ns.length), 9);
    assert.equal(((await revived.evaluate('window.__state')) as CircuitsPanelState).document, DOC);
    await revived.close();
    const blank = await open({ state: { document: DOC, result: { junk: true } }, message: false });
    assert.equal(await blank.$$eval('.graph-wrap .node', (ns) => ns.length), 0);
    assert.match((await blank.textContent('.circuits-body')) ?? '', /Run “Spikeworks: Show Circuit Reuse”/);
    await blank.close();
  });
});
