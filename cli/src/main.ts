#!/usr/bin/env node
// The `spikeworks` command. Usage errors exit 2; `check` exits 1 when any file has an error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { SeverityName } from '../../language-server/src/ide';
import { checkWorkspace, loadModel, setAllowedReadDirs } from './load';
import { exportCommand, type ExportArgs } from './export';
import { nirCommand } from './nir';
import { onnxCommand, ONNX_USAGE } from './onnx';
import { runCommand } from './run';
import { sweepCommand, type SweepArgs } from './sweep';
import { emulateCommand, type EmulateArgs } from './emulate';
import { describeCommand, type DescribeArgs } from './describe';
import { circuitsCommand, INTERVENTIONS, type CircuitsArgs } from './circuits';
import { isThreadCount, MAX_THREADS } from '../../protocol/threads';

const VERSION = '0.1.0';

const USAGE = `spikeworks ${VERSION} — spiking network models in .snn

usage:
  spikeworks check <file.snn>... [--format human|json]   check files: syntax, names, units, ranges, sizes
  spikeworks export <file.snn> [--to ir|brian2|pynn] [--backend brian2|nest|spinnaker] [--out FILE]
                                                         write the model IR (JSON, SI units; the default), a Brian2
                                                         script or a PyNN script (--backend: PyNN's simulator) of a
                                                         checked file; what the target cannot express is refused
                                                         at its line
  spikeworks nir export <file.snn> --out X.nir | nir import X.nir --out Y.snn
                                                         the model as a NIR graph (HDF5, SI units) or a NIR graph as
                                                         a formatted .snn; what NIR cannot say is warned or refused
  spikeworks run <file.snn> [--out DIR] [--format human|json] [--backend wasm|webgpu|auto] [--seed N]
                 [--duration T_s] [--csv] [--memory-limit MB] [--threads N] [--allow-read DIR]...
                                                         simulate; writes spikes.bin, traces, summary.json to DIR
                                                         (exit 3: a result file could not be written); --threads:
                                                         the WASM engine's workers, 1 to 1024 (default: the model's
                                                         threads:, else the idle cores for large models; identical
                                                         results for any count; more than the cores: warned)
  spikeworks sweep <file.snn> --set TARGET=FROM:TO:COUNT|TARGET=V1,V2,... [--set ...] [--seeds K] [--seed N]
                 [--duration T_s] [--workers N] [--out DIR] [--format human|json] [--backend wasm|webgpu|auto]
                 [--memory-limit MB] [--threads N]
                                                         run the model over a grid of one to three axes (TARGET:
                                                         population.parameter, input.rate, connection.weight,
                                                         connection.delay, seed, or a memristor target's setting
                                                         such as xbar.fault_ratio: a fault sweep on that target,
                                                         as emulate --sweep; values with units, e.g.
                                                         exc.I_e=0pA:500pA:11), K seeds per point, on a pool of
                                                         worker threads; prints rates per point, writes sweep.csv
                                                         and sweep.json to DIR (--memory-limit: all runs at once;
                                                         --threads: each run's WASM workers, default the model's
                                                         threads:, else 1, as the workers already fill the cores)
  spikeworks emulate <file.snn> --target NAME [--format human|json] [--out DIR] [--seed N] [--duration T_s]
                                                         run on the hardware target the model's target NAME = loihi2
                                                         { … } block names (bit-accurate emulation) and on the float engine
                                                         with the same seed: fidelity, cores/axons/synapse memory per
                                                         core, energy estimate, quantisation steps; DIR gets the usual
                                                         result files plus target.json (exit 1: refused or does not fit)
  spikeworks emulate <file.snn> --target NAME --sweep SETTING=FROM:TO:COUNT|SETTING=W1,W2,... [--sweep ...]
                 [--seeds K] [--workers N] [--out DIR] [--format human|json] [--duration T_s]
                                                         a fault sweep on a memristor target: up to three of its
                                                         settings (fault_ratio=0:0.3:7, fault_type=sa0,sa1,
                                                         position=random,important), K seeds per point on a pool
                                                         of workers; the metric is the model's first readout's
                                                         accuracy (or the mean rate); sweep.csv/sweep.json to DIR
  spikeworks describe <file.snn> [--population P]... [--format human|json] [--seed N] [--permutations N]
                 [--lambda X] [--exemplars K] [--bin T_s]
                                                         run the model and describe what each neuron responds to
                                                         (formulas over the task windows' labels, epochs, onsets
                                                         and offsets, with IoU, mutual information and a
                                                         permutation p-value; neurons with nothing significant are
                                                         unselective); Ctrl-C stops it
  spikeworks circuits <file.snn> [--task T] [--threshold X] [--intervention silence|mean|resample|patch]
                 [--seed N] [--draws K] [--workers N] [--retrain] [--format text|json]
                                                         circuit discovery: per task (a readout's), the populations,
                                                         neuron groups and connections whose removal lowers the
                                                         readout's accuracy by more than X (default 0.05; in (0, 1]),
                                                         beside a control (as many random components removed, K
                                                         draws); shared components per pair of tasks (Jaccard,
                                                         overlap coefficient) and patching; Ctrl-C stops it
${ONNX_USAGE}
  spikeworks --help | --version

options of every command:
  --allow-read DIR     files a model names (data files, imports) are read only inside the current
                       directory and the model's folder; this allows DIR too (repeatable)

exit codes: 0 no errors, 1 errors found, 2 bad usage`;

interface JsonDiagnostic {
  severity: SeverityName;
  message: string;
  code: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function usage(message: string): never {
  process.stderr.write(`spikeworks: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

export function check(files: string[], format: 'human' | 'json', out: (s: string) => void): number {
  const workspace = checkWorkspace(files);
  const results: { path: string; diagnostics: JsonDiagnostic[] }[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const abs = path.resolve(file);
    const uri = URI.file(abs).toString();
    let diagnostics: JsonDiagnostic[];
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(abs);
    } catch {
      st = undefined;
    }
    if (!st || !st.isFile()) {
      diagnostics = [{ severity: 'error', code: 'io', message: st ? 'not a file' : 'file not found', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    } else {
      diagnostics = workspace.check(uri).map((d) => ({
        severity: d.severity,
        message: d.message,
        code: d.code,
        range: { start: { line: d.line - 1, character: d.column - 1 }, end: { line: d.endLine - 1, character: d.endColumn - 1 } },
      }));
    }
    for (const d of diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    results.push({ path: file, diagnostics });
  }
  if (format === 'json') out(JSON.stringify({ files: results }) + '\n');
  else {
    for (const r of results) {
      for (const d of r.diagnostics) out(`${r.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}\n`);
    }
    const n = results.length;
    process.stderr.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${n} file${n === 1 ? '' : 's'}\n`);
  }
  return errors > 0 ? 1 : 0;
}

/** Readers of one command's option values; each refuses a bad value with the usage text (exit 2). */
function optionReader(rest: string[]) {
  const value = (k: number, name: string) => {
    const v = rest[k + 1];
    if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
    return v;
  };
  const num = (v: string, name: string, int = false, min = 0) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || (int && !Number.isInteger(n))) usage(`${name} must be a ${int ? 'whole ' : ''}number ≥ ${min}, got ${v}`);
    return n;
  };
  const format = (k: number, name: string): 'json' | 'human' => {
    const f = value(k, name);
    if (f !== 'json' && f !== 'human') usage(`--format must be human or json, got ${f}`);
    return f;
  };
  const backend = (k: number, name: string): 'wasm' | 'auto' | 'webgpu' => {
    const b = value(k, name);
    if (b !== 'wasm' && b !== 'auto' && b !== 'webgpu') usage(`--backend must be wasm, webgpu or auto, got ${b}`);
    return b;
  };
  /** --threads N: a whole number from 1 to MAX_THREADS. */
  const threads = (k: number, name: string): number => {
    const v = value(k, name);
    const n = Number(v);
    if (!isThreadCount(n)) usage(`${name} must be a whole number from 1 to ${MAX_THREADS}, got ${v}`);
    return n;
  };
  return { value, num, format, backend, threads };
}

function parseExport(rest: string[]): ExportArgs {
  const { value } = optionReader(rest);
  const files: string[] = [];
  const args: ExportArgs = { file: '', to: 'ir' };
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    switch (a) {
      case '--out': args.out = value(k++, a); break;
      case '--to': {
        const t = value(k++, a);
        if (t !== 'ir' && t !== 'brian2' && t !== 'pynn') usage(`--to must be ir, brian2 or pynn, got ${t}`);
        args.to = t;
        break;
      }
      case '--backend': {
        const b = value(k++, a);
        if (b !== 'brian2' && b !== 'nest' && b !== 'spinnaker') usage(`--backend (PyNN's simulator) must be brian2, nest or spinnaker, got ${b}`);
        args.backend = b;
        break;
      }
      default:
        if (a.startsWith('-')) usage(`unknown option '${a}'`);
        files.push(a);
    }
  }
  if (files.length !== 1) usage('export needs exactly one file');
  if (args.backend && args.to !== 'pynn') usage('--backend goes with --to pynn');
  args.file = files[0];
  return args;
}

function parseRun(rest: string[]): Parameters<typeof runCommand>[0] {
  const args: Parameters<typeof runCommand>[0] = { file: '', format: 'human', backend: 'auto', csv: false };
  const files: string[] = [];
  const { value, num, format, backend, threads } = optionReader(rest);
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    switch (a) {
      case '--out': args.out = value(k++, a); break;
      case '--format': args.format = format(k++, a); break;
      case '--backend':
        args.backend = backend(k++, a);
        args.backendGiven = true;
        break;
      case '--seed': args.seed = num(value(k++, a), a, true); break;
      case '--duration': args.duration = num(value(k++, a), a); break;
      case '--memory-limit': args.memoryLimitMb = num(value(k++, a), a); break;
      case '--threads': args.threads = threads(k++, a); break;
      case '--csv': args.csv = true; break;
      default:
        if (a.startsWith('-')) usage(`unknown option '${a}'`);
        files.push(a);
    }
  }
  if (files.length !== 1) usage('run needs exactly one file');
  args.file = files[0];
  return args;
}

function parseEmulate(rest: string[]): EmulateArgs {
  const args: EmulateArgs = { file: '', target: '', format: 'human' };
  const files: string[] = [];
  const { value, num, format } = optionReader(rest);
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    switch (a) {
      case '--target': args.target = value(k++, a); break;
      case '--out': args.out = value(k++, a); break;
      case '--format': args.format = format(k++, a); break;
      case '--seed': args.seed = num(value(k++, a), a, true); break;
      case '--duration': args.duration = num(value(k++, a), a); break;
      default:
        if (a.startsWith('-')) usage(`unknown option '${a}'`);
        files.push(a);
    }
  }
  if (files.length !== 1) usage('emulate needs exactly one file');
  if (!args.target) usage('emulate needs --target NAME (a `target NAME = loihi2 { … }` block of the model)');
  args.file = files[0];
  return args;
}

/** `emulate FILE --target NAME --sweep SETTING=… [--sweep …] [sweep options]`: a fault sweep on a memristor target (cli/src/sweep.ts). */
function parseFaultSweep(rest: string[]): SweepArgs {
  let target: string | undefined;
  const pass: string[] = [];
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    if (a === '--target') {
      if (k + 1 >= rest.length) usage('--target needs a value');
      target = rest[++k];
    } else if (a === '--sweep') pass.push('--set');
    else if (a.startsWith('--sweep=')) pass.push(`--set=${a.slice(8)}`);
    else pass.push(a);
  }
  if (!target) usage('emulate --sweep needs --target NAME (a `target NAME = memristor { … }` block of the model)');
  return { ...parseSweep(pass), target };
}

function parseSweep(rest: string[]): SweepArgs {
  const args: SweepArgs = { file: '', sets: [], seeds: 1, format: 'human' };
  const files: string[] = [];
  const { value, num, format, backend, threads } = optionReader(rest);
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    switch (a) {
      case '--set': args.sets.push(value(k++, a)); break;
      case '--seeds': args.seeds = num(value(k++, a), a, true, 1); break;
      case '--seed': args.seed = num(value(k++, a), a, true); break;
      case '--duration': args.duration = num(value(k++, a), a); break;
      case '--workers': args.workers = num(value(k++, a), a, true, 1); break;
      case '--memory-limit': args.memoryLimitMb = num(value(k++, a), a); break;
      case '--out': args.out = value(k++, a); break;
      case '--format': args.format = format(k++, a); break;
      case '--backend': args.backend = backend(k++, a); break;
      case '--threads': args.threads = threads(k++, a); break;
      default:
        if (a.startsWith('--set=')) args.sets.push(a.slice(6));
        else if (a.startsWith('-')) usage(`unknown option '${a}'`);
        else files.push(a);
    }
  }
  if (files.length !== 1) usage('sweep needs exactly one file');
  if (args.sets.length === 0) usage('sweep needs at least one --set TARGET=FROM:TO:COUNT');
  if (args.sets.length > 3) usage('a sweep has at most three axes (--set)');
  if (args.seeds > 10_000) usage(`--seeds must be at most 10000, got ${args.seeds}`);
  args.file = files[0];
  return args;
}

function parseDescribe(argv: string[]): DescribeArgs {
  const args: DescribeArgs = { file: '', populations: [], format: 'human' };
  const files: string[] = [];
  const value = (k: number, a: string) => {
    const v = argv[k + 1];
    if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
    return v;
  };
  const number = (v: string, a: string, integer: boolean, min: number) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < min || (integer && !Number.isInteger(x))) usage(`${a} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${v}`);
    return x;
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    switch (a) {
      case '--population': args.populations.push(value(k++, a)); break;
      case '--format': {
        const f = value(k++, a);
        if (f !== 'human' && f !== 'json') usage(`--format must be human or json, got ${f}`);
        args.format = f;
        break;
      }
      case '--seed': args.seed = number(value(k++, a), a, true, 0); break;
      case '--permutations': args.permutations = number(value(k++, a), a, true, 10); break;
      case '--lambda': args.lambda = number(value(k++, a), a, false, 0); break;
      case '--exemplars': args.exemplars = number(value(k++, a), a, true, 1); break;
      case '--bin': args.bin = number(value(k++, a), a, false, 1e-6); break;
      default:
        if (a.startsWith('-')) usage(`unknown option '${a}'`);
        files.push(a);
    }
  }
  if (files.length !== 1) usage('describe needs exactly one file');
  if (args.exemplars !== undefined && args.exemplars > 30) usage(`--exemplars must be at most 30, got ${args.exemplars}`);
  args.file = files[0];
  return args;
}

function parseCircuits(argv: string[]): CircuitsArgs {
  const args: CircuitsArgs = { file: '', format: 'text' };
  const files: string[] = [];
  const { value, num } = optionReader(argv);
  const integer = (v: string, a: string, min: number) => num(v, a, true, min);
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    switch (a) {
      case '--task': args.task = value(k++, a); break;
      case '--threshold': {
        const v = value(k++, a);
        const x = Number(v);
        if (!(x > 0 && x <= 1)) usage(`--threshold must be a number in (0, 1] (a drop of the readout's accuracy), got ${v}`);
        args.threshold = x;
        break;
      }
      case '--intervention': {
        const v = value(k++, a);
        if (!INTERVENTIONS.includes(v as never)) usage(`--intervention must be one of ${INTERVENTIONS.join(', ')}, got ${v}`);
        args.intervention = v as CircuitsArgs['intervention'];
        break;
      }
      case '--format': {
        const f = value(k++, a);
        if (f !== 'text' && f !== 'json') usage(`--format must be text or json, got ${f}`);
        args.format = f;
        break;
      }
      case '--seed': args.seed = integer(value(k++, a), a, 0); break;
      case '--draws': args.draws = integer(value(k++, a), a, 1); break;
      case '--workers': args.workers = integer(value(k++, a), a, 1); break;
      case '--retrain': args.retrain = true; break;
      default:
        if (a.startsWith('-')) usage(`unknown option '${a}'`);
        files.push(a);
    }
  }
  if (files.length !== 1) usage('circuits needs exactly one file');
  if (args.workers !== undefined && args.workers > 64) usage(`--workers must be at most 64, got ${args.workers}`);
  if (args.draws !== undefined && args.draws > 1000) usage(`--draws must be at most 1000, got ${args.draws}`);
  args.file = files[0];
  return args;
}

/** Takes the repeatable `--allow-read DIR` out of the arguments (it applies to every command). */
function takeAllowRead(argv: string[]): string[] {
  const rest: string[] = [];
  const dirs: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--allow-read') {
      const d = argv[++k];
      if (d === undefined || d.startsWith('--')) usage('--allow-read needs a folder');
      dirs.push(d);
    } else if (a.startsWith('--allow-read=')) dirs.push(a.slice('--allow-read='.length));
    else rest.push(a);
  }
  setAllowedReadDirs(dirs);
  return rest;
}

function main(args: string[]): number | Promise<number> {
  const argv = takeAllowRead(args);
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    if (argv.length === 0) usage('missing command');
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv.includes('--version')) {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const [cmd, ...rest] = argv;
  if (cmd === 'run') return runCommand(parseRun(rest));
  if (cmd === 'sweep') return sweepCommand(parseSweep(rest));
  if (cmd === 'emulate' && rest.some((a) => a === '--sweep' || a.startsWith('--sweep='))) return sweepCommand(parseFaultSweep(rest));
  if (cmd === 'emulate') return emulateCommand(parseEmulate(rest));
  if (cmd === 'describe') return describeCommand(parseDescribe(rest));
  if (cmd === 'circuits') return circuitsCommand(parseCircuits(rest));
  if (cmd === 'export') return exportCommand(parseExport(rest));
  if (cmd === 'nir') return nirCommand(rest, usage);
  if (cmd === 'onnx') return onnxCommand(rest, usage);
  if (cmd !== 'check') usage(`unknown command '${cmd}'`);
  let format: 'human' | 'json' = 'human';
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--format') {
      const f = rest[++i];
      if (f !== 'json' && f !== 'human') usage(`--format must be human or json, got ${f ?? 'nothing'}`);
      format = f;
    } else if (a.startsWith('--format=')) {
      const f = a.slice(9);
      if (f !== 'json' && f !== 'human') usage(`--format must be human or json, got ${f}`);
      format = f;
    } else if (a.startsWith('-')) usage(`unknown option '${a}'`);
    else files.push(a);
  }
  if (files.length === 0) usage('check needs at least one file');
  return check(files, format, (s) => process.stdout.write(s));
}

if (require.main === module) {
  // `spikeworks check ... | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  Promise.resolve()
    .then(() => main(process.argv.slice(2)))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e) => {
      process.stderr.write(`spikeworks: internal error: ${(e as Error).message}\n`);
      process.exitCode = 2;
    });
}
