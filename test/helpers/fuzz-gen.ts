// Input generators for the fuzz test: a seeded PRNG, random bytes, token soup from the
// language's vocabulary, mutations of real files, and hand-made nasty inputs. The same seed
// always gives the same inputs (the watchdog's child process regenerates them by index).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { URI } from 'vscode-uri';
import type { Host } from '../../language-server/src/program';
import { examplesDir, invalidDir, listSnn, preludeDir, repoRoot, validDir } from './corpus';

/** sfc32: small, fast, good enough; fully determined by the seed. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const r = (t + this.d) | 0;
    this.c = (this.c + r) | 0;
    return r >>> 0;
  }
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
}

const KEYWORDS = [
  'model', 'import', 'neuron', 'synapse', 'population', 'connect', 'input', 'readout', 'probe', 'task', 'concept', 'target',
  'simulate', 'parameters', 'state', 'equations', 'method', 'spike', 'when', 'reset', 'refractory', 'holding', 'on_pre', 'on_post', 'summed', 'every', 'at',
  'window', 'and', 'or', 'not', 'true', 'false', 'euler', 'rk2', 'rk4', 'exact',
];
const PROPS = [
  'rule', 'weight', 'delay', 'target', 'synapse', 'modulated_by', 'autapses', 'pathways', 'layout', 'spacing', 'rate', 'times', 'indices', 'file',
  'values', 'from', 'alpha', 'bin', 'task', 'stimulus', 'during', 'description', 'dt', 'duration', 'seed', 'backend', 'weight_bits',
  'cores', 'neurons_per_core', 'fault_rate', 'period', 'start', 'stop',
];
const NAMES = [
  'LIF', 'CobaLIF', 'Izhikevich', 'AdEx', 'PoissonNeuron', 'ELM', 'Astrocyte', 'HomeostaticLIF', 'Static', 'PairSTDP', 'CalciumHebbian',
  'AstroSTDP', 'exc', 'inh', 'ext', 'cue', 'v', 'g_e', 'g_i', 'I_e', 'I_syn', 'tau_m', 'tau', 'C_m', 'V_th', 'E_l', 'w', 'w_max', 'pre',
  'post', 'mod', 'a', 'x', 'dv', 'dt', 't', 'i', 'N', 'xi', 'j', 'N_pre', 'N_post', 'ring', 'line', 'grid', 'rows', 'cols', 'p', 'k', 'sigma', 'p_max', 'auto', 'wasm',
  'webgpu', 'poisson', 'spike_array', 'event_file', 'current_step', 'ridge', 'onnx', 'loihi2', 'memristor',
  'random', 'all_to_all', 'one_to_one', 'fixed_indegree', 'distance', 'ring_kernel', 'from_file', 'linked', 'index', 'where', 'normal', 'uniform', 'lognormal',
  'exponential', 'exp', 'exprel', 'log', 'sqrt', 'abs', 'clip', 'min', 'max', 'rand', 'randn', 'sigmoid', 'heaviside', 'relu', 'tanh',
];
const UNITS = ['ms', 's', 'us', 'Hz', 'kHz', 'mV', 'V', 'nS', 'uS', 'pA', 'nA', 'pF', 'MOhm', 'um', 'mM', 'weight', 'mV/ms', 'um^2', 'nA*ms', '1/mV', 'cm^-2'];
const NUMBERS = ['0', '1', '2', '12', '0.5', '.25', '1e-3', '3e8', '-65', '1e308', '1e-400', '99999999999999999999', '0.0', '4000', '1.', '007'];
const PUNCT = ['{', '}', '(', ')', '[', ']', ',', ';', ':', '=', '+', '-', '*', '/', '%', '^', '<', '>', '.', '!', '->', '..', '+=', '-=', '*=', '/=', '<=', '>=', '==', '!=', '&&', '||', '...'];
const STRINGS = ['"x.snn"', '""', '"self.snn"', '"lib_cells.snn"', '"data/events.csv"', '"a b"', '"\\"q\\""', '"unterminated', '"missing.snn"'];
const TRIVIA = ['\n', '\n', '\n', ' ', ' ', '  ', '\t', '\r\n', '// comment\n', '/// doc\n', '/* block */', '/*', '*/', '\n\n'];
const ODD = ['\u0000', '\u00e9', '\u03c4', '\ud83d\ude00', '\ud800', '\udfff', '\ufeff', '\u2028', '@', '#', '$', '%', '`', '~', '\\', "'", '?', '|', '&'];

export const VOCABULARY = [...KEYWORDS, ...PROPS, ...NAMES, ...UNITS, ...NUMBERS, ...PUNCT, ...STRINGS];

export function randomToken(r: Rng): string {
  const x = r.float();
  if (x < 0.18) return r.pick(KEYWORDS);
  if (x < 0.28) return r.pick(PROPS);
  if (x < 0.46) return r.pick(NAMES);
  if (x < 0.56) return r.pick(UNITS);
  if (x < 0.66) return r.pick(NUMBERS);
  if (x < 0.86) return r.pick(PUNCT);
  if (x < 0.89) return r.pick(STRINGS);
  if (x < 0.97) return r.pick(TRIVIA);
  return r.pick(ODD);
}

/** A sequence of tokens with random (mostly single) spacing. */
export function tokenSoup(r: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += randomToken(r);
    const s = r.float();
    out += s < 0.55 ? ' ' : s < 0.75 ? '' : s < 0.92 ? '\n' : '  ';
  }
  return out;
}

/** Random bytes read as latin1 (every code unit 0..255). */
export function randomBytes(r: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(r.int(0, 255));
  return out;
}

/** Random UTF-16 code units, lone surrogates included. */
export function randomUtf16(r: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(r.chance(0.7) ? r.int(0, 127) : r.int(0, 0xffff));
  return out;
}

/** Applies 1..maxOps random edits: delete, duplicate, swap spans, insert tokens, truncate... */
export function mutate(r: Rng, text: string, maxOps = 4): string {
  let s = text;
  const ops = r.int(1, maxOps);
  for (let k = 0; k < ops; k++) {
    const n = s.length;
    const a = r.int(0, n);
    const len = r.chance(0.7) ? r.int(0, 12) : r.int(0, Math.max(0, Math.min(400, n - a)));
    const b = Math.min(n, a + len);
    switch (r.int(0, 9)) {
      case 0: // delete a span
        s = s.slice(0, a) + s.slice(b);
        break;
      case 1: // duplicate a span
        s = s.slice(0, b) + s.slice(a, b) + s.slice(b);
        break;
      case 2: {
        // swap two spans
        const c = r.int(b, n);
        const d = Math.min(n, c + r.int(0, 30));
        s = s.slice(0, a) + s.slice(c, d) + s.slice(b, c) + s.slice(a, b) + s.slice(d);
        break;
      }
      case 3: // insert random tokens
        s = s.slice(0, a) + tokenSoup(r, r.int(1, 4)) + s.slice(a);
        break;
      case 4: // truncate
        s = s.slice(0, a);
        break;
      case 5: // replace one character with punctuation or an odd character
        s = s.slice(0, a) + (r.chance(0.8) ? r.pick(PUNCT) : r.pick(ODD)) + s.slice(a + 1);
        break;
      case 6: // delete a closing bracket or quote somewhere
      {
        const which = r.pick(['}', ')', ']', '"', '{', '(']);
        const at = s.indexOf(which, a);
        if (at >= 0) s = s.slice(0, at) + s.slice(at + 1);
        break;
      }
      case 7: // swap two lines
      {
        const lines = s.split('\n');
        if (lines.length > 1) {
          const i = r.int(0, lines.length - 1);
          const j = r.int(0, lines.length - 1);
          [lines[i], lines[j]] = [lines[j], lines[i]];
          s = lines.join('\n');
        }
        break;
      }
      case 8: // change a number
        s = s.replace(/\d+(\.\d+)?/g, (m) => (r.chance(0.05) ? r.pick(NUMBERS) : m));
        break;
      default: // insert a newline or a semicolon
        s = s.slice(0, a) + r.pick(['\n', ';', ' ', '\r\n']) + s.slice(a);
    }
  }
  return s;
}

/** Hand-made inputs from the fuzz issue: deep nesting, huge files, unterminated things. */
export function specials(base: string): { name: string; text: string; bound: number }[] {
  const deep = (open: string, close: string, n: number, inner = '1 mV') => `population p = LIF[10] {\n  v = ${open.repeat(n)}${inner}${close.repeat(n)}\n}\n`;
  const big = (bytes: number) => {
    let s = '';
    let k = 0;
    while (s.length < bytes) s += base.replace(/\b(model|population|connect|neuron|synapse|input|readout|task|concept|target) (\w+)/g, (_, kw, name) => `${kw} ${name}_${k}`) + '\n', k++;
    return s;
  };
  const N = 10_000;
  return [
    { name: 'empty', text: '', bound: 1000 },
    { name: 'only newlines', text: '\n'.repeat(50_000), bound: 3000 },
    { name: 'only semicolons', text: ';'.repeat(100_000), bound: 3000 },
    { name: '10,000-deep parentheses', text: deep('(', ')', N), bound: 3000 },
    { name: '10,000-deep parentheses, unclosed', text: deep('(', '', N), bound: 3000 },
    { name: '10,000-deep brackets', text: deep('[', ']', N), bound: 3000 },
    { name: '10,000-deep braces', text: `neuron X ${'{'.repeat(N)}${'}'.repeat(N)}\n`, bound: 3000 },
    { name: '10,000-deep call arguments', text: deep('exp(', ')', N, '1'), bound: 3000 },
    { name: '10,000 unary minus', text: deep('-', '', N), bound: 3000 },
    { name: '10,000 not', text: `neuron X { state { v = 0 }\n spike when ${'not '.repeat(N)}v > 1 }\n`, bound: 3000 },
    { name: '10,000-term sum', text: `population p = LIF[10] {\n  v = ${Array(N).fill('1 mV').join(' + ')}\n}\n`, bound: 3000 },
    { name: '10,000-term product', text: `population p = LIF[10] {\n  v = 1 mV${' * 1'.repeat(N)}\n}\n`, bound: 3000 },
    { name: '10,000-level power tower', text: `population p = LIF[10] {\n  tau_m = 2${'^1'.repeat(N)} ms\n}\n`, bound: 3000 },
    { name: '10,000 comparisons and', text: `neuron X { state { v = 0 }\n spike when ${Array(N).fill('v > 1').join(' and ')} }\n`, bound: 3000 },
    { name: '10,000 chained indexes', text: `probe v(p${'[0]'.repeat(N)})\n`, bound: 3000 },
    { name: '10,000 member accesses', text: `synapse S { on_pre { target += post${'.v'.repeat(N)} } }\n`, bound: 3000 },
    { name: '10,000-line equation continued by operators', text: `neuron X { state { v = 0 }\n equations { dv/dt = 1/(1 ms) +\n${' 0/(1 ms) +\n'.repeat(N)} 0/(1 ms) } }\n`, bound: 3000 },
    { name: 'unterminated block', text: 'neuron X {\n  parameters {\n    tau = 10 ms\n', bound: 1000 },
    { name: 'unterminated blocks, nested', text: 'neuron X { parameters { state { equations { reset { on_pre {', bound: 1000 },
    { name: 'unterminated string', text: 'model m\nimport "never closed\ninput d = event_file[3] { file: "x }\n', bound: 1000 },
    { name: 'unterminated comment', text: 'model m\n/* never closed\npopulation p = LIF[3]\n', bound: 1000 },
    { name: 'comment closer only', text: '*/ */ */\npopulation p = LIF[3]\n', bound: 1000 },
    { name: 'imports itself', text: 'model self\nimport "self.snn"\npopulation p = LIF[3]\n', bound: 1000 },
    { name: 'imports itself through ./', text: 'model self\nimport "./self.snn"\nimport "../fuzz/self.snn"\n', bound: 1000 },
    { name: 'import cycle with a corpus file', text: 'model cyc\nimport "cyc2.snn"\n', bound: 1000 },
    { name: 'imports of odd paths', text: 'import ""\nimport "/"\nimport "."\nimport ".."\nimport "\\u0000"\nimport "nul:x"\nimport "c:\\\\x.snn"\nimport "http://example.invalid/x.snn"\n', bound: 1000 },
    { name: 'binary garbage (NUL, control bytes)', text: '\u0000\u0001\u0002\u0003\u00ff\u00fe'.repeat(10_000), bound: 3000 },
    { name: 'lone surrogates', text: 'population p\ud800 = LIF[3] { v = 1 \udc00mV }\n'.repeat(100), bound: 1000 },
    { name: 'BOM and CRLF', text: `\ufeff${base.replace(/\n/g, '\r\n')}`, bound: 1000 },
    { name: 'CR only line ends', text: base.replace(/\n/g, '\r'), bound: 1000 },
    // Same bound as the 1 MB model: it catches a super-linear blow-up (minutes), it does not time the machine.
    { name: 'one 1 MB line', text: `population p = LIF[10] { v = ${'1 mV + '.repeat(150_000)}1 mV }`.slice(0, 1_000_000), bound: 10_000 },
    { name: '1 MB model', text: big(1_000_000), bound: 10_000 },
    { name: '10 MB file', text: big(10_000_000), bound: 30_000 }, // ~9 s here; a quadratic step would take minutes
  ];
}

// ---- the inputs of the in-process part -----------------------------------------------------------

/** Default time bound per ordinary input (all features together), in ms. */
export const BOUND_MS = 1500;

export interface Input {
  kind: 'bytes' | 'utf16' | 'soup' | 'mutation' | 'special' | 'corpus';
  name: string;
  text: string;
  bound: number;
  /** The virtual file the text is checked as (imports resolve next to it). */
  path: string;
}

export const ROOT = '/fuzz';

let seeds: { path: string; text: string }[] | undefined;
/** The examples, the corpus and the prelude, as files of a virtual workspace under /fuzz. */
export function seedFiles(): { path: string; text: string }[] {
  seeds ??= [...listSnn(examplesDir), ...listSnn(validDir), ...listSnn(invalidDir), ...listSnn(preludeDir)].map((p) => ({
    path: `${ROOT}/${relative(repoRoot, p).replace(/\\/g, '/')}`,
    text: readFileSync(p, 'utf8'),
  }));
  return seeds;
}

export function vuri(path: string): string {
  return URI.file(path).toString();
}

/** An in-memory host: the seed files, plus cyc2.snn next to each, which imports cyc.snn (a cycle). */
export function memoryHost(): Host {
  const files = new Map(seedFiles().map((f) => [vuri(f.path), f.text]));
  for (const dir of new Set(seedFiles().map((f) => f.path.slice(0, f.path.lastIndexOf('/'))))) {
    files.set(vuri(`${dir}/cyc2.snn`), 'model cyc2\nimport "cyc.snn"\n');
  }
  return { readFile: (uri) => files.get(uri) };
}

/** The in-process inputs for a seed: corpus files, bytes, UTF-16, token soup, mutations, specials. */
export function generateInputs(seed: number, scale: number): Input[] {
  const rng = new Rng(seed);
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const out: Input[] = [];
  const files = seedFiles();
  const inDir = (k: number) => `${ROOT}/test/corpus/valid/fuzz${k}.snn`;
  let k = 0;
  for (const f of files) out.push({ kind: 'corpus', name: f.path.slice(ROOT.length + 1), text: f.text, bound: BOUND_MS, path: f.path });
  for (let i = 0; i < n(250); i++) out.push({ kind: 'bytes', name: `bytes#${i}`, text: randomBytes(rng, rng.int(0, rng.chance(0.1) ? 20_000 : 1500)), bound: BOUND_MS, path: inDir(k++) });
  for (let i = 0; i < n(150); i++) out.push({ kind: 'utf16', name: `utf16#${i}`, text: randomUtf16(rng, rng.int(0, 1500)), bound: BOUND_MS, path: inDir(k++) });
  for (let i = 0; i < n(900); i++) out.push({ kind: 'soup', name: `soup#${i}`, text: tokenSoup(rng, rng.int(1, rng.chance(0.1) ? 3000 : 300)), bound: BOUND_MS, path: inDir(k++) });
  for (let i = 0; i < n(2200); i++) {
    const f = rng.pick(files);
    // Mutated files keep their own path, so that their imports (and self-imports) resolve.
    out.push({ kind: 'mutation', name: `mutation#${i} of ${f.path.slice(ROOT.length + 1)}`, text: mutate(rng, f.text, rng.chance(0.2) ? 12 : 4), bound: BOUND_MS, path: f.path });
  }
  const coba = files.find((f) => f.path.endsWith('examples/coba.snn'))!.text;
  for (const s of specials(coba)) {
    const path = s.name.includes('itself') ? `${ROOT}/self.snn` : s.name.includes('cycle') ? `${ROOT}/examples/cyc.snn` : inDir(k++);
    out.push({ kind: 'special', name: s.name, text: s.text, bound: s.bound, path });
  }
  return out;
}
