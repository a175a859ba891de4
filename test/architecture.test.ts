// The import rules of ARCHITECTURE.md, checked on every .ts file of the repository (node_modules
// and dist left out): no module-level import cycle; the engine's backends (sim-host/src/wasm,
// sim-host/src/webgpu) never import each other; no Node import in the engine's core or backends
// (webgpu/device.ts may load Node modules lazily: it finds the adapter in Node); core imports
// only itself and protocol/; interop/ (exporters) only itself and protocol/, no Node; sim-host/src/sweep/ and sim-host/src/analysis/ (pure) only themselves, core/ and protocol/; protocol/ only itself; webviews/ only protocol/, webviews/,
// @vscode-elements/* and @dagrejs/dagre (graph layout); the language server neither extension/, cli/, vscode nor the engine (its
// memory estimate, sim-host/src/core/estimate.ts, excepted); nothing imports "upwards" into
// extension/ or cli/. A violation fails with the chain of imports that breaks the rule. The
// checker is a pure function over an import graph, tested first on planted violations.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from './helpers/build';

/** One import of a module: its specifier, the repository file it resolves to (relative, '/'), whether it is dynamic. */
interface Edge {
  spec: string;
  to?: string;
  dynamic: boolean;
}

/** Module (repository-relative path) → its imports. */
type Graph = Map<string, Edge[]>;

const SKIP = new Set(['node_modules', 'dist', '.git', '.vscode-test', 'out']);

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name) || e.isSymbolicLink()) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) tsFiles(p, out);
    else if (/\.(c|m)?tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The import specifiers of a TypeScript source: static (import/export … from, bare import) and dynamic (import(), require()). */
export function importsOf(text: string): { spec: string; dynamic: boolean }[] {
  // Comments out first (a `//` inside a string is rare in import lines; strings stay as they are).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out: { spec: string; dynamic: boolean }[] = [];
  for (const m of code.matchAll(/(?:^|[\n;])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*$\s{},]*?)\s*from\s*['"]([^'"\n]+)['"]/g)) out.push({ spec: m[1], dynamic: false });
  for (const m of code.matchAll(/(?:^|[\n;])\s*import\s*['"]([^'"\n]+)['"]/g)) out.push({ spec: m[1], dynamic: false });
  for (const m of code.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g)) out.push({ spec: m[1], dynamic: true });
  return out;
}

/** Resolves a relative specifier of `from` to a repository file, or undefined (a package, or not a file). */
function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.join(repoRoot, path.dirname(from), spec);
  const stripped = base.replace(/\.(m|c)?js$/, '');
  for (const c of [base, `${stripped}.ts`, `${stripped}.tsx`, `${stripped}.mts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(c) && fs.statSync(c).isFile()) return path.relative(repoRoot, c).split(path.sep).join('/');
  }
  return undefined;
}

function repoGraph(): Graph {
  const g: Graph = new Map();
  for (const file of tsFiles(repoRoot)) {
    const rel = path.relative(repoRoot, file).split(path.sep).join('/');
    g.set(rel, importsOf(fs.readFileSync(file, 'utf8')).map((i) => ({ ...i, to: resolve(rel, i.spec) })));
  }
  return g;
}

const NODE_BUILTINS = new Set(builtinModules);
/** Packages that exist only in Node (the engine's browser bundles must not reach them). */
const NODE_ONLY_PACKAGES = new Set(['webgpu', 'tsx', 'esbuild', 'playwright-core', 'vscode-languageserver/node', 'vscode-languageclient/node']);

function isNodeOnly(spec: string): boolean {
  return spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_ONLY_PACKAGES.has(spec);
}

const under = (file: string, dir: string) => file.startsWith(`${dir}/`);
const ENGINE = 'sim-host/src';
const CORE = `${ENGINE}/core`;
const BACKENDS = [`${ENGINE}/wasm`, `${ENGINE}/webgpu`, `${ENGINE}/targets`];
/** Parameter sweeps: pure like core (spec, estimate, results), over core and protocol only. */
const SWEEP = `${ENGINE}/sweep`;
/** Analyses of results (Describe Neurons, readouts): pure, over core and protocol only; never a backend. */
const ANALYSIS = `${ENGINE}/analysis`;
/** Which analyses one analysis may use (circuit discovery scores runs with the readout core); no others import each other. */
const ANALYSIS_USES: Record<string, string[]> = { circuits: ['readout'] };
const analysisOf = (file: string) => (under(file, ANALYSIS) ? file.slice(ANALYSIS.length + 1).split('/')[0] : undefined);
/** The ONNX backend (onnxruntime-web, onnx-proto): a backend beside wasm/ and webgpu/ over core/, protocol/ and the analysis cores it drives; no Node import; no other part of the engine's core, backends or analyses imports it. */
const ONNX = `${ENGINE}/onnx`;
const ONNX_PACKAGES = /^(onnx-proto|onnxruntime-web)(\/|$)/;

/** Top-level harnesses that may reach into any area (they test or measure it). */
const HARNESS = ['test', 'bench', 'scripts'];

/** The import cycles of `g` (one chain per strongly connected component), static imports only. */
export function cycles(g: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const next = (v: string) => (g.get(v) ?? []).filter((e) => e.to && !e.dynamic && g.has(e.to)).map((e) => e.to!);
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      const self = next(v).includes(v);
      if (comp.length > 1 || self) out.push(chainIn(new Set(comp), v, next));
    }
  };
  for (const v of [...g.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

/** A cycle through `start` inside one component, as a chain a → b → … → a (breadth-first: a shortest one). */
function chainIn(comp: Set<string>, start: string, next: (v: string) => string[]): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of next(v)) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const chain = [v];
        while (chain[0] !== start) chain.unshift(prev.get(chain[0])!);
        return [...chain, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/** Every broken rule of `g`, one line each with the import (or chain) that breaks it. */
export function violations(g: Graph): string[] {
  const out: string[] = [];
  for (const c of cycles(g)) out.push(`import cycle: ${c.join(' → ')}`);
  for (const [from, edges] of g) {
    for (const e of edges) {
      const to = e.to;
      const where = `${from} imports '${e.spec}'${e.dynamic ? ' (dynamically)' : ''}`;
      // The engine's backends are siblings over core.
      if ((under(from, `${ENGINE}/webgpu`) && to && under(to, `${ENGINE}/wasm`)) || (under(from, `${ENGINE}/wasm`) && to && under(to, `${ENGINE}/webgpu`))) out.push(`backend imports backend: ${where}`);
      // No Node in the engine's core and backends (device.ts finds a Node adapter lazily).
      if ((under(from, CORE) || BACKENDS.some((b) => under(from, b))) && isNodeOnly(e.spec)) {
        if (!(from === `${ENGINE}/webgpu/device.ts` && e.dynamic)) out.push(`Node import in the engine core/backends: ${where}`);
      }
      // Core: only itself and protocol/ (never a backend, never a package).
      if (under(from, CORE) && !(to && (under(to, CORE) || under(to, 'protocol')))) {
        out.push(`${to && BACKENDS.some((b) => under(to, b)) ? 'core imports a backend' : 'core imports outside core/ and protocol/'}: ${where}`);
      }
      // Sweeps: pure (no Node), only core/, protocol/ and themselves.
      if (under(from, SWEEP) && (isNodeOnly(e.spec) || !(to && (under(to, SWEEP) || under(to, CORE) || under(to, 'protocol'))))) out.push(`sweep/ imports outside sweep/, core/ and protocol/: ${where}`);
      if (under(from, ANALYSIS) && (isNodeOnly(e.spec) || !(to && (under(to, ANALYSIS) || under(to, CORE) || under(to, 'protocol'))))) out.push(`analysis/ imports outside analysis/, core/ and protocol/: ${where}`);
      const [fa, ta] = [analysisOf(from), to ? analysisOf(to) : undefined];
      if (fa && ta && fa !== ta && !(ANALYSIS_USES[fa] ?? []).includes(ta)) out.push(`analysis ${fa}/ imports analysis ${ta}/: ${where}`);
      // runtime.ts finds Node's fs/path/url/module at run time (process.getBuiltinModule) for the runtime's files
      if (under(from, ONNX)) {
        const allowed = isNodeOnly(e.spec) ? from === `${ONNX}/runtime.ts` && e.dynamic : to ? [ONNX, CORE, ANALYSIS, 'protocol'].some((d) => under(to, d)) : ONNX_PACKAGES.test(e.spec);
        if (!allowed) out.push(`onnx/ imports outside onnx/, core/, analysis/, protocol/ and its two packages: ${where}`);
      }
      if (to && under(to, ONNX) && [CORE, ANALYSIS, SWEEP, ...BACKENDS].some((d) => under(from, d))) out.push(`the engine's core, backends or analyses import onnx/: ${where}`);
      if (under(from, 'protocol') && !(to && under(to, 'protocol'))) out.push(`protocol/ imports outside itself: ${where}`);
      // Exporters to other simulators: pure, from the checked IR (protocol/) and themselves only.
      if (under(from, 'interop') && (isNodeOnly(e.spec) || !(to && (under(to, 'interop') || under(to, 'protocol'))))) out.push(`interop/ imports outside interop/ and protocol/: ${where}`);
      // Packages: the UI toolkit, and dagre for the Circuits panel's graph layout.
      if (under(from, 'webviews') && !(to ? under(to, 'protocol') || under(to, 'webviews') : e.spec.startsWith('@vscode-elements/') || e.spec === '@dagrejs/dagre')) out.push(`webviews/ imports outside protocol/, webviews/, @vscode-elements and @dagrejs/dagre: ${where}`);
      if (under(from, 'language-server')) {
        if (e.spec === 'vscode' || (to && (under(to, 'extension') || under(to, 'cli')))) out.push(`language-server imports the editor or a front end: ${where}`);
        if (to && under(to, 'sim-host') && to !== `${CORE}/estimate.ts`) out.push(`language-server imports the engine (only ${CORE}/estimate.ts is allowed): ${where}`);
      }
      // Nothing imports upwards into the front ends (their own files and the harnesses excepted).
      for (const top of ['extension', 'cli']) {
        if (to && under(to, top) && !under(from, top) && !HARNESS.some((h) => under(from, h))) out.push(`import upwards into ${top}/: ${where}`);
      }
    }
  }
  return out;
}

describe('architecture: the import rules', () => {
  const graph = (edges: Record<string, (string | [string, 'dynamic'])[]>): Graph =>
    new Map(Object.entries(edges).map(([from, tos]) => [from, tos.map((t) => {
      const [spec, dyn] = Array.isArray(t) ? t : [t];
      return { spec, to: spec.includes('/') && !spec.startsWith('node:') && !spec.startsWith('@') ? spec : undefined, dynamic: dyn === 'dynamic' };
    })]));

  it('the checker finds planted violations (each rule can fail)', () => {
    const g = graph({
      'sim-host/src/core/a.ts': ['sim-host/src/core/b.ts', 'protocol/ir.ts'],
      'sim-host/src/core/b.ts': ['sim-host/src/core/c.ts'],
      'sim-host/src/core/c.ts': ['sim-host/src/core/a.ts', 'node:path', 'sim-host/src/wasm/x.ts'],
      'sim-host/src/wasm/x.ts': ['sim-host/src/webgpu/y.ts'],
      'sim-host/src/webgpu/y.ts': ['sim-host/src/core/a.ts', 'node:fs'],
      'sim-host/src/webgpu/device.ts': [['node:url', 'dynamic'], 'node:os'],
      'protocol/ir.ts': ['io/safe-read.ts'],
      'webviews/raster/main.ts': ['protocol/ir.ts', '@vscode-elements/elements', 'lodash'],
      'language-server/src/x.ts': ['vscode', 'sim-host/src/core/estimate.ts', 'sim-host/src/core/plan.ts', 'cli/src/run.ts'],
      'sim-host/src/core/estimate.ts': [],
      'sim-host/src/core/plan.ts': [],
      'cli/src/run.ts': ['extension/src/x.ts'],
      'extension/src/x.ts': [],
      'test/t.ts': ['extension/src/x.ts'],
      'sim-host/src/sweep/s.ts': ['sim-host/src/core/plan.ts', 'protocol/ir.ts', 'node:os', 'sim-host/src/host.ts'],
      'sim-host/src/host.ts': [],
      'sim-host/src/analysis/readout/r.ts': ['sim-host/src/core/run.ts', 'protocol/ir.ts', 'sim-host/src/analysis/readout/d.ts', 'node:fs', 'sim-host/src/engine.ts'],
      'sim-host/src/analysis/readout/d.ts': ['sim-host/src/analysis/circuits/c.ts'],
      'sim-host/src/analysis/circuits/c.ts': ['sim-host/src/analysis/readout/e.ts', 'sim-host/src/analysis/describe/x.ts'],
      'sim-host/src/analysis/readout/e.ts': [],
      'sim-host/src/analysis/describe/x.ts': [],
      'sim-host/src/core/run.ts': [],
      'sim-host/src/engine.ts': [],
      'interop/brian2.ts': ['protocol/ir.ts', 'language-server/src/lower.ts', 'node:fs'],
      'language-server/src/lower.ts': [],
      'sim-host/src/onnx/o.ts': ['sim-host/src/core/plan.ts', 'onnx-proto', 'sim-host/src/webgpu/device.ts', 'node:fs'],
      'sim-host/src/analysis/describe/y.ts': ['sim-host/src/onnx/o.ts'],
    });
    const v = violations(g);
    const has = (re: RegExp) => assert.ok(v.some((x) => re.test(x)), `expected ${re} among:\n${v.join('\n')}`);
    has(/^import cycle: sim-host\/src\/core\/a\.ts → sim-host\/src\/core\/b\.ts → sim-host\/src\/core\/c\.ts → sim-host\/src\/core\/a\.ts$/);
    has(/^backend imports backend: sim-host\/src\/wasm\/x\.ts imports 'sim-host\/src\/webgpu\/y\.ts'/);
    has(/^Node import in the engine core\/backends: sim-host\/src\/core\/c\.ts imports 'node:path'/);
    has(/^Node import in the engine core\/backends: sim-host\/src\/webgpu\/y\.ts imports 'node:fs'/);
    has(/^Node import in the engine core\/backends: sim-host\/src\/webgpu\/device\.ts imports 'node:os'$/);
    has(/^core imports a backend: sim-host\/src\/core\/c\.ts imports 'sim-host\/src\/wasm\/x\.ts'/);
    has(/^protocol\/ imports outside itself: protocol\/ir\.ts imports 'io\/safe-read\.ts'/);
    has(/^webviews\/ imports outside .*: webviews\/raster\/main\.ts imports 'lodash'/);
    has(/^language-server imports the editor or a front end: language-server\/src\/x\.ts imports 'vscode'/);
    has(/^language-server imports the editor or a front end: language-server\/src\/x\.ts imports 'cli\/src\/run\.ts'/);
    has(/^language-server imports the engine .*: language-server\/src\/x\.ts imports 'sim-host\/src\/core\/plan\.ts'/);
    has(/^sweep\/ imports outside .*: sim-host\/src\/sweep\/s\.ts imports 'node:os'/);
    has(/^sweep\/ imports outside .*: sim-host\/src\/sweep\/s\.ts imports 'sim-host\/src\/host\.ts'/);
    has(/^analysis\/ imports outside .*: sim-host\/src\/analysis\/readout\/r\.ts imports 'node:fs'/);
    has(/^analysis\/ imports outside .*: sim-host\/src\/analysis\/readout\/r\.ts imports 'sim-host\/src\/engine\.ts'/);
    has(/^analysis readout\/ imports analysis circuits\/: sim-host\/src\/analysis\/readout\/d\.ts/);
    has(/^analysis circuits\/ imports analysis describe\/: sim-host\/src\/analysis\/circuits\/c\.ts/);
    has(/^import upwards into extension\/: cli\/src\/run\.ts imports 'extension\/src\/x\.ts'/);
    has(/^interop\/ imports outside .*: interop\/brian2\.ts imports 'language-server\/src\/lower\.ts'/);
    has(/^interop\/ imports outside .*: interop\/brian2\.ts imports 'node:fs'/);
    has(/^onnx\/ imports outside .*: sim-host\/src\/onnx\/o\.ts imports 'sim-host\/src\/webgpu\/device\.ts'/);
    has(/^onnx\/ imports outside .*: sim-host\/src\/onnx\/o\.ts imports 'node:fs'/);
    has(/^the engine's core, backends or analyses import onnx\/: sim-host\/src\/analysis\/describe\/y\.ts/);
    // What is allowed stays allowed.
    const not = (re: RegExp) => assert.ok(!v.some((x) => re.test(x)), `unexpected ${re} among:\n${v.join('\n')}`);
    not(/device\.ts imports 'node:url' \(dynamically\)/);
    not(/imports '@vscode-elements/);
    not(/'sim-host\/src\/core\/estimate\.ts'/);
    not(/test\/t\.ts/);
    not(/core\/a\.ts imports 'protocol\/ir\.ts'/);
    not(/sweep\/s\.ts imports 'sim-host\/src\/core\/plan\.ts'/);
    not(/interop\/brian2\.ts imports 'protocol\/ir\.ts'/);
    not(/circuits\/c\.ts imports 'sim-host\/src\/analysis\/readout\/e\.ts'/);
    not(/onnx\/o\.ts imports '(sim-host\/src\/core\/plan\.ts|onnx-proto)'/);
    not(/readout\/r\.ts imports '(sim-host\/src\/core\/run|protocol\/ir|sim-host\/src\/analysis\/readout\/d)\.ts'/);
  });

  it('the checker reads the imports of a source as written', () => {
    const src = `import type { A } from '../a';\nimport {\n  b,\n  c,\n} from "./b";\nexport * from './c';\nimport './side';\n// import x from './commented';\nconst m = await import('node:fs');\nconst q = require('./r');\n`;
    assert.deepEqual(importsOf(src), [
      { spec: '../a', dynamic: false },
      { spec: './b', dynamic: false },
      { spec: './c', dynamic: false },
      { spec: './side', dynamic: false },
      { spec: 'node:fs', dynamic: true },
      { spec: './r', dynamic: true },
    ]);
  });

  it('the repository keeps every rule', () => {
    const g = repoGraph();
    assert.ok(g.size > 100 && g.has(`${CORE}/plan.ts`), `read ${g.size} modules`);
    const v = violations(g);
    assert.deepEqual(v, [], `import rules broken:\n${v.join('\n')}`);
  });
});
