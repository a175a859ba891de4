// The engine under hostile or extreme input (issue 12, items 4-8 and 10): NaN inside exp on
// the scalar paths, tiny connection probabilities, bounded build work with progress, the
// step limit whatever set the duration, recordings inside the memory limit, event files and
// edge lists that are not regular files or lie outside the allowed folders.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { lower } from '../language-server/src/lower';
import { loadPrelude, nodeHost } from '../language-server/src/node-host';
import { Program } from '../language-server/src/program';
import type { ModelIR } from '../protocol/ir';
import type { RunOptions, RunOutput } from '../protocol/sim';
import { Simulation } from '../sim-host/src/engine';
import { startRun, type ProgressCallback } from '../sim-host/src/host';
import { distWorker, ensureBuilt, repoRoot } from './helpers/build';

const program = new Program(nodeHost, loadPrelude(path.join(repoRoot, 'language-server')));
let n = 0;

function irOf(text: string): ModelIR {
  const uri = URI.file(path.join(repoRoot, '.scratch', `engine-hardening-${n++}.snn`)).toString();
  program.setText(uri, text);
  const r = lower(program, uri);
  if (!r.ok) throw new Error(JSON.stringify(r.errors[0].diagnostics.map((d) => d.message)));
  return r.ir;
}

/** Runs `f` and fails the test when it takes longer than `ms` (a hang shows as a failure). */
function within<T>(ms: number, what: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  const took = performance.now() - t0;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms (limit ${ms} ms)`);
  return r;
}

/**
 * Runs in the worker (dist/sim-worker.js) and ends it after `ms`: a build or run that would
 * loop forever fails the test instead of hanging it.
 */
async function runInWorker(ir: ModelIR, options: RunOptions, ms: number, onProgress?: ProgressCallback): Promise<RunOutput> {
  ensureBuilt();
  const h = startRun(ir, options, onProgress, distWorker);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void h.terminate();
      reject(new Error(`the run did not end within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([h.result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('NaN inside exp on the scalar paths stops the run with its place (item 10)', () => {
  // Neuron 4 is the scalar tail after one group of four (f32x4) or two pairs (f64x2); its x
  // reaches 0 first (x0 = 100 - 24·i), then sqrt(x) is NaN and exp(NaN) used to trap in the
  // i32/i64 conversion of exp's 2^k ("float unrepresentable in integer range", no results).
  const model = (method: string, eq: string) => `
neuron ExpNaN {
  parameters { tau = 1 ms }
  state { x: 1 = 100 - 24 * i; v: 1 = 1 }
  equations {
    dx/dt = -1 / tau
    ${eq}
  }
  method ${method}
}
population p = ExpNaN[5]
probe v(p) every 0.1 ms
simulate { dt: 0.1 ms; duration: 10 ms }
`;
  for (const [method, eq, what] of [
    ['exponential', 'dv/dt = -v * sqrt(x) / tau', 'exponential Euler (f32 scalar tail, expm1 of NaN)'],
    ['euler', 'dv/dt = exp(sqrt(x)) / tau', 'euler (f64 scalar tail, exp of NaN)'],
    ['rk4', 'dv/dt = sigmoid(sqrt(x)) / tau', 'rk4 (f64 scalar tail, sigmoid of NaN)'],
  ] as const) {
    it(what, () => {
      const r = new Simulation(irOf(model(method, eq))).run();
      assert.equal(r.stopReason, 'nan-inf', r.error);
      assert.match(r.error!, /population p, variable v, neuron 4, step 4\d/);
      assert.ok(r.stepsDone > 40 && r.stepsDone < 50, `stopped at ${r.stepsDone}`);
      // results kept: the samples up to the stop
      assert.equal(r.traces[0].data.length, 5 * r.stepsDone);
      assert.ok(Number.isFinite(r.traces[0].data[0]));
    });
  }
});

describe('random(p) with tiny p terminates with the right number of synapses (item 6)', () => {
  const net = (p: string) => irOf(`population a = LIF[2000]\nconnect a -> a { rule: random(p = ${p}); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n`);
  for (const p of ['1e-17', '1e-300', '5e-324', '1.1e-16']) {
    it(`p = ${p}: no synapse among 4 million pairs, at once`, async () => {
      const out = await runInWorker(net(p), {}, 10_000);
      assert.equal(out.synapses, 0);
    });
  }
  it('p = 1e-6 draws about p·pairs (4 expected), p = 0 none, p = 1 all', () => {
    const tiny = new Simulation(net('1e-6')).plan.projs[0].synapses;
    assert.ok(tiny >= 0 && tiny <= 20, `${tiny} synapses`);
    assert.equal(new Simulation(irOf('population a = LIF[300]\nconnect a -> a { rule: random(p = 0); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n')).plan.projs[0].synapses, 0);
    assert.equal(new Simulation(irOf('population a = LIF[300]\nconnect a -> a { rule: random(p = 1); weight: 1 pA; target: I_syn; autapses: true }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n')).plan.projs[0].synapses, 300 * 300);
  });
});
