// ONNX models on the Node side: reading a model and an input set from disk (bounded, regular files
// only: io/safe-read.ts), writing a recording (.npy per node + activations.json), and the two
// off-thread entries the CLI and the extension call — startOnnxRecord and startOnnxDescribe, each
// one request to a simulation worker with progress and cancel (worker side: onnx-worker.ts), and
// startOnnxCircuitsOnFiles (worker side: onnx/circuits-worker.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readOnnxFile } from '../../io/onnx-file';
import { readFileBounded, readTextBounded } from '../../io/safe-read';
import type { OnnxInputSetData, ToWorker } from '../../protocol/sim';
import { startOnnxCircuits, workerRequest, type CircuitsHandle, type DescribeHandle } from './host';
import { InputSetError, inputSetFromCsv, inputSetFromNpy, type InputSet, type ModelInput } from './onnx/input-set';
import { graphNodes } from './onnx/record';
import { taskInputsOf, type TaskInputs } from './onnx/task-set';

/** An input set's .npy over this size is not read (its values are bounded by input-set.ts too). */
export const MAX_INPUT_BYTES = 1024 * 2 ** 20;

/** safe-read's refusal without the path it starts with (the errors here put the file first themselves). */
const reason = (file: string, message: string) => (message.startsWith(file) ? message.slice(file.length).replace(/^[:\s]+/, '') : message);

/** The bytes of a model file: io/onnx-file.ts's bounded read (MAX_ONNX_BYTES), an OnnxError naming the file otherwise. */
export const readModelFile = (file: string): Uint8Array => readOnnxFile(file);

const sidecar = (file: string, ext: string) => file.replace(/\.[^./\\]+$/, '') + ext;

/**
 * An input set from disk (protocol/onnx-inputs.md): `X.npy` with its sidecar `X.csv`, or a CSV —
 * the sidecar of an `X.npy` beside it, else a single CSV of features, label and concept:NAME
 * columns. Throws InputSetError (located) or Error (a file that cannot be read).
 */
export function readInputSet(file: string, input: ModelInput): InputSet {
  const text = (f: string) => {
    const r = readTextBounded(f, { maxBytes: MAX_INPUT_BYTES });
    if (!r.ok) throw new InputSetError(f, reason(f, r.message));
    return r.text;
  };
  const lower = file.toLowerCase();
  const npyFile = lower.endsWith('.npy') ? file : fs.existsSync(sidecar(file, '.npy')) ? sidecar(file, '.npy') : undefined;
  if (!npyFile) {
    if (!lower.endsWith('.csv')) throw new InputSetError(file, 'an input set is a .npy file (with a sidecar .csv) or a .csv file');
    return inputSetFromCsv({ file, text: text(file) }, input);
  }
  const r = readFileBounded(npyFile, { maxBytes: MAX_INPUT_BYTES });
  if (!r.ok) throw new InputSetError(npyFile, reason(npyFile, r.message));
  const csvFile = sidecar(npyFile, '.csv');
  if (!fs.existsSync(csvFile)) throw new InputSetError(npyFile, `its sidecar ${path.basename(csvFile)} (index,label,<concept columns>) is missing`);
  return inputSetFromNpy({ file: npyFile, bytes: r.bytes }, { file: csvFile, text: text(csvFile) }, input);
}

/**
 * A task set for circuits (protocol/onnx-task-sets.md): the input set `file` (NAME.npy + NAME.csv)
 * with integer labels, named NAME. Throws InputSetError (located) or Error.
 */
export function readTaskSet(file: string, input: ModelInput): TaskInputs {
  const set = readInputSet(file, input);
  return taskInputsOf(set, path.basename(file).replace(/\.[^.]*$/, ''), file.toLowerCase().endsWith('.csv') ? file : sidecar(file, '.csv'));
}

/**
 * Circuits on a model file's heads with one task set per task (files: NAME.npy + NAME.csv), the
 * analysis on a worker (host.ts startOnnxCircuits): what Show Circuit Reuse on a .onnx and
 * `spikeworks onnx circuits` call. Reading refuses synchronously (OnnxError, InputSetError: the
 * file named, and its line and column in a CSV).
 */
type OnnxCircuitsOptions = Extract<ToWorker, { type: 'onnx-circuits' }>['options'];

export function startOnnxCircuitsOnFiles(model: string, taskSets: readonly string[], options: Omit<OnnxCircuitsOptions, 'source'>, onProgress?: (done: number, total: number, label?: string) => void, workerFile?: string): CircuitsHandle {
  const bytes = readModelFile(model);
  const { input } = graphNodes(bytes, model);
  const sets = taskSets.map((f) => readTaskSet(f, input));
  return startOnnxCircuits(bytes, sets, { ...options, source: path.basename(model) }, onProgress, workerFile);
}

import type { OnnxDescribeOutput, RecordIndex } from './onnx-recording';
export { writeRecording, type OnnxDescribeOutput, type RecordIndex, type RecordIndexNode } from './onnx-recording';

const plain = (set: InputSet): OnnxInputSetData => ({ count: set.count, shape: set.shape, data: set.data, labels: set.labels, concepts: set.concepts, source: set.source }); // only these fields cross to the worker

export interface RecordHandle {
  /** The index written; a cancelled recording holds the inputs done. Rejects with RunTerminated or the model's error. */
  result: Promise<RecordIndex>;
  cancel(): void;
  terminate(): Promise<void>;
}

/** Progress: phase 'record' (inputs done of total) or 'describe' (units done of all; label = the node). */
export type OnnxProgress = (done: number, total: number, phase: 'record' | 'describe', node?: string) => void;

function cancellable<T>(start: (cancel: SharedArrayBuffer) => { result: Promise<T>; terminate(): Promise<void> }): { result: Promise<T>; cancel(): void; terminate(): Promise<void> } {
  const buf = new SharedArrayBuffer(4);
  const flag = new Int32Array(buf);
  return { ...start(buf), cancel: () => Atomics.store(flag, 0, 1) };
}

const progressOf = (onProgress?: OnnxProgress) => (done: number, total: number, phase?: string, label?: string) => onProgress?.(done, total, phase === 'describe' ? 'describe' : 'record', label);

/** Record Activations in a worker thread: writes the .npy files and activations.json to `outDir`. */
export function startOnnxRecord(model: Uint8Array, set: InputSet, options: { nodes?: string[]; outDir: string; source: string }, onProgress?: OnnxProgress, workerFile = path.join(__dirname, 'sim-worker.js')): RecordHandle {
  return cancellable((cancel) =>
    workerRequest(workerFile, { type: 'onnx-record', model, inputs: plain(set), nodes: options.nodes, outDir: options.outDir, source: options.source, cancel }, (m) => (m.type === 'onnx-recorded' ? (m.index as RecordIndex) : undefined), progressOf(onProgress)),
  );
}

export interface OnnxDescribeHandle extends Omit<DescribeHandle, 'result'> {
  /** Stops between batches or units; the output then says `cancelled`. Rejects with RunTerminated or the model's error. */
  result: Promise<OnnxDescribeOutput>;
}

/**
 * Describe Neurons on an ONNX model's units in a worker thread: the chosen nodes (default every
 * node) recorded on the input set, then every unit described (units named `node[unit]`: the
 * result's population is the node). The view is what the Descriptions panel shows.
 */
export function startOnnxDescribe(model: Uint8Array, set: InputSet, options: { nodes?: string[]; seed?: number; permutations?: number; exemplars?: number; lambda?: number; source: string }, onProgress?: OnnxProgress, workerFile = path.join(__dirname, 'sim-worker.js')): OnnxDescribeHandle {
  const { nodes, source, ...opts } = options;
  return cancellable((cancel) =>
    workerRequest(workerFile, { type: 'onnx-describe', model, inputs: plain(set), nodes, options: opts, source, cancel }, (m) => (m.type === 'onnx-described' ? (m.output as OnnxDescribeOutput) : undefined), progressOf(onProgress)),
  );
}
