// `spikeworks run`: check → lower → simulate in a worker thread, with a progress bar on a
// terminal; Ctrl-C stops the run and keeps what was recorded. Writes results with --out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from './load';
import { RunRefused, startRun } from '../../sim-host/src/host';
import { summarize, writeSpikesBinary, writeSpikesCsv, writeTraces, type Summary } from '../../sim-host/src/output';

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
}

export async function runCommand(a: RunArgs): Promise<number> {
  const t0 = performance.now();
  const ir = loadModel(a.file, 'not run');
  if (!ir) return 1;
  const abs = path.resolve(a.file);
  const checkS = (performance.now() - t0) / 1000;
  const tty = process.stderr.isTTY && a.format === 'human';
  let lastDraw = 0;
  const handle = startRun(
    ir,
    { seed: a.seed, duration: a.duration, baseDir: path.dirname(abs), memoryLimit: a.memoryLimitMb ? a.memoryLimitMb * 2 ** 20 : undefined, backend: a.backendGiven ? a.backend : undefined },
    (done, total, spikes) => {
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      const frac = total ? done / total : 0;
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${(done * ir.simulate.dt).toFixed(3)} s simulated, ${spikes} spikes, ${((now - t0) / 1000).toFixed(1)} s`);
    },
  );
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted === 1) {
      process.stderr.write('\nstopping (Ctrl-C again to quit at once)…\n');
      handle.cancel();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  let out;
  try {
    out = await handle.result;
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof RunRefused) {
      process.stderr.write(`spikeworks: run refused: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`spikeworks: the simulation failed: ${(e as Error).message}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (tty) process.stderr.write('\r' + ' '.repeat(90) + '\r');
  if (out.backendNote) process.stderr.write(`spikeworks: ${out.backendNote}\n`);
  const summary = summarize(out, (performance.now() - t0) / 1000, out.backend ?? 'wasm', checkS);
  if (a.out) {
    fs.mkdirSync(a.out, { recursive: true });
    writeSpikesBinary(path.join(a.out, 'spikes.bin'), out);
    if (a.csv) writeSpikesCsv(path.join(a.out, 'spikes.csv'), out);
    writeTraces(a.out, out);
    fs.writeFileSync(path.join(a.out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  }
  if (a.format === 'json') process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stdout.write(humanSummary(summary, a.out));
  if (out.error) {
    process.stderr.write(`spikeworks: ${out.error}\n`);
    return 1;
  }
  return 0;
}

function humanSummary(s: Summary, outDir?: string): string {
  const lines: string[] = [];
  const status = s.cancelled ? ' (stopped early)' : s.error ? ' (stopped: NaN/Inf)' : '';
  lines.push(`simulated ${s.sim_s.toFixed(3)} s in ${s.timings.run_s.toFixed(3)} s (${Math.round(s.steps_per_s).toLocaleString('en-US')} steps/s), ${s.backend}, seed ${s.seed}${status}`);
  lines.push(`${s.synapses.toLocaleString('en-US')} synapses, ${s.memory_mb.toFixed(1)} MiB; check ${(s.timings.check_s ?? 0).toFixed(3)} s, build ${s.timings.plan_s.toFixed(3)} s, compile ${s.timings.compile_s.toFixed(3)} s, total ${s.wall_s.toFixed(3)} s`);
  const w = Math.max(10, ...s.populations.map((p) => p.name.length));
  lines.push(`${'population'.padEnd(w)}  ${'size'.padStart(8)}  ${'spikes'.padStart(9)}  ${'rate (Hz)'.padStart(9)}  ${'CV ISI'.padStart(6)}`);
  for (const p of s.populations) {
    lines.push(`${p.name.padEnd(w)}  ${String(p.size).padStart(8)}  ${String(p.spikes).padStart(9)}  ${p.rate_hz.toFixed(2).padStart(9)}  ${(p.cv_isi === null ? '-' : p.cv_isi.toFixed(2)).padStart(6)}`);
  }
  if (outDir) lines.push(`results in ${outDir}`);
  return lines.join('\n') + '\n';
}
