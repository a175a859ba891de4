// The Node step before planning: reads the event files and edge lists a model names, so that the
// plan (core/plan.ts) does no I/O and a run is a function of (IR, seed, files). Over
// io/safe-read.ts: regular files only (a FIFO or device is refused without blocking), resolved
// against the model's folder (baseDir), only inside the run's allowed folders (readRoots), size
// checked before a byte is read (at most 256 MiB, and within the memory limit less the run's
// estimate and the files read before it), read in chunks that a cancel stops.
// Node-only: the browser bundle of the WebGPU backend never imports this file.
import * as path from 'node:path';
import type { ModelIR } from '../../protocol/ir';
import { formatBytes, readFileBounded } from '../../io/safe-read';
import { inputFilesOf, type InputFile, type InputFileKind } from './core/input-files';
import { checkRun, MAX_INPUT_FILE_BYTES, PlanError } from './core/limits';
import type { PlanOptions } from './core/plan';

/** Where a Node run's files are: the model's folder and the folders a run may read. */
export interface NodeFileOptions {
  /** Directory of the model file, for event and edge files. */
  baseDir?: string;
  /** Event files and edge lists are read only inside these folders (default: baseDir, else the working folder). */
  readRoots?: readonly string[];
}

/** Reads one event file or edge list: the bytes, or a PlanError ('input'; 'memory' over maxBytes; 'cancelled'). */
export function readInputFile(file: string, what: InputFileKind, opts: { maxBytes: number; roots?: readonly string[]; cancelled?: () => boolean }): Uint8Array {
  const r = readFileBounded(file, { maxBytes: opts.maxBytes, roots: opts.roots, cancelled: opts.cancelled });
  if (r.ok) return r.bytes;
  if (r.reason === 'too-large') {
    throw new PlanError(`cannot read the ${what} ${file}: it is ${formatBytes(r.size ?? 0)}, more than the ${formatBytes(opts.maxBytes)} left for input files (at most 256 MiB, and within the run's memory limit: spikeworks.memoryLimitMB / --memory-limit)`, 'memory');
  }
  if (r.reason === 'cancelled') throw new PlanError(`stopped while reading the ${what} ${file}`, 'cancelled');
  if (r.reason === 'outside') {
    throw new PlanError(`cannot read the ${what} ${file}: it is outside the folders a run may read (${(opts.roots ?? []).join(', ')}); move it there, or allow its folder (spikeworks run --allow-read DIR)`, 'input');
  }
  throw new PlanError(`cannot read the ${what}: ${r.message}`, 'input');
}

/**
 * The files `ir` reads, read: keyed by the path as the IR writes it, named by the resolved path.
 * The refusals that need no file come first (core/limits.ts checkRun), so a run that will be
 * refused reads nothing; each read is bounded by the memory limit less the estimate and the
 * files read before it (a file used twice counts twice, as the plan counts it).
 */
export function readRunFiles(ir: ModelIR, opts: PlanOptions & NodeFileOptions): Map<string, InputFile> {
  const files = new Map<string, InputFile>();
  const wanted = inputFilesOf(ir);
  if (wanted.length === 0) return files;
  const { totalLimit, estimate } = checkRun(ir, { ...opts, partitions: opts.partition?.count });
  const roots = opts.readRoots ?? [opts.baseDir ?? path.resolve('.')];
  let used = 0;
  for (const { file, what } of wanted) {
    const name = path.resolve(opts.baseDir ?? '.', file);
    const bytes = readInputFile(name, what, { maxBytes: Math.max(0, Math.min(MAX_INPUT_FILE_BYTES, totalLimit - estimate.total - used)), roots, cancelled: opts.shouldStop });
    used += bytes.length;
    files.set(file, { bytes, name });
  }
  return files;
}

/** `opts` with its files read (unless it already holds them), ready for buildPlan. */
export function withNodeFiles<T extends PlanOptions & NodeFileOptions>(ir: ModelIR, opts: T): T {
  return opts.files ? opts : { ...opts, files: readRunFiles(ir, opts) };
}

/**
 * A readout's model file (`readout r = onnx { file: … }`), resolved and confined like an event
 * file, at most 256 MiB: its bytes, or why not (a sentence naming the file).
 */
export function readReadoutModel(file: string, opts: NodeFileOptions & { shouldStop?: () => boolean }): { bytes: Uint8Array } | { error: string } {
  const name = path.resolve(opts.baseDir ?? '.', file);
  const roots = opts.readRoots ?? [opts.baseDir ?? path.resolve('.')];
  const r = readFileBounded(name, { maxBytes: MAX_INPUT_FILE_BYTES, roots, cancelled: opts.shouldStop });
  if (r.ok) return { bytes: r.bytes };
  switch (r.reason) {
    case 'missing': return { error: `cannot find the model file ${file} (looked for ${name})` };
    case 'too-large': return { error: `the model file ${file} is ${formatBytes(r.size ?? 0)}; model files over ${formatBytes(MAX_INPUT_FILE_BYTES)} are not read` };
    case 'outside': return { error: `the model file ${name} is outside the folders a run may read (${roots.join(', ')}); move it there, or allow its folder (spikeworks run --allow-read DIR)` };
    case 'cancelled': return { error: `stopped while reading the model file ${file}` };
    default: return { error: `cannot read the model file ${file}: ${r.message}` };
  }
}
