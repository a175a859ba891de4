// The extension's side of the WASM engine's worker count (issue 24): the contributed setting
// `spikeworks.simulation.threads`, how its value becomes RunOptions.threads, the output
// channel's warning above the cores, the log line with RunOutput.threads, and that every run the
// extension starts for a simulation passes the setting on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import { ranOn, runWarning, threadsSetting } from '../extension/src/simulation/threads';
import { repoRoot } from './helpers/build';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const ir = (threads?: number) => ({ simulate: { dt: 1e-4, duration: 1, seed: 0, backend: 'auto', ...(threads !== undefined ? { threads } : {}) } }) as ModelIR;

describe('spikeworks.simulation.threads', () => {
  it('is contributed: a number, default 0 (the model, else the cores), from 0 to 1024, per resource', () => {
    const s = pkg.contributes.configuration.properties['spikeworks.simulation.threads'];
    assert.ok(s, 'the setting is contributed');
    assert.deepEqual([s.type, s.default, s.minimum, s.maximum, s.scope], ['number', 0, 0, 1024, 'resource']);
    assert.match(s.markdownDescription, /`0`: the model's `simulate \{ threads \}`, else this machine's idle cores for large models/);
  });

  it('becomes RunOptions.threads only for a whole number from 1 to 1024', () => {
    assert.deepEqual([1, 4, 1024].map(threadsSetting), [1, 4, 1024]);
    for (const v of [0, -1, 2.5, 1025, NaN, Infinity, '4', null, undefined, true]) assert.equal(threadsSetting(v), undefined, `${String(v)}`);
  });

  it('warns (for the output channel) when the setting, else the model, asks for more than the cores', () => {
    assert.equal(runWarning('m.snn', 3, ir(), 'auto', 2), 'm.snn: warning: spikeworks.simulation.threads 3 on a machine with 2 cores: allowed, but slower than 2');
    assert.equal(runWarning('m.snn', undefined, ir(5), 'wasm', 4), 'm.snn: warning: threads: 5 (simulate in m.snn) on a machine with 4 cores: allowed, but slower than 4');
    assert.equal(runWarning('m.snn', 2, ir(5), 'wasm', 2), undefined, 'the setting overrides the model');
    assert.equal(runWarning('m.snn', undefined, ir(), 'wasm', 1), undefined, 'no count: the cores');
    assert.equal(runWarning('m.snn', 64, ir(), 'webgpu', 2), undefined, 'WebGPU has no workers');
  });

  it("the log line gives the backend, its note and the run's threads, as plain text", () => {
    assert.equal(ranOn({ backend: 'wasm', threads: { requested: 4, used: 1, note: 'one thread: the model has gap junctions' } }), 'ran on wasm; threads: 1 (asked 4); one thread: the model has gap junctions');
    assert.equal(ranOn({ backend: 'wasm', backendNote: 'no WebGPU adapter', threads: { requested: 2, used: 2 } }), 'ran on wasm (no WebGPU adapter); threads: 2 (asked 2)');
    assert.equal(ranOn({ backend: 'webgpu' }), 'ran on webgpu');
  });

  it('every run the extension starts for a simulation (run, describe, sweep) passes the setting', () => {
    const dir = path.join(repoRoot, 'extension', 'src', 'simulation');
    const calls: string[] = [];
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(/\b(startRun|startSweep)\(/g)) {
        // The call's options: up to the call's closing parenthesis (balanced).
        let depth = 0;
        let k = m.index! + m[1].length;
        const start = k;
        for (; k < text.length; k++) {
          if (text[k] === '(') depth++;
          else if (text[k] === ')' && --depth === 0) break;
        }
        calls.push(`${f}:${m[1]}`);
        assert.match(text.slice(start, k), /threads: settings\.threads/, `${f}: ${m[1]} without threads`);
      }
    }
    assert.deepEqual(calls.sort(), ['describe.ts:startRun', 'runner.ts:startRun', 'sweep.ts:startSweep']);
  });
});
