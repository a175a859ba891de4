// A simulation worker that ends without answering (its event loop ran dry with the request still
// open, or it exited with a code) ends the run with a message instead of leaving it "running" for
// ever: the extension's raster would otherwise wait without end (issue: CI's onboarding timeouts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startRun, workerRequest } from '../sim-host/src/host';
import { irOf } from './helpers/model';

const dir = mkdtempSync(join(tmpdir(), 'spikeworks-worker-exit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A worker file that takes the request and then does `body` (CommonJS, as dist/sim-worker.js). */
function fakeWorker(name: string, body: string): string {
  const file = join(dir, `${name}.js`);
  writeFileSync(file, `const { parentPort } = require('node:worker_threads');\nparentPort.once('message', () => { ${body} });\n`);
  return file;
}

const ir = irOf('model m\nneuron N { state { v = 0 } equations { dv/dt = -v / (10 ms) } }\npopulation p = N[1]\nsimulate { dt: 0.1 ms; duration: 1 ms }\n');

describe('a worker that ends without answering', { timeout: 20_000 }, () => {
  it('startRun rejects when the worker exits 0 with the run still open (it would hang before)', async () => {
    const h = startRun(ir, {}, undefined, fakeWorker('dry', 'parentPort.close();'));
    await assert.rejects(h.result, /ended without answering/);
  });

  it('startRun rejects with the code when the worker exits non-zero', async () => {
    const h = startRun(ir, {}, undefined, fakeWorker('code3', 'process.exit(3);'));
    await assert.rejects(h.result, /exited with code 3/);
  });

  it('an answer, then the exit: the answer stands', async () => {
    const out = { ok: 1 };
    const r = workerRequest(fakeWorker('answers', `parentPort.postMessage({ type: 'emulated', text: 't', report: ${JSON.stringify(out)} }); parentPort.close();`), { type: 'emulate' } as never, (m) => (m.type === 'emulated' ? m.text : undefined));
    assert.equal(await r.result, 't');
  });

  it('workerRequest rejects when the worker ends without the answer', async () => {
    const r = workerRequest(fakeWorker('dry2', 'parentPort.close();'), { type: 'emulate' } as never, (m) => (m.type === 'emulated' ? m.text : undefined));
    await assert.rejects(r.result, /ended without answering/);
  });
});
