// `spikeworks run` under hostile input and tight limits (issue 12, items 4, 5, 7, 8, 9): the
// step limit for --duration, a FIFO event file that must not hang the CLI, --allow-read,
// result files that are streamed and written independently, Ctrl-C during a build, and the
// memory test (peak RSS within --memory-limit plus the runtime's baseline).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, mock } from 'node:test';
import type { RunOutput } from '../protocol/sim';
import { readSpikesBinary, writeResults, writeTrace, type Summary } from '../sim-host/src/output';
import { distCli, ensureBuilt, interruptCli } from './helpers/build';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cli-run-'));

function model(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs the CLI with a wall-clock limit: a hang is a failure (status null), not a stuck test. */
function cli(args: string[], timeoutMs = 30_000): { status: number | null; stdout: string; stderr: string; ms: number } {
  ensureBuilt();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [distCli, ...args], { cwd: dir, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

describe('spikeworks run: --duration is held to the step limit (item 8)', () => {
  it('refuses --duration above 2e9 steps with duration, dt and steps (spike steps would wrap past 2^31)', () => {
    const f = model('small.snn', 'population a = LIF[4]\nsimulate { dt: 0.1 ms; duration: 10 ms }\n');
    const r = cli(['run', f, '--duration', '300000']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /run refused: duration 300000 s at dt 0.1 ms is 3.00e\+9 steps, more than the 2e\+9 a run may take/);
    assert.ok(r.ms < 10_000);
  });
});

describe('spikeworks run: event files (item 5)', () => {
  it('a FIFO as event file ends the CLI at once with a clear refusal (it used to block in open())', () => {
    execFileSync('mkfifo', [path.join(dir, 'events.fifo')]);
    const f = model('fifo.snn', 'input dvs = event_file[8] { file: "events.fifo" }\npopulation a = LIF[8]\nconnect dvs -> a { rule: one_to_one; weight: 1 mV; target: v }\nsimulate { dt: 0.1 ms; duration: 10 ms }\n');
    const r = cli(['run', f], 15_000);
    assert.equal(r.status, 1, `status ${r.status} (null: the CLI hung)\n${r.stderr}`);
    // Refused by the check, at the file's place, before the engine would open it (the engine's own
    // refusal of a FIFO is tested in engine-hardening.test.ts).
    assert.match(r.stderr, /fifo\.snn:1:35: error: 'events\.fifo' is not a regular file .*only regular files are read/);
  });

  it('a file outside the working folder and the model folder needs --allow-read', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cli-other-'));
    fs.writeFileSync(path.join(other, 'ev.csv'), 'time_s,index\n0.002,3\n');
    const f = model('outside.snn', `input dvs = event_file[8] { file: "${path.join(other, 'ev.csv')}" }\nprobe spikes(dvs)\nsimulate { dt: 0.1 ms; duration: 10 ms }\n`);
    const refused = cli(['run', f]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /outside\.snn:1:35: error: .*ev\.csv' is outside the workspace.*--allow-read DIR/);
    assert.doesNotMatch(refused.stderr, /0\.002/, 'no file contents in the message');
    const out = path.join(dir, 'allowed');
    const ok = cli(['run', f, '--allow-read', other, '--out', out]);
    assert.equal(ok.status, 0, ok.stderr);
    const spikes = readSpikesBinary(path.join(out, 'spikes.bin'));
    assert.deepEqual([...spikes.populations[0].steps], [20]);
    assert.deepEqual([...spikes.populations[0].neurons], [3]);
  });
});

describe('spikeworks run: Ctrl-C during a long build (item 7)', () => {
  it('stops within 2 s with exit 130, nothing simulated', async () => {
    ensureBuilt();
    // 20,000² = 4e8 pair tests (the bound): about 40 s of building
    const f = model('build.snn', 'population a = LIF[20000] { layout: ring }\nconnect ee: a -> a { rule: ring_kernel(sigma = 0.3, p_max = 0.001); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n');
    const { code, stderr, ms } = await interruptCli(['run', f], dir);
    assert.equal(code, 130, stderr);
    assert.ok(ms < 2500, `stopped ${ms.toFixed(0)} ms after Ctrl-C`);
    assert.match(stderr, /stopped before the run started .*building connection ee/);
  });
});

describe('result files are streamed and written independently (item 9)', () => {
  const trace = (rows: number, n: number): RunOutput['traces'][number] => ({
    population: 'exc', variable: 'v', neurons: Array.from({ length: n }, (_, i) => i), every: 1e-4,
    data: Float32Array.from({ length: rows * n }, (_, k) => Math.fround(-0.07 + k * 1e-7)),
  });
  const expectedCsv = (t: RunOutput['traces'][number]) => {
    const n = t.neurons.length;
    const rows = [`time [s],${t.neurons.map((i) => `v(exc[${i}]) [V]`).join(',')}`];
    // every = 0.1 ms: four decimals tell the samples apart
    for (let k = 0; k * n < t.data.length; k++) rows.push([`${Math.floor(k / 10000)}.${String(k % 10000).padStart(4, '0')}`, ...Array.from(t.data.subarray(k * n, (k + 1) * n), String)].join(','));
    return rows.join('\n') + '\n';
  };

  it('a trace of many rows is written in chunks of the chunk size, never as one string, same bytes', () => {
    const t = trace(20_000, 3);
    const file = path.join(dir, 'chunked.csv');
    // the module object output.ts writes through (the namespace import above is a copy)
    const nodeFs = createRequire(__filename)('node:fs') as typeof fs;
    const writes = mock.method(nodeFs, 'writeSync');
    try {
      writeTrace(file, t, 4096, 'V');
    } finally {
      writes.mock.restore();
    }
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text, expectedCsv(t));
    const sizes = writes.mock.calls.map((c) => c.arguments[3] as unknown as number);
    assert.ok(sizes.length >= text.length / 4200, `${sizes.length} writes for ${text.length} bytes`);
    assert.ok(Math.max(...sizes) < 4096 + 200, `largest write ${Math.max(...sizes)} bytes`);
  });

  it('one output that cannot be written (a folder in its place) is reported; the others are written', () => {
    const out = path.join(dir, 'results');
    fs.mkdirSync(path.join(out, 'trace_exc_v.csv'), { recursive: true });
    const run: RunOutput = {
      dt: 1e-4, steps: 10, stepsDone: 10, seed: 1, cancelled: false, synapses: 0, memoryBytes: 0, timings: { plan_s: 0, compile_s: 0, run_s: 0 },
      populations: [{ name: 'exc', size: 3 }],
      spikes: [{ name: 'exc', size: 3, steps: Int32Array.of(1, 4), neurons: Int32Array.of(2, 0) }],
      traces: [trace(10, 3), { ...trace(10, 3), variable: 'I_syn' }],
    };
    const r = writeResults(out, run, { steps: 10 } as Summary, { csv: true });
    assert.deepEqual(r.failed.map((f) => path.basename(f.file)), ['trace_exc_v.csv']);
    assert.match(r.failed[0].message, /EISDIR/);
    assert.deepEqual(r.written.map((f) => path.basename(f)).sort(), [
      'spikes.bin', 'spikes.csv', 'spikes_exc_i.npy', 'spikes_exc_t.npy', 'summary.json',
      'trace_exc_I_syn.csv', 'trace_exc_I_syn.npy', 'trace_exc_I_syn_t.npy', 'trace_exc_v.npy', 'trace_exc_v_t.npy',
    ]);
    assert.deepEqual([...readSpikesBinary(path.join(out, 'spikes.bin')).populations[0].neurons], [2, 0]);
  });

  it('trace CSVs: time with fixed decimals from the sample interval, headers with units (issue 13)', () => {
    const f = model('units.snn', [
      'population exc = LIF[2] { I_e = 1 nA }',
      'population post = LIF[2]',
      'connect ee: exc -> post { rule: all_to_all; weight: 0.5 pA; target: I_syn; synapse: CalciumHebbian(w_max = 1 pA, eta = 0.01) }',
      'probe v(exc) every 0.25 ms',
      'probe w(ee) every 1 ms',
      'simulate { dt: 0.05 ms; duration: 5 ms }',
      '',
    ].join('\n'));
    const out = path.join(dir, 'unit-results');
    const r = cli(['run', f, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const v = fs.readFileSync(path.join(out, 'trace_exc_v.csv'), 'utf8').trim().split('\n');
    assert.equal(v[0], 'time [s],v(exc[0]) [V],v(exc[1]) [V]');
    assert.deepEqual(v.slice(1, 6).map((l) => l.split(',')[0]), ['0.00000', '0.00025', '0.00050', '0.00075', '0.00100']);
    assert.ok(v.slice(1).every((l) => /^\d\.\d{5},/.test(l)), 'every time with five decimals');
    const w = fs.readFileSync(path.join(out, 'trace_ee_w.csv'), 'utf8').split('\n');
    assert.equal(w[0], 'time [s],w(ee[0->0]) [A],w(ee[0->1]) [A],w(ee[1->0]) [A],w(ee[1->1]) [A]');
    assert.equal(w[2].split(',')[0], '0.001');
  });

  it('the CLI writes summary and spikes, names the failed file and exits 3', () => {
    const f = model('outputs.snn', 'population exc = LIF[3] { I_e = 1 nA }\nprobe spikes(exc)\nprobe v(exc) every 0.1 ms\nsimulate { dt: 0.1 ms; duration: 50 ms }\n');
    const out = path.join(dir, 'cli-results');
    fs.mkdirSync(path.join(out, 'trace_exc_v.csv'), { recursive: true });
    const r = cli(['run', f, '--out', out]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /could not write .*trace_exc_v\.csv: EISDIR/);
    assert.ok(fs.statSync(path.join(out, 'summary.json')).size > 0);
    assert.ok(readSpikesBinary(path.join(out, 'spikes.bin')).populations[0].steps.length > 0);
  });
});

/** Peak RSS (KiB) of the CLI running `args`, from /usr/bin/time or polling /proc/<pid>/status VmHWM. */
async function peakRss(args: string[]): Promise<{ kib: number; status: number | null; stderr: string }> {
  ensureBuilt();
  const gnuTime = fs.existsSync('/usr/bin/time');
  const child = gnuTime
    ? spawn('/usr/bin/time', ['-f', 'PEAK_KIB %M', process.execPath, distCli, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [distCli, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  let polled = 0;
  const poll = gnuTime
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polled = Math.max(polled, Number(m[1]));
        } catch {
          // exited
        }
      }, 20);
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearInterval(poll);
  const m = /PEAK_KIB (\d+)/.exec(stderr);
  return { kib: m ? Number(m[1]) : polled, status: gnuTime ? status : status, stderr };
}

describe('memory: a recording-heavy run stays within --memory-limit 300 plus the runtime baseline (item 4)', () => {
  it('probes several variables every step and floods spikes: stops cleanly, peak RSS ≤ 300 MiB + baseline', async () => {
    const tiny = model('tiny.snn', 'population a = LIF[4]\nsimulate { dt: 0.1 ms; duration: 10 ms }\n');
    const heavy = model('heavy.snn', `
population exc = LIF[20000] { I_e = 2 nA; v = uniform(-70 mV, -50 mV) }
probe spikes(exc)
probe v(exc[0..199]) every 0.1 ms
probe I_syn(exc[0..199]) every 0.1 ms
simulate { dt: 0.1 ms; duration: 5 s }
`);
    const base = await peakRss(['run', tiny, '--out', path.join(dir, 'tiny-out'), '--memory-limit', '300']);
    assert.equal(base.status, 0, base.stderr);
    const r = await peakRss(['run', heavy, '--out', path.join(dir, 'heavy-out'), '--memory-limit', '300', '--format', 'json']);
    // finishes (0) or stops cleanly at the recording limit (1, with the reason) — never a crash
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /recorded spikes reached the memory limit of 300.0 MiB/);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'heavy-out', 'summary.json'), 'utf8')) as { stop_reason: string; populations: { spikes: number }[] };
    assert.equal(summary.stop_reason, 'recording-limit');
    assert.ok(summary.populations[0].spikes > 1e6);
    const limitKib = 300 * 1024 + base.kib;
    assert.ok(r.kib <= limitKib, `peak RSS ${(r.kib / 1024).toFixed(0)} MiB > 300 MiB + baseline ${(base.kib / 1024).toFixed(0)} MiB`);
  });
});
