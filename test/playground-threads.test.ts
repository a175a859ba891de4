// The playground's engine runs on one thread where the page is not cross-origin isolated (issue
// 24): a model's `threads:` above 1 is then reported as run on one thread, with the reason, in
// the run's status line (plain text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pageRunThreads, pageThreads, threadsStatus } from '../playground/src/threads';

describe('playground: threads', () => {
  it('asks the engine for one thread unless the page is isolated', () => {
    assert.equal(pageRunThreads(false), 1);
    assert.equal(pageRunThreads(true), undefined);
  });

  it("a model's threads: 4 on a page that is not isolated ran on one thread and says why", () => {
    const t = pageThreads(4, false, { backend: 'wasm', threads: { requested: 1, used: 1 } });
    assert.deepEqual(t, { requested: 4, used: 1, note: 'ran on one thread (this page is not cross-origin isolated)' });
    assert.equal(threadsStatus(t), 'threads: ran on one thread (this page is not cross-origin isolated)');
  });

  it('otherwise what the engine reported (or nothing): threads: 1 or none, a WebGPU run or an isolated page', () => {
    assert.equal(pageThreads(1, false, { backend: 'wasm' }), undefined);
    assert.equal(pageThreads(undefined, false, { backend: 'wasm' }), undefined);
    assert.equal(pageThreads(8, false, { backend: 'webgpu' }), undefined);
    const reported = { requested: 4, used: 4 };
    assert.equal(pageThreads(4, true, { backend: 'wasm', threads: reported }), reported);
    assert.equal(threadsStatus(reported), 'threads: 4');
    assert.equal(threadsStatus(undefined), undefined);
  });
});
