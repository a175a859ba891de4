// A readout whose model is fixed (an ONNX file): no training, no cross-validation. The features
// of every window (data.ts) go to the model at once as float32 [windows, features]; its first
// output gives one class per window: the argmax over its last axis (scores, logits or
// probabilities, one per class), or the value itself when the output is an integer class index.
// Output index k is the task's k-th class, in the order the classes' first windows appear (the
// order ridge readouts and ReadoutScore.classes use). The model itself is injected (`FixedModel`:
// sim-host/src/onnx/readout.ts runs it with onnxruntime-web), so this stays pure.

import type { ModelIR } from '../../../../protocol/ir';
import type { ReadoutOutcome, ReadoutScore } from '../../../../protocol/readout';
import type { RunResult } from '../../core/run';
import { inFileOf, ReadoutError, readoutData, type ReadoutData } from './data';
import { argmax } from './ridge';

/** A model's first output for `rows` windows: its values (row-major), shape and whether it holds class indices. */
export interface ModelOutput {
  data: ArrayLike<number>;
  dims: readonly number[];
  integer: boolean;
}

/** A fixed model, ready to run. */
export interface FixedModel {
  /** The model's file as the readout names it. */
  file: string;
  /** Features per window its first input takes (the input's last axis); undefined when symbolic. */
  inputFeatures?: number;
  /** Classes its first output gives (a float output's last axis); undefined when symbolic or an integer output. */
  outputClasses?: number;
  /** Runs the model on `rows` windows of `cols` features (row-major float32): its first output. */
  predict(x: Float32Array, rows: number, cols: number): Promise<ModelOutput>;
  /** Frees the model (called once scoring is over). */
  release?(): Promise<void>;
}

/** The fixed model a readout names (`file`), or a ReadoutError saying why it cannot be had. */
export type FixedModelLoader = (readout: ModelIR['readouts'][number]) => Promise<FixedModel>;

const classList = (classes: readonly string[]) => classes.map((c) => JSON.stringify(c)).join(', ');

/** The class index per window from a model's first output; a ReadoutError when its shape or values do not fit `classes`. */
export function predictedClasses(out: ModelOutput, rows: number, classes: readonly string[], name: string): Int32Array {
  const where = { readout: name };
  const size = out.data.length;
  const shape = `[${out.dims.join(', ')}]`;
  const k = classes.length;
  const y = new Int32Array(rows);
  if (out.integer) {
    if (size !== rows) throw new ReadoutError(`readout ${name}: the model's first output is an integer class with shape ${shape} for ${rows} windows; it needs one class index per window ([${rows}] or [${rows}, 1])`, where);
    for (let i = 0; i < rows; i++) {
      const c = Number(out.data[i]);
      if (!Number.isInteger(c) || c < 0 || c >= k) throw new ReadoutError(`readout ${name}: the model answers class ${c} for window ${i + 1}, but the task has ${k} classes (0 … ${k - 1}: ${classList(classes)})`, { ...where });
      y[i] = c;
    }
    return y;
  }
  const last = out.dims.length ? out.dims[out.dims.length - 1] : 1;
  if (last !== k) throw new ReadoutError(`readout ${name}: the model gives ${last} outputs per window (its first output's shape is ${shape}), but the task has ${k} classes (${classList(classes)}); output k is the task's k-th class in the order the classes first appear: give the model ${k} outputs`, where);
  if (size !== rows * k) throw new ReadoutError(`readout ${name}: the model's first output has shape ${shape} (${size} values) for ${rows} windows of ${k} classes; it needs [${rows}, ${k}]`, where);
  const data = out.data;
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: k }, (_, c) => Number(data[i * k + c]));
    if (row.some((v) => Number.isNaN(v))) throw new ReadoutError(`readout ${name}: the model's output for window ${i + 1} holds NaN`, where);
    y[i] = argmax(row);
  }
  return y;
}

/** The features of every window as one row-major float32 matrix. */
export function featureMatrix(data: Pick<ReadoutData, 'features'>): { x: Float32Array; rows: number; cols: number } {
  const rows = data.features.length;
  const cols = rows ? data.features[0].length : 0;
  const x = new Float32Array(rows * cols);
  data.features.forEach((f, i) => x.set(f, i * cols));
  return { x, rows, cols };
}

/** A fixed readout's score and its prediction per window (class indices). Throws ReadoutError. */
export async function scoreFixed(ir: ModelIR, name: string, run: RunResult, model: FixedModel, data = readoutData(ir, name, run)): Promise<{ score: ReadoutScore; predicted: Int32Array; data: ReadoutData }> {
  const { x, rows, cols } = featureMatrix(data);
  const at = { readout: name, task: data.task, population: data.population };
  if (model.inputFeatures !== undefined && model.inputFeatures !== cols) {
    throw new ReadoutError(`readout ${name}${inFileOf(ir)}: ${model.file} takes ${model.inputFeatures} features per window, but ${data.population} gives ${cols} (${cols / data.bins} neurons × ${data.bins} bin${data.bins === 1 ? '' : 's'}): read a population of that size, change bin, or export the model for ${cols} inputs`, at);
  }
  if (model.outputClasses !== undefined && model.outputClasses !== data.classes.length) {
    throw new ReadoutError(`readout ${name}${inFileOf(ir)}: ${model.file} gives ${model.outputClasses} outputs per window, but task ${data.task} has ${data.classes.length} classes (${classList(data.classes)}): give the model one output per class, in the order the classes first appear`, at);
  }
  const out = await model.predict(x, rows, cols);
  const predicted = predictedClasses(out, rows, data.classes, name);
  let correct = 0;
  predicted.forEach((c, i) => (correct += c === data.labels[i] ? 1 : 0));
  const counts = data.classes.map(() => 0);
  for (const c of data.labels) counts[c]++;
  const score: ReadoutScore = {
    readout: name, kind: 'onnx', model: model.file, task: data.task, metric: 'accuracy', value: rows ? correct / rows : 0, correct, trials: rows,
    chance: rows ? Math.max(...counts) / rows : 0, folds: 0, classes: data.classes,
  };
  return { score, predicted, data };
}

/** A fixed readout's outcome: its score, or why it was not evaluated. The model is loaded, run and released here. */
export async function evaluateFixed(ir: ModelIR, readout: ModelIR['readouts'][number], run: RunResult, load: FixedModelLoader): Promise<ReadoutOutcome> {
  let model: FixedModel | undefined;
  try {
    const data = readoutData(ir, readout.name, run); // what the run lacks is said before the model is read
    model = await load(readout);
    return (await scoreFixed(ir, readout.name, run, model, data)).score;
  } catch (e) {
    if (e instanceof ReadoutError) return { readout: readout.name, error: e.message };
    throw e;
  } finally {
    await model?.release?.();
  }
}
