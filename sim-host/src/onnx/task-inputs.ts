// A task's inputs for circuits on an ONNX model, as plain data (read from NAME.npy + NAME.csv by
// sim-host/src/onnx-task-set.ts, Node-side).
import type { FloatTensor } from './runtime';

export interface TaskInputs {
  task: string;
  inputs: FloatTensor;
  /** Per input: the logit index the model should rank first. */
  labels: Int32Array;
}
