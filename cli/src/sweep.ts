// `spikeworks sweep`: check → lower → read the --set axes (units through the language's
// façade) → estimate the whole sweep (refused when over the limits) → runs on a pool of worker
// threads (sim-host/src/sweep-pool.ts) → a table, sweep.csv and sweep.json. Ctrl-C stops every
// worker and keeps the runs that finished. Exit codes as `run`: 0 done (also stopped by
// Ctrl-C), 1 not run (model errors, a bad or refused sweep) or a run stopped early (NaN/Inf,
// recording limit), 2 internal failure, 3 a result file could not be written, 130 stopped
// before any run finished.
import { stopOnCtrlC } from './interrupt';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseQuantity } from '../../language-server/src/ide';
import { RunRefused } from '../../sim-host/src/host';
import { startSweep } from '../../sim-host/src/sweep-pool';
import { estimateSweep } from '../../sim-host/src/sweep/estimate';
import { sweepCsv, sweepJson, sweepTable, type SweepResult } from '../../sim-host/src/sweep/results';
import { applyRun, parseAxis, sweepRuns, SweepError, type SweepSpec } from '../../sim-host/src/sweep/spec';
import { crossbarConfig, CrossbarSettingError } from '../../sim-host/src/targets/memristor/device';
import { fmtBytes } from '../../sim-host/src/core/estimate';
import { loadModel } from './load';
import { readRoots, threadsWarningFor } from './run';

export interface SweepArgs {
  file: string;
  sets: string[];
  seeds: number;
  seed?: number;
  duration?: number;
  workers?: number;
  out?: string;
  format: 'human' | 'json';
  backend?: 'wasm' | 'auto' | 'webgpu';
  memoryLimitMb?: number;
  /** --threads N: each run's WASM workers (sweep-pool.ts SweepPoolOptions.threads). */
  threads?: number;
  /**
   * A fault sweep (`spikeworks emulate FILE --target NAME --sweep …`): every run on the memristor
   * target NAME, axes its settings (`fault_ratio=0:0.3:7`, `fault_type=sa0,sa1`), scored by the
   * model's first readout (or the mean rate).
   */
  target?: string;
}

/** Default memory for a whole sweep: half the machine's memory, at most 8 GiB. */
function defaultMemoryLimit(): number {
  return Math.min(8 * 2 ** 30, Math.floor(os.totalmem() / 2));
}

function defaultWorkers(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n - 1);
}

export async function sweepCommand(a: SweepArgs): Promise<number> {
  const t0 = performance.now();
  const ir = loadModel(a.file, 'not swept');
  if (!ir) return 1;
  let spec: SweepSpec;
  let runTarget: string | undefined;
  let runs;
  let est;
  try {
    const target = a.target;
    if (target !== undefined && ir.targets.find((t) => t.name === target)?.kind !== 'memristor') {
      throw new SweepError(`--sweep runs on a memristor target; ${ir.targets.some((t) => t.name === target) ? `target ${target} is not one` : `the model has no target named ${target}`}`);
    }
    // A fault sweep's axes are the target's settings: `fault_ratio=…` is `TARGET.fault_ratio=…`.
    const sets = target === undefined ? a.sets : a.sets.map((s) => (/^[^=.]+=/.test(s) && !s.startsWith('seed=') ? `${target}.${s}` : s));
    spec = { axes: sets.map((s) => parseAxis(ir, s, parseQuantity)), seeds: a.seeds, baseSeed: a.seed ?? ir.simulate.seed };
    // An axis that is a memristor target's setting runs the sweep on that target (as emulate --sweep).
    const devices = spec.axes.flatMap((x) => (x.ref.kind === 'device' ? [x.ref.target] : []));
    runTarget = target ?? devices[0];
    const other = devices.find((d) => d !== runTarget);
    if (other !== undefined) throw new SweepError(`a sweep runs on one target: ${runTarget} and ${other} are both swept`);
    runs = sweepRuns(spec);
    // Every point's settings are read once here, so that a bad value stops the sweep before it starts.
    if (runTarget !== undefined) for (const r of runs) if (r.rep === 0) checkCrossbarSettings(applyRun(ir, spec, r), runTarget);
    est = estimateSweep(ir, spec, runs, { duration: a.duration, memoryLimit: a.memoryLimitMb ? a.memoryLimitMb * 2 ** 20 : defaultMemoryLimit(), workers: a.workers ?? defaultWorkers() });
  } catch (e) {
    if (e instanceof SweepError) {
      process.stderr.write(`spikeworks: ${a.file}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const abs = path.resolve(a.file);
  const tty = process.stderr.isTTY && a.format === 'human';
  process.stderr.write(
    `sweep: ${est.points} point${est.points === 1 ? '' : 's'} × ${spec.seeds} seed${spec.seeds === 1 ? '' : 's'} = ${est.runs} runs of ${est.steps.toLocaleString('en-US')} steps on ${est.workers} worker${est.workers === 1 ? '' : 's'}; ` +
      `about ${fmtBytes(est.runBytes)} per run, ${fmtBytes(est.peakBytes)} at once; ${est.work.toExponential(2)} neuron+synapse steps\n`,
  );
  const warning = threadsWarningFor(a, ir, a.backend ?? ir.simulate.backend);
  if (warning) process.stderr.write(`${warning}\n`);
  let lastDraw = 0;
  const handle = startSweep(ir, spec, runs, {
    workers: est.workers, duration: a.duration, runMemoryLimit: est.runLimit, baseDir: path.dirname(abs), readRoots: readRoots(a.file), backend: a.backend, threads: a.threads,
    ...(runTarget !== undefined ? { target: runTarget, metric: true } : {}),
    onProgress: (done, total, frac) => {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100 && done < total) return;
      lastDraw = now;
      const bar = '#'.repeat(Math.round(frac * 30)).padEnd(30, '.');
      process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${done}/${total} runs, ${((now - t0) / 1000).toFixed(1)} s\x1b[K`);
    },
  });
  const endCtrlC = stopOnCtrlC(handle, 'every run');
  let result: SweepResult;
  try {
    result = await handle.result;
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof RunRefused) {
      process.stderr.write(`spikeworks: sweep refused: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`spikeworks: the sweep failed: ${(e as Error).message}\n`);
    return 2;
  } finally {
    endCtrlC();
  }
  if (tty) process.stderr.write('\r' + ' '.repeat(90) + '\r');
  if (result.cancelled && result.rows.length === 0) {
    process.stderr.write('spikeworks: stopped before any run finished; nothing was written\n');
    return 130;
  }
  const wallS = (performance.now() - t0) / 1000;
  const json = sweepJson(spec, result, { model: ir.name, ...(runTarget !== undefined ? { target: runTarget } : {}), duration_s: a.duration ?? ir.simulate.duration, dt: ir.simulate.dt, workers: est.workers, wall_s: wallS });
  const failed: { file: string; message: string }[] = [];
  if (a.out) {
    try {
      fs.mkdirSync(a.out, { recursive: true });
    } catch (e) {
      failed.push({ file: a.out, message: (e as Error).message });
    }
    for (const [name, text] of [['sweep.csv', sweepCsv(spec, result.rows)], ['sweep.json', JSON.stringify(json) + '\n']] as const) {
      if (failed.length && failed[0].file === a.out) break;
      try {
        fs.writeFileSync(path.join(a.out, name), text);
      } catch (e) {
        failed.push({ file: path.join(a.out, name), message: (e as Error).message });
      }
    }
  }
  if (a.format === 'json') process.stdout.write(JSON.stringify(failed.length ? { ...(json as object), output_errors: failed } : json) + '\n');
  else {
    process.stdout.write(sweepTable(spec, result.rows));
    process.stdout.write(`${result.rows.length} of ${result.runsTotal} runs in ${wallS.toFixed(2)} s${result.cancelled ? ' (stopped early)' : ''}${a.out && !failed.length ? `; results in ${a.out}` : ''}\n`);
  }
  for (const f of failed) process.stderr.write(`spikeworks: could not write ${f.file}: ${f.message}\n`);
  const errors = result.rows.filter((r) => r.error);
  for (const r of errors.slice(0, 5)) process.stderr.write(`spikeworks: run ${r.run.index + 1} (seed ${r.run.seed}): ${r.error}\n`);
  if (failed.length) return 3;
  return errors.length ? 1 : 0;
}

function checkCrossbarSettings(ir: Parameters<typeof applyRun>[0], target: string): void {
  try {
    crossbarConfig(ir.targets.find((t) => t.name === target)!);
  } catch (e) {
    throw e instanceof CrossbarSettingError ? new SweepError(e.message) : e;
  }
}
