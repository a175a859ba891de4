// A sweep run's one number (RunOptions.metric), computed in the worker beside the run:
//   - a float run: the first readout's cross-validated accuracy (analysis/readout: the model's
//     own readout and task), or, for a model without readouts, the mean firing rate over every
//     recorded neuron;
//   - a run on a memristor target with faults: the first readout trained on the fault-free
//     crossbar (same seed: same connectivity, device variation and read-noise draws) and tested on
//     the faulty one, fold by fold (trained on the clean run's other folds, tested on this fold's
//     faulty windows) — faults arrive after training, as in a deployed chip (Lee & Lim inject
//     them at inference). The readout retrained on the faulty run is reported beside it. Without
//     faults the two runs are one and both figures are the plain cross-validated accuracy.
import type { ModelIR } from '../../protocol/ir';
import type { RunMetric } from '../../protocol/sim';
import { argmax, crossValidate, DEFAULT_ALPHA, DEFAULT_FOLDS, evaluateReadouts, foldBounds, isReadoutScore, readoutData, ridgeFit, ridgeScores } from './analysis/readout';
import type { RunResult } from './core/run';

export function runMetric(ir: ModelIR, r: RunResult): RunMetric {
  if (ir.readouts.length) {
    const first = evaluateReadouts({ ...ir, readouts: [ir.readouts[0]] }, r)[0];
    if (!isReadoutScore(first)) return { name: `accuracy of readout ${first.readout}`, value: NaN, error: first.error };
    return { name: `accuracy of readout ${first.readout}`, value: first.value };
  }
  let spikes = 0;
  let neurons = 0;
  for (const p of r.spikes) {
    spikes += p.steps.length;
    neurons += p.size;
  }
  const simS = r.stepsDone * r.dt;
  return { name: 'mean rate (Hz)', value: neurons > 0 && simS > 0 ? spikes / neurons / simS : 0 };
}

/** The IR with target `name`'s fault ratios set to 0 (its devices, levels and noise kept). */
export function withoutFaults(ir: ModelIR, name: string): ModelIR {
  return { ...ir, targets: ir.targets.map((t) => (t.name !== name ? t : { ...t, settings: { ...t.settings, fault_ratio: 0, fault_rate: 0, neuron_fault_ratio: 0 } })) };
}

/** True when target `name` of `ir` has any fault. */
export function hasFaults(ir: ModelIR, name: string): boolean {
  const s = ir.targets.find((t) => t.name === name)?.settings ?? {};
  return (s.fault_ratio ?? s.fault_rate ?? 0) > 0 || (s.neuron_fault_ratio ?? 0) > 0;
}

/**
 * The fault metric (above): the readout trained on `clean`'s windows and tested on `faulty`'s,
 * over contiguous folds; `retrained`: the readout cross-validated on the faulty run alone.
 * Without readouts: the mean rate of the faulty run.
 */
export function faultMetric(ir: ModelIR, clean: RunResult, faulty: RunResult): RunMetric {
  if (!ir.readouts.length) return runMetric(ir, faulty);
  const ro = ir.readouts[0];
  const name = `accuracy of readout ${ro.name} (trained fault-free, tested with faults)`;
  try {
    const c = readoutData(ir, ro.name, clean);
    const f = readoutData(ir, ro.name, faulty);
    const alpha = ro.alpha ?? DEFAULT_ALPHA;
    const K = c.classes.length;
    const n = c.features.length;
    let correct = 0;
    for (const [a, b] of foldBounds(n, DEFAULT_FOLDS)) {
      const trainX = [...c.features.slice(0, a), ...c.features.slice(b)];
      const trainY = [...c.labels.slice(0, a), ...c.labels.slice(b)];
      const model = ridgeFit(trainX, trainY, K, alpha);
      for (let i = a; i < b; i++) if (argmax(ridgeScores(model, f.features[i])) === f.labels[i]) correct++;
    }
    const retrained = crossValidate(f.features, f.labels, K, { alpha, folds: DEFAULT_FOLDS }).value;
    return { name, value: n ? correct / n : NaN, retrained };
  } catch (e) {
    return { name, value: NaN, error: (e as Error).message };
  }
}
