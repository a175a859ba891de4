// A task's input set for circuits on an ONNX model (protocol/onnx-task-sets.md): an input set of
// form 1 (protocol/onnx-inputs.md, read by input-set.ts) whose labels are logit indices. Pure:
// the read set in, the task's inputs and integer labels out, or a located InputSetError.
import { InputSetError, type InputSet } from './input-set';
import type { FloatTensor } from './runtime';

export interface TaskInputs {
  task: string;
  inputs: FloatTensor;
  /** Per input: the logit index the model should rank first. */
  labels: Int32Array;
}

/**
 * Task `task` from a read input set; `csvFile` names the labels' file in errors (row i is line
 * i + 2 of a sidecar CSV, its label the second column).
 */
export function taskInputsOf(set: InputSet, task: string, csvFile: string): TaskInputs {
  const labels = new Int32Array(set.count);
  set.labels.forEach((text, i) => {
    const v = Number(text);
    if (text === '' || !Number.isInteger(v) || v < 0) throw new InputSetError(csvFile, `label '${text}' is not a logit index (a whole number ≥ 0): circuits score a task by the logit its label names`, i + 2, String(i).length + 2);
    labels[i] = v;
  });
  return { task, inputs: { data: set.data, dims: [set.count, ...set.shape] }, labels };
}
