// Input sets (protocol/onnx-inputs.md): the inputs a model is run on for Record Activations and
// Describe Neurons, with a label and concept annotations per input. Two forms:
//   - NAME.npy (float32, [N, …input shape]) with a sidecar NAME.csv `index,label,<concept columns>`;
//   - one CSV of feature columns, `label` and `concept:NAME` columns (a model whose input is [N, F]).
// Pure: bytes and text in, an InputSet or a located InputSetError out (file:line:column for CSV;
// the file and what is wrong for .npy; the model input's name for shape mismatches).

import type { OnnxInputSetData } from '../../../protocol/sim';

/** An input set: inputs, labels and concepts (the worker messages' plain-data shape). */
export type InputSet = OnnxInputSetData;

/** A problem in an input-set file, located where it can be. */
export class InputSetError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number, readonly column?: number) {
    super(`${file}${line !== undefined ? `:${line}${column !== undefined ? `:${column}` : ''}` : ''}: ${reason}`);
  }
}

/** Bounds: inputs per set, float values in all, text of a CSV. */
export const MAX_INPUTS = 1_000_000;
export const MAX_VALUES = 2 ** 27;
export const MAX_CSV_CHARS = 256 * 2 ** 20;
export const MAX_COLUMNS = 65_536;

// ---------------------------------------------------------------------------------------------
// .npy

export interface NpyArray {
  shape: number[];
  data: Float32Array;
}

/** Reads a .npy array of float32 (float64 is narrowed to float32) in C order. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new InputSetError(file, 'not a NumPy .npy file (it does not start with \\x93NUMPY)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new InputSetError(file, 'the .npy header is truncated');
    headerLen = view.getUint32(8, true);
    start = 12;
  } else throw new InputSetError(file, `.npy format version ${major} is not supported (1, 2 or 3)`);
  if (start + headerLen > bytes.length) throw new InputSetError(file, `the .npy header is truncated (it says ${headerLen} bytes, the file has ${bytes.length - start} after the magic)`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const field = (key: string) => new RegExp(`['"]${key}['"]\\s*:\\s*('[^']*'|"[^"]*"|True|False|\\([^)]*\\))`).exec(header)?.[1];
  const descr = field('descr')?.slice(1, -1);
  const fortran = field('fortran_order');
  const shapeText = field('shape');
  if (!descr || !fortran || !shapeText) throw new InputSetError(file, `the .npy header lacks ${!descr ? "'descr'" : !fortran ? "'fortran_order'" : "'shape'"}`);
  if (fortran !== 'False') throw new InputSetError(file, 'the array is in Fortran order; save it in C order (np.ascontiguousarray)');
  const shape = shapeText.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new InputSetError(file, `the .npy shape ${shapeText} is not a tuple of sizes`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > MAX_VALUES) throw new InputSetError(file, `the array has ${size} values; at most ${MAX_VALUES} are read`);
  const itemBytes = descr === '<f4' || descr === '|f4' ? 4 : descr === '<f8' ? 8 : 0;
  if (!itemBytes) throw new InputSetError(file, `the array's type is ${descr}; inputs are float32 ('<f4') or float64 ('<f8'), little-endian`);
  const at = start + headerLen;
  const need = size * itemBytes;
  if (bytes.length - at !== need) throw new InputSetError(file, `the array of shape (${shape.join(', ')}) needs ${need} bytes of data; the file has ${bytes.length - at}`);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = itemBytes === 4 ? view.getFloat32(at + 4 * i, true) : view.getFloat64(at + 8 * i, true);
  return { shape, data };
}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvCell {
  text: string;
  line: number;
  column: number;
}

/**
 * CSV rows with each cell's 1-based line and column: comma-separated, double-quoted fields may
 * hold commas, quotes ("") and newlines; blank lines are skipped; CRLF or LF.
 */
export function parseCsv(text: string, file: string): CsvCell[][] {
  if (text.length > MAX_CSV_CHARS) throw new InputSetError(file, `the CSV has ${text.length} characters; at most ${MAX_CSV_CHARS} are read`);
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = lineStart = 1;
  while (i <= n) {
    const cellLine = line;
    const column = i - lineStart + 1;
    let value = '';
    const quoted = text[i] === '"';
    if (quoted) {
      i++;
      for (;;) {
        if (i >= n) throw new InputSetError(file, 'a quoted field is not closed', cellLine, column);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') {
          line++;
          lineStart = i + 1;
        }
        value += c;
        i++;
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') throw new InputSetError(file, 'text after a closing quote', line, i - lineStart + 1);
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      value = text.slice(i, j);
      i = j;
    }
    row.push({ text: value, line: cellLine, column });
    if (row.length > MAX_COLUMNS) throw new InputSetError(file, `more than ${MAX_COLUMNS} columns`, cellLine, column);
    if (i < n && text[i] === ',') {
      i++;
      continue;
    }
    // End of a row.
    if (row.length > 1 || row[0].text.trim() !== '' || quoted) rows.push(row);
    row = [];
    if (i >= n) break;
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    lineStart = i;
    if (i >= n) break;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Input sets

/** The model input an input set is read against: its name and shape with the batch dimension first. */
export interface ModelInput {
  name: string;
  /** A string (or ≤ 0) is a free dimension. */
  dims: readonly (number | string)[];
}

const shapeText = (d: readonly (number | string)[]) => `[${d.join(', ')}]`;

/** Control characters, line breaks, bidi overrides and isolates: never in a label or concept (they reach terminals and panels). */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A label or concept cell's text, trimmed; refused (located) when it holds an unprintable character. */
function textOf(cell: CsvCell, file: string): string {
  const t = cell.text.trim();
  if (UNPRINTABLE.test(t)) throw new InputSetError(file, 'a label or concept holds a control character or a line break', cell.line, cell.column);
  return t;
}

/** Checks one input's shape against the model input's (without its batch dimension). */
function checkShape(file: string, shape: readonly number[], input: ModelInput): void {
  const want = input.dims.slice(1);
  const fixed = (d: number | string) => typeof d === 'number' && d > 0;
  const ok = shape.length === want.length && want.every((d, i) => !fixed(d) || d === shape[i]);
  if (!ok) throw new InputSetError(file, `each input has shape ${shapeText(shape)}, but the model input '${input.name}' takes ${shapeText(input.dims)} (${shapeText(want)} per input)`);
}

/** The concepts and labels of a sidecar or single CSV's annotation columns. */
interface Annotations {
  labels: string[];
  concepts: { name: string; values: string[] }[];
}

/** Reads `NAME.npy` + sidecar `NAME.csv` (`index,label,<concepts>`). */
export function inputSetFromNpy(npy: { file: string; bytes: Uint8Array }, csv: { file: string; text: string }, input: ModelInput): InputSet {
  const arr = parseNpy(npy.bytes, npy.file);
  if (arr.shape.length < 1) throw new InputSetError(npy.file, 'the array is a scalar; inputs are [N, …input shape]');
  const count = arr.shape[0];
  if (count > MAX_INPUTS) throw new InputSetError(npy.file, `${count} inputs; at most ${MAX_INPUTS}`);
  if (count === 0) throw new InputSetError(npy.file, 'the array holds no inputs');
  checkShape(npy.file, arr.shape.slice(1), input);
  const rows = parseCsv(csv.text, csv.file);
  if (rows.length === 0) throw new InputSetError(csv.file, 'the CSV is empty; its header is index,label,<concept columns>', 1, 1);
  const header = rows[0];
  if (header[0]?.text.trim() !== 'index') throw new InputSetError(csv.file, `the first column is '${header[0]?.text ?? ''}'; the header is index,label,<concept columns>`, header[0].line, header[0].column);
  if (header[1]?.text.trim() !== 'label') throw new InputSetError(csv.file, `the second column is '${header[1]?.text ?? '(missing)'}'; the header is index,label,<concept columns>`, header[1]?.line ?? header[0].line, header[1]?.column ?? header[0].column + header[0].text.length);
  const names = header.slice(2);
  checkNames(csv.file, names);
  if (rows.length - 1 !== count) {
    const last = rows[rows.length - 1][0];
    throw new InputSetError(csv.file, `${rows.length - 1} rows for ${count} inputs in ${npy.file}`, rows.length - 1 < count ? last.line : rows[count + 1][0].line, 1);
  }
  const labels: string[] = [];
  const concepts = names.map((h) => ({ name: h.text.trim(), values: [] as string[] }));
  rows.slice(1).forEach((r, i) => {
    if (r.length !== header.length) throw new InputSetError(csv.file, `${r.length} fields; the header has ${header.length}`, r[0].line, r[Math.min(r.length, header.length) - 1].column);
    if (r[0].text.trim() !== String(i)) throw new InputSetError(csv.file, `index '${r[0].text}' where ${i} was expected (rows follow the array's order)`, r[0].line, r[0].column);
    labels.push(textOf(r[1], csv.file));
    names.forEach((_, k) => concepts[k].values.push(textOf(r[2 + k], csv.file)));
  });
  return { count, shape: arr.shape.slice(1), data: arr.data, labels, concepts, source: `${npy.file} + ${csv.file}` };
}

function checkNames(file: string, names: readonly CsvCell[]): void {
  const seen = new Set<string>();
  for (const h of names) {
    const name = textOf(h, file);
    if (!name) throw new InputSetError(file, 'a concept column has no name', h.line, h.column);
    if (name.includes('=')) throw new InputSetError(file, `the concept name '${name}' contains '='`, h.line, h.column);
    if (seen.has(name)) throw new InputSetError(file, `the column '${name}' appears twice`, h.line, h.column);
    seen.add(name);
  }
}

/** Reads one CSV of feature columns, `label` and `concept:NAME` columns, for a model input [N, F]. */
export function inputSetFromCsv(csv: { file: string; text: string }, input: ModelInput): InputSet {
  const rows = parseCsv(csv.text, csv.file);
  if (rows.length < 2) throw new InputSetError(csv.file, 'the CSV has no rows after its header (feature columns, label, concept:NAME columns)', 1, 1);
  const header = rows[0];
  const features: number[] = [];
  let labelCol = -1;
  const conceptCols: { col: number; cell: CsvCell }[] = [];
  header.forEach((h, c) => {
    const t = h.text.trim();
    if (t === 'label') {
      if (labelCol >= 0) throw new InputSetError(csv.file, "the column 'label' appears twice", h.line, h.column);
      labelCol = c;
    } else if (t.startsWith('concept:')) conceptCols.push({ col: c, cell: { ...h, text: t.slice('concept:'.length) } });
    else features.push(c);
  });
  checkNames(csv.file, conceptCols.map((x) => x.cell));
  if (features.length === 0) throw new InputSetError(csv.file, 'no feature columns (every column is label or concept:NAME)', header[0].line, header[0].column);
  const count = rows.length - 1;
  if (count > MAX_INPUTS) throw new InputSetError(csv.file, `${count} inputs; at most ${MAX_INPUTS}`);
  if (count * features.length > MAX_VALUES) throw new InputSetError(csv.file, `${count * features.length} values; at most ${MAX_VALUES}`);
  checkShape(csv.file, [features.length], input);
  const data = new Float32Array(count * features.length);
  const labels: string[] = [];
  const concepts = conceptCols.map((x) => ({ name: x.cell.text, values: [] as string[] }));
  rows.slice(1).forEach((r, i) => {
    if (r.length !== header.length) throw new InputSetError(csv.file, `${r.length} fields; the header has ${header.length}`, r[0].line, r[Math.min(r.length, header.length) - 1].column);
    features.forEach((c, k) => {
      const cell = r[c];
      const t = cell.text.trim();
      const v = t === '' ? NaN : Number(t);
      if (!Number.isFinite(v)) throw new InputSetError(csv.file, `'${cell.text}' in the feature column '${header[c].text.trim()}' is not a finite number`, cell.line, cell.column);
      data[i * features.length + k] = v;
    });
    labels.push(labelCol >= 0 ? textOf(r[labelCol], csv.file) : '');
    conceptCols.forEach((x, k) => concepts[k].values.push(textOf(r[x.col], csv.file)));
  });
  return { count, shape: [features.length], data, labels, concepts, source: csv.file };
}

/**
 * What Describe Neurons reads from an input set: per input its labels, `concept=value` for each
 * concept with a value (a column of only 0/1 gives the bare concept name where 1), and
 * `label=value` unless some concept column splits the inputs exactly as the label does (then
 * the label would be the same atom twice).
 */
export function inputLabels(set: Pick<InputSet, 'count' | 'labels' | 'concepts'>): string[][] {
  const binary = set.concepts.map((c) => c.values.every((v) => v === '0' || v === '1'));
  const samePartition = (values: readonly string[]) => {
    const ab = new Map<string, string>();
    const ba = new Map<string, string>();
    for (let i = 0; i < set.count; i++) {
      const a = set.labels[i];
      const b = values[i];
      if ((ab.get(a) ?? b) !== b || (ba.get(b) ?? a) !== a) return false;
      ab.set(a, b);
      ba.set(b, a);
    }
    return true;
  };
  const withLabel = set.labels.some((l) => l !== '') && !set.concepts.some((c) => samePartition(c.values));
  return Array.from({ length: set.count }, (_, i) => {
    const out: string[] = [];
    if (withLabel && set.labels[i] !== '') out.push(`label=${set.labels[i]}`);
    set.concepts.forEach((c, k) => {
      const v = c.values[i];
      if (binary[k]) {
        if (v === '1') out.push(c.name);
      } else if (v !== '') out.push(`${c.name}=${v}`);
    });
    return out;
  });
}
