// Shared by the example tests: load an examples/*.snn file through the language (check +
// lower, as `spikeworks run` does), run it on the engine in-process on a chosen seed, and
// summarise spikes. Not a test file itself.
import * as path from 'node:path';
import type { ModelIR } from '../../protocol/ir';
import { Simulation, sizeOf, spikesOf, type RunResult } from '../../sim-host/src/engine';
import { repoRoot } from '../helpers/build';
import { irOf } from '../helpers/model';

export const examplesDir = path.join(repoRoot, 'examples');

/** The IR of examples/<name>.snn; throws with the checker's messages if it has errors. */
export function loadExample(name: string): ModelIR {
  return irOf({ file: path.join(examplesDir, `${name}.snn`) });
}

/** The IR of an .snn text (for variants built by a test), resolved relative to examples/. */
export function loadText(text: string, name = 'variant'): ModelIR {
  return irOf(text, { at: path.join(examplesDir, `.${name}.snn`) });
}

/** Runs the IR on the engine (throws if the run stopped with an error). */
export function runIR(ir: ModelIR, opts: { seed?: number; duration?: number } = {}): RunResult {
  return runSim(ir, opts).result;
}

/** Like runIR, also returning the simulation (for its final weights and connectivity). */
export function runSim(ir: ModelIR, opts: { seed?: number; duration?: number } = {}): { sim: Simulation; result: RunResult } {
  const sim = new Simulation(ir, { ...opts, baseDir: examplesDir });
  const result = sim.run();
  if (result.error) throw new Error(result.error);
  return { sim, result };
}

/** Index of the engine's projection from `source` to `target` (plastic ones only if asked). */
export function projIndex(sim: Simulation, source: string, target: string, plastic = false): number {
  const k = sim.plan.projs.findIndex((p) => p.source.name === source && p.target.name === target && (!plastic || p.plastic));
  if (k < 0) throw new Error(`no projection ${source} -> ${target}`);
  return k;
}

/** Spike counts per neuron of `pop` in [from, to) seconds. */
export function counts(r: RunResult, pop: string, from: number, to: number): Float64Array {
  const s = spikesOf(r, pop);
  const n = sizeOf(r, pop);
  if (!s || n === undefined) throw new Error(`no spikes recorded for ${pop}`);
  const c = new Float64Array(n);
  const a = Math.round(from / r.dt);
  const b = Math.round(to / r.dt);
  for (let k = 0; k < s.steps.length; k++) if (s.steps[k] >= a && s.steps[k] < b) c[s.neurons[k]]++;
  return c;
}

/** Mean rate (Hz) of neurons [lo, hi] of `pop` in [from, to) seconds. */
export function rate(r: RunResult, pop: string, from: number, to: number, lo = 0, hi?: number): number {
  const c = counts(r, pop, from, to);
  const h = hi ?? c.length - 1;
  let sum = 0;
  for (let i = lo; i <= h; i++) sum += c[i];
  return sum / (h - lo + 1) / (to - from);
}

/** Spike times (s) of one neuron. */
export function spikeTimes(r: RunResult, pop: string, neuron: number): number[] {
  const s = spikesOf(r, pop)!;
  const out: number[] = [];
  for (let k = 0; k < s.steps.length; k++) if (s.neurons[k] === neuron) out.push(s.steps[k] * r.dt);
  return out;
}

/** A probed trace's samples for one neuron (every `rec.every` seconds from t = 0). */
export function trace(r: RunResult, pop: string, variable: string, neuron: number): Float32Array {
  const rec = r.traces.find((t) => t.population === pop && t.variable === variable && t.neurons.includes(neuron));
  if (!rec) throw new Error(`no trace ${variable}(${pop}[${neuron}])`);
  const k = rec.neurons.indexOf(neuron);
  const n = rec.neurons.length;
  const out = new Float32Array(Math.floor(rec.data.length / n));
  for (let s = 0; s < out.length; s++) out[s] = rec.data[s * n + k];
  return out;
}
