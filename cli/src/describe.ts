// `spikeworks describe FILE [--population P]... [--format human|json]`: runs the model, counts
// each recorded population's spikes in the model's task windows (labels, epochs; concepts added)
// and describes every neuron (sim-host/src/analysis/describe): the formula over window atoms with
// the best PMI score, its IoU, mutual information and permutation p-value; neurons with nothing
// significant are unselective. Prints groups of neurons sharing a description (human) or
// everything (JSON). Progress on a terminal; Ctrl-C stops the run or the analysis.
// Bad input says what to add, with the model's file:line:column where there is one.
// Exit codes: 0 described, 1 nothing to describe (the message says why), 2 internal failure,
// 130 stopped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunRefused, RunTerminated, startRun } from '../../sim-host/src/host';
import { buildAtoms, describablePopulations, describeUnitsAsync, descriptionsJson, modelWindows, problemPlace, spikeCounts, type DescribeResult, type WindowProblem } from '../../sim-host/src/analysis/describe/index';
import { stopOnCtrlC } from './interrupt';
import { loadModel } from './load';
import { readRoots } from './run';

export interface DescribeArgs {
  file: string;
  populations: string[];
  format: 'human' | 'json';
  seed?: number;
  permutations?: number;
  lambda?: number;
  exemplars?: number;
  /** Seconds: the bins of a model with concepts but no task windows. */
  bin?: number;
}

/** `file:line:column` of a problem in the model's text. */
function placeOf(file: string, p: Omit<WindowProblem, 'message'>): string {
  const shown = path.relative(process.cwd(), file) || file;
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return shown;
  }
  const at = problemPlace(text, p);
  return `${shown}:${at.line}:${at.column}`;
}

export async function describeCommand(a: DescribeArgs): Promise<number> {
  const abs = path.resolve(a.file);
  const ir = loadModel(a.file, 'nothing described');
  if (!ir) return 1;
  const fail = (p: WindowProblem) => {
    process.stderr.write(`${placeOf(abs, p)}: error: ${p.message}\n`);
    return 1;
  };
  const duration = ir.simulate.duration;
  const win = modelWindows(ir, duration, a.bin);
  const hard = win.problems.filter((p) => p.code !== 'few-windows');
  if (hard.length) {
    for (const p of hard) fail(p);
    process.stderr.write('spikeworks: nothing described\n');
    return 1;
  }
  for (const p of win.problems) process.stderr.write(`${placeOf(abs, p)}: warning: ${p.message}\n`);
  const pops = describablePopulations(ir, a.populations);
  if (pops.problems.length) {
    for (const p of pops.problems) process.stderr.write(p.code === 'unknown-population' ? `spikeworks: ${p.message}\n` : `${placeOf(abs, p)}: error: ${p.message}\n`);
    return 1;
  }
  const chosen = pops.names;

  const tty = process.stderr.isTTY && a.format === 'human';
  const handle = startRun(ir, { seed: a.seed, baseDir: path.dirname(abs), readRoots: readRoots(a.file), readouts: false }, (done, total) => {
    if (tty) process.stderr.write(`\rrunning the model: ${total ? Math.round((100 * done) / total) : 0}%\x1b[K`);
  });
  const endRun = stopOnCtrlC(handle, 'the run');
  let out;
  try {
    out = await handle.result;
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof RunTerminated || (e instanceof RunRefused && e.code === 'cancelled')) {
      process.stderr.write('spikeworks: stopped before the run started; nothing described\n');
      return 130;
    }
    process.stderr.write(`spikeworks: ${e instanceof RunRefused ? `run refused: ${e.message}` : `the simulation failed: ${(e as Error).message}`}\n`);
    return e instanceof RunRefused ? 1 : 2;
  } finally {
    endRun();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (out.cancelled) {
    process.stderr.write('spikeworks: the run was stopped; nothing described\n');
    return 130;
  }
  const ran = out.stepsDone * out.dt;
  const late = win.windows.findIndex((w) => w.end > ran + 1e-9);
  if (late >= 0) {
    process.stderr.write(`spikeworks: the run stopped at ${ran.toFixed(3)} s${out.error ? ` (${out.error})` : ''}, before the window ${win.windows[late].start} s .. ${win.windows[late].end} s ended; nothing described\n`);
    return 1;
  }

  const atoms = buildAtoms(win.windows);
  let stop = false;
  const endDescribe = stopOnCtrlC({ cancel: () => (stop = true), terminate: () => process.exit(130) }, 'the analysis');
  const results: { population: string; result: DescribeResult }[] = [];
  try {
    for (const name of chosen) {
      const spikes = out.spikes.find((s) => s.name === name)!;
      const counts = spikeCounts(spikes, out.dt, win.windows);
      const result = await describeUnitsAsync({ units: spikes.size, windows: win.windows.length, counts }, atoms, {
        seed: a.seed ?? 1,
        permutations: a.permutations,
        lambda: a.lambda,
        exemplars: a.exemplars,
        shouldStop: () => stop,
        onProgress: (done, total) => {
          if (tty) process.stderr.write(`\rdescribing ${name}: ${done}/${total} neurons\x1b[K`);
        },
      });
      results.push({ population: name, result });
      if (result.cancelled) break;
    }
  } finally {
    endDescribe();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  const cancelled = results.some((r) => r.result.cancelled);
  if (a.format === 'json') {
    process.stdout.write(descriptionsJson(ir.name, win.windows, win.source, atoms.atoms, results) + '\n');
  } else process.stdout.write(humanTable(results, win.windows.length, win.source, atoms.atoms.length, cancelled));
  return cancelled ? 130 : 0;
}

/** The words of the table: spiking runs describe neurons over windows; ONNX models units over inputs. */
export interface TableWords {
  windows: string;
  units: string;
  population: (name: string) => string;
}

export function humanTable(results: { population: string; result: DescribeResult }[], windows: number, source: string, atomCount: number, cancelled: boolean, words: TableWords = { windows: 'windows', units: 'neurons', population: (n) => n }): string {
  const lines: string[] = [`${windows} ${words.windows} (${source}), ${atomCount} atoms${cancelled ? ` — stopped early: the last ${words.population('').trim() || 'population'} is partial` : ''}`];
  for (const { population, result } of results) {
    const n = result.units.length;
    const unsel = result.units.filter((u) => !u.selective).length;
    lines.push('', `${words.population(population)}: ${n - unsel} of ${n} ${words.units} described, ${unsel} unselective`);
    if (result.groups.length) {
      const w = Math.max(11, ...result.groups.map((g) => g.formula.length));
      lines.push(`  ${'description'.padEnd(w)}  ${words.units.padStart(7)}  ${'score'.padStart(6)}  text`);
      for (const g of result.groups) lines.push(`  ${g.formula.padEnd(w)}  ${String(g.units.length).padStart(7)}  ${g.meanScore.toFixed(3).padStart(6)}  ${g.text}`);
    }
  }
  return lines.join('\n') + '\n';
}
