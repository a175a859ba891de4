// `spikeworks onnx circuits MODEL.onnx --inputs SET... [--task T] [--threshold X]
// [--intervention zero|mean|patch] [--units NODE,...] [--seed N] [--draws K] [--format text|json]`:
// circuits on an ONNX model's attention heads, and with --units the units or channels of those
// node outputs (sim-host/src/onnx/circuits.ts), in a worker thread — per task (one input set
// each: NAME.npy + NAME.csv, protocol/onnx-task-sets.md) the components whose removal lowers its
// accuracy by more than the threshold, the random control, reuse per pair of tasks and the
// Merullo-style patch. Progress on a terminal; Ctrl-C stops and prints what was found so far.
// Exit codes: 0 done, 1 nothing to analyse (the message says why), 2 bad usage or failure, 130 stopped.
import * as path from 'node:path';
import { OnnxCircuitsRefused, type CircuitsHandle } from '../../sim-host/src/host';
import { ONNX_INTERVENTIONS, type OnnxIntervention } from '../../sim-host/src/onnx/circuits';
import { startOnnxCircuitsOnFiles } from '../../sim-host/src/onnx-host';
import { circuitsProgress, reportCircuits } from './circuits';

type Usage = (message: string) => never;

export const ONNX_CIRCUITS_USAGE = `  spikeworks onnx circuits <file.onnx> --inputs SET.npy... [--task T] [--threshold X]
      [--intervention zero|mean|patch] [--units NODE,...] [--seed N] [--draws K] [--format text|json]
                                                         circuits on the model's attention heads (values named
                                                         <layer>.H<k>; --units adds each unit or channel of these
                                                         node outputs): one input set per task (SET.npy + SET.csv
                                                         labels); per task the components its accuracy needs, a
                                                         random control, reuse per pair of tasks, Merullo's patch`;

export interface OnnxCircuitsArgs {
  file: string;
  inputs: string[];
  task?: string;
  threshold?: number;
  intervention?: OnnxIntervention;
  seed?: number;
  draws?: number;
  units?: string[];
  format: 'text' | 'json';
}

export function parseOnnxCircuitsArgs(args: string[], usage: Usage): OnnxCircuitsArgs {
  const files: string[] = [];
  const inputs: string[] = [];
  const a: Partial<OnnxCircuitsArgs> = { format: 'text' };
  const num = (flag: string, v: string | undefined, ok: (n: number) => boolean, what: string) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || !ok(n)) usage(`${flag} must be ${what}, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    if (x === '--inputs') {
      while (i + 1 < args.length && !args[i + 1].startsWith('--')) inputs.push(args[++i]);
    } else if (x === '--units') {
      const v = args[++i];
      if (!v || v.startsWith('--')) usage('--units needs node output names, comma-separated');
      a.units = [...(a.units ?? []), ...v.split(',').filter((u) => u !== '')];
    } else if (x === '--task') a.task = args[++i] ?? usage('--task needs a name');
    else if (x === '--threshold') a.threshold = num(x, args[++i], (n) => n > 0 && n <= 1, 'in (0, 1]');
    else if (x === '--seed') a.seed = num(x, args[++i], Number.isInteger, 'a whole number');
    else if (x === '--draws') a.draws = num(x, args[++i], (n) => Number.isInteger(n) && n >= 0 && n <= 1000, 'a whole number from 0 to 1000');
    else if (x === '--intervention') {
      const v = args[++i];
      if (!ONNX_INTERVENTIONS.includes(v as OnnxIntervention)) usage(`--intervention must be ${ONNX_INTERVENTIONS.join(', ')}, got ${v ?? 'nothing'}`);
      a.intervention = v as OnnxIntervention;
    } else if (x === '--format') {
      const f = args[++i];
      if (f !== 'text' && f !== 'json') usage(`--format must be text or json, got ${f ?? 'nothing'}`);
      a.format = f;
    } else if (x.startsWith('-')) usage(`unknown option '${x}'`);
    else files.push(x);
  }
  if (files.length !== 1) usage(files.length ? `onnx circuits takes one model, got ${files.length}` : 'onnx circuits needs a model (.onnx)');
  if (!inputs.length) usage('onnx circuits needs --inputs: one input set per task (NAME.npy with labels in NAME.csv)');
  return { ...a, file: files[0], inputs } as OnnxCircuitsArgs;
}

export async function onnxCircuitsCommand(args: string[], usage: Usage): Promise<number> {
  const a = parseOnnxCircuitsArgs(args, usage);
  let handle: CircuitsHandle;
  try {
    handle = startOnnxCircuitsOnFiles(a.file, a.inputs, { task: a.task, threshold: a.threshold, intervention: a.intervention, seed: a.seed, controlDraws: a.draws, units: a.units }, circuitsProgress('measurements'));
  } catch (e) {
    // Reading refused the model or a task set: OnnxError and InputSetError name the file (and line and column).
    process.stderr.write(`spikeworks: ${(e as Error).message}\nspikeworks: no circuits found\n`);
    return 1;
  }
  return reportCircuits(handle, a.format, (e) => (e instanceof OnnxCircuitsRefused ? `${a.file}: ${e.message}` : undefined));
}
