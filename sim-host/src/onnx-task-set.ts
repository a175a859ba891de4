// A task's input set for circuits on an ONNX model (protocol/onnx-inputs.md, "Task sets"):
// `NAME.npy` (float32, N × the model input's shape) beside `NAME.csv` (`index,label`, the label a
// logit index). The task is named after the file. Errors name the file, line and column. Node-side
// (beside node-files.ts): onnx/ itself reads no files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeNpy } from './npy';
import type { FloatTensor } from './onnx/runtime';
import type { TaskInputs } from './onnx/task-inputs';

export type { TaskInputs };

/** Bad task-set file: the message starts with `file:line:column:` where one is known. */
export class TaskSetError extends Error {}

/** Bounds: 64 MiB of inputs, 100,000 inputs. */
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_ITEMS = 100_000;

/** A float32 C-order .npy array (version 1.x or 2.x). */
export function readNpyFloat32(file: string): FloatTensor {
  const a = readNpy(file);
  if (!(a.data instanceof Float32Array)) throw new TaskSetError(`${file}: dtype float64; an input set is float32 ('<f4')`);
  return a as FloatTensor;
}

/** A float32 or float64 C-order .npy array (version 1.x or 2.x). */
export function readNpy(file: string): { data: Float32Array | Float64Array; dims: number[] } {
  const st = fs.statSync(file);
  if (st.size > MAX_BYTES) throw new TaskSetError(`${file}: ${st.size} bytes, over the ${MAX_BYTES}-byte bound of an input set`);
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new TaskSetError(`${file}: not a .npy file (no \\x93NUMPY magic)`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  if (descr !== '<f4' && descr !== '<f8') throw new TaskSetError(`${file}: dtype ${descr ?? '?'}; an input set is float32 ('<f4')`);
  const width = descr === '<f4' ? 4 : 8;
  if (/'fortran_order':\s*True/.test(header)) throw new TaskSetError(`${file}: Fortran order; write it in C order`);
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw new TaskSetError(`${file}: no shape in the .npy header`);
  const dims = shapeText.split(',').map((x) => x.trim()).filter((x) => x !== '').map(Number);
  const size = dims.reduce((a, b) => a * b, 1);
  const off = start + headerLen;
  if (buf.length - off !== size * width) throw new TaskSetError(`${file}: ${buf.length - off} data bytes for shape (${dims.join(', ')}), ${size * width} expected`);
  const data = width === 4 ? new Float32Array(size) : new Float64Array(size);
  new Uint8Array(data.buffer).set(buf.subarray(off, off + size * width));
  return { data, dims };
}

/** The labels CSV (`index,label`, a header line first): one integer label per input, in index order. */
export function readLabels(file: string, n: number): Int32Array {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const head = lines[0].split(',').map((x) => x.trim());
  const col = head.indexOf('label');
  if (col < 0) throw new TaskSetError(`${file}:1:1: the header has no 'label' column (index,label)`);
  const labels = new Int32Array(n).fill(-1);
  let rows = 0;
  for (let l = 1; l < lines.length; l++) {
    if (!lines[l].trim()) continue;
    const cells = lines[l].split(',');
    const at = (c: number) => `${file}:${l + 1}:${cells.slice(0, c).join(',').length + (c ? 2 : 1)}`;
    const index = head[0] === 'index' ? Number(cells[0]) : rows;
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new TaskSetError(`${at(0)}: index '${cells[0]}' is not one of the ${n} inputs (0..${n - 1})`);
    const v = Number(cells[col]);
    if (cells[col] === undefined || !Number.isInteger(v) || v < 0) throw new TaskSetError(`${at(col)}: label '${cells[col] ?? ''}' is not a logit index (a whole number ≥ 0)`);
    labels[index] = v;
    rows++;
  }
  const missing = labels.indexOf(-1);
  if (missing >= 0) throw new TaskSetError(`${file}: no label for input ${missing} (${rows} rows for ${n} inputs)`);
  return labels;
}

/** `NAME.npy` and `NAME.csv` (either path given) → the task NAME's inputs and labels. */
export function readTaskSet(file: string): TaskInputs {
  const base = file.replace(/\.(npy|csv)$/i, '');
  const npy = `${base}.npy`;
  const csv = `${base}.csv`;
  for (const f of [npy, csv]) if (!fs.existsSync(f)) throw new TaskSetError(`${f}: not found (a task set is NAME.npy with its labels in NAME.csv)`);
  const inputs = readNpyFloat32(npy);
  const n = inputs.dims[0] ?? 0;
  if (inputs.dims.length < 2 || n < 1) throw new TaskSetError(`${npy}: shape (${inputs.dims.join(', ')}); an input set is N × the model input's shape`);
  if (n > MAX_ITEMS) throw new TaskSetError(`${npy}: ${n} inputs, over the bound of ${MAX_ITEMS}`);
  return { task: path.basename(base), inputs, labels: readLabels(csv, n) };
}

/** Writes a task set as NAME.npy + NAME.csv. */
export function writeTaskSet(base: string, inputs: FloatTensor, labels: ArrayLike<number>): void {
  writeNpy(`${base}.npy`, inputs.data, inputs.dims);
  fs.writeFileSync(`${base}.csv`, `index,label\n${Array.from(labels, (v, i) => `${i},${v}`).join('\n')}\n`);
}
