// Every readout of a model, scored on a run: its data (data.ts), its cross-validated accuracy
// (ridge.ts) or a fixed model's (fixed.ts: ONNX, loaded by an injected loader), the chance level
// (always answering the most frequent class) and the trials. The result's types and text are
// protocol/readout.ts's.

import type { ModelIR } from '../../../../protocol/ir';
import type { ReadoutOutcome } from '../../../../protocol/readout';
import type { RunResult } from '../../core/run';
import { inFileOf, ReadoutError, readoutData } from './data';
import { evaluateFixed, type FixedModelLoader } from './fixed';
import { crossValidate } from './ridge';

export const DEFAULT_FOLDS = 5;
export const DEFAULT_ALPHA = 1.0;
/** The largest cross-validation evaluated after a run (multiply-adds: one Gram or scatter matrix and a factorisation per fold; a few seconds). */
export const MAX_READOUT_FLOPS = 4e9;

/** The accuracy of always answering the most frequent class. */
export function chanceLevel(labels: readonly number[], classes: number): number {
  const counts = new Array<number>(classes).fill(0);
  for (const y of labels) counts[y]++;
  return labels.length ? Math.max(...counts) / labels.length : 0;
}

export interface EvaluateOptions {
  folds?: number;
  maxFlops?: number;
}

/**
 * Scores every readout of `ir` on `run` (in the model's order); a readout that cannot be
 * evaluated gives its error. Synchronous: ONNX readouts need evaluateAllReadouts (a model to run).
 */
export function evaluateReadouts(ir: ModelIR, run: RunResult, o: EvaluateOptions = {}): ReadoutOutcome[] {
  return ir.readouts.map((r) => (r.kind === 'onnx' ? { readout: r.name, error: `readout ${r.name}${inFileOf(ir)} is an ONNX readout: it is scored after a run (spikeworks run, Run Simulation), not as a sweep's or circuit search's metric, which retrain a ridge readout on every run: use readout ${r.name} = ridge { from: ${r.from}; … } there` } : evaluateRidge(ir, r, run, o)));
}

/** Every readout of `ir` on `run`: ridge readouts cross-validated, ONNX readouts by the models `load` gives. */
export async function evaluateAllReadouts(ir: ModelIR, run: RunResult, load: FixedModelLoader, o: EvaluateOptions = {}): Promise<ReadoutOutcome[]> {
  const out: ReadoutOutcome[] = [];
  for (const r of ir.readouts) out.push(r.kind === 'onnx' ? await evaluateFixed(ir, r, run, load) : evaluateRidge(ir, r, run, o));
  return out;
}

function evaluateRidge(ir: ModelIR, r: ModelIR['readouts'][number], run: RunResult, o: EvaluateOptions): ReadoutOutcome {
  const folds = o.folds ?? DEFAULT_FOLDS;
  const maxFlops = o.maxFlops ?? MAX_READOUT_FLOPS;
  try {
    const data = readoutData(ir, r.name, run);
    const n = data.labels.length;
    const d = data.features[0].length;
    const cost = (n * d * Math.min(n, d)) / 2 + (folds * Math.min(n, d) ** 3) / 3;
    if (cost > maxFlops) {
      throw new ReadoutError(`readout ${r.name}${inFileOf(ir)}: ${n} windows × ${d} features need about ${cost.toExponential(1)} operations to cross-validate, over the ${maxFlops.toExponential(0)} evaluated after a run: ${data.bins > 1 ? 'use a wider bin (or none), ' : ''}read a smaller population or give the task fewer windows`, { readout: r.name, task: data.task, population: data.population });
    }
    const f = Math.min(folds, n);
    const cv = crossValidate(data.features, data.labels, data.classes.length, { alpha: r.alpha ?? DEFAULT_ALPHA, folds: f });
    return { readout: r.name, kind: 'ridge', task: data.task, metric: 'accuracy', value: cv.value, correct: cv.correct, trials: cv.trials, chance: chanceLevel(data.labels, data.classes.length), folds: f, classes: data.classes };
  } catch (e) {
    if (e instanceof ReadoutError) return { readout: r.name, error: e.message };
    throw e;
  }
}
