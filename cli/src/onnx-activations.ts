// `spikeworks onnx record` and `spikeworks onnx describe`: an ONNX model run on an input set
// (protocol/onnx-inputs.md) in this process, with progress on a terminal and Ctrl-C to stop.
// record writes one .npy per node and activations.json; describe prints what each unit responds
// to (the Describe Neurons analysis on the units: sim-host/src/onnx/describe.ts).
// Exit codes: 0 done, 1 bad input (the message names the file, and line:column in a CSV), 2 usage,
// 130 stopped.
import * as path from 'node:path';
import { quote } from '../../protocol/plain-text';
import { descriptionsCsv, descriptionsJson } from '../../sim-host/src/analysis/describe/report';
import { describeRecording } from '../../sim-host/src/onnx/describe';
import { InputSetError, type InputSet } from '../../sim-host/src/onnx/input-set';
import { OnnxError } from '../../sim-host/src/onnx/errors';
import { graphNodes, recordActivations, type Recording } from '../../sim-host/src/onnx/record';
import { readInputSet, readModelFile, writeRecording } from '../../sim-host/src/onnx-host';
import { humanTable } from './describe';
import { stopOnCtrlC } from './interrupt';

interface Common {
  model: string;
  inputs: string;
  nodes: string[];
}

function parse(args: string[], usage: (m: string) => never, options: Record<string, 'value' | 'list'>): Common & { values: Record<string, string> } {
  const files: string[] = [];
  const values: Record<string, string> = {};
  const nodes: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag.startsWith('-')) {
      const kind = options[flag];
      if (!kind) usage(`unknown option '${flag}'`);
      const v = inline ?? args[++k];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) usage(`${flag} needs a value`);
      if (kind === 'list') nodes.push(...v.split(',').map((s) => s.trim()).filter((s) => s));
      else values[flag] = v;
    } else files.push(a);
  }
  if (files.length !== 1) usage('give exactly one model file (.onnx)');
  if (!values['--inputs']) usage('--inputs SET is needed: a .npy with its sidecar .csv, or a .csv (protocol/onnx-inputs.md)');
  return { model: files[0], inputs: values['--inputs'], nodes, values };
}

/** A path as the user reads it: relative to the current folder when inside it, else absolute. */
const shown = (f: string) => {
  const rel = path.relative(process.cwd(), path.resolve(f));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.resolve(f);
};

/** The model and input set, or a message on stderr and undefined. */
function load(c: Common): { bytes: Uint8Array; set: InputSet } | undefined {
  try {
    const bytes = readModelFile(c.model);
    return { bytes, set: readInputSet(c.inputs, graphNodes(bytes, shown(c.model)).input) };
  } catch (e) {
    process.stderr.write(`${e instanceof InputSetError ? `${shown(e.file)}${e.line !== undefined ? `:${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : ''}: error: ${e.reason}` : `spikeworks: ${(e as Error).message}`}\n`);
    return undefined;
  }
}

async function record(c: Common, bytes: Uint8Array, set: InputSet, tty: boolean): Promise<Recording | undefined> {
  let stop = false;
  const end = stopOnCtrlC({ cancel: () => (stop = true), terminate: () => process.exit(130) }, 'the recording');
  try {
    return await recordActivations(bytes, set, {
      nodes: c.nodes.length ? c.nodes : undefined,
      source: shown(c.model),
      shouldStop: () => stop,
      onProgress: (done, total) => tty && process.stderr.write(`\rrecording: ${done}/${total} inputs\x1b[K`),
    });
  } catch (e) {
    const m = (e as Error).message;
    process.stderr.write(`${tty ? '\n' : ''}spikeworks: ${e instanceof OnnxError ? m : `${shown(c.model)}: ${m}`}\n`);
    return undefined;
  } finally {
    end();
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

export async function onnxRecordCommand(args: string[], usage: (m: string) => never): Promise<number> {
  const c = parse(args, usage, { '--inputs': 'value', '--out': 'value', '--nodes': 'list', '--node': 'list' });
  const loaded = load(c);
  if (!loaded) return 1;
  const rec = await record(c, loaded.bytes, loaded.set, process.stderr.isTTY);
  if (!rec) return 1;
  const out = c.values['--out'] ?? c.model.replace(/\.onnx$/i, '') + '.activations';
  const index = writeRecording(out, rec, path.basename(c.model), loaded.set.source);
  process.stdout.write(`${index.count} inputs, ${index.nodes.length} nodes recorded to ${shown(path.join(out, 'activations.json'))}${rec.cancelled ? ' (stopped early)' : ''}\n`);
  for (const n of index.nodes) process.stdout.write(`  ${quote(n.name, 80)} (${quote(n.opType, 40)}) [${n.shape.join(', ')}] → ${n.file}, ${n.units} units\n`);
  return rec.cancelled ? 130 : 0;
}

export async function onnxDescribeCommand(args: string[], usage: (m: string) => never): Promise<number> {
  const c = parse(args, usage, { '--inputs': 'value', '--node': 'list', '--nodes': 'list', '--format': 'value', '--seed': 'value', '--permutations': 'value', '--exemplars': 'value' });
  const format = c.values['--format'] ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'csv') usage(`--format must be text, json or csv, got ${format}`);
  const int = (flag: string, min: number, max: number) => {
    const v = c.values[flag];
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isInteger(x) || x < min || x > max) usage(`${flag} must be an integer in [${min}, ${max}], got ${v}`);
    return x;
  };
  const seed = int('--seed', 0, 2 ** 32 - 1);
  const permutations = int('--permutations', 10, 100_000);
  const exemplars = int('--exemplars', 1, 30);
  const loaded = load(c);
  if (!loaded) return 1;
  const tty = process.stderr.isTTY && format === 'text';
  const rec = await record(c, loaded.bytes, loaded.set, tty);
  if (!rec) return 1;
  if (rec.cancelled) {
    process.stderr.write('spikeworks: the recording was stopped; nothing described\n');
    return 130;
  }
  let stop = false;
  const end = stopOnCtrlC({ cancel: () => (stop = true), terminate: () => process.exit(130) }, 'the analysis');
  let d;
  try {
    d = await describeRecording(rec.nodes, loaded.set, {
      seed: seed ?? 1,
      permutations,
      exemplars,
      shouldStop: () => stop,
      onProgress: (done, total, node) => tty && process.stderr.write(`\rdescribing ${node}: ${done}/${total} units\x1b[K`),
    });
  } finally {
    end();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (format === 'json') process.stdout.write(descriptionsJson(path.basename(c.model), d.windows, loaded.set.source, d.atoms, d.results) + '\n');
  else if (format === 'csv') process.stdout.write(descriptionsCsv(d.results));
  else process.stdout.write(humanTable(d.results, d.windows.length, loaded.set.source, d.atoms.length, d.cancelled, { windows: 'inputs', units: 'units', population: (name) => `node ${quote(name, 80)}` }));
  return d.cancelled ? 130 : 0;
}
