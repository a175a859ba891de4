// The Potjans–Diesmann microcircuit planned and run, ours and Brian2 C++ standalone in the same
// run: `npm run bench:microcircuit [-- --scale 1 --threads 2]` (node --import tsx).
//
// 1. bench/microcircuit.ts writes the model at --scale (default 1: 77,169 neurons, ~0.3 billion
//    synapses) for --duration (default 1 s) of biological time, seed --seed (default 1); it is
//    lowered as the CLI does (the language façade).
// 2. The memory estimate is printed before anything is drawn: sim-host's estimateMemory (the
//    figure the engine refuses runs with), and per worker for --threads (default 2) workers
//    (the engine's own partitionBytes: state and delay rings in every worker, synapses split).
// 3. Ours: startRun(ir, { threads, backend: 'wasm', duration }) on dist/sim-worker.js in this
//    process, with progress on stderr. Reported: plan (build: connectivity, layout), compile
//    and run (time stepping) times, real-time factor = run_s / simulated s, the workers asked
//    for and used (RunOutput.threads), synapses, the mean rate of each population, and the peak
//    memory: process.resourceUsage().maxRSS of this process (worker threads share it, so it is
//    the whole run's), with the RSS before the run (Node, tsx, the lowered model) beside it.
//    A refusal (e.g. one WebAssembly memory holds at most 4 GiB) is printed with the engine's own
//    message, and a failure with the RSS last seen (sampled every 0.5 s from /proc/self/status).
// 4. Brian2: bench/brian2/microcircuit_standalone.py on the same network (microcircuit-plan.ts
//    brian2Spec: the lowered IR as a JSON spec), after ours, never beside it. Its memory is
//    estimated first (synapses × BRIAN2_BYTES_PER_SYNAPSE + neuron state + overhead) and it runs
//    only if that fits in MemAvailable (/proc/meminfo, what `free -b` calls available) less
//    1 GiB; else what it needed is printed and put in the JSON line. OpenMP threads: the workers
//    our run used (--brian2-threads to set). Reported: its rates, sim_s (time stepping, its own
//    clock), build_s, the binary's wall time and peak RSS, and ours/Brian2 time-stepping ratio.
//    --no-brian2 leaves it out.
// 5. Rates beside the published full-scale ones (microcircuit-plan.ts PUBLISHED_RATES: the
//    reference implementation's full_mean_rates; the paper's fig. 6 shows them as bars).
//
// Ends with one JSON line: {"bench":"microcircuit","scale","neurons","synapses","duration_s",
// "estimate_gib","per_worker_gib","workers_fit","threads_requested","threads_used",
// "threads_note","refused" (the engine's message or null),"failed","plan_s","compile_s","run_s",
// "rtf","peak_rss_mb","rss_before_mb","rates_hz" {pop: Hz},"rates_late_hz" (over the second
// half of the run, after the start transient),"published_hz" {pop: Hz},
// "brian2": {"ran","skipped" (why, or null),"needed_gib","available_gib","threads","sim_s",
// "rtf","build_s","run_s","peak_rss_mb","synapses","rates_hz","rates_late_hz"},
// "ratio_run_over_brian2_sim",
// "load_start","load_end"}.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { estimateMemory, fmtBytes } from '../sim-host/src/core/estimate';
import { partitionBytes, WASM_MAX } from '../sim-host/src/core/limits';
import { RunRefused, startRun } from '../sim-host/src/host';
import { summarize, type Summary } from '../sim-host/src/output';
import { distWorker, ensureBuilt, repoRoot } from '../test/helpers/build';
import { irOf } from '../test/helpers/model';
import { microcircuitSnn, POPS } from './microcircuit';
import { brian2Memory, brian2Spec, lateRates, PUBLISHED_RATES } from './microcircuit-plan';

const PY = '/usr/bin/python3';
const GiB = 2 ** 30;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const v = Number(process.argv[at + 1]);
  if (!Number.isFinite(v)) throw new Error(`${name} needs a number, got ${process.argv[at + 1]}`);
  return v;
}

/** A line of /proc/self/status or /proc/meminfo in bytes (kB there), or NaN where not readable. */
function procKb(file: string, key: string): number {
  try {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(file, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

const mb = (b: number) => b / 2 ** 20;
const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
const round = (x: number | null | undefined, d = 3) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(d)));
const roundAll = (xs: Record<string, number>) => Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, round(v)]));

interface OursResult {
  summary?: Summary;
  /** Rate of each population over the second half of the run (after the start transient), Hz. */
  lateRates?: Record<string, number>;
  threads?: { requested: number; used: number; note?: string };
  refused?: string;
  failed?: string;
  peakRssMb: number;
  rssBeforeMb: number;
  lastRssMb: number;
}

async function runOurs(ir: ReturnType<typeof irOf>, threads: number, duration: number): Promise<OursResult> {
  const rssBefore = procKb('/proc/self/status', 'VmRSS');
  let lastRss = rssBefore;
  const t0 = performance.now();
  let lastPrint = 0;
  let stepping = false;
  // RSS every 0.5 s; a line every 10 s while no progress comes (the plan draws the synapses without reporting)
  const sampler = setInterval(() => {
    lastRss = procKb('/proc/self/status', 'VmRSS');
    const now = performance.now();
    if (now - lastPrint < 10_000) return;
    lastPrint = now;
    process.stderr.write(`  [${((now - t0) / 1000).toFixed(0).padStart(4)} s] ${stepping ? 'running' : 'planning (drawing the synapses) and compiling'}…; RSS ${f(mb(lastRss), 0)} MB\n`);
  }, 500);
  const handle = startRun(ir, { threads, backend: 'wasm', duration, buildProgress: true, readouts: false }, (done, total, spikes, _d, build) => {
    const now = performance.now();
    stepping ||= !build;
    if (now - lastPrint < 2000) return;
    lastPrint = now;
    const what = build ? `${build.label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` : `${(done * ir.simulate.dt).toFixed(3)} s of ${(total * ir.simulate.dt).toFixed(3)} s simulated, ${spikes.toLocaleString('en-US')} spikes`;
    process.stderr.write(`  [${((now - t0) / 1000).toFixed(0).padStart(4)} s] ${what}; RSS ${f(mb(lastRss), 0)} MB\n`);
  }, distWorker);
  const res: OursResult = { peakRssMb: NaN, rssBeforeMb: mb(rssBefore), lastRssMb: NaN };
  try {
    const out = await handle.result;
    res.summary = summarize(out, (performance.now() - t0) / 1000, out.backend ?? 'wasm');
    res.lateRates = lateRates(out.spikes, out.stepsDone, out.dt);
    res.threads = out.threads;
    if (out.error) res.failed = out.error;
  } catch (e) {
    if (e instanceof RunRefused) res.refused = e.message;
    else res.failed = (e as Error).message;
  } finally {
    clearInterval(sampler);
  }
  res.lastRssMb = mb(lastRss);
  res.peakRssMb = process.resourceUsage().maxRSS / 1024;
  return res;
}

interface BrianResult {
  ran: boolean;
  skipped: string | null;
  neededGib: number;
  availableGib: number;
  threads: number;
  sim_s?: number;
  build_s?: number;
  run_s?: number;
  peak_rss_mb?: number;
  synapses?: number;
  rates_hz?: Record<string, number>;
  rates_late_hz?: Record<string, number>;
}

function runBrian(ir: ReturnType<typeof irOf>, synapses: number, threads: number, opts: { duration: number; seed: number }): BrianResult {
  const neurons = ir.populations.reduce((a, p) => a + p.size, 0);
  const need = brian2Memory(synapses, neurons);
  const available = procKb('/proc/meminfo', 'MemAvailable');
  const res: BrianResult = { ran: false, skipped: null, neededGib: need.bytes / GiB, availableGib: available / GiB, threads };
  console.log(`Brian2 C++ standalone: needs about ${fmtBytes(need.bytes)} (${Math.round(synapses).toLocaleString('en-US')} synapses × ${need.perSynapse} B + neuron state + ${fmtBytes(need.overhead)}); available now ${fmtBytes(available)}`);
  if (spawnSync(PY, ['-c', 'import brian2'], { encoding: 'utf8' }).status !== 0) {
    res.skipped = 'Brian2 is not installed (apt-get install python3-brian; run with /usr/bin/python3)';
    return res;
  }
  if (!(need.bytes <= available - GiB)) {
    res.skipped = `needs about ${fmtBytes(need.bytes)}, more than the ${fmtBytes(available)} available less 1 GiB`;
    return res;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-bench-micro-b2-'));
  try {
    const specFile = path.join(tmp, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(brian2Spec(ir, opts)));
    console.log(`  running bench/brian2/microcircuit_standalone.py with ${threads} OpenMP thread(s) (code generation, compilation, then the binary)…`);
    const r = spawnSync(PY, [path.join(repoRoot, 'bench/brian2/microcircuit_standalone.py'), '--spec', specFile, '--build-dir', path.join(tmp, 'project'), '--threads', String(threads === 1 ? 0 : threads)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      // its progress and errors straight to our stderr
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) {
      res.skipped = `Brian2 standalone failed (${r.status ?? r.signal}; its messages are above)`;
      return res;
    }
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
    Object.assign(res, { ran: true, sim_s: j.sim_s, build_s: j.build_s, run_s: j.run_s, peak_rss_mb: j.peak_rss_mb, synapses: j.synapses, rates_hz: j.rates_hz, rates_late_hz: j.rates_late_hz });
    return res;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const scale = flag('--scale', 1);
  const threads = flag('--threads', 2);
  const duration = flag('--duration', 1);
  const seed = flag('--seed', 1);
  const withBrian = !process.argv.includes('--no-brian2');
  ensureBuilt();
  const loadStart = os.loadavg()[0];
  console.log(`Potjans–Diesmann microcircuit at scale ${scale}, ${duration} s of biological time, seed ${seed}; ours: WASM, ${threads} worker(s) asked; node ${process.version}, ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}, ${fmtBytes(os.totalmem())}, ${fmtBytes(procKb('/proc/meminfo', 'MemAvailable'))} available; load ${os.loadavg().map((x) => f(x)).join(' ')}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-bench-micro-'));
  const file = path.join(tmp, `microcircuit_${scale}.snn`);
  fs.writeFileSync(file, microcircuitSnn(scale, { duration, seed }));
  const ir = irOf({ file });
  fs.rmSync(tmp, { recursive: true, force: true });
  const neurons = ir.populations.reduce((a, p) => a + p.size, 0);

  const est = estimateMemory(ir, { duration });
  const perWorker = partitionBytes(est, threads);
  const fits = perWorker <= WASM_MAX;
  console.log(`\nestimate (sim-host estimateMemory): ${fmtBytes(est.total)} = state ${fmtBytes(est.stateBytes)} + ${Math.round(est.synapses).toLocaleString('en-US')} synapses ${fmtBytes(est.synapseBytes)} (while building) + delay rings ${fmtBytes(est.ringBytes)}; ${neurons.toLocaleString('en-US')} neurons`);
  console.log(`per worker, ${threads} worker(s) (state and rings in each, synapses split): ${fmtBytes(perWorker)} each, ${fmtBytes(perWorker * threads)} in all; ${fits ? 'each fits' : 'does NOT fit'} one WebAssembly memory (4 GiB)\n`);

  console.log('ours: planning and running…');
  const ours = await runOurs(ir, threads, duration);
  const s = ours.summary;
  if (ours.refused) console.log(`ours: REFUSED by the engine: ${ours.refused}`);
  if (ours.failed) console.log(`ours: FAILED: ${ours.failed} (RSS last seen ${f(ours.lastRssMb, 0)} MB, peak ${f(ours.peakRssMb, 0)} MB)`);
  const simS = s?.sim_s ?? NaN;
  const rtf = s ? s.timings.run_s / simS : NaN;
  if (s) {
    const th = ours.threads;
    console.log(`ours: plan ${f(s.timings.plan_s)} s, compile ${f(s.timings.compile_s)} s, run ${f(s.timings.run_s)} s for ${f(simS, 3)} s simulated: real-time factor ${f(rtf)}; ${s.synapses.toLocaleString('en-US')} synapses, ${f(s.memory_mb, 0)} MiB of arrays; workers ${th ? `${th.used} of ${th.requested}${th.note ? ` (${th.note})` : ''}` : 'not reported (single-threaded engine)'}`);
  }
  console.log(`ours: peak RSS ${f(ours.peakRssMb, 0)} MB (this process and its worker threads), ${f(ours.rssBeforeMb, 0)} MB before the run\n`);

  const usedThreads = ours.threads?.used ?? (s ? 1 : threads);
  const brianThreads = flag('--brian2-threads', usedThreads);
  const brian: BrianResult = withBrian ? runBrian(ir, est.synapses, brianThreads, { duration, seed }) : { ran: false, skipped: '--no-brian2', neededGib: NaN, availableGib: NaN, threads: brianThreads };
  if (brian.skipped) console.log(`Brian2: not run: ${brian.skipped}`);
  if (brian.ran) console.log(`Brian2: build ${f(brian.build_s)} s, binary ${f(brian.run_s)} s, time stepping ${f(brian.sim_s)} s (real-time factor ${f(brian.sim_s! / duration)}), ${brian.synapses!.toLocaleString('en-US')} synapses, peak RSS ${f(brian.peak_rss_mb, 0)} MB (${f((brian.peak_rss_mb! * 2 ** 20) / brian.synapses!, 1)} B per synapse)`);

  console.log(`\n${'population'.padEnd(10)} ${'published'.padStart(10)} ${'ours'.padStart(8)} ${'Brian2'.padStart(8)}   ${'2nd half: ours'.padStart(14)} ${'Brian2'.padStart(8)}   Hz`);
  const oursRates: Record<string, number> = {};
  POPS.forEach((p, k) => {
    const r = s?.populations.find((x) => x.name === p)?.rate_hz;
    if (r !== undefined) oursRates[p] = r;
    console.log(`${p.padEnd(10)} ${f(PUBLISHED_RATES[k], 3).padStart(10)} ${f(r).padStart(8)} ${f(brian.rates_hz?.[p]).padStart(8)}   ${f(ours.lateRates?.[p]).padStart(14)} ${f(brian.rates_late_hz?.[p]).padStart(8)}`);
  });
  const ratio = s && brian.sim_s ? s.timings.run_s / brian.sim_s : NaN;
  if (Number.isFinite(ratio)) console.log(`time stepping ours/Brian2 = ${f(ratio)} (${f(s!.timings.run_s)} s vs ${f(brian.sim_s)} s; ${usedThreads} vs ${brian.threads} thread(s))`);
  const loadEnd = os.loadavg()[0];
  console.log(`load average at the start ${f(loadStart)}, at the end ${f(loadEnd)} (${os.cpus().length} cores)`);
  const byPop = (xs: readonly number[]) => Object.fromEntries(POPS.map((p, k) => [p, xs[k]]));
  console.log(
    JSON.stringify({
      bench: 'microcircuit',
      scale,
      neurons,
      synapses: s?.synapses ?? Math.round(est.synapses),
      duration_s: duration,
      estimate_gib: round(est.total / GiB),
      per_worker_gib: round(perWorker / GiB),
      workers_fit: fits,
      threads_requested: threads,
      threads_used: ours.threads?.used ?? (s ? 1 : null),
      threads_note: ours.threads?.note ?? (s && !ours.threads ? 'the engine did not report workers (single-threaded)' : null),
      refused: ours.refused ?? null,
      failed: ours.failed ?? null,
      plan_s: round(s?.timings.plan_s),
      compile_s: round(s?.timings.compile_s),
      run_s: round(s?.timings.run_s),
      rtf: round(rtf),
      peak_rss_mb: round(ours.peakRssMb, 0),
      rss_before_mb: round(ours.rssBeforeMb, 0),
      rates_hz: s ? roundAll(oursRates) : null,
      rates_late_hz: ours.lateRates ? roundAll(ours.lateRates) : null,
      published_hz: byPop(PUBLISHED_RATES),
      brian2: {
        ran: brian.ran,
        skipped: brian.skipped,
        needed_gib: round(brian.neededGib),
        available_gib: round(brian.availableGib),
        threads: brian.threads,
        sim_s: round(brian.sim_s),
        rtf: round(brian.sim_s !== undefined ? brian.sim_s / duration : undefined),
        build_s: round(brian.build_s),
        run_s: round(brian.run_s),
        peak_rss_mb: round(brian.peak_rss_mb, 0),
        synapses: brian.synapses ?? null,
        rates_hz: brian.rates_hz ? roundAll(brian.rates_hz) : null,
        rates_late_hz: brian.rates_late_hz ? roundAll(brian.rates_late_hz) : null,
      },
      ratio_run_over_brian2_sim: round(ratio),
      load_start: round(loadStart, 2),
      load_end: round(loadEnd, 2),
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
