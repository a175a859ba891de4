// The browser entry of the language server (dist/server-browser.js) runs as a Web Worker in
// real Chromium and answers LSP requests posted to it: the same server the playground will use.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

const root = join(__dirname, '..', '..');
const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} not found` : false;

describe('language server in a Web Worker (Chromium)', { skip, timeout: 60_000 }, () => {
  let http: Server;
  let browser: Browser;
  let url = '';

  before(async () => {
    const bundle = readFileSync(join(root, 'dist', 'server-browser.js'));
    const client = readFileSync(join(__dirname, 'worker-client.js'));
    http = createServer((req, res) => {
      if (req.url === '/client.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(client);
      } else if (req.url === '/server.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(bundle);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>worker</title><script src="/client.js"></script>');
      }
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => http?.close(r));
  });

  it('publishes diagnostics and answers completion and hover', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    const result = (await page.evaluate('window.runClient()')) as { caps: string[]; diags: any; labels: string[]; hover: string };
    assert.ok(result.caps.includes('completionProvider') && result.caps.includes('hoverProvider'));
    assert.equal(result.diags.diagnostics.length, 1, JSON.stringify(result.diags));
    const d = result.diags.diagnostics[0];
    assert.match(d.message, /needs a unit of volt/);
    assert.deepEqual(d.range.start, { line: 1, character: 7 });
    assert.ok(result.labels.includes('C_m') && result.labels.includes('v'), result.labels.join(','));
    assert.match(result.hover, /neuron CobaLIF/);
  });
});
