// Fuzzing the whole tool with hostile inputs (issue 12): every case is a small workspace and one
// real CLI command (dist/cli.js) with a time bound and a property of its outcome — ends by itself
// with the right exit code, never prints text from outside the workspace, never crashes, stays
// within its memory limit. See test/helpers/fuzz-hostile.ts for the classes.
//
//   SPIKEWORKS_FUZZ_SEED / SPIKEWORKS_FUZZ_SCALE as in fuzz.test.ts; SPIKEWORKS_FUZZ_ONLY=<kind> runs one class.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { distCli, ensureBuilt } from './helpers/build';
import { CANARY, hostileCases, makeOutside, materialise, type CliResult, type HostileCase } from './helpers/fuzz-hostile';

const SEED = Number(process.env.SPIKEWORKS_FUZZ_SEED ?? 20240611) >>> 0;
const SCALE = Math.max(0.01, Number(process.env.SPIKEWORKS_FUZZ_SCALE ?? 1));
/** MiB a CLI run may use above its --memory-limit: Node, V8 heaps, the compiled module. */
const RUNTIME_BASELINE_MIB = 150;

function readHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function runCli(c: HostileCase, cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [distCli, ...c.args], { cwd, env: { ...process.env, SW_SECRET: CANARY, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    const poll = setInterval(() => (peak = Math.max(peak, readHwm(child.pid!))), 25);
    const kill = setTimeout(() => child.kill('SIGKILL'), c.boundMs);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(kill);
      const ms = Date.now() - t0;
      const outArg = c.args.indexOf('--out');
      resolve({ code, signal, stdout, stderr: signal === 'SIGKILL' && ms >= c.boundMs ? `${stderr}\n(killed after the ${c.boundMs} ms bound)` : stderr, ms, peakMiB: peak, out: outArg >= 0 ? path.join(cwd, c.args[outArg + 1]) : undefined });
    });
  });
}

test(`hostile inputs through the CLI (seed ${SEED}, scale ${SCALE})`, { timeout: 900_000 }, async (t) => {
  ensureBuilt();
  const only = process.env.SPIKEWORKS_FUZZ_ONLY;
  const cases = hostileCases(SEED, SCALE).filter((c) => !only || c.kind === only);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hostile-'));
  const outside = makeOutside(base);
  const failures: string[] = [];
  const perKind = new Map<string, { n: number; failed: number; maxMs: number; maxPeak: number }>();
  const t0 = Date.now();
  try {
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const k = next++;
        const c = cases[k];
        const dir = path.join(base, `ws-${k}`);
        fs.mkdirSync(dir);
        materialise(c, dir, outside);
        const r = await runCli(c, dir);
        let why = r.signal === 'SIGKILL' && r.ms >= c.boundMs ? `did not end within ${c.boundMs} ms` : c.expect(r);
        const limitArg = c.args.indexOf('--memory-limit');
        if (!why && limitArg >= 0) {
          const limit = Number(c.args[limitArg + 1]);
          if (r.peakMiB > limit + RUNTIME_BASELINE_MIB) why = `peak RSS ${r.peakMiB.toFixed(0)} MiB over the limit ${limit} MiB + ${RUNTIME_BASELINE_MIB} MiB runtime`;
        }
        const s = perKind.get(c.kind) ?? { n: 0, failed: 0, maxMs: 0, maxPeak: 0 };
        s.n++;
        s.maxMs = Math.max(s.maxMs, r.ms);
        s.maxPeak = Math.max(s.maxPeak, r.peakMiB);
        if (why) {
          s.failed++;
          failures.push(`${c.kind}: ${c.name}: ${why}`);
        }
        perKind.set(c.kind, s);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const lines = [`hostile fuzz: seed ${SEED}, ${cases.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${failures.length} failed`];
  for (const [kind, s] of perKind) lines.push(`  ${kind}: ${s.n} cases, ${s.failed} failed, slowest ${s.maxMs} ms, peak RSS ${s.maxPeak.toFixed(0)} MiB`);
  t.diagnostic(lines.join('\n'));
  console.log(lines.join('\n'));
  assert.deepEqual(failures, [], failures.join('\n'));
});
