// The playground's engine runs on one thread where the page is not cross-origin isolated (issue
// 24): a model's `threads:` above 1 is then reported as run on one thread, with the reason, in
// the run's status line (plain text).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAGE_RUN_THREADS, pageThreads, threadsStatus } from '../playground/src/threads';

describe('playground: threads', () => {
  it('asks the engine for one thread (its workers are Node worker_threads)', () => {
    assert.equal(PAGE_RUN_THREADS, 1);
  });

  it("a model's threads: 4 on a page that is not isolated ran on one thread and says why", () => {
    const t = pageThreads(4, false, { backend: 'wasm', threads: { requested: 1, used: 1 } });
    assert.deepEqual(t, { requested: 4, used: 1, note: 'ran on one thread (this page is not cross-origin isolated)' });
    assert.equal(threadsStatus(t), 'threads: ran on one thread (this page is not cross-origin isolated)');
  });

  it('an isolated page says the engine in a page runs on one thread', () => {
    assert.equal(threadsStatus(pageThreads(4, true, { backend: 'wasm', threads: { requested: 1, used: 1 } })), 'threads: ran on one thread (the engine in a page runs on one thread)');
  });

  it('otherwise what the engine reported (or nothing): threads: 1 or none, a WebGPU run', () => {
    const reported = { requested: 1, used: 1 };
    assert.equal(pageThreads(1, false, { backend: 'wasm', threads: reported }), reported);
    assert.equal(pageThreads(undefined, false, { backend: 'wasm' }), undefined);
    assert.equal(pageThreads(8, false, { backend: 'webgpu' }), undefined);
    assert.equal(threadsStatus(reported), 'threads: 1');
    assert.equal(threadsStatus({ requested: 4, used: 4 }), 'threads: 4');
    assert.equal(threadsStatus(undefined), undefined);
  });
});
