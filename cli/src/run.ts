// `spikeworks run`: check → lower → simulate in a worker thread, with a progress bar on a
// terminal; Ctrl-C stops the run and keeps what was recorded (during a build: stops it; if the
// worker does not answer within 2 s it is ended). Writes results with --out, each file on its
// own. Exit codes: 0 done (also stopped by Ctrl-C), 1 not run / stopped early (NaN/Inf,
// recording limit), 2 internal failure, 3 a result file could not be written, 130 stopped
// before the run started.
import { stopOnCtrlC } from './interrupt';
import * as path from 'node:path';
import { checkWorkspace, cliAccess, loadModel } from './load';
import { RunRefused, RunTerminated, startRun } from '../../sim-host/src/host';
import { summarize, writeResults, type Summary } from '../../sim-host/src/output';
import { traceUnit } from '../../protocol/units';
import { isReadoutScore, readoutLine, type ReadoutOutcome } from '../../protocol/readout';
import { URI } from 'vscode-uri';
import * as os from 'node:os';
import type { ModelIR } from '../../protocol/ir';
import { runThreadsWarning, threadsLine } from '../../protocol/threads';

export interface RunArgs {
  file: string;
  out?: string;
  format: 'human' | 'json';
  backend: 'wasm' | 'auto' | 'webgpu';
  /** --backend was given (else the model's `simulate { backend }` decides). */
  backendGiven?: boolean;
  seed?: number;
  duration?: number;
  csv: boolean;
  memoryLimitMb?: number;
  /** --threads N (RunOptions.threads; else the model's `threads:`, else the cores). */
  threads?: number;
}

/**
 * The warning printed when a run asks for more WASM workers than this machine has cores: from
 * --threads, else from the model's `simulate { threads }` (`file` names it). Undefined otherwise,
 * and for a run sent to WebGPU (no workers).
 */
export function threadsWarningFor(a: Pick<RunArgs, 'threads' | 'file'>, ir: ModelIR, backend: string, cores = os.availableParallelism()): string | undefined {
  return runThreadsWarning({ n: a.threads, name: (n) => `--threads ${n}` }, { n: ir.simulate.threads, name: (n) => `threads: ${n} (simulate in ${path.basename(a.file)})` }, backend, cores);
}

/** Folders a run may read files from: the same as the checker's (cli/src/load.ts cliAccess). */
export function readRoots(modelFile: string): string[] {
  return cliAccess([modelFile]).roots ?? [];
}

export async function runCommand(a: RunArgs): Promise<number> {
  const t0 = performance.now();
  const ir = loadModel(a.file, 'not run');
  if (!ir) return 1;
  const abs = path.resolve(a.file);
  const checkS = (performance.now() - t0) / 1000;
  const tty = process.stderr.isTTY && a.format === 'human';
  const warning = threadsWarningFor(a, ir, a.backendGiven ? a.backend : ir.simulate.backend);
  if (warning) process.stderr.write(`${warning}\n`);
  let lastDraw = 0;
  const handle = startRun(
    ir,
    {
      seed: a.seed, duration: a.duration, baseDir: path.dirname(abs), readRoots: readRoots(a.file),
      memoryLimit: a.memoryLimitMb ? a.memoryLimitMb * 2 ** 20 : undefined, backend: a.backendGiven ? a.backend : undefined, buildProgress: true,
      threads: a.threads,
    },
    (done, total, spikes, _delta, build) => {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      const frac = total ? done / total : 0;
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      const what = build ? `${build.label}`.slice(0, 60) : `${(done * ir.simulate.dt).toFixed(3)} s simulated, ${spikes} spikes`;
      process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${what}, ${((now - t0) / 1000).toFixed(1)} s\x1b[K`);
    },
  );
  const endCtrlC = stopOnCtrlC(handle, 'the run');
  let out;
  try {
    out = await handle.result;
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof RunTerminated || (e instanceof RunRefused && e.code === 'cancelled')) {
      process.stderr.write(`spikeworks: stopped before the run started${e instanceof RunRefused ? ` (${e.message})` : ''}; nothing was simulated\n`);
      return 130;
    }
    if (e instanceof RunRefused) {
      process.stderr.write(`spikeworks: run refused: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`spikeworks: the simulation failed: ${(e as Error).message}\n`);
    return 2;
  } finally {
    endCtrlC();
  }
  if (tty) process.stderr.write('\r' + ' '.repeat(90) + '\r');
  if (out.backendNote) process.stderr.write(`spikeworks: ${out.backendNote}\n`);
  const summary = summarize(out, (performance.now() - t0) / 1000, out.backend ?? 'wasm', checkS);
  const failed = a.out ? writeResults(a.out, out, summary, { csv: a.csv, units: (population, variable) => traceUnit(ir, population, variable) }).failed : [];
  if (a.format === 'json') process.stdout.write(JSON.stringify(failed.length ? { ...summary, output_errors: failed } : summary) + '\n');
  else process.stdout.write(humanSummary(summary, failed.length ? undefined : a.out));
  for (const r of summary.readouts ?? []) if (!isReadoutScore(r)) process.stderr.write(`${readoutPlace(a.file, r.readout)}: warning: ${readoutLine(r)}\n`);
  for (const f of failed) process.stderr.write(`spikeworks: could not write ${f.file}: ${f.message}\n`);
  if (out.error) process.stderr.write(`spikeworks: ${out.error}\n`);
  if (failed.length) return 3;
  return out.error ? 1 : 0;
}

const STOPPED: Record<string, string> = { 'nan-inf': 'NaN/Inf', 'recording-limit': 'recording limit', 'device-lost': 'GPU device lost' };

/** The printed summary (--format human): timings, threads (when the run reports them), populations, readouts. */
export function humanSummary(s: Summary, outDir?: string): string {
  const lines: string[] = [];
  const status = s.cancelled ? ' (stopped early)' : s.error ? ` (stopped: ${STOPPED[s.stop_reason ?? 'nan-inf'] ?? s.stop_reason})` : '';
  lines.push(`simulated ${s.sim_s.toFixed(3)} s in ${s.timings.run_s.toFixed(3)} s (${Math.round(s.steps_per_s).toLocaleString('en-US')} steps/s), ${s.backend}, seed ${s.seed}${status}`);
  if (s.threads) lines.push(threadsLine(s.threads));
  lines.push(`${s.synapses.toLocaleString('en-US')} synapses, ${s.memory_mb.toFixed(1)} MiB; check ${(s.timings.check_s ?? 0).toFixed(3)} s, build ${s.timings.plan_s.toFixed(3)} s, compile ${s.timings.compile_s.toFixed(3)} s, total ${s.wall_s.toFixed(3)} s`);
  const w = Math.max(10, ...s.populations.map((p) => p.name.length));
  lines.push(`${'population'.padEnd(w)}  ${'size'.padStart(8)}  ${'spikes'.padStart(9)}  ${'rate (Hz)'.padStart(9)}  ${'CV ISI'.padStart(6)}`);
  for (const p of s.populations) {
    lines.push(`${p.name.padEnd(w)}  ${String(p.size).padStart(8)}  ${String(p.spikes).padStart(9)}  ${p.rate_hz.toFixed(2).padStart(9)}  ${(p.cv_isi === null ? '-' : p.cv_isi.toFixed(2)).padStart(6)}`);
  }
  for (const r of s.readouts ?? []) lines.push(readoutText(r));
  if (outDir) lines.push(`results in ${outDir}`);
  return lines.join('\n') + '\n';
}

/** A readout's line in the printed summary (why one was not evaluated goes to stderr, placed). */
function readoutText(r: ReadoutOutcome): string {
  return isReadoutScore(r) ? readoutLine(r) : `readout ${r.readout}: not evaluated (see the warning)`;
}

/** `path:line:column` of readout `name` in the model file (its first line when it cannot be found). */
function readoutPlace(file: string, name: string): string {
  const abs = path.resolve(file);
  const at = checkWorkspace([abs]).locateItem(URI.file(abs).toString(), { kind: 'readout', name });
  return `${path.relative(process.cwd(), abs) || abs}:${at ? `${at.line}:${at.column}` : '1:1'}`;
}
