// Our engine against Brian2 C++ standalone on the COBA network: `npm run bench:engine`
// (node --import tsx bench/engine.ts).
//
// COBA-4000 and COBA-40,000 (Vogels & Abbott; in-degree kept at 80: p = 0.02·4000/N), 1 s of
// biological time, dt 0.1 ms, the same seeds on both sides, one run at a time, single-threaded:
//   ours    `node dist/cli.js run FILE --format json --seed S --duration 1` (the simulation runs
//           in one worker thread; the main thread waits). FILE is written into a temp dir from
//           examples/coba.snn with the sizes and p changed, the v probe removed (Brian2's
//           benchmark records spike counts only) and `threads: 1` in its simulate block (the
//           partitioned engine's default is the machine's cores). Timings from the summary: plan (connectivity,
//           layout), compile (WASM generation + instantiation), run (time stepping).
//   Brian2  bench/brian2/coba_standalone.py (C++ standalone, openmp_threads = 0,
//           -O3 -ffast-math -march=native); sim_s = device._last_run_time. One build directory
//           per size: the first seed builds it from scratch (cold: code generation + full
//           compilation), later seeds regenerate the code and re-run make on the same directory.
// Simulation time: ours = run_s (time stepping), Brian2 = sim_s. ratio = ours/Brian2 (> 1:
// we are slower), median over the seeds on which BOTH networks stay active (at N = 4000 and
// N = 40,000 the network is bistable: a seed that falls silent after the transient runs faster
// and has no synaptic traffic). The default seeds were picked by scanning seeds 1-70 (4k) and
// 1-40 (40k) at 0.2 s on this machine for seeds active in both simulators (their random streams
// differ, so a seed's fate differs too); the bench checks activity again and reports the active
// fraction. Synaptic events/s = spikes × mean out-degree (synapses/N) / simulation time.
// Edit-to-result = the wall time of the whole process, from spawn to exit: ours parses,
// checks, plans, compiles and runs; Brian2 imports, generates code, compiles (cold: a fresh
// build directory, i.e. what an edit costs at worst) and runs. The CLI's own wall_s (parse to
// last step) and the script's total_s (from before `import brian2`) are printed beside them.
// Peak RSS = process.resourceUsage().maxRSS of our CLI process (injected with --import), beside
// the state + synapse + buffer size that the summary reports (memory_mb); the runtime's own RSS
// (the same CLI on a one-neuron model) is measured too, and the run's share, peak - runtime,
// is compared with the arrays (target: within 2×).
//
// COBAHH (Brette et al. 2007 benchmark 3: 4000 Hodgkin–Huxley neurons, exprel rates,
// exponential Euler; examples/cobahh.snn without its v probe) against
// bench/brian2/cobahh_standalone.py, both single-threaded, the same seeds: the simulation times,
// their ratio (median over the seeds), and the rates of every seed side by side (the two
// simulators draw different networks: the rates agree in distribution, not seed by seed).
// Brian2's sim_s is CPU time (std::clock), so the ratio compares CPU time: ours is the CLI
// process's CPU time (process.resourceUsage, all threads) on the 1 s run minus that on a 1 ms
// run of the same seed (parse, check, plan, compile and start-up cancel); our wall-clock run_s
// is printed beside it.
// SPIKEWORKS_BENCH_BASELINE_CLI=path/to/another/dist/cli.js adds that build's COBAHH run per
// seed (e.g. the engine before a change, measured in the same run on the same machine).
// The load average (os.loadavg) is printed at the start and the end: on a shared machine the
// times move with it.
//
// Threads (bench/engine-threads.ts, issue 24): COBA-4000 and COBA-40,000 again, ours on 1 and
// SPIKEWORKS_BENCH_THREADS (default 2) threads through startRun with RunOptions.threads, against
// Brian2 standalone with OpenMP on as many threads (coba_standalone.py --threads), each
// configuration SPIKEWORKS_BENCH_REPEAT (default 3) times per seed (medians): the ratio
// ours_T/Brian2_T (goal ≤ 0.6 at both sizes), our speed-up ours_1/ours_T (goal ≥ 1.7 at 40k),
// the workers that ran (RunOutput.threads), the rates of both, and whether our spikes are the
// same on 1 and T threads. Both sides' times are wall clock there (Brian2 with OpenMP times its
// stepping with omp_get_wtime), so the load average is printed per seed.
//
// `-- --backend webgpu`: the WebGPU backend against WASM instead (bench/engine-webgpu.ts).
//
// Ends with one JSON line: {"bench":"engine","coba4k_ratio","coba40k_ratio",
// "coba4k_edit_to_result_s" (ours, median over the 4k seeds),"brian2_edit_to_result_s" (Brian2
// 4k, cold),"peak_rss_mb" (ours, largest over all runs: the 40k ones),"runtime_rss_mb",
// "arrays_mb","run_peak_over_arrays","cobahh_ratio" (ours/Brian2 simulation CPU time, medians
// over the seeds),"cobahh_ratio_wall" (the same with our wall-clock run_s),"cobahh_ours_cpu_s",
// "cobahh_ours_wall_s","cobahh_brian2_s" (those medians),"cobahh_rates_ours_hz",
// "cobahh_rates_brian2_hz" (per seed),"cobahh_baseline_cpu_s" (median, with a baseline CLI),
// "mt_threads" (T), per size (coba4k_…, coba40k_…): "_mt_ours_1t_s", "_mt_ours_s" (T threads),
// "_mt_brian2_s" (OpenMP, T threads), "_mt_brian2_wait_policy" (per seed), "_mt_ratio" (ours_T/Brian2_T), "_mt_speedup" (ours_1/ours_T, medians),
// "_mt_speedup_paired" (median of the interleaved pairs' ratios),
// "_mt_threads_used", "_mt_quiet_seeds" (seeds measured on a quiet machine), "_mt_rates_ours_hz", "_mt_rates_brian2_hz" (per seed); "mt_ratio_goal_met",
// "mt_speedup_goal_met", "mt_spike_mismatches" (seeds whose spikes differ between 1 and T
// threads), "load_start","load_end" (1-minute load averages)}.
//   SPIKEWORKS_BENCH_SEEDS_4K (default 16,45,60), SPIKEWORKS_BENCH_SEEDS_40K (default 9,18,26),
//   SPIKEWORKS_BENCH_SEEDS_HH (default 1,2,3), SPIKEWORKS_BENCH_MODELS (default coba,cobahh,threads:
//   which parts run; the JSON line has null for a part left out), SPIKEWORKS_BENCH_SEEDS_4K_MT
//   (default 2,20; 24 is active too), SPIKEWORKS_BENCH_SEEDS_40K_MT (default 8,9; 14 and 16 too), SPIKEWORKS_BENCH_SIZES_MT
//   (default 4000,40000), SPIKEWORKS_BENCH_THREADS (default 2), SPIKEWORKS_BENCH_REPEAT (default 3),
//   SPIKEWORKS_BENCH_OMP_WAIT_POLICY (default passive,default: Brian2's best of these counts),
//   SPIKEWORKS_BENCH_QUIET_S (default 30: before each seed of the threaded part, wait up to this
//   long for a machine with nothing else runnable; 0: do not wait)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, distCli, repoRoot } from '../test/helpers/build';
import { ACTIVE_HZ, cobaSnn, DURATION, exampleSnn, f, median, PY, runBrian, threadsSub, type Brian, type OurFigures } from './engine-coba';
import { benchThreads, RATIO_GOAL, SPEEDUP_GOAL, SPEEDUP_GOAL_N, type ThreadsSize } from './engine-threads';
import { benchWebGPU } from './engine-webgpu';

const seedsOf = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);
const SIZES = [
  { n: 4000, seeds: seedsOf(process.env.SPIKEWORKS_BENCH_SEEDS_4K, [16, 45, 60]) },
  { n: 40000, seeds: seedsOf(process.env.SPIKEWORKS_BENCH_SEEDS_40K, [9, 18, 26]) },
];

const SEEDS_HH = seedsOf(process.env.SPIKEWORKS_BENCH_SEEDS_HH, [1, 2, 3]);
const PARTS = new Set((process.env.SPIKEWORKS_BENCH_MODELS ?? 'coba,cobahh,threads').split(','));
const BASELINE_CLI = process.env.SPIKEWORKS_BENCH_BASELINE_CLI;
// the threaded part: Brian2 with OpenMP draws other networks, so its seeds differ (engine-threads.ts)
const SIZES_MT = [
  { n: 4000, seeds: seedsOf(process.env.SPIKEWORKS_BENCH_SEEDS_4K_MT, [2, 20]) },
  { n: 40000, seeds: seedsOf(process.env.SPIKEWORKS_BENCH_SEEDS_40K_MT, [8, 9]) },
].filter((s) => (process.env.SPIKEWORKS_BENCH_SIZES_MT ?? '4000,40000').split(',').map(Number).includes(s.n));
const THREADS = Number(process.env.SPIKEWORKS_BENCH_THREADS ?? 2);
const REPEAT = Number(process.env.SPIKEWORKS_BENCH_REPEAT ?? 3);
const OMP_POLICIES = process.env.SPIKEWORKS_BENCH_OMP_WAIT_POLICY ?? 'passive,default';
const QUIET_S = Number(process.env.SPIKEWORKS_BENCH_QUIET_S ?? 30);

interface Ours extends OurFigures {
  cliWall: number;
  wall: number;
  rssMb: number;
  memMb: number;
  /** CPU time of the whole CLI process (all threads), s */
  cpu: number;
  /** workers the run used, when the summary says (RunOutput.threads) */
  threadsUsed?: number;
}

const RSS_HOOK = 'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nswk-maxrss-kb="+u.maxRSS+" swk-cpu-us="+(u.userCPUTime+u.systemCPUTime)+"\\n")})';

function runOurs(file: string, n: number, seed: number, cli = distCli, duration = DURATION): Ours {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', RSS_HOOK, cli, 'run', file, '--format', 'json', '--seed', String(seed), '--duration', String(duration)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`spikeworks run failed (${r.status}):\n${r.stderr}`);
  const s = JSON.parse(r.stdout);
  const rss = /swk-maxrss-kb=(\d+)/.exec(r.stderr);
  const cpu = /swk-cpu-us=(\d+)/.exec(r.stderr);
  const spikes = s.populations.reduce((a: number, p: { spikes: number }) => a + p.spikes, 0);
  const threadsUsed: number | undefined = s.threads?.used;
  // these parts are single-threaded by definition: the files say `threads: 1`
  if (threadsUsed !== undefined && threadsUsed !== 1) console.log(`  warning: ${path.basename(file)} seed ${seed} ran on ${threadsUsed} threads, not 1`);
  return {
    seed,
    rate: spikes / n / s.sim_s,
    spikes,
    synapses: s.synapses,
    plan: s.timings.plan_s,
    compile: s.timings.compile_s,
    run: s.timings.run_s,
    cliWall: s.wall_s,
    wall,
    rssMb: rss ? Number(rss[1]) / 1024 : NaN,
    cpu: cpu ? Number(cpu[1]) / 1e6 : NaN,
    memMb: s.memory_mb,
    threadsUsed,
  };
}

const ev = (spikes: number, synapses: number, n: number, t: number) => (spikes * (synapses / n)) / t;
const e = (x: number) => x.toExponential(2);

async function main(): Promise<void> {
  const b = process.argv.indexOf('--backend');
  if (b > 0 && process.argv[b + 1] === 'webgpu') {
    void benchWebGPU();
    return;
  }
  if (spawnSync(PY, ['-c', 'import brian2'], { encoding: 'utf8' }).status !== 0) {
    console.error('bench:engine needs Brian2: apt-get install python3-brian (run with /usr/bin/python3)');
    process.exit(1);
  }
  ensureBuilt();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-bench-engine-'));
  const loadStart = os.loadavg()[0];
  console.log(`COBA and COBAHH, ${DURATION} s biological time, dt 0.1 ms; ours: ${path.relative(repoRoot, distCli)} (WASM, threads: 1), Brian2: C++ standalone, 1 thread; then ${THREADS} threads on both sides`);
  console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${os.loadavg().map((x) => f(x)).join(' ')}\n`);
  const results: { n: number; ours: Ours[]; brian: Brian[]; ratio: number; bothActive: number[] }[] = [];
  let hh: Cobahh | undefined;
  let mt: ThreadsSize[] = [];
  let runtime = NaN;
  try {
    for (const { n, seeds } of PARTS.has('coba') ? SIZES : []) {
      const file = path.join(tmp, `coba_${n}.snn`);
      fs.writeFileSync(file, cobaSnn(n, 1));
      const buildDir = path.join(tmp, `brian2_coba_${n}`);
      const brian: Brian[] = [];
      const ours: Ours[] = [];
      for (const seed of seeds) {
        brian.push(runBrian(n, seed, buildDir));
        ours.push(runOurs(file, n, seed));
      }
      console.log(`COBA-${n.toLocaleString('en-US')} (p = ${(0.02 * 4000) / n}, ${ours[0].synapses.toLocaleString('en-US')} synapses here, ${brian[0].synapses.toLocaleString('en-US')} in Brian2)`);
      console.log('  seed  who     rate Hz   sim s   syn ev/s   plan s  compile s  build s   edit→result s (own clock)    peak RSS MB  memory_mb');
      seeds.forEach((seed, k) => {
        const a = ours[k];
        const b = brian[k];
        console.log(
          `  ${String(seed).padStart(4)}  ours  ${f(a.rate).padStart(9)} ${f(a.run, 3).padStart(7)} ${e(ev(a.spikes, a.synapses, n, a.run)).padStart(10)} ${f(a.plan, 3).padStart(8)} ${f(a.compile, 3).padStart(10)} ${'-'.padStart(8)} ${f(a.wall).padStart(15)} (${f(a.cliWall)})${''.padStart(9)} ${f(a.rssMb, 0).padStart(11)} ${f(a.memMb, 1).padStart(10)}`,
        );
        console.log(
          `  ${String(seed).padStart(4)}  Brian2${f(b.rate).padStart(9)} ${f(b.sim, 3).padStart(7)} ${e(ev(b.spikes, b.synapses, n, b.sim)).padStart(10)} ${'-'.padStart(8)} ${'-'.padStart(10)} ${f(b.build).padStart(8)} ${f(b.wall).padStart(15)} (${f(b.total)})${k === 0 ? ' cold build' : ' warm build'}`,
        );
      });
      const both = seeds.filter((_, k) => ours[k].rate > ACTIVE_HZ && brian[k].rate > ACTIVE_HZ);
      const act = (xs: { rate: number }[]) => xs.filter((x) => x.rate > ACTIVE_HZ).length;
      console.log(`  active (> ${ACTIVE_HZ} Hz over the run): ours ${act(ours)}/${seeds.length}, Brian2 ${act(brian)}/${seeds.length}; both active: ${both.length ? both.join(', ') : 'none'}`);
      // compare in the same regime: seeds active in both; with none, all seeds (flagged)
      const use = both.length ? both : seeds;
      const sel = <T extends { seed: number }>(xs: T[]) => xs.filter((x) => use.includes(x.seed));
      const ratio = median(sel(ours).map((x) => x.run)) / median(sel(brian).map((x) => x.sim));
      console.log(
        `  simulation time ours/Brian2 = ${f(ratio)} (median ${f(median(sel(ours).map((x) => x.run)), 3)} s vs ${f(median(sel(brian).map((x) => x.sim)), 3)} s over seeds ${use.join(', ')}${both.length ? '' : ' — NOT all active on both sides'}); ` +
          `synaptic events/s ours ${e(median(sel(ours).map((x) => ev(x.spikes, x.synapses, n, x.run))))}, Brian2 ${e(median(sel(brian).map((x) => ev(x.spikes, x.synapses, n, x.sim))))}`,
      );
      console.log(
        `  edit→result: ours ${f(median(ours.map((x) => x.wall)))} s (median; plan ${f(median(ours.map((x) => x.plan)), 3)} + compile ${f(median(ours.map((x) => x.compile)), 3)} + run ${f(median(ours.map((x) => x.run)), 3)} s), ` +
          `Brian2 ${f(brian[0].wall)} s cold (build ${f(brian[0].build)} s), ${f(median(brian.slice(1).map((x) => x.wall)))} s warm; ` +
          `peak RSS ours ${f(Math.max(...ours.map((x) => x.rssMb)), 0)} MB for ${f(ours[0].memMb, 1)} MB of state + synapses\n`,
      );
      results.push({ n, ours, brian, ratio, bothActive: both });
    }
    if (PARTS.has('cobahh')) hh = benchCobahh(tmp);
    // before the threaded part: its runs are in this process, and a child's maxRSS counts the
    // parent's memory at fork (Linux keeps the larger high-water mark across exec)
    if (PARTS.has('coba') || PARTS.has('cobahh')) runtime = runtimeRssMb(tmp);
    if (PARTS.has('threads')) mt = await benchThreads(tmp, SIZES_MT, THREADS, REPEAT, OMP_POLICIES, QUIET_S);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const all = [...results.flatMap((r) => r.ours), ...(hh?.ours ?? [])];
  const peak = Math.max(...all.map((x) => x.rssMb));
  const arrays = Math.max(...all.map((x) => x.memMb));
  if (all.length) console.log(`memory: peak RSS ${f(peak, 0)} MB = runtime ${f(runtime, 0)} MB (Node + language server + worker, measured on a one-neuron model) + ${f(peak - runtime, 0)} MB for the run, whose state + synapse arrays are ${f(arrays, 1)} MB (${f((peak - runtime) / arrays)}×)`);
  const r4 = results.find((r) => r.n === 4000);
  const r40 = results.find((r) => r.n === 40000);
  const round = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));
  const m4 = mt.find((r) => r.n === 4000);
  const m40 = mt.find((r) => r.n === 40000);
  const mtGoal = mt.find((r) => r.n === SPEEDUP_GOAL_N);
  // the threaded part, per size: medians over the seeds active on both sides
  const mtFields = (k: string, r: ThreadsSize | undefined) => ({
    [`${k}_mt_ours_1t_s`]: round(r?.ours1S),
    [`${k}_mt_ours_s`]: round(r?.oursTS),
    [`${k}_mt_brian2_s`]: round(r?.brianTS),
    [`${k}_mt_brian2_wait_policy`]: r ? r.brian.map((x) => x.policy ?? null) : null,
    [`${k}_mt_ratio`]: round(r?.ratio),
    [`${k}_mt_speedup`]: round(r?.speedup),
    [`${k}_mt_speedup_paired`]: round(r?.speedupPaired),
    [`${k}_mt_threads_used`]: r ? r.usedT : null,
    [`${k}_mt_quiet_seeds`]: r ? r.quietSeeds : null,
    [`${k}_mt_rates_ours_hz`]: r ? r.ours1.map((x) => round(x.rate, 2)) : null,
    [`${k}_mt_rates_brian2_hz`]: r ? r.brian.map((x) => round(x.rate, 2)) : null,
  });
  const loadEnd = os.loadavg()[0];
  console.log(`load average at the start ${f(loadStart)}, at the end ${f(loadEnd)} (${os.cpus().length} cores)`);
  console.log(
    JSON.stringify({
      bench: 'engine',
      coba4k_ratio: round(r4?.ratio),
      coba40k_ratio: round(r40?.ratio),
      coba4k_edit_to_result_s: round(r4 && median(r4.ours.map((x) => x.wall))),
      brian2_edit_to_result_s: round(r4?.brian[0].wall),
      peak_rss_mb: round(peak, 1),
      runtime_rss_mb: round(runtime, 1),
      arrays_mb: round(arrays, 1),
      run_peak_over_arrays: round((peak - runtime) / arrays, 2),
      cobahh_ratio: round(hh?.ratio),
      cobahh_ratio_wall: round(hh?.ratioWall),
      cobahh_ours_cpu_s: round(hh && median(hh.oursCpu)),
      cobahh_ours_wall_s: round(hh && median(hh.ours.map((x) => x.run))),
      cobahh_brian2_s: round(hh && median(hh.brian.map((x) => x.sim))),
      cobahh_rates_ours_hz: hh ? hh.ours.map((x) => round(x.rate, 2)) : null,
      cobahh_rates_brian2_hz: hh ? hh.brian.map((x) => round(x.rate, 2)) : null,
      cobahh_baseline_cpu_s: round(hh?.baseline.length ? median(hh.baselineCpu) : undefined),
      mt_threads: mt.length ? THREADS : null,
      ...mtFields('coba4k', m4),
      ...mtFields('coba40k', m40),
      mt_ratio_goal_met: mt.length ? mt.every((r) => r.ratio <= RATIO_GOAL) : null,
      mt_speedup_goal_met: mtGoal ? mtGoal.speedup >= SPEEDUP_GOAL : null,
      mt_spike_mismatches: mt.length ? mt.reduce((a, r) => a + r.mismatches, 0) : null,
      load_start: round(loadStart, 2),
      load_end: round(loadEnd, 2),
    }),
  );
}

/**
 * The runtime's own footprint, MB: the same CLI (Node, the language server, a worker thread) on
 * a one-neuron model. What a run adds on top of it is the engine's peak.
 */
function runtimeRssMb(tmp: string): number {
  const tiny = path.join(tmp, 'tiny.snn');
  fs.writeFileSync(tiny, 'model tiny\npopulation p = LIF[1]\nsimulate { dt: 0.1 ms; duration: 1 ms }\n');
  return median([0, 1, 2].map(() => runOurs(tiny, 1, 1).rssMb));
}

interface Cobahh {
  ours: Ours[];
  brian: Brian[];
  baseline: Ours[];
  /** CPU seconds of the time stepping: the CLI's CPU time on the 1 s run minus that on a 1 ms run of the same seed */
  oursCpu: number[];
  baselineCpu: number[];
  /** ours/Brian2, CPU time of the stepping on both sides (Brian2's sim_s is std::clock) */
  ratio: number;
  /** ours/Brian2 with our wall-clock run_s */
  ratioWall: number;
}

/**
 * COBAHH, ours (and a baseline CLI's, if set) against Brian2 standalone, seed by seed. Brian2's
 * sim_s is process CPU time (std::clock in its network.cpp), so ours is compared as CPU time
 * too — on a loaded machine wall time also counts the waits for a core; both are printed.
 */
function benchCobahh(tmp: string): Cobahh {
  const n = 4000;
  const file = path.join(tmp, 'cobahh.snn');
  fs.writeFileSync(file, exampleSnn('examples/cobahh.snn', [threadsSub(1)], ', threads 1'));
  const buildDir = path.join(tmp, 'brian2_cobahh');
  const brian: Brian[] = [];
  const ours: Ours[] = [];
  const baseline: Ours[] = [];
  const oursCpu: number[] = [];
  const baselineCpu: number[] = [];
  const stepping = (cli: string, seed: number): [Ours, number] => {
    const run = runOurs(file, n, seed, cli);
    const fixed = runOurs(file, n, seed, cli, 0.001);
    return [run, run.cpu - fixed.cpu];
  };
  for (const seed of SEEDS_HH) {
    brian.push(runBrian(n, seed, buildDir, 'cobahh_standalone.py'));
    const [a, ca] = stepping(distCli, seed);
    ours.push(a);
    oursCpu.push(ca);
    if (BASELINE_CLI) {
      const [b, cb] = stepping(path.resolve(BASELINE_CLI), seed);
      baseline.push(b);
      baselineCpu.push(cb);
    }
  }
  console.log(`COBAHH (4000 Hodgkin–Huxley neurons, exprel rates, exponential Euler; ${ours[0].synapses.toLocaleString('en-US')} synapses here, ${brian[0].synapses.toLocaleString('en-US')} in Brian2)`);
  console.log('  seed  who       rate Hz  sim CPU s  sim wall s   plan s  compile s  build s  edit→result s');
  const row = (seed: number, who: string, rate: number, cpu: number, wall: string, plan: string, compile: string, build: string, e2r: number) =>
    console.log(`  ${String(seed).padStart(4)}  ${who.padEnd(8)}${f(rate).padStart(9)} ${f(cpu, 3).padStart(10)} ${wall.padStart(11)} ${plan.padStart(8)} ${compile.padStart(10)} ${build.padStart(8)} ${f(e2r).padStart(14)}`);
  SEEDS_HH.forEach((seed, k) => {
    const a = ours[k];
    row(seed, 'ours', a.rate, oursCpu[k], f(a.run, 3), f(a.plan, 3), f(a.compile, 3), '-', a.wall);
    const b = baseline[k];
    if (b) row(seed, 'baseline', b.rate, baselineCpu[k], f(b.run, 3), f(b.plan, 3), f(b.compile, 3), '-', b.wall);
    row(seed, 'Brian2', brian[k].rate, brian[k].sim, '-', '-', '-', f(brian[k].build), brian[k].wall);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
  const rates = (xs: { rate: number }[]) => `${xs.map((x) => f(x.rate)).join(', ')} (mean ${f(mean(xs.map((x) => x.rate)))} ± ${f(sd(xs.map((x) => x.rate)))})`;
  console.log(`  rates over seeds ${SEEDS_HH.join(', ')}: ours ${rates(ours)} Hz; Brian2 ${rates(brian)} Hz`);
  const b2 = median(brian.map((x) => x.sim));
  const ratio = median(oursCpu) / b2;
  const ratioWall = median(ours.map((x) => x.run)) / b2;
  console.log(`  simulation time ours/Brian2 = ${f(ratio)} in CPU time (median ${f(median(oursCpu), 3)} s vs ${f(b2, 3)} s), ${f(ratioWall)} with our wall time (${f(median(ours.map((x) => x.run)), 3)} s)`);
  if (baseline.length) {
    const b = median(baselineCpu);
    console.log(`  baseline ${BASELINE_CLI}: ${f(b, 3)} s CPU (median), ${f(b / median(oursCpu))}× the CPU time of ours; baseline/Brian2 = ${f(b / b2)}`);
  }
  console.log('');
  return { ours, brian, baseline, oursCpu, baselineCpu, ratio, ratioWall };
}

void main();
