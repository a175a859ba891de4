// onnxruntime-web as shipped: the bundled CLI (dist/cli.js) copied out of the repository with
// dist/ort/ beside it and no node_modules inspects and runs a model, on one and on two threads,
// and computes what the runtime computes in this process; without dist/ort/ it says what is
// missing. In a page (headless Chromium, Debian's /usr/bin/chromium) with the panels' CSP style
// plus 'wasm-unsafe-eval', dist/onnx-browser.js runs the model single-threaded from the .wasm's
// bytes (even when asked for 4 threads: the page is not cross-origin isolated) and its outputs
// equal Node's bit for bit; without 'wasm-unsafe-eval' the page reports the CSP refusal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OnnxSession } from '../sim-host/src/onnx/runtime';
import type { PageRun } from '../sim-host/src/onnx/browser-run';
// @ts-expect-error: a plain .mjs module of build options (no declarations)
import { onnxBrowserOptions } from '../scripts/onnx-browser.mjs';
import { convNet } from './helpers/onnx-models';
import { ensureBuilt, repoRoot } from './helpers/build';

const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const skip = !fs.existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found (apt-get install chromium)` : false;

/** The conv net's input: 1 × 3 × 32 × 32, a deterministic pattern. */
const INPUT = { dims: [1, 3, 32, 32], data: Array.from({ length: 3 * 32 * 32 }, (_, i) => Math.sin(i * 0.37) * 0.5) };

async function nodeOutput(): Promise<{ dims: number[]; data: number[] }> {
  const s = await OnnxSession.create(convNet(), { source: 'conv.onnx' });
  const r = await s.run({ x: { data: Float32Array.from(INPUT.data), dims: INPUT.dims } });
  await s.release();
  return { dims: r.y.dims, data: [...r.y.data] };
}

describe('the bundled CLI with dist/ort/, copied out of the repository', () => {
  it('inspects and runs a model with no node_modules, on 1 and 2 threads; without dist/ort it says what is missing', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-dist-'));
    const dist = path.join(dir, 'dist');
    fs.mkdirSync(dist);
    fs.copyFileSync(path.join(repoRoot, 'dist', 'cli.js'), path.join(dist, 'cli.js'));
    fs.cpSync(path.join(repoRoot, 'dist', 'ort'), path.join(dist, 'ort'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'conv.onnx'), convNet());
    const run = (args: string[]) => spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'onnx', 'inspect', 'conv.onnx', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });
    for (const threads of ['1', '2']) {
      const r = run(['--run', '--threads', threads, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.run.threads, Number(threads));
      assert.deepEqual(j.run.outputs, { y: [1, 10] });
    }
    fs.rmSync(path.join(dist, 'ort'), { recursive: true });
    assert.equal(run([]).status, 0, 'inspecting needs no runtime');
    const none = run(['--run']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /^spikeworks: conv\.onnx: onnxruntime-web could not start: the ONNX runtime's files are missing: neither dist\/ort\/ort-wasm-simd-threaded\.wasm and ort-wasm-simd-threaded\.mjs beside the bundle nor the onnxruntime-web package were found\n$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('dist/onnx-browser.js in headless Chromium against Node', { skip, timeout: 180_000 }, () => {
  let server: http.Server;
  let browser: Browser | undefined;
  let origin = '';
  const NONCE = 'b25ueC10ZXN0';
  before(async () => {
    const out = await esbuild.build({ ...onnxBrowserOptions, write: false, outdir: 'out', absWorkingDir: repoRoot, logLevel: 'silent' });
    const js = out.outputFiles!.find((f) => f.path.endsWith('.js'))!.text;
    const wasm = fs.readFileSync(path.join(repoRoot, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm'));
    const page = (wasmEval: boolean) => {
      // the panels' policy (extension/src/panels/html.ts): nothing but our script by nonce; here the
      // runtime's bytes come from this origin (a webview: from webview.cspSource)
      const csp = ["default-src 'none'", `script-src 'nonce-${NONCE}'${wasmEval ? " 'wasm-unsafe-eval'" : ''}`, "connect-src 'self'"].join('; ');
      return `<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><script nonce="${NONCE}" src="/onnx-browser.js"></script>`;
    };
    server = http.createServer((req, res) => {
      if (req.url === '/onnx-browser.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else if (req.url === '/ort.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
      else if (req.url === '/model.onnx') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(convNet()));
      else if (req.url === '/no-wasm-eval') res.writeHead(200, { 'content-type': 'text/html' }).end(page(false));
      else res.writeHead(200, { 'content-type': 'text/html' }).end(page(true));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });

  const runIn = async (url: string, threads: number): Promise<{ run: PageRun; isolated: boolean }> => {
    const page: Page = await browser!.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'spikeworksOnnx' in globalThis);
    const r = await page.evaluate(async ([input, threads]) => {
      const api = (globalThis as unknown as { spikeworksOnnx: { run: (m: Uint8Array, w: ArrayBuffer, f: unknown, t: number) => Promise<PageRun> } }).spikeworksOnnx;
      const [model, wasm] = await Promise.all([fetch('/model.onnx').then((x) => x.arrayBuffer()), fetch('/ort.wasm').then((x) => x.arrayBuffer())]);
      const run = await api.run(new Uint8Array(model), wasm, { x: input }, threads);
      return { run, isolated: globalThis.crossOriginIsolated };
    }, [INPUT, threads] as const);
    await page.close();
    return r;
  };

  it('runs the conv net from the .wasm bytes, single-threaded though 4 were asked, equal to Node bit for bit', async () => {
    const { run, isolated } = await runIn(`${origin}/`, 4);
    assert.equal(run.error, undefined);
    assert.equal(isolated, false);
    assert.equal(run.threads, 1);
    const want = await nodeOutput();
    assert.deepEqual(run.outputs!.y.dims, want.dims);
    assert.deepEqual(run.outputs!.y.data, want.data);
    // a softmax: the probabilities sum to 1
    assert.ok(Math.abs(want.data.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  });

  it("without 'wasm-unsafe-eval' the CSP stops WebAssembly and the page gets the reason, not a hang", async () => {
    const { run } = await runIn(`${origin}/no-wasm-eval`, 1);
    assert.equal(run.outputs, undefined);
    assert.match(run.error!, /^page model: onnxruntime-web could not start: CompileError: WebAssembly.instantiate\(\): .*Content Security.* \(the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src\)$/);
  });
});
