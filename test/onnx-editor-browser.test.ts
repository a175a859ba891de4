// The .onnx editor's page (dist/webviews/onnx-graph.js) in headless Chromium under the policy
// extension/src/panels/html.ts writes (default-src 'none', the script by nonce), fed the message
// the extension host builds (extension/src/onnx-view.ts editorMessage over inspectOnnx) for models
// written with proto.ts: the graph's nodes, edges and shapes, the summary and op histogram, the
// filter (matches highlighted, Enter / F3 / Shift+Enter move between them and the details follow),
// the keyboard (Tab reaches a node, arrows follow edges, Enter shows details), a 3,000-op graph
// drawn a window at a time, garbage and truncated files as error text, names that are markup shown
// as text, the state kept across a reload. Screenshots in dark and light themes under test-results/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { THEME, THEME_LIGHT } from '../bench/panel-theme';
import { editorMessage } from '../extension/src/onnx-view';
import type { OnnxEditorMessage } from '../protocol/onnx-editor';
import { inspectOnnx } from '../sim-host/src/onnx/inspect';
import { ensureBuilt, repoRoot } from './helpers/build';
import { chain, convNet, hostileNames } from './helpers/onnx-editor-models';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;
const SHOTS = join(repoRoot, 'test-results');
/** Extra theme variables the editor reads that panel-theme.ts's other panels do not. */
const EXTRA_DARK = 'body { --vscode-input-background:#313131; --vscode-input-foreground:#cccccc; --vscode-input-border:#3c3c3c; --vscode-sideBar-background:#181818; --vscode-editor-findMatchHighlightBackground:rgba(234,92,0,0.33); --vscode-editor-findMatchBorder:#ea5c00; --vscode-errorForeground:#f85149; --vscode-editor-font-family:monospace; --vscode-button-background:#0078d4; --vscode-button-foreground:#ffffff; --vscode-button-secondaryBackground:#313131; --vscode-button-secondaryForeground:#cccccc; }';
const EXTRA_LIGHT = 'body { --vscode-input-background:#ffffff; --vscode-input-foreground:#3b3b3b; --vscode-input-border:#cecece; --vscode-sideBar-background:#f8f8f8; --vscode-editor-findMatchHighlightBackground:rgba(234,92,0,0.25); --vscode-editor-findMatchBorder:#c75000; --vscode-errorForeground:#e51400; --vscode-editor-font-family:monospace; }';

let server: Server;
let browser: Browser;
let base = '';

const message = (name: string, bytes: Uint8Array): Promise<OnnxEditorMessage> => editorMessage(name, bytes.length, async () => bytes, inspectOnnx);

async function open(m: OnnxEditorMessage, o: { theme?: 'dark' | 'light'; state?: unknown; width?: number; height?: number } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: o.width ?? 1200, height: o.height ?? 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${base}?theme=${o.theme ?? 'dark'}&state=${encodeURIComponent(JSON.stringify(o.state ?? null))}`);
  await page.waitForFunction('document.querySelector(".toolbar")');
  await page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  await page.waitForFunction(m.type === 'graph' ? 'document.querySelectorAll(".graph-wrap .node").length > 0' : '!document.querySelector(".error-text").hidden');
  return page;
}

const active = (page: Page) => page.evaluate('document.activeElement?.getAttribute("data-id") ?? null') as Promise<string | null>;
const detailName = (page: Page) => page.$$eval('.details tr', (rs) => rs.find((r) => r.firstElementChild?.textContent === 'name')?.lastElementChild?.textContent ?? null);
const violations = (page: Page) => page.evaluate('window.__violations') as Promise<string[]>;

describe('the .onnx editor page in Chromium', { skip, timeout: 180_000 }, () => {
  before(async () => {
    ensureBuilt();
    mkdirSync(SHOTS, { recursive: true });
    const js = readFileSync(join(repoRoot, 'dist', 'webviews', 'onnx-graph.js'));
    const css = readFileSync(join(repoRoot, 'dist', 'webviews', 'onnx-graph.css'));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/onnx-graph.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      if (url.pathname === '/onnx-graph.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
      if (url.pathname === '/theme-dark.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(THEME + EXTRA_DARK);
      if (url.pathname === '/theme-light.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(THEME_LIGHT + EXTRA_LIGHT);
      const self = `http://${req.headers.host}`;
      // The policy panelHtml writes (no blob: images for this page).
      const policy = `default-src 'none'; script-src 'nonce-t3st'; style-src ${self}; font-src ${self}; img-src ${self}`;
      const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
      const state = url.searchParams.get('state') ?? 'null';
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': policy }).end(`<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/theme-${theme}.css"><link rel="stylesheet" href="/onnx-graph.css"></head><body class="vscode-${theme}"><div id="app"></div>
<script nonce="t3st">window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective)); window.__posted = []; window.__state = ${JSON.stringify(JSON.parse(state))} ?? undefined; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });</script><script nonce="t3st" src="/onnx-graph.js"></script></body></html>`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  it('draws a conv net: every op, the graph input and output, the tensors between them with their shapes; summary and op histogram', async () => {
    const m = await message('tiny_cnn.onnx', convNet());
    assert.equal(m.type, 'graph');
    for (const theme of ['dark', 'light'] as const) {
      const page = await open(m, { theme });
      const nodes = await page.$$eval('.graph-wrap .node', (ns) => ns.map((n) => `${n.getAttribute('class')}|${n.querySelector('.op-type')?.textContent}|${n.querySelector('.name')?.textContent}`));
      assert.deepEqual(nodes, ['node input|input|image', 'node op|Conv|conv1', 'node op|Relu|relu1', 'node op|MaxPool|pool1', 'node op|Flatten|flatten', 'node op|Gemm|fc', 'node op|Softmax|softmax', 'node output|output|probs']);
      // Seven tensors join them (weights are folded into Conv and Gemm, not drawn).
      const edges = await page.$$eval('.graph-wrap .edge', (es) => es.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')} ${e.querySelector('title')?.textContent}`));
      assert.equal(edges.length, 7);
      assert.ok(edges.includes('op:0>op:1 conv_out  [N, 4, 8, 8]'), edges.join('\n'));
      assert.ok(edges.includes('op:2>op:3 pool_out  [N, 4, 4, 4]'), edges.join('\n'));
      const labels = await page.$$eval('.graph-wrap .edge-label', (ls) => ls.map((l) => l.textContent));
      assert.ok(labels.includes('[N, 64]'), labels.join(' '));
      // Parameters folded into their op, with the count of initializers.
      assert.deepEqual(await page.$$eval('.node[data-id="op:0"] .meta', (ts) => ts.map((t) => t.textContent)), ['[N, 4, 8, 8]', '112 params · 2 init']);
      assert.deepEqual(await page.$$eval('.node[data-id="op:4"] .meta', (ts) => ts.map((t) => t.textContent)), ['[N, 5]', '325 params · 2 init']);
      assert.match((await page.textContent('.summary')) ?? '', /^tiny_cnn\.onnx \(graph tiny_cnn\) · 6 ops · 437 parameters · opset ai\.onnx 17 · IR 8 · from spikeworks$/);
      assert.deepEqual(await page.$$eval('.ops li', (ls) => ls.map((l) => l.textContent)), ['Conv ×1', 'Flatten ×1', 'Gemm ×1', 'MaxPool ×1', 'Relu ×1', 'Softmax ×1']);
      // A real layout: top to bottom in graph order, boxes apart.
      const boxes = await page.$$eval('.graph-wrap .node .box', (bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => [r.x, r.y, r.right, r.bottom]));
      for (let k = 1; k < boxes.length; k++) assert.ok(boxes[k][1] >= boxes[k - 1][3], `node ${k} is not below node ${k - 1}`);
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(await page.evaluate('window.__posted[0]'), { type: 'ready' });
      await page.focus('.node[data-id="op:0"]');
      await page.screenshot({ path: join(SHOTS, `onnx-editor-${theme}.png`) });
      await page.close();
    }
  });

  it('renders the shipped example models (examples/onnx/*.onnx): every node drawn, boxes apart, the page’s policy kept', async () => {
    const dir = join(repoRoot, 'examples', 'onnx');
    const models = readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort();
    assert.ok(models.length >= 2, models.join());
    for (const name of models) {
      const bytes = new Uint8Array(readFileSync(join(dir, name)));
      const m = await message(name, bytes);
      assert.equal(m.type, 'graph', `${name}: ${m.type === 'error' ? m.message : ''}`);
      if (m.type !== 'graph') continue;
      const info = inspectOnnx(bytes, name);
      const page = await open(m, { width: 1400, height: 900 });
      const drawn = await page.$$eval('.graph-wrap .node', (ns) => ns.length);
      assert.equal(drawn, Math.min(200, info.nodes.length + info.inputs.length + info.outputs.length), name);
      assert.ok((await page.$$eval('.graph-wrap .edge', (es) => es.length)) >= info.nodes.length - 1, name);
      const boxes = await page.$$eval('.graph-wrap .node .box', (bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => [r.x, r.y, r.right, r.bottom]));
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          assert.ok(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1], `${name}: boxes ${i} and ${j} overlap`);
        }
      const summary = (await page.textContent('.summary')) ?? '';
      assert.ok(summary.startsWith(`${name} (graph `) && summary.includes(` · ${info.nodes.length.toLocaleString('en-US')} ops · `), summary);
      // The drawing opens on the graph's first node, whatever the graph's width.
      const inView = await page.$eval('.graph-wrap', (w) => {
        const n = w.querySelector('.node')!.getBoundingClientRect();
        const r = w.getBoundingClientRect();
        return n.left >= r.left && n.right <= r.right && n.top >= r.top && n.bottom <= r.bottom;
      });
      assert.ok(inView, `${name}: the first node is outside the view`);
      assert.deepEqual(await violations(page), []);
      await page.screenshot({ path: join(SHOTS, `onnx-editor-${name.replace(/\.onnx$/, '')}.png`) });
      await page.close();
    }
  });

  it('the filter finds nodes by op type, name and tensor; Enter / F3 / Shift+Enter step through the matches and the details follow', async () => {
    const page = await open(await message('chain.onnx', chain(12)));
    await page.fill('.filter', 'relu');
    await page.waitForFunction('document.querySelector(".match-count").textContent.includes("12")');
    assert.equal(await page.textContent('.match-count'), '1 of 12 matches');
    assert.equal(await page.$$eval('.node.match', (ns) => ns.length), 12);
    assert.equal(await detailName(page), 'block0/relu');
    await page.press('.filter', 'Enter');
    assert.equal(await detailName(page), 'block1/relu');
    assert.equal(await page.textContent('.match-count'), '2 of 12 matches');
    await page.press('.filter', 'F3');
    assert.equal(await detailName(page), 'block2/relu');
    await page.press('.filter', 'Shift+Enter');
    assert.equal(await detailName(page), 'block1/relu');
    assert.equal(await page.$$eval('.node.selected', (ns) => ns.map((n) => n.getAttribute('data-id')).join()), 'op:5');
    // A tensor name finds the nodes that read or write it: add7 is Add's output and Relu's input.
    await page.fill('.filter', 'add7');
    await page.waitForFunction('document.querySelector(".match-count").textContent.includes("2")');
    assert.deepEqual(await page.$$eval('.node.match', (ns) => ns.map((n) => n.querySelector('.name')?.textContent)), ['block7/add', 'block7/relu']);
    // Wrapping: from the last match, Enter goes to the first.
    await page.press('.filter', 'Enter');
    await page.press('.filter', 'Enter');
    assert.equal(await detailName(page), 'block7/add');
    await page.fill('.filter', 'no such thing');
    await page.waitForFunction('document.querySelector(".match-count").textContent === "No matches"');
    assert.equal(await page.$$eval('.node.match', (ns) => ns.length), 0);
    // F3 outside the box moves the focus to the next match.
    await page.fill('.filter', 'MatMul');
    await page.focus('.node[data-id="in:0"]');
    await page.keyboard.press('F3');
    assert.equal(await active(page), 'op:0');
    await page.keyboard.press('F3');
    assert.equal(await active(page), 'op:3');
    await page.close();
  });

  it('keyboard: Tab reaches the nodes, ↓ / ↑ follow the edges, Enter shows the details with attributes and shapes', async () => {
    const page = await open(await message('tiny_cnn.onnx', convNet()));
    let reached: string | null = null;
    for (let k = 0; k < 12 && !reached; k++) {
      await page.keyboard.press('Tab');
      reached = await active(page);
    }
    assert.equal(reached, 'in:0', 'Tab reaches the first node after the filter and its buttons');
    await page.keyboard.press('Tab');
    assert.equal(await active(page), 'op:0');
    await page.keyboard.press('ArrowDown');
    assert.equal(await active(page), 'op:1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await active(page), 'op:3');
    await page.keyboard.press('ArrowUp');
    assert.equal(await active(page), 'op:2');
    await page.keyboard.press('End');
    assert.equal(await active(page), 'out:0');
    await page.keyboard.press('Home');
    assert.equal(await active(page), 'in:0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const rows = await page.$$eval('.details tr', (rs) => rs.map((r) => [...r.children].map((c) => c.textContent).join(' | ')));
    assert.deepEqual(rows, [
      'kind | op Conv',
      'name | conv1',
      'inputs | image  [N, 3, 8, 8]',
      ' | conv.w  [4, 3, 3, 3]  (initializer)',
      ' | conv.b  [4]  (initializer)',
      'outputs | conv_out  [N, 4, 8, 8]',
      'parameters | 112 in 2 initializers',
      'attributes | kernel_shape = [3, 3]',
      ' | pads = [1, 1, 1, 1]',
    ]);
    assert.equal(await page.textContent('.details h2'), 'Conv');
    // The page's buttons ask the extension for the model commands.
    await page.click('vscode-button:has-text("Show Circuit Reuse")');
    assert.deepEqual(await page.evaluate('window.__posted.at(-1)'), { type: 'command', command: 'circuits' });
    await page.close();
  });

  it('a graph of 3,000 ops is drawn a window at a time with a notice; the filter and End move the window', async () => {
    const m = await message('big_chain.onnx', chain(1000));
    assert.equal(m.type, 'graph');
    const t0 = Date.now();
    const page = await open(m);
    const firstDraw = Date.now() - t0;
    const drawn = await page.$$eval('.graph-wrap .node', (ns) => ns.length);
    assert.ok(drawn > 0 && drawn <= 200, `${drawn} nodes drawn`);
    assert.match((await page.textContent('.notice')) ?? '', /This graph has 3,002 nodes: nodes 1–200 \(in graph order\) are drawn/);
    await page.fill('.filter', 'block900/relu');
    await page.waitForFunction('document.querySelector(".node.selected")?.getAttribute("data-id") === "op:2702"');
    assert.equal(await detailName(page), 'block900/relu');
    assert.match((await page.textContent('.notice')) ?? '', /nodes 2,604–2,803/);
    await page.focus('.node[data-id="op:2702"]');
    // Moving inside the drawn window keeps the drawing (no new layout per key).
    await page.evaluate('document.querySelector(".graph-wrap svg").dataset.mark = "kept"');
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowDown');
    assert.equal(await active(page), 'op:2705');
    assert.equal(await page.evaluate('document.querySelector(".graph-wrap svg").dataset.mark'), 'kept');
    await page.keyboard.press('End');
    assert.equal(await active(page), 'out:0');
    assert.match((await page.textContent('.notice')) ?? '', /nodes 2,803–3,002/);
    // Layout bounded: the page draws its first window within seconds on this shared machine.
    console.log(`3,002-node graph: first window drawn in ${firstDraw} ms`);
    assert.ok(firstDraw < 15_000, `${firstDraw} ms`);
    await page.close();
  });

  it('garbage, truncated and empty files are shown as error text naming the file; no graph', async () => {
    const good = convNet();
    const cases: [string, Uint8Array][] = [
      ['garbage.onnx', Uint8Array.from({ length: 600 }, (_, k) => (k * 97 + 13) & 255)],
      ['truncated.onnx', good.slice(0, Math.floor(good.length / 2))],
      ['page.onnx', new TextEncoder().encode('<!doctype html><html><body>Not found</body></html>')],
      ['empty.onnx', new Uint8Array(0)],
    ];
    for (const [name, bytes] of cases) {
      const m = await message(name, bytes);
      assert.equal(m.type, 'error', `${name} gave a graph`);
      const page = await open(m);
      const text = (await page.textContent('.error-text')) ?? '';
      assert.ok(text.startsWith(`${name}: `), text);
      assert.equal(await page.$$eval('.graph-wrap .node', (ns) => ns.length), 0);
      assert.equal(await page.isVisible('.onnx-body'), false);
      assert.equal(await page.isVisible('.search'), false, 'no filter over an error');
      if (name === 'truncated.onnx') await page.screenshot({ path: join(SHOTS, 'onnx-editor-error.png') });
      await page.close();
    }
    // Over the editor's size bound: refused before reading.
    let read = false;
    const big = await editorMessage('huge.onnx', 300 * 2 ** 20, async () => ((read = true), good), inspectOnnx);
    assert.equal(read, false);
    assert.equal(big.type === 'error' && big.message, 'huge.onnx: 300.0 MiB is more than the 128 MiB the editor reads; “spikeworks onnx inspect” reads larger models.');
  });

  it('names that are markup are shown as text; a malformed message is dropped; the state survives a reload', async () => {
    const page = await open(await message('<i>x</i>.onnx', hostileNames()));
    assert.equal(await page.$$eval('#app img, #app script, #app b, #app i', (es) => es.length), 0);
    assert.match((await page.textContent('.summary')) ?? '', /^<i>x<\/i>\.onnx \(graph <img src=x onerror=alert\(1\)>\)/);
    assert.equal(await page.textContent('.node[data-id="op:0"] .name'), '<script>alert(2)</script>');
    await page.evaluate(`window.postMessage({ type: 'graph', view: { source: 'x' } }, '*')`);
    await page.evaluate(`window.postMessage({ type: 'error' }, '*')`);
    assert.equal(await page.$$eval('.graph-wrap .node', (ns) => ns.length), 3);
    await page.close();

    const m = await message('chain.onnx', chain(5));
    const first = await open(m);
    await first.fill('.filter', 'block3/add');
    await first.waitForFunction('document.querySelector(".node.selected")');
    const state = await first.evaluate('window.__state');
    assert.deepEqual(state, { filter: 'block3/add', selected: 'op:10' });
    await first.close();
    const again = await open(m, { state });
    assert.equal(await again.inputValue('.filter'), 'block3/add');
    assert.equal(await detailName(again), 'block3/add');
    assert.equal(await again.$$eval('.node.match', (ns) => ns.map((n) => n.getAttribute('data-id')).join()), 'op:10');
    await again.close();
    assert.ok(readdirSync(SHOTS).includes('onnx-editor-dark.png'));
  });
});
