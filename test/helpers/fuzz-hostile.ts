// Hostile inputs for the whole tool (issue 12's classes): tiny connection probabilities, huge
// recordings, special and out-of-workspace files, deep import chains, constants that fold to
// NaN/Inf, step counts past 2³¹, build work that explodes (distance rules, periodic arrays), NaN
// inside exp. Each case is a small workspace (files written into a fresh folder), one CLI
// command, a time bound and a property of the outcome. Seeded: the same seed gives the same cases.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from './fuzz-gen';

/** Text that must never appear in any output: planted in a file outside the workspace and in the CLI's environment. */
export const CANARY = 'CANARY_c4f1e9';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the CLI process (VmHWM), MiB, as last read before it exited. */
  peakMiB: number;
  /** The --out folder, when the command had one. */
  out?: string;
}

export interface HostileCase {
  kind: string;
  name: string;
  /** Files of the workspace (relative path → text); the model is `model.snn`. */
  files: Record<string, string>;
  /** Special files to make in the workspace (relative path → what). */
  special?: Record<string, 'fifo' | 'sparse-3g' | 'link-out' | 'folder'>;
  /** CLI arguments after the command; `model.snn` is relative to the workspace (the cwd). */
  args: string[];
  boundMs: number;
  /** undefined when the outcome is right, else what is wrong. */
  expect: (r: CliResult) => string | undefined;
}

const HEADER = 'model hostile\n';

/** The CLI ended by itself (no signal, no crash code 2 = internal error / failed simulation). */
function cleanExit(r: CliResult, allowed: number[]): string | undefined {
  if (r.signal) return `killed by ${r.signal}`;
  if (!allowed.includes(r.code ?? -1)) return `exit ${r.code}, expected ${allowed.join(' or ')}: ${r.stderr.slice(-300)}`;
  if (/internal error|RangeError|Maximum call stack|unrepresentable|Invalid string length|Map maximum size/i.test(r.stderr + r.stdout)) return `crash text in output: ${(r.stderr + r.stdout).slice(-300)}`;
  return undefined;
}

function noCanary(r: CliResult): string | undefined {
  return (r.stdout + r.stderr).includes(CANARY) ? 'the output contains text from a file outside the workspace or the environment' : undefined;
}

function jsonCheck(r: CliResult, wantErrors: boolean): string | undefined {
  let parsed: { files: { diagnostics: { severity: string; message: string }[] }[] };
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    return `check --format json printed no JSON: ${r.stdout.slice(0, 200)} ${r.stderr.slice(-200)}`;
  }
  const errors = parsed.files.flatMap((f) => f.diagnostics).filter((d) => d.severity === 'error');
  if (wantErrors && errors.length === 0) return 'expected an error diagnostic, found none';
  if (wantErrors && r.code !== 1) return `errors reported but exit ${r.code}`;
  return undefined;
}

function all(...checks: ((r: CliResult) => string | undefined)[]): (r: CliResult) => string | undefined {
  return (r) => {
    for (const c of checks) {
      const why = c(r);
      if (why) return why;
    }
    return undefined;
  };
}

const LIF_POP = (name: string, n: number) => `population ${name} = LIF[${n}]\n`;

/** Every hostile case for a seed; `scale` multiplies the randomised classes. */
export function hostileCases(seed: number, scale: number): HostileCase[] {
  const rng = new Rng(seed);
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const cases: HostileCase[] = [];

  // -- tiny probabilities: the draw must end, with (almost surely) no synapse -----------------
  const tiny = ['1e-17', '5e-324', '1e-300', '0', '1.1e-16', '2e-16', '1e-40'];
  for (let i = 0; i < n(8); i++) {
    const p = i < tiny.length ? tiny[i] : `${(rng.float() * 1e-15).toExponential(3)}`;
    const ns = rng.int(1, 20000);
    const nt = rng.int(1, 20000);
    cases.push({
      kind: 'tiny-p',
      name: `tiny-p#${i} p=${p} ${ns}→${nt}`,
      files: { 'model.snn': `${HEADER}${LIF_POP('a', ns)}${LIF_POP('b', nt)}connect a -> b { rule: random(p = ${p}); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 5 ms; seed: ${rng.int(0, 1000)} }\n` },
      args: ['run', 'model.snn', '--format', 'json'],
      boundMs: 20_000,
      expect: all((r) => cleanExit(r, [0]), (r) => (/"spikes"|"rates"|\{/.test(r.stdout) ? undefined : 'no summary')),
    });
  }

  // -- recordings far over the memory limit: refused or stopped cleanly, within the limit -----
  const limit = 300;
  for (let i = 0; i < n(4); i++) {
    const big = rng.int(200_000, 2_000_000);
    const every = rng.pick(['every 0.1 ms', '']);
    cases.push({
      kind: 'huge-recording',
      name: `huge-recording#${i} probe v,I_syn of LIF[${big}] ${every || 'every step'}`,
      files: { 'model.snn': `${HEADER}${LIF_POP('p', big)}probe v(p) ${every}\nprobe I_syn(p) ${every}\nprobe spikes(p)\nsimulate { dt: 0.1 ms; duration: 2 s }\n` },
      args: ['run', 'model.snn', '--memory-limit', String(limit), '--out', 'out'],
      boundMs: 30_000,
      expect: all((r) => cleanExit(r, [0, 1]), (r) => (r.code === 1 && !/memory|limit|MiB|MB/i.test(r.stderr) ? `refused without naming the memory limit: ${r.stderr.slice(-200)}` : undefined)),
    });
  }
  for (let i = 0; i < n(2); i++) {
    const big = rng.int(50_000, 200_000);
    cases.push({
      kind: 'huge-recording',
      name: `spike-flood#${i} poisson[${big}] at 900 Hz`,
      files: { 'model.snn': `${HEADER}input src = poisson[${big}] { rate: 900 Hz }\nprobe spikes(src)\nsimulate { dt: 0.1 ms; duration: 100 s }\n` },
      args: ['run', 'model.snn', '--memory-limit', String(limit), '--duration', '20'],
      boundMs: 60_000,
      expect: all((r) => cleanExit(r, [0, 1])),
    });
  }

  // -- files a model must not read: special files, outside the workspace, huge ---------------
  const targets: { what: string; path: string; special?: HostileCase['special'] }[] = [
    { what: '/dev/zero', path: '/dev/zero' },
    { what: '/proc/self/environ', path: '/proc/self/environ' },
    { what: 'a FIFO', path: 'data/pipe.csv', special: { 'data/pipe.csv': 'fifo' } },
    { what: 'a folder', path: 'data/dir.csv', special: { 'data/dir.csv': 'folder' } },
    { what: 'a sparse 3 GiB file', path: 'data/huge.csv', special: { 'data/huge.csv': 'sparse-3g' } },
    { what: 'a symlink out of the workspace', path: 'data/link.csv', special: { 'data/link.csv': 'link-out' } },
    { what: 'a path out of the workspace', path: '../outside/secret.csv' },
  ];
  const uses: { where: string; model: (p: string) => string }[] = [
    { where: 'population value', model: (p) => `${HEADER}population a = LIF[3] { tau_m = from_file("${p}", column = "w", unit = ms) }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n` },
    { where: 'connection weight', model: (p) => `${HEADER}${LIF_POP('a', 2)}${LIF_POP('b', 2)}connect a -> b { rule: all_to_all; weight: from_file("${p}", column = "w", unit = pA); target: I_syn }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n` },
    { where: 'edge list', model: (p) => `${HEADER}${LIF_POP('a', 2)}${LIF_POP('b', 2)}connect a -> b { rule: from_file("${p}"); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n` },
    { where: 'event file', model: (p) => `${HEADER}input ev = event_file[4] { file: "${p}" }\n${LIF_POP('b', 4)}connect ev -> b { rule: one_to_one; weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n` },
  ];
  for (const t of targets) {
    for (const u of uses) {
      for (const cmd of ['check', 'run'] as const) {
        cases.push({
          kind: 'special-file',
          name: `${u.where} from ${t.what} (${cmd})`,
          files: { 'model.snn': u.model(t.path) },
          special: t.special,
          args: cmd === 'check' ? ['check', 'model.snn', '--format', 'json'] : ['run', 'model.snn'],
          boundMs: 15_000,
          expect: all((r) => cleanExit(r, [1]), noCanary, (r) => (cmd === 'check' ? jsonCheck(r, true) : undefined)),
        });
      }
    }
  }

  // -- import chains: deep, cyclic ------------------------------------------------------------
  for (const depth of [2, 63, 64, 65, 300, 1000]) {
    const files: Record<string, string> = {};
    for (let k = 0; k < depth; k++) files[k === 0 ? 'model.snn' : `chain/f${k}.snn`] = `model m${k}\n${k + 1 < depth ? `import "${k === 0 ? 'chain/' : ''}f${k + 1}.snn"\n` : ''}neuron N${k} { state { v: mV = 0 mV } equations { dv/dt = -v / (10 ms) } }\n`;
    cases.push({
      kind: 'deep-imports',
      name: `import chain of ${depth} files`,
      files,
      args: ['check', 'model.snn', '--format', 'json'],
      boundMs: 20_000,
      expect: all((r) => cleanExit(r, [0, 1]), (r) => jsonCheck(r, depth > 64)),
    });
  }
  {
    const files: Record<string, string> = {};
    for (let k = 0; k < 50; k++) files[k === 0 ? 'model.snn' : `c${k}.snn`] = `model c${k}\nimport "${k + 1 < 50 ? `c${k + 1}` : 'model'}.snn"\n`;
    cases.push({ kind: 'deep-imports', name: 'import cycle of 50 files', files, args: ['check', 'model.snn', '--format', 'json'], boundMs: 20_000, expect: all((r) => cleanExit(r, [1]), (r) => jsonCheck(r, true)) });
  }

  // -- constants that fold to NaN or Inf -------------------------------------------------------
  const nanExprs = ['0/0 * 1 ms', '(1e308 * 10) * 1 ms', 'log(0) * 1 ms', 'sqrt(-1) * 1 ms', 'exp(1000) * 1 ms', '1 ms / 0', '(1 - 1)^-1 * 1 ms', '1e200 * 1e200 * 1 ms'];
  for (const e of nanExprs) {
    for (const cmd of ['check', 'export'] as const) {
      cases.push({
        kind: 'nan-constant',
        name: `tau_m = ${e} (${cmd})`,
        files: { 'model.snn': `${HEADER}population a = LIF[3] { tau_m = ${e} }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n` },
        args: cmd === 'check' ? ['check', 'model.snn', '--format', 'json'] : ['export', 'model.snn'],
        boundMs: 10_000,
        expect: all((r) => cleanExit(r, [1]), (r) => (cmd === 'check' ? jsonCheck(r, true) : /null/.test(r.stdout) ? 'exported null' : undefined)),
      });
    }
  }

  // -- step counts and build work --------------------------------------------------------------
  for (const d of ['1e6', '3e6', '1e12']) {
    cases.push({
      kind: 'steps',
      name: `--duration ${d} s at dt 0.1 ms`,
      files: { 'model.snn': `${HEADER}${LIF_POP('a', 2)}simulate { dt: 0.1 ms; duration: 1 s }\n` },
      args: ['run', 'model.snn', '--duration', d],
      boundMs: 10_000,
      expect: all((r) => cleanExit(r, [1]), (r) => (/step/i.test(r.stderr) ? undefined : `refusal does not mention steps: ${r.stderr.slice(-200)}`)),
    });
  }
  cases.push({
    kind: 'build',
    name: 'distance rule on 200k neurons (4e10 pairs)',
    files: { 'model.snn': `${HEADER}population a = LIF[200000] { layout: grid(rows = 400, cols = 500); spacing: 10 um }\nconnect a -> a { rule: distance(sigma = 50 um, p_max = 0.1); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n` },
    args: ['run', 'model.snn'],
    boundMs: 20_000,
    // Refused from its estimate (naming it), or built within the bound.
    expect: all((r) => cleanExit(r, [0, 1]), (r) => (r.code === 1 && !/pair|estimate|connect/i.test(r.stderr) ? `refused without saying why: ${r.stderr.slice(-200)}` : undefined)),
  });
  cases.push({
    kind: 'build',
    name: 'periodic spike array, 1 ms period over 300 s (3e5 periods)',
    files: { 'model.snn': `${HEADER}input cue = spike_array[4] { times: [0.1 ms, 0.3 ms]; indices: [0, 3]; period: 1 ms }\n${LIF_POP('b', 4)}connect cue -> b { rule: one_to_one; weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 1 s }\n` },
    args: ['run', 'model.snn', '--duration', '300'],
    boundMs: 40_000,
    expect: all((r) => cleanExit(r, [0])),
  });

  // -- NaN inside exp on the scalar path: the NaN/Inf stop, not a trap -------------------------
  const inner = ['exp(sqrt(x - 2))', 'sigmoid(sqrt(x - 2))', 'exp(log(x - 2))', 'exp(x * 1000)'];
  for (const size of [1, 3, 5, 7]) {
    for (const f of inner) {
      cases.push({
        kind: 'nan-in-exp',
        name: `dx/dt = ${f} / ms, ${size} neurons`,
        files: { 'model.snn': `${HEADER}neuron Boom {\n  state { x: 1 = 1 }\n  equations { dx/dt = ${f} / (1 ms) }\n}\npopulation a = Boom[${size}]\nsimulate { dt: 0.1 ms; duration: 10 ms }\n` },
        args: ['run', 'model.snn', '--format', 'json'],
        boundMs: 10_000,
        expect: all((r) => cleanExit(r, [1]), (r) => (/NaN\/Inf: population a, variable x/.test(r.stderr) ? undefined : `no NaN/Inf stop with its place: ${r.stderr.slice(-200)}`)),
      });
    }
  }
  return cases;
}

/** Writes a case's workspace into `dir` (which exists and is empty); `outside` holds the canary. */
export function materialise(c: HostileCase, dir: string, outside: string): void {
  for (const [rel, text] of Object.entries(c.files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  for (const [rel, what] of Object.entries(c.special ?? {})) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (what === 'fifo') execFileSync('mkfifo', [p]);
    else if (what === 'folder') fs.mkdirSync(p);
    else if (what === 'link-out') fs.symlinkSync(path.join(outside, 'secret.csv'), p);
    else {
      const fd = fs.openSync(p, 'w');
      fs.ftruncateSync(fd, 3 * 2 ** 30);
      fs.closeSync(fd);
    }
  }
}

/** The folder beside every workspace: a CSV whose header and values are the canary. */
export function makeOutside(base: string): string {
  const outside = path.join(base, 'outside');
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, 'secret.csv'), `w,${CANARY}\n1,2\n3,4\n5,6\n`);
  return outside;
}
