// bench/engine.ts's threaded part (issue 24): our partitioned WASM engine on 1 and T threads
// against Brian2 C++ standalone with OpenMP on T threads, on COBA at each size, in one run.
//
// Ours: startRun(ir, { threads, backend: 'wasm', seed, duration }) (sim-host/src/host.ts) in this
// process with the built dist/sim-worker.js — the path the CLI and the extension take — `repeat`
// times per seed and thread count; the time is RunOutput.timings.run_s (time stepping, wall
// clock), plan_s and compile_s beside it, and the process's CPU time over the run
// (process.cpuUsage: every thread) as CPU/wall, the cores the run kept busy. RunOutput.threads
// says how many workers ran; spikes must be identical for 1 and T threads (the engine's contract)
// and across repeats: a difference is printed as MISMATCH and counted in the JSON.
// Brian2: bench/brian2/coba_standalone.py --threads T --repeat R (openmp_threads = T: -fopenmp,
// sim_s = omp_get_wtime around the stepping, i.e. wall clock like ours; the median over R runs of
// one binary; run under each OMP_WAIT_POLICY of SPIKEWORKS_BENCH_OMP_WAIT_POLICY, default
// "passive,default", and the faster median counts: on a machine with more runnable threads than
// cores libgomp's spinning at barriers costs Brian2 up to 10×, which passive avoids). With OpenMP Brian2 draws another network than without (per-thread random streams),
// so a seed's activity differs from the single-threaded part's; the default seeds are active on
// both sides here (scanned at 0.2 s: 4k seeds 2, 20, 24 of the 11 active in ours among 1-32,
// 40k seeds 8, 9, 14, 16, the first four active in ours; two per size by default, to keep the
// whole bench near 10 minutes: this part took 6.6 min with three), and the figures use the seeds active on both (> 1 Hz).
// Before each seed it waits up to quietS seconds for a machine with nothing else runnable (two
// threads on a 2-core machine shared with other work mostly measure the scheduler); each seed's
// rows say whether it got quiet, with the load average.
// Goals (issue 24): ours_T/Brian2_T ≤ 0.6 at every size, ours_1/ours_T ≥ 1.7 at 40,000.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lowerModel } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import type { ModelIR } from '../protocol/ir';
import type { PopulationSpikes, RunOutput } from '../protocol/sim';
import { startRun } from '../sim-host/src/host';
import { distWorker, repoRoot } from '../test/helpers/build';
import { ACTIVE_HZ, cobaSnn, DURATION, f, median, runBrian, type Brian, type OurFigures } from './engine-coba';

export const RATIO_GOAL = 0.6;
export const SPEEDUP_GOAL = 1.7;
/** The size at which the speed-up goal applies. */
export const SPEEDUP_GOAL_N = 40000;

export interface OursThreaded extends OurFigures {
  /** threads asked for (RunOptions.threads) */
  threads: number;
  /** workers that ran (RunOutput.threads.used; 1 when the engine does not say) */
  used: number;
  /** RunOutput.threads absent: the engine on this branch ignores `threads` */
  reported: boolean;
  note?: string;
  /** every repeat's run_s (`run` is their median, plan and compile too) */
  runAll: number[];
  /** process CPU seconds over the whole startRun (plan + compile + run), median over the repeats */
  cpu: number;
  /** wall seconds of the whole startRun, median */
  wall: number;
  /** the repeats gave identical spikes */
  stable: boolean;
  spikeData: PopulationSpikes[];
}

export interface ThreadsSize {
  n: number;
  seeds: number[];
  threads: number;
  ours1: OursThreaded[];
  oursT: OursThreaded[];
  brian: Brian[];
  bothActive: number[];
  /** medians over the seeds used (both active; all seeds when none is) */
  ours1S: number;
  oursTS: number;
  brianTS: number;
  ratio: number;
  speedup: number;
  /** median of run_s(1 thread)/run_s(T threads) over the interleaved pairs of runs (less moved by a change of load) */
  speedupPaired: number;
  /** seeds whose spikes differ between 1 and T threads or between repeats */
  mismatches: number;
  usedT: number;
  /** seeds measured after the machine got quiet (SPIKEWORKS_BENCH_QUIET_S) */
  quietSeeds: number;
}

const prelude = preludeAt(path.join(repoRoot, 'language-server'));

function irOf(file: string): ModelIR {
  const r = lowerModel({ file }, { host: nodeHost, prelude });
  if (!r.ok) throw new Error(`${file} does not lower: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  return r.ir;
}

const sameSpikes = (a: PopulationSpikes[], b: PopulationSpikes[]) =>
  a.length === b.length && a.every((p, k) => p.steps.length === b[k].steps.length && p.steps.every((x, i) => x === b[k].steps[i] && p.neurons[i] === b[k].neurons[i]));

/** Runnable threads on the machine now (/proc/loadavg's 4th field; this reader is one of them); undefined off Linux. */
function runnable(): number | undefined {
  try {
    return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[3].split('/')[0]);
  } catch {
    return undefined;
  }
}

/**
 * Waits up to maxS seconds for a quiet machine: nothing runnable but this reader, ten samples
 * 100 ms apart in a row. Returns the seconds waited and whether it got quiet (a machine shared
 * with other work may not: the figures are then printed as they come, with that said).
 */
async function waitQuiet(maxS: number): Promise<{ waited: number; quiet: boolean }> {
  const t0 = performance.now();
  let calm = 0;
  while ((performance.now() - t0) / 1000 < maxS) {
    const r = runnable();
    if (r === undefined) return { waited: 0, quiet: false };
    calm = r <= 1 ? calm + 1 : 0;
    if (calm >= 10) return { waited: (performance.now() - t0) / 1000, quiet: true };
    await new Promise((res) => setTimeout(res, 100));
  }
  return { waited: maxS, quiet: false };
}

/** One startRun: its output, wall time and the process's CPU time (every thread), s. */
async function timedRun(ir: ModelIR, baseDir: string, seed: number, threads: number): Promise<{ out: RunOutput; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await startRun(ir, { seed, duration: DURATION, threads, backend: 'wasm', readouts: false, baseDir }, undefined, distWorker).result;
  const c = process.cpuUsage(c0);
  if (out.error) throw new Error(`our run (seed ${seed}, ${threads} threads) stopped: ${out.error}`);
  return { out, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function figures(runs: { out: RunOutput; wall: number; cpu: number }[], n: number, seed: number, threads: number): OursThreaded {
  const outs = runs.map((r) => r.out);
  const o = outs[0];
  const spikes = o.spikes.reduce((a, p) => a + p.steps.length, 0);
  return {
    seed,
    threads,
    used: o.threads?.used ?? 1,
    reported: o.threads !== undefined,
    note: o.threads?.note,
    rate: spikes / n / (o.stepsDone * o.dt),
    spikes,
    synapses: o.synapses,
    plan: median(outs.map((x) => x.timings.plan_s)),
    compile: median(outs.map((x) => x.timings.compile_s)),
    run: median(outs.map((x) => x.timings.run_s)),
    runAll: outs.map((x) => x.timings.run_s),
    cpu: median(runs.map((r) => r.cpu)),
    wall: median(runs.map((r) => r.wall)),
    stable: outs.every((x) => sameSpikes(x.spikes, o.spikes)),
    spikeData: o.spikes,
  };
}

/**
 * Ours on 1 and on `threads` threads, `repeat` times each, interleaved (1, T, 1, T, …) so that
 * a change of load on the machine falls on both alike.
 */
async function runPair(ir: ModelIR, baseDir: string, n: number, seed: number, threads: number, repeat: number): Promise<[OursThreaded, OursThreaded]> {
  const one: Awaited<ReturnType<typeof timedRun>>[] = [];
  const many: Awaited<ReturnType<typeof timedRun>>[] = [];
  for (let k = 0; k < repeat; k++) {
    one.push(await timedRun(ir, baseDir, seed, 1));
    many.push(await timedRun(ir, baseDir, seed, threads));
  }
  return [figures(one, n, seed, 1), figures(many, n, seed, threads)];
}

/** The threaded comparison at each size; prints its tables and returns the figures. */
export async function benchThreads(tmp: string, sizes: { n: number; seeds: number[] }[], threads: number, repeat: number, policies: string, quietS: number): Promise<ThreadsSize[]> {
  const out: ThreadsSize[] = [];
  console.log(
    `Threads: ours on 1 and ${threads} threads (startRun, WASM) vs Brian2 standalone with OpenMP on ${threads} threads (the best of OMP_WAIT_POLICY ${policies}); ${repeat} runs per seed and configuration (medians); ` +
      `goals: ours_${threads}/Brian2_${threads} ≤ ${RATIO_GOAL} at every size, ours_1/ours_${threads} ≥ ${SPEEDUP_GOAL} at N = ${SPEEDUP_GOAL_N.toLocaleString('en-US')}`,
  );
  if (threads > os.availableParallelism()) console.log(`  warning: ${threads} threads on a machine with ${os.availableParallelism()} cores`);
  for (const { n, seeds } of sizes) {
    const file = path.join(tmp, `coba_threads_${n}.snn`);
    fs.writeFileSync(file, cobaSnn(n));
    const ir = irOf(file);
    const buildDir = path.join(tmp, `brian2_coba_${n}_omp${threads}`);
    const ours1: OursThreaded[] = [];
    const oursT: OursThreaded[] = [];
    const brian: Brian[] = [];
    const loads: number[] = [];
    const quiet: ({ quiet: boolean; waited: number; before?: number } | undefined)[] = [];
    let quietSeeds = 0;
    const after: (number | undefined)[] = [];
    for (const seed of seeds) {
      if (quietS > 0) {
        const q = await waitQuiet(quietS);
        quietSeeds += q.quiet ? 1 : 0;
        quiet.push({ ...q, before: runnable() });
      } else quiet.push(undefined);
      loads.push(os.loadavg()[0]);
      brian.push(runBrian(n, seed, buildDir, 'coba_standalone.py', threads, repeat, policies));
      const [a, b] = await runPair(ir, tmp, n, seed, threads, repeat);
      ours1.push(a);
      oursT.push(b);
      after.push(runnable());
    }
    console.log(`COBA-${n.toLocaleString('en-US')} (${ours1[0].synapses.toLocaleString('en-US')} synapses here, ${brian[0].synapses.toLocaleString('en-US')} in Brian2 with OpenMP)`);
    console.log('  seed  who          threads   rate Hz  sim s (median; all runs)             plan s  compile s  CPU/wall  load');
    const ourRow = (a: OursThreaded, load: number) =>
      console.log(
        `  ${String(a.seed).padStart(4)}  ours ${`${a.threads}`.padEnd(2)}thr     ${`${a.used}${a.reported ? '' : '?'}`.padStart(3)} ${f(a.rate).padStart(9)}  ${`${f(a.run, 3)} (${a.runAll.map((x) => f(x, 3)).join(', ')})`.padEnd(36)} ${f(a.plan, 3).padStart(6)} ${f(a.compile, 3).padStart(10)} ${f(a.cpu / a.wall).padStart(9)} ${f(load).padStart(5)}`,
      );
    let mismatches = 0;
    seeds.forEach((seed, k) => {
      const q = quiet[k];
      if (q) console.log(`  ${String(seed).padStart(4)}  machine ${q.quiet ? 'quiet' : 'NOT quiet'} after ${f(q.waited, 0)} s (runnable threads: ${q.before ?? '?'} then, ${after[k] ?? '?'} after this seed's runs)`);
      ourRow(ours1[k], loads[k]);
      ourRow(oursT[k], loads[k]);
      const b = brian[k];
      console.log(`  ${String(seed).padStart(4)}  Brian2 OpenMP  ${String(b.threads).padStart(3)} ${f(b.rate).padStart(9)}  ${`${f(b.sim, 3)} (${b.simAll.map((x) => f(x, 3)).join(', ')})`.padEnd(36)} ${'-'.padStart(6)} ${'-'.padStart(10)} ${'-'.padStart(9)} ${f(loads[k]).padStart(5)}  (OMP_WAIT_POLICY ${b.policy}; medians ${[...Object.entries(b.byPolicy ?? {}).map(([p, x]) => `${p} ${f(x, 3)}`), ...Object.entries(b.stopped ?? {}).map(([p, x]) => `${p} stopped at ${f(x, 1)}`)].join(', ')}; build ${f(b.build)} s${k === 0 ? ', cold' : ''})`);
      const same = sameSpikes(ours1[k].spikeData, oursT[k].spikeData) && ours1[k].stable && oursT[k].stable;
      if (!same) {
        mismatches++;
        console.log(`  MISMATCH seed ${seed}: our spikes differ between 1 and ${threads} threads or between repeats (${ours1[k].spikes} vs ${oursT[k].spikes} spikes)`);
      }
    });
    for (const a of oursT) if (a.note) console.log(`  seed ${a.seed}: ${a.note}`);
    const usedT = Math.min(...oursT.map((a) => a.used));
    if (!oursT.every((a) => a.reported)) console.log(`  NOTE: the engine reported no RunOutput.threads: \`threads\` is ignored on this build (no partitioned engine); both of our runs are single-threaded`);
    else if (usedT < threads) console.log(`  NOTE: ${threads} threads asked, ${usedT} used`);
    const both = seeds.filter((_, k) => ours1[k].rate > ACTIVE_HZ && brian[k].rate > ACTIVE_HZ);
    const act = (xs: { rate: number }[]) => xs.filter((x) => x.rate > ACTIVE_HZ).length;
    console.log(`  active (> ${ACTIVE_HZ} Hz): ours ${act(ours1)}/${seeds.length}, Brian2 OpenMP ${act(brian)}/${seeds.length}; both: ${both.length ? both.join(', ') : 'none'}`);
    const use = both.length ? both : seeds;
    const sel = <T extends { seed: number }>(xs: T[]) => xs.filter((x) => use.includes(x.seed));
    const ours1S = median(sel(ours1).map((x) => x.run));
    const oursTS = median(sel(oursT).map((x) => x.run));
    const brianTS = median(sel(brian).map((x) => x.sim));
    const ratio = oursTS / brianTS;
    const speedup = ours1S / oursTS;
    const speedupPaired = median(sel(ours1).flatMap((a) => a.runAll.map((x, k) => x / oursT[ours1.indexOf(a)].runAll[k])));
    const rates = (xs: { seed: number; rate: number }[]) => sel(xs).map((x) => f(x.rate)).join(', ');
    const goalN = n === SPEEDUP_GOAL_N;
    console.log(
      `  over seeds ${use.join(', ')}${both.length ? '' : ' (NOT all active on both sides)'}: ours 1 thread ${f(ours1S, 3)} s, ours ${threads} threads ${f(oursTS, 3)} s, Brian2 OpenMP ${threads} threads ${f(brianTS, 3)} s; ` +
        `ours_${threads}/Brian2_${threads} = ${f(ratio)} (goal ≤ ${RATIO_GOAL}: ${ratio <= RATIO_GOAL ? 'met' : 'NOT met'}); ` +
        `speed-up ours_1/ours_${threads} = ${f(speedup)}×${goalN ? ` (goal ≥ ${SPEEDUP_GOAL}: ${speedup >= SPEEDUP_GOAL ? 'met' : 'NOT met'})` : ''}, ${f(speedupPaired)}× as the median of the interleaved pairs`,
    );
    console.log(`  rates Hz: ours ${rates(ours1)}; Brian2 OpenMP ${rates(brian)} (different draws of the same network: alike in distribution, not seed by seed)\n`);
    out.push({ n, seeds, threads, ours1, oursT, brian, bothActive: both, ours1S, oursTS, brianTS, ratio, speedup, speedupPaired, mismatches, usedT, quietSeeds });
  }
  return out;
}
