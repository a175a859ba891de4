// The WebGPU → WASM fallback as the user reads it (issue 13): one plain sentence naming the file
// and the reason, not the engine's nested developer note with its environment variables (those
// stay in the output channel). The notes are the engine's own, produced by runOnBackend.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fallbackMessage } from '../extension/src/simulation/fallback';
import { runOnBackend } from '../sim-host/src/engine';
import { SOFTWARE_HINT } from '../sim-host/src/webgpu/device';
import { irOf } from './helpers/model';

/** The reasons device.ts gives when there is no adapter, as observed on machines without one. */
const NO_ADAPTER_REASONS = [
  `no WebGPU adapter found (${SOFTWARE_HINT})`,
  `no Vulkan loader (libvulkan.so.1) on this machine (${SOFTWARE_HINT})`,
  'requestAdapter failed: Error: no backend',
  'this runtime has no WebGPU (navigator.gpu)',
];

const ENV_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

async function engineNote(reason: string): Promise<string> {
  const ir = irOf({ file: 'test/engine/lif_step.snn' });
  const r = await runOnBackend(ir, { duration: 0.01 }, 'webgpu', {}, reason);
  assert.equal(r.backend, 'wasm');
  assert.ok(r.note, 'the engine says why');
  return r.note;
}

describe('the WebGPU fallback message (extension/src/simulation/fallback.ts)', () => {
  for (const reason of NO_ADAPTER_REASONS) {
    it(`one plain sentence for "${reason.slice(0, 40)}…"`, async () => {
      const note = await engineNote(reason);
      const msg = fallbackMessage('coba.snn', note);
      assert.equal(msg, 'coba.snn ran on WASM: no WebGPU adapter on this machine');
      assert.doesNotMatch(msg, ENV_NAME, 'no environment variable names');
      assert.doesNotMatch(msg, /[()]/, 'nothing nested');
      assert.equal(msg.match(/WASM/g)?.length, 1, 'says "ran on WASM" once');
    });
  }

  it('a model WebGPU cannot run keeps its reason, once, without the trailing "ran on WASM"', () => {
    const msg = fallbackMessage('dendrites.snn', 'the WebGPU backend does not run dendritic segments yet; ran on WASM');
    assert.equal(msg, 'dendrites.snn ran on WASM: the WebGPU backend does not run dendritic segments yet');
  });

  it('a software-only adapter under auto is said plainly, without the adapter detail', () => {
    const msg = fallbackMessage('coba.snn', 'auto: the only WebGPU adapter is a software one (Google swiftshader (software)); ran on WASM');
    assert.equal(msg, 'coba.snn ran on WASM: the only WebGPU adapter here is a software one');
  });

  it('an unknown note loses environment variables and parenthesised detail', () => {
    const msg = fallbackMessage('m.snn', 'WebGPU unavailable (Dawn crashed (set DAWN_DEBUG=1 to see why)); ran on WASM');
    assert.doesNotMatch(msg, ENV_NAME);
    assert.doesNotMatch(msg, /[()]/);
    assert.match(msg, /^m\.snn ran on WASM: \S/);
  });
});
