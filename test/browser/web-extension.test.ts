// The web extension (package.json `browser` → dist/browser.js) in real Chromium, with the VS Code
// API it uses faked in the page (fake-vscode.js): it needs nothing but `vscode`, starts the
// language server as a Web Worker from the extension's dist/server-browser.js, the client sends
// the open models and turns the server's diagnostics into VS Code diagnostics, and the run
// commands answer with one sentence saying runs need desktop VS Code. What this cannot show (a
// real vscode.dev host) is said in README.md (Packaging).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { RUN_COMMANDS, WEB_RUN_MESSAGE } from '../../extension/src/web-commands';
import { ensureBuilt } from '../helpers/build';

const root = join(__dirname, '..', '..');
const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found` : false;

interface Result {
  required: string[];
  exports: string[];
  commands: string[];
  diagnostics: Record<string, { message: string; severity: number; line: number; character: number }[]>;
  messages: { kind: string; message: string }[];
  logs: string[];
  subscriptions: number;
  contentProviders: string[];
  preludeText?: string;
  preludeBad?: string;
}

describe('web extension (dist/browser.js) in Chromium with a faked VS Code API', { skip, timeout: 120_000 }, () => {
  let http: Server;
  let browser: Browser;
  let url = '';
  const served: string[] = [];

  before(async () => {
    ensureBuilt();
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { browser?: string };
    assert.equal(manifest.browser, './dist/browser.js');
    const files: Record<string, [string, string]> = {
      '/fake-vscode.js': [join(__dirname, 'fake-vscode.js'), 'text/javascript'],
      '/ext/dist/browser.js': [join(root, 'dist', 'browser.js'), 'text/javascript'],
      '/ext/dist/server-browser.js': [join(root, 'dist', 'server-browser.js'), 'text/javascript'],
      '/ext/dist/prelude/neurons.snn': [join(root, 'dist', 'prelude', 'neurons.snn'), 'text/plain'],
    };
    http = createServer((req, res) => {
      const f = files[req.url ?? ''];
      served.push(req.url ?? '');
      if (f) {
        res.writeHead(200, { 'content-type': f[1] });
        res.end(readFileSync(f[0]));
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>web extension</title><script src="/fake-vscode.js"></script>');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => http?.close(r));
  });

  it('activates, checks open models through the worker language server, and says runs need the desktop', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    const uri = 'vscode-test-web://mount/model.snn';
    const text = 'population exc = CobaLIF[100] {\n  v = -65\n}\nsimulate { dt: 0.1 ms; duration: 100 ms }\n';
    const r = (await page.evaluate(([ext, u, t]) => (window as unknown as { runWebExtension(a: string, b: string, c: string): Promise<Result> }).runWebExtension(ext!, u!, t!), [`${url}/ext`, uri, text])) as Result;
    assert.deepEqual(errors, []);
    // Only the host's API is imported: no Node built-ins in the bundle.
    assert.deepEqual(r.required, ['vscode']);
    assert.ok(r.exports.includes('activate') && r.exports.includes('deactivate'));
    // The worker was started from the extension's own folder.
    assert.ok(served.includes('/ext/dist/server-browser.js'), served.join(', '));
    // The model open before activation: the unit error, where it is.
    const d = r.diagnostics[uri];
    assert.ok(d, `no diagnostics for ${uri}: ${JSON.stringify(r.diagnostics)}\n${r.logs.join('\n')}`);
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.match(d[0]!.message, /needs a unit of volt/);
    assert.deepEqual([d[0]!.line, d[0]!.character, d[0]!.severity], [1, 7, 0]);
    // The one opened afterwards is checked too.
    const second = r.diagnostics[uri.replace(/\.snn$/, '-2.snn')];
    assert.ok(second && second.length >= 1, JSON.stringify(r.diagnostics));
    // Every command of the manifest is there (no "command not found"), and runs say why not.
    const contributed = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(r.commands, contributed);
    assert.deepEqual(r.messages.map((m) => [m.kind, m.message]), [['info', WEB_RUN_MESSAGE], ['info', WEB_RUN_MESSAGE]]);
    assert.ok(RUN_COMMANDS.every((c) => r.commands.includes(c)));
    assert.ok(r.logs.some((l) => /starting language server .*\/ext\/dist\/server-browser\.js \(Web Worker\)/.test(l)), r.logs.join('\n'));
    // The prelude's documents (where hover and go-to-definition lead) open from dist/prelude.
    assert.deepEqual(r.contentProviders, ['spikeworks-prelude']);
    assert.equal(r.preludeText, readFileSync(join(root, 'dist', 'prelude', 'neurons.snn'), 'utf8'));
    assert.equal(r.preludeBad, undefined, 'only prelude file names are served');
    await page.close();
  });
});
